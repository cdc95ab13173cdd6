//! Shell quoting and command rendering.
//!
//! Invariant: any string passed through [`quote`] reaches bash as exactly one
//! word with exactly that text, whatever it holds (spaces, quotes, `$`,
//! backticks, newlines). The property tests run random strings through
//! `bash -c` to check it.

use crate::plan::Word;

/// Bytes that never need quoting in bash, as a table: the quoting of a
/// megabyte of commands looks each byte up once.
const PLAIN: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric()
            || matches!(
                c,
                b'_' | b'@' | b'%' | b'+' | b'=' | b':' | b',' | b'.' | b'/' | b'-'
            );
        b += 1;
    }
    table
};

/// Quotes `text` for bash: bare when that is safe, double-quoted when it
/// holds a single quote and nothing bash expands inside double quotes (a
/// JMESPath query reads as written), otherwise single-quoted.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    push_quoted(&mut out, text);
    out
}

/// [`quote`], appended to `out`.
pub fn push_quoted(out: &mut String, text: &str) {
    if !text.is_empty() && text.bytes().all(|b| PLAIN[usize::from(b)]) {
        out.push_str(text);
        return;
    }
    if text.contains('\'') && !text.bytes().any(|b| b"\"$`\\!\n".contains(&b)) {
        out.push('"');
        out.push_str(text);
        out.push('"');
        return;
    }
    out.push('\'');
    let mut parts = text.split('\'');
    out.push_str(parts.next().unwrap_or_default());
    for part in parts {
        out.push_str("'\\''");
        out.push_str(part);
    }
    out.push('\'');
}

/// How a variable appears in rendered text.
pub enum Expansion<'a> {
    /// Its value, quoted.
    Text(&'a str),
    /// Its elements, each quoted.
    List(&'a [String]),
    /// A `"$NAME"` reference (secrets, captured values, script variables).
    Reference,
}

/// Decides how each variable of a command appears.
pub type Lookup<'l, 'a> = &'l dyn Fn(&str) -> Expansion<'a>;

/// Renders words to one command line. `lookup` decides how each variable
/// appears.
pub fn render_words(words: &[Word], lookup: Lookup<'_, '_>) -> String {
    let mut out = String::new();
    push_words(&mut out, words, lookup);
    out
}

/// [`render_words`], appended to `out`.
pub fn push_words(out: &mut String, words: &[Word], lookup: Lookup<'_, '_>) {
    let start = out.len();
    for word in words {
        let before = out.len();
        if before > start {
            out.push(' ');
        }
        // An empty list expands to nothing, so it is left out.
        if !push_word(out, word, lookup, false) {
            out.truncate(before);
        }
    }
}

/// [`render_words`] broken into lines of about `width` characters for
/// paper: only between words, only where bash reads a backslash-newline as
/// a line continuation (outside quotes, comments and here-documents), each
/// continued line ending in ` \` and the next indented. The lines, typed
/// or pasted, give bash the same words as the one-line form. A word longer
/// than `width` gets a line of its own.
pub fn render_lines(words: &[Word], lookup: Lookup<'_, '_>, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    let mut state = Quotes::Outside;
    let mut len = 0;
    let mut piece = String::new();
    for word in words {
        piece.clear();
        if !push_word(&mut piece, word, lookup, false) {
            continue;
        }
        let piece = piece.as_str();
        let piece_len = piece.chars().count();
        let line = lines.last_mut().expect("one line at least");
        if len == 0 {
            line.push_str(piece);
            len = piece_len;
        } else if len + 1 + piece_len > width && state == Quotes::Outside {
            line.push_str(" \\");
            lines.push(format!("    {piece}"));
            len = 4 + piece_len;
        } else {
            line.push(' ');
            line.push_str(piece);
            len += 1 + piece_len;
        }
        state = state.after(piece);
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

/// Appends `word` as shell text; false when it is nothing (an empty list).
fn push_word(out: &mut String, word: &Word, lookup: Lookup<'_, '_>, joined: bool) -> bool {
    let start = out.len();
    match word {
        Word::Lit(text) => push_quoted(out, text),
        Word::Raw(text) => out.push_str(text),
        Word::Var(name) | Word::Array(name) => match lookup(name) {
            Expansion::Text(value) => push_quoted(out, value),
            Expansion::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    push_quoted(out, item);
                }
            }
            Expansion::Reference => {
                let array = matches!(word, Word::Array(_));
                out.push_str(if joined || array { "\"${" } else { "\"$" });
                out.push_str(name);
                out.push_str(match (joined || array, array) {
                    (_, true) => "[@]}\"",
                    (true, false) => "}\"",
                    (false, false) => "\"",
                });
            }
        },
        Word::Join(parts) => {
            // Parts glue into one word; an empty part ('') adds nothing
            // unless every part is empty.
            for part in parts {
                let before = out.len();
                push_word(out, part, lookup, true);
                if &out[before..] == "''" {
                    out.truncate(before);
                }
            }
            if out.len() == start {
                out.push_str("''");
            }
        }
    }
    out.len() > start
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
        let shown = render_words(&words, &|_| Expansion::Text("/opt/my flink"));
        assert_eq!(shown, "'/opt/my flink'/bin/flink");
        let scripted = render_words(&words, &|_| Expansion::Reference);
        assert_eq!(scripted, "\"${HOME_DIR}\"/bin/flink");
    }
}
