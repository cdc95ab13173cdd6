//! Shell quoting and command rendering.
//!
//! Invariant: any string passed through [`quote`] reaches bash as exactly one
//! word with exactly that text, whatever it holds (spaces, quotes, `$`,
//! backticks, newlines). The property tests run random strings through
//! `bash -c` to check it.

use crate::plan::Word;

/// Bytes that never need quoting in bash.
fn is_plain(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"_@%+=:,./-".contains(&b)
}

/// Quotes `text` for bash: bare when that is safe, double-quoted when it
/// holds a single quote and nothing bash expands inside double quotes (a
/// JMESPath query reads as written), otherwise single-quoted.
pub fn quote(text: &str) -> String {
    if !text.is_empty() && text.bytes().all(is_plain) {
        return text.to_string();
    }
    if text.contains('\'') && !text.bytes().any(|b| b"\"$`\\!\n".contains(&b)) {
        return format!("\"{text}\"");
    }
    let mut out = String::with_capacity(text.len() + 2);
    out.push('\'');
    for c in text.chars() {
        if c == '\'' {
            out.push_str("'\\''");
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    out
}

/// How a variable appears in rendered text.
pub enum Expansion {
    /// Its value, quoted.
    Text(String),
    /// Its elements, each quoted.
    List(Vec<String>),
    /// A `"$NAME"` reference (secrets, captured values, script variables).
    Reference,
}

/// Renders words to one command line. `lookup` decides how each variable
/// appears.
pub fn render_words(words: &[Word], lookup: &dyn Fn(&str) -> Expansion) -> String {
    let mut out = String::new();
    for piece in pieces(words, lookup) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&piece);
    }
    out
}

/// Each word as shell text; an empty list expands to nothing, so it is left
/// out.
fn pieces<'a>(
    words: &'a [Word],
    lookup: &'a dyn Fn(&str) -> Expansion,
) -> impl Iterator<Item = String> + 'a {
    words
        .iter()
        .map(move |w| render_word(w, lookup, false))
        .filter(|p| !p.is_empty())
}

/// [`render_words`] broken into lines of about `width` characters for
/// paper: only between words, only where bash reads a backslash-newline as
/// a line continuation (outside quotes, comments and here-documents), each
/// continued line ending in ` \` and the next indented. The lines, typed
/// or pasted, give bash the same words as the one-line form. A word longer
/// than `width` gets a line of its own.
pub fn render_lines(
    words: &[Word],
    lookup: &dyn Fn(&str) -> Expansion,
    width: usize,
) -> Vec<String> {
    let mut lines = vec![String::new()];
    let mut state = Quotes::Outside;
    let mut len = 0;
    for piece in pieces(words, lookup) {
        let piece_len = piece.chars().count();
        let line = lines.last_mut().expect("one line at least");
        if len == 0 {
            line.push_str(&piece);
            len = piece_len;
        } else if len + 1 + piece_len > width && state == Quotes::Outside {
            line.push_str(" \\");
            lines.push(format!("    {piece}"));
            len = 4 + piece_len;
        } else {
            line.push(' ');
            line.push_str(&piece);
            len += 1 + piece_len;
        }
        state = state.after(&piece);
    }
    lines
}

/// Where a scan of shell text stands: a line may break only `Outside`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Quotes {
    Outside,
    Single,
    Double,
    /// In a comment, or after `<<` or a newline outside quotes: nothing
    /// after it may be broken.
    Never,
}

impl Quotes {
    /// The state after `text`, which follows a space.
    fn after(self, text: &str) -> Quotes {
        let mut state = self;
        let mut escaped = false;
        let mut prev = ' ';
        for c in text.chars() {
            state = match (state, c) {
                (Quotes::Never, _) => return Quotes::Never,
                _ if escaped => {
                    escaped = false;
                    state
                }
                (Quotes::Single, '\'') => Quotes::Outside,
                (Quotes::Single, _) => Quotes::Single,
                (Quotes::Double, '\\') => {
                    escaped = true;
                    Quotes::Double
                }
                (Quotes::Double, '"') => Quotes::Outside,
                (Quotes::Double, _) => Quotes::Double,
                (Quotes::Outside, '\\') => {
                    escaped = true;
                    Quotes::Outside
                }
                (Quotes::Outside, '\'') => Quotes::Single,
                (Quotes::Outside, '"') => Quotes::Double,
                (Quotes::Outside, '#') if prev.is_whitespace() => Quotes::Never,
                (Quotes::Outside, '<') if prev == '<' => Quotes::Never,
                (Quotes::Outside, '\n') => Quotes::Never,
                (Quotes::Outside, _) => Quotes::Outside,
            };
            prev = c;
        }
        state
    }
}

