//! The scenario link: a URL query string a person can read and edit.
//!
//! This module knows the syntax (pairs, percent-encoding, job keys) and how to
//! report problems; each platform's scenario module knows its keys.

use std::collections::BTreeMap;
use std::fmt;

/// One thing wrong with a link, naming the key and what is allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The key at fault, when there is one.
    pub key: Option<String>,
    pub message: String,
}

impl Problem {
    pub fn at(key: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            key: Some(key.into()),
            message: message.into(),
        }
    }

    pub fn general(message: impl Into<String>) -> Self {
        Problem {
            key: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.key {
            Some(key) => write!(f, "{key}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// The query part of `input`: after the first `?` (if any), before any `#`.
pub fn query_part(input: &str) -> &str {
    let input = input.trim();
    let after = match input.find('?') {
        Some(i) => &input[i + 1..],
        None => input,
    };
    match after.find('#') {
        Some(i) => &after[..i],
        None => after,
    }
}

/// Decoded key/value pairs in link order, duplicates rejected.
#[derive(Debug, Clone, Default)]
pub struct Pairs {
    values: BTreeMap<String, String>,
    order: Vec<String>,
}

impl Pairs {
    /// Parses a query string. Collects every problem rather than stopping at
    /// the first.
    pub fn parse(query: &str) -> Result<Pairs, Vec<Problem>> {
        let mut pairs = Pairs::default();
        let mut problems = Vec::new();
        for raw in query.split('&').filter(|p| !p.is_empty()) {
            let (raw_key, raw_value) = raw.split_once('=').unwrap_or((raw, ""));
            let key = match decode(raw_key) {
                Ok(k) => k,
                Err(e) => {
                    problems.push(Problem::general(format!("the key `{raw_key}` {e}")));
                    continue;
                }
            };
            if key.is_empty() {
                problems.push(Problem::general(format!("`{raw}` has no key before `=`")));
                continue;
            }
            let value = match decode(raw_value) {
                Ok(v) => v,
                Err(e) => {
                    problems.push(Problem::at(key, format!("the value {e}")));
                    continue;
                }
            };
            if pairs.values.contains_key(&key) {
                problems.push(Problem::at(key, "appears more than once; keep one"));
                continue;
            }
            pairs.order.push(key.clone());
            pairs.values.insert(key, value);
        }
        if problems.is_empty() {
            Ok(pairs)
        } else {
            Err(problems)
        }
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(String::as_str)
    }

    /// The link's own copy of `key`, if the link has it.
    fn key_of(&self, key: &str) -> Option<&str> {
        self.values.get_key_value(key).map(|(k, _)| k.as_str())
    }

    /// The keys that start with `prefix`, in sorted order: one look into
    /// the map instead of a lookup per possible key.
    pub fn keys_under<'p, 'q>(
        &'p self,
        prefix: &'q str,
    ) -> impl Iterator<Item = &'p str> + use<'p, 'q> {
        use std::ops::Bound;
        self.values
            .range::<str, _>((Bound::Included(prefix), Bound::Unbounded))
            .map(|(k, _)| k.as_str())
            .take_while(move |k| k.starts_with(prefix))
    }

    /// Keys in link order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.order.iter().map(String::as_str)
    }
}

/// Percent-decodes a query component; `+` is a space.
pub fn decode(text: &str) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok());
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => out.push(b),
                    None => return Err("has a `%` that is not followed by two hex digits".into()),
                }
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| "is not valid UTF-8 after percent-decoding".to_string())
}

/// Percent-encodes a query component, leaving readable characters as they
/// are (`/`, `:`, `,`, `@`, `.`, `-`, `_`, `~`).
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/:,@!*()'$;".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Builds a canonical query string from pairs, skipping empty values.
#[derive(Default)]
pub struct LinkWriter {
    out: String,
}

impl LinkWriter {
    pub fn put(&mut self, key: &str, value: &str) {
        if value.is_empty() {
            return;
        }
        if !self.out.is_empty() {
            self.out.push('&');
        }
        self.out.push_str(key);
        self.out.push('=');
        self.out.push_str(&encode(value));
    }

    pub fn finish(self) -> String {
        self.out
    }
}

/// The characters that reorder text for display (bidirectional controls):
/// a name holding one can render as something other than what it is.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Adds `item` to the sorted, duplicate-free `list` unless it is there: the
/// same as pushing, sorting and deduplicating, with far less code in the wasm
/// than a standard-library sort per item type.
pub fn insert_sorted<T: Ord>(list: &mut Vec<T>, item: T) -> bool {
    match list.binary_search(&item) {
        Ok(_) => false,
        Err(at) => {
            list.insert(at, item);
            true
        }
    }
}

/// Reads keys from [`Pairs`], remembering which were used so that the rest
/// can be reported as unknown, and collecting problems as it goes.
pub struct Reader<'a> {
    pairs: &'a Pairs,
    /// The link's keys read so far (borrowed from `pairs`: a read
    /// allocates nothing).
    used: std::collections::BTreeSet<&'a str>,
    pub problems: Vec<Problem>,
}

impl<'a> Reader<'a> {
    pub fn new(pairs: &'a Pairs) -> Self {
        Reader {
            pairs,
            used: std::collections::BTreeSet::new(),
            problems: Vec::new(),
        }
    }

    /// The raw value of `key`, marking it used. Empty values count as absent.
    /// A value with an invisible text-direction character is a problem (it
    /// can make a runbook's text read otherwise than it runs) and absent.
    pub fn text(&mut self, key: &str) -> Option<String> {
        self.mark(key);
        let value = self
            .pairs
            .get(key)
            .map(str::trim)
            .filter(|v| !v.is_empty())?;
        if let Some(c) = value.chars().find(|c| is_bidi_control(*c)) {
            let said = format!("U+{:04X}", u32::from(c));
            if !self.problems.iter().any(|p| p.key.as_deref() == Some(key)) {
                self.problems.push(Problem::at(
                    key,
                    format!("contains an invisible text-direction character ({said}), which can make the text read differently from what runs; remove it"),
                ));
            }
            return None;
        }
        Some(value.to_string())
    }

    /// Marks `key` read, so that [`Reader::finish`] does not report it.
    pub fn mark(&mut self, key: &str) {
        if let Some(k) = self.pairs.key_of(key) {
            self.used.insert(k);
        }
    }