fn render_word(word: &Word, lookup: &dyn Fn(&str) -> Expansion, joined: bool) -> String {
    match word {
        Word::Lit(text) => quote(text),
        Word::Raw(text) => (*text).to_string(),
        Word::Var(name) => match lookup(name) {
            Expansion::Text(value) => quote(&value),
            Expansion::List(items) => items.iter().map(|i| quote(i)).collect::<Vec<_>>().join(" "),
            Expansion::Reference if joined => format!("\"${{{name}}}\""),
            Expansion::Reference => format!("\"${name}\""),
        },
        Word::Array(name) => match lookup(name) {
            Expansion::List(items) => items.iter().map(|i| quote(i)).collect::<Vec<_>>().join(" "),
            Expansion::Text(value) => quote(&value),
            Expansion::Reference => format!("\"${{{name}[@]}}\""),
        },
        Word::Join(parts) => {
            let rendered: Vec<String> =
                parts.iter().map(|p| render_word(p, lookup, true)).collect();
            let all_empty = rendered.iter().all(|r| r == "''" || r.is_empty());
            if all_empty {
                "''".to_string()
            } else {
                rendered.into_iter().filter(|r| r != "''").collect()
            }
        }
    }
}

/// Splits program arguments the way a person types them on a shell line:
/// whitespace separates words; single quotes, double quotes and backslashes
/// group. Nothing is expanded. Returns an error for an unclosed quote.
pub fn split_words(text: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut in_word = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(ch) => current.push(ch),
                        None => return Err("a single quote (') is not closed".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(ch @ ('"' | '\\' | '$' | '`')) => current.push(ch),
                            Some(ch) => {
                                current.push('\\');
                                current.push(ch);
                            }
                            None => return Err("a double quote (\") is not closed".into()),
                        },
                        Some(ch) => current.push(ch),
                        None => return Err("a double quote (\") is not closed".into()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.next() {
                    Some(ch) => current.push(ch),
                    None => current.push('\\'),
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut current));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                current.push(c);
            }
        }
    }
    if in_word {
        words.push(current);
    }
    Ok(words)
}

/// Joins words back into a line that [`split_words`] splits the same way.
pub fn join_words(words: &[String]) -> String {
    words.iter().map(|w| quote(w)).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_words_stay_bare() {
        assert_eq!(
            quote("/opt/flink-1.17/bin/flink"),
            "/opt/flink-1.17/bin/flink"
        );
        assert_eq!(quote("s3://bucket/savepoints"), "s3://bucket/savepoints");
        assert_eq!(quote("--env=prod"), "--env=prod");
    }

    #[test]
    fn a_single_quote_without_expansions_is_double_quoted() {
        assert_eq!(quote("it's"), "\"it's\"");
        assert_eq!(quote("[?name=='headnode']"), "\"[?name=='headnode']\"");
        assert_eq!(quote("it's!"), "'it'\\''s!'");
    }

    #[test]
    fn everything_else_is_single_quoted() {
        assert_eq!(quote(""), "''");
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("it's $x"), "'it'\\''s $x'");
        assert_eq!(quote("$HOME"), "'$HOME'");
        assert_eq!(quote("`id`"), "'`id`'");
        assert_eq!(quote("a\nb"), "'a\nb'");
    }

    #[test]
    fn splits_like_a_shell_line() {
        assert_eq!(split_words("--env prod").unwrap(), ["--env", "prod"]);
        assert_eq!(
            split_words("  --name 'my job'  x\\ y \"a\\\"b\"").unwrap(),
            ["--name", "my job", "x y", "a\"b"]
        );
        assert_eq!(split_words("''").unwrap(), [""]);
        assert!(split_words("'open").is_err());
        assert!(split_words("\"open").is_err());
        assert_eq!(split_words("").unwrap(), Vec::<String>::new());
    }

    #[test]
    fn join_then_split_round_trips() {
        let words: Vec<String> = ["a b", "", "it's", "$x", "\\"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(split_words(&join_words(&words)).unwrap(), words);
    }

    #[test]
    fn joined_words_concatenate() {
        let words = vec![Word::Join(vec![
            Word::Var("HOME_DIR".into()),
            Word::Lit("/bin/flink".into()),
        ])];
        let shown = render_words(&words, &|_| Expansion::Text("/opt/my flink".into()));
        assert_eq!(shown, "'/opt/my flink'/bin/flink");
        let scripted = render_words(&words, &|_| Expansion::Reference);
        assert_eq!(scripted, "\"${HOME_DIR}\"/bin/flink");
    }
}