    /// The link's keys that start with `prefix` (such as `job3.`), sorted;
    /// does not mark them used.
    pub fn keys_under(&self, prefix: &str) -> Vec<&'a str> {
        self.pairs.keys_under(prefix).collect()
    }

    /// Whether the link has `key` (with any value); does not mark it used.
    pub fn has(&self, key: &str) -> bool {
        self.pairs.get(key).is_some()
    }

    /// A value that must be present.
    pub fn required(&mut self, key: &str, what: &str) -> Option<String> {
        let value = self.text(key);
        if value.is_none() {
            self.problems
                .push(Problem::at(key, format!("is missing: give {what}")));
        }
        value
    }

    /// A value from a fixed set, by its link spelling.
    pub fn choice<T: Copy>(&mut self, key: &str, options: &[(&str, T)]) -> Option<T> {
        let value = self.text(key)?;
        match options.iter().find(|(name, _)| *name == value) {
            Some((_, v)) => Some(*v),
            None => {
                let allowed: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
                self.problems.push(Problem::at(
                    key,
                    format!(
                        "`{value}` is not allowed; use one of: {}",
                        allowed.join(", ")
                    ),
                ));
                None
            }
        }
    }

    /// A comma-separated set of values from a fixed set.
    pub fn set<T: Copy + Ord>(&mut self, key: &str, options: &[(&str, T)]) -> Vec<T> {
        let Some(value) = self.text(key) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in value.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            match options.iter().find(|(name, _)| *name == item) {
                Some((_, v)) => {
                    insert_sorted(&mut out, *v);
                }
                None => {
                    let allowed: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
                    self.problems.push(Problem::at(
                        key,
                        format!(
                            "`{item}` is not allowed; use any of: {}",
                            allowed.join(", ")
                        ),
                    ));
                }
            }
        }
        out
    }

    /// A whole number in `range`.
    pub fn number(&mut self, key: &str, range: std::ops::RangeInclusive<u32>) -> Option<u32> {
        let value = self.text(key)?;
        match value.parse::<u32>() {
            Ok(n) if range.contains(&n) => Some(n),
            _ => {
                self.problems.push(Problem::at(
                    key,
                    format!(
                        "`{value}` is not a whole number from {} to {}",
                        range.start(),
                        range.end()
                    ),
                ));
                None
            }
        }
    }

    pub fn report(&mut self, key: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem::at(key, message));
    }

    /// Numbered groups such as `job1.name`, `job2.jar`: the numbers in use for
    /// `prefix`, sorted. Malformed numbers are reported.
    pub fn groups(&mut self, prefix: &str, max: u32) -> Vec<u32> {
        let mut numbers = Vec::new();
        let pairs = self.pairs;
        for key in pairs.keys() {
            let Some(rest) = key.strip_prefix(prefix) else {
                continue;
            };
            let Some((num, _field)) = rest.split_once('.') else {
                continue;
            };
            if num.is_empty() || !num.bytes().all(|b| b.is_ascii_digit()) {
                continue; // left for the unknown-key report
            }
            match num.parse::<u32>() {
                Ok(n) if (1..=max).contains(&n) && !num.starts_with('0') => {
                    insert_sorted(&mut numbers, n);
                }
                _ => {
                    // Said once: not also "not a known key".
                    self.used.insert(key);
                    self.problems.push(Problem::at(
                        key,
                        format!("{prefix} numbers run from 1 to {max}, without leading zeros"),
                    ));
                }
            }
        }
        numbers
    }

    /// Numbered single keys such as `stop1-home`, `stop2-home`: the numbers in
    /// use, sorted.
    pub fn groups_flat(&mut self, prefix: &str, suffix: &str, max: u32) -> Vec<u32> {
        let mut numbers = Vec::new();
        for key in self.pairs.keys() {
            let Some(num) = key
                .strip_prefix(prefix)
                .and_then(|k| k.strip_suffix(suffix))
            else {
                continue;
            };
            match num.parse::<u32>() {
                Ok(n) if (1..=max).contains(&n) && !num.starts_with('0') => {
                    let at = numbers.partition_point(|&m| m <= n);
                    numbers.insert(at, n);
                }
                _ => {}
            }
        }
        numbers
    }

    /// Reports every key that no reader asked for, with the allowed keys.
    pub fn finish(mut self, allowed: &str) -> Vec<Problem> {
        for key in self.pairs.keys() {
            if !self.used.contains(key) {
                self.problems.push(Problem::at(
                    key,
                    format!("is not a known key; allowed keys: {allowed}"),
                ));
            }
        }
        self.problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_the_query_of_a_whole_url() {
        assert_eq!(query_part("https://x.test/app/?a=1&b=2#top"), "a=1&b=2");
        assert_eq!(query_part("?a=1"), "a=1");
        assert_eq!(query_part("a=1"), "a=1");
    }

    #[test]
    fn decodes_and_encodes() {
        assert_eq!(decode("--env%20prod+x").unwrap(), "--env prod x");
        assert!(decode("%2").is_err());
        assert!(decode("%zz").is_err());
        assert!(decode("%ff").is_err());
        let text = "a b&c=d%e/f:g,h'\"\n$`";
        assert_eq!(decode(&encode(text)).unwrap(), text);
    }

    #[test]
    fn text_direction_characters_are_refused_once_per_key() {
        for c in ['\u{202E}', '\u{2066}', '\u{200F}', '\u{061C}'] {
            let link = format!("name=a{}b", encode(&c.to_string()));
            let pairs = Pairs::parse(&link).unwrap();
            let mut r = Reader::new(&pairs);
            assert_eq!(r.text("name"), None);
            assert_eq!(r.text("name"), None);
            let problems = r.finish("name");
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert!(problems[0]
                .message
                .contains(&format!("U+{:04X}", u32::from(c))));
        }
        let pairs = Pairs::parse("name=%D8%B9%D8%B1%D8%A8%D9%8A").unwrap();
        assert_eq!(
            Reader::new(&pairs).text("name").as_deref(),
            Some("عربي"),
            "right-to-left text itself is fine"
        );
    }

    #[test]
    fn a_bad_group_number_is_one_problem() {
        let pairs = Pairs::parse("job0.id=x&job01.jar=y").unwrap();
        let mut r = Reader::new(&pairs);
        assert!(r.groups("job", 500).is_empty());
        let problems = r.finish("job<N>.id");
        assert_eq!(problems.len(), 2, "one per key: {problems:?}");
        assert!(problems
            .iter()
            .all(|p| p.message.contains("numbers run from 1")));
    }

    #[test]
    fn duplicate_keys_are_problems() {
        let problems = Pairs::parse("a=1&a=2").unwrap_err();
        assert_eq!(problems[0].key.as_deref(), Some("a"));
    }

    #[test]
    fn keys_under_a_prefix_are_exactly_those_that_start_with_it() {
        let pairs = Pairs::parse("job1.b=1&job10.a=2&job1.a=3&job2.a=4&job1=5&jo=6").unwrap();
        let under: Vec<&str> = pairs.keys_under("job1.").collect();
        assert_eq!(under, ["job1.a", "job1.b"]);
        assert_eq!(pairs.keys_under("job3.").count(), 0);
        // Reading one marks only it; the others are still reported.
        let mut r = Reader::new(&pairs);
        assert_eq!(r.keys_under("job1."), ["job1.a", "job1.b"]);
        r.text("job1.a");
        r.text("not-in-the-link");
        let unknown: Vec<_> = r.finish("").into_iter().filter_map(|p| p.key).collect();
        assert_eq!(unknown, ["job1.b", "job10.a", "job2.a", "job1", "jo"]);
    }

    #[test]
    fn unknown_keys_are_reported_with_the_allowed_ones() {
        let pairs = Pairs::parse("a=1&zzz=2").unwrap();
        let mut r = Reader::new(&pairs);
        r.text("a");
        let problems = r.finish("a, b");
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].key.as_deref(), Some("zzz"));
        assert!(problems[0].message.contains("a, b"));
    }

    #[test]
    fn choices_name_the_allowed_values() {
        let pairs = Pairs::parse("s=sideways").unwrap();
        let mut r = Reader::new(&pairs);
        assert_eq!(r.choice("s", &[("up", 1), ("down", 2)]), None);
        assert!(r.problems[0].message.contains("up, down"));
    }
}
