//! The scenario as the form edits it: the link's key/value pairs, in order.
//!
//! Plain data with plain functions, so the editing rules are tested natively.
//! The pairs keep exactly what the user typed (even values the planner
//! rejects, duplicate keys and keys it does not know) so nothing is lost; the
//! planner reads [`Query::to_link`] and reports what is wrong.

use waymark_core::form::{Form, When};
use waymark_core::link::{decode, encode};

/// The link's pairs in order. Values may be empty while the user edits; empty
/// values are left out of the link.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pairs: Vec<(String, String)>,
    /// Pairs as typed whose key or value does not percent-decode: while
    /// they stay unedited, the link carries them as typed, so the planner
    /// names the same problem as the CLI for the same link (web review m3)
    /// and the address bar is not rewritten.
    raw: Vec<(String, String)>,
}

impl Query {
    /// Reads a query string (with or without `?`) leniently: a key or value
    /// that does not percent-decode is kept as typed, and duplicates are kept
    /// so the planner can name them.
    pub fn parse(query: &str) -> Query {
        let query = query.trim().trim_start_matches('?');
        let query = query.split('#').next().unwrap_or_default();
        let mut raw = Vec::new();
        let pairs = query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|typed| {
                let (k, v) = typed.split_once('=').unwrap_or((typed, ""));
                let pair = (lenient(k), lenient(v));
                if decode(k).is_err() || decode(v).is_err() {
                    raw.push(pair.clone());
                }
                pair
            })
            .collect();
        Query { pairs, raw }
    }

    /// The query string (without `?`) the planner and the address bar get.
    pub fn to_link(&self) -> String {
        let mut out = String::new();
        for (k, v) in self.pairs.iter().filter(|(_, v)| !v.trim().is_empty()) {
            if !out.is_empty() {
                out.push('&');
            }
            if self.raw.iter().any(|(rk, rv)| rk == k && rv == v) {
                // lenient() kept the typed text: it goes back as typed.
                out.push_str(k);
                out.push('=');
                out.push_str(v);
                continue;
            }
            out.push_str(&encode(k));
            out.push('=');
            out.push_str(&encode(v));
        }
        out
    }

    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    /// The value of the first pair with `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The platform named by the link, if any.
    pub fn platform(&self) -> &str {
        self.get("platform").unwrap_or_default()
    }

    /// Sets the first pair with `key`, or appends one. An empty value keeps
    /// the pair (and its place) but leaves it out of the link.
    pub fn set(&mut self, key: &str, value: &str) {
        match self.pairs.iter_mut().find(|(k, _)| k == key) {
            Some((_, v)) => *v = value.to_string(),
            None => self.pairs.push((key.to_string(), value.to_string())),
        }
    }

    /// The comma-separated items of `key`, trimmed, empties skipped.
    /// Each key's value (the first, as [`Query::get`] reads it), for
    /// looking up many keys at once.
    pub fn index(&self) -> std::collections::BTreeMap<&str, &str> {
        let mut index = std::collections::BTreeMap::new();
        for (k, v) in &self.pairs {
            index.entry(k.as_str()).or_insert(v.as_str());
        }
        index
    }

    pub fn flags(&self, key: &str) -> Vec<String> {
        flags_of(self.get(key).unwrap_or_default())
    }

    /// Turns one item of a comma-separated key on or off, keeping the order
    /// (and any unknown items) of the rest.
    pub fn set_flag(&mut self, key: &str, flag: &str, on: bool) {
        let mut flags = self.flags(key);
        flags.retain(|f| f != flag);
        if on {
            flags.push(flag.to_string());
        }
        self.set(key, &flags.join(","));
    }

    /// The item numbers of a repeated group (`job1.name`, `job3.id` → 1, 3),
    /// sorted and unique. Keys whose number is malformed are not items.
    pub fn group_numbers(&self, prefix: &str) -> Vec<u32> {
        let mut numbers = Vec::new();
        for (k, _) in &self.pairs {
            if let Some((n, _)) = group_key(k, prefix) {
                waymark_core::link::insert_sorted(&mut numbers, n);
            }
        }
        numbers
    }

    /// Adds an item after the highest one, with the template's values (or an
    /// empty first field, so the item exists), and returns its number.
    pub fn add_group(
        &mut self,
        prefix: &str,
        template: &[(&str, String)],
        first_field: &str,
    ) -> u32 {
        let n = self.group_numbers(prefix).last().copied().unwrap_or(0) + 1;
        if template.is_empty() {
            self.pairs
                .push((format!("{prefix}{n}.{first_field}"), String::new()));
        }
        for (field, value) in template {
            self.pairs
                .push((format!("{prefix}{n}.{field}"), value.clone()));
        }
        n
    }

    /// Removes every pair of item `n`. The other items keep their numbers.
    pub fn remove_group(&mut self, prefix: &str, n: u32) {
        self.pairs
            .retain(|(k, _)| group_key(k, prefix).map(|(m, _)| m) != Some(n));
    }

    /// Sets the value of the pair at `index` (for keys the form has no field
    /// for, which may repeat).
    pub fn set_at(&mut self, index: usize, value: &str) {
        if let Some((_, v)) = self.pairs.get_mut(index) {
            *v = value.to_string();
        }
    }

    /// Removes the pair at `index`.
    pub fn remove_at(&mut self, index: usize) {
        if index < self.pairs.len() {
            self.pairs.remove(index);
        }
    }

    /// The pairs (with their index) that `known` does not claim: unknown keys
    /// and every repeat of a key after its first.
    pub fn extras(&self, known: impl Fn(&str) -> bool) -> Vec<(usize, String, String)> {
        let mut out = Vec::new();
        for (i, (k, v)) in self.pairs.iter().enumerate() {
            // Only a known key is looked for earlier: a link of 5,000
            // unknown keys is not 12 million comparisons.
            if !known(k) || self.pairs[..i].iter().any(|(earlier, _)| earlier == k) {
                out.push((i, k.clone(), v.clone()));
            }
        }
        out
    }
}

/// What [`Query::switch`] set aside and brought back, by key.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Switched {
    pub set_aside: Vec<String>,
    pub restored: Vec<String>,
}

impl Query {
    /// Sets `key`, a choice other fields depend on (such as the Flink
    /// `deployment`): values of fields that no longer apply move to `aside`,
    /// and values set aside earlier whose fields apply again come back, so
    /// trying another choice loses nothing and leaves no problem behind.
    pub fn switch(
        &mut self,
        key: &str,
        value: &str,
        form: &Form,
        aside: &mut Vec<(String, String)>,
    ) -> Switched {
        self.set(key, value);
        let when_of = |k: &str| -> Option<When> {
            let section = form
                .sections
                .iter()
                .flat_map(|s| &s.fields)
                .find(|f| f.key == k);
            let grouped = || {
                form.group.as_ref().and_then(|g| {
                    let (_, field) = group_key(k, g.prefix)?;
                    g.fields.iter().find(|f| f.key == field)
                })
            };
            section.or_else(grouped).and_then(|f| f.when)
        };
        let applies = |k: &str| when_of(k).is_none_or(|w| w.key != key || w.holds(value));
        let mut out = Switched::default();
        let mut kept = Vec::with_capacity(self.pairs.len());
        for (k, v) in std::mem::take(&mut self.pairs) {
            if !v.trim().is_empty() && !applies(&k) {
                out.set_aside.push(k.clone());
                aside.retain(|(ak, _)| *ak != k);
                aside.push((k, v));
            } else {
                kept.push((k, v));
            }
        }
        self.pairs = kept;
        let mut still = Vec::new();
        for (k, v) in std::mem::take(aside) {
            let empty_here = self.get(&k).is_none_or(|cur| cur.trim().is_empty());
            if applies(&k) && empty_here {
                out.restored.push(k.clone());
                self.set(&k, &v);
            } else {
                still.push((k, v));
            }
        }
        *aside = still;
        out
    }
}

/// Splits a group key `job12.name` into (12, "name") for `prefix` "job".
pub fn group_key<'a>(key: &'a str, prefix: &str) -> Option<(u32, &'a str)> {
    let rest = key.strip_prefix(prefix)?;
    let (num, field) = rest.split_once('.')?;
    if num.is_empty() || num.starts_with('0') || !num.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((num.parse().ok()?, field))
}

/// The query a platform opens on: the previous one for that platform if the
/// user was there before, else its example, else just the platform.
pub fn query_for_platform(platform: &str, stashed: Option<&Query>, example: &str) -> Query {
    if let Some(q) = stashed {
        return q.clone();
    }
    if !example.trim().is_empty() {
        return Query::parse(example);
    }
    Query::parse(&format!("v=1&platform={}", encode(platform)))
}

/// A stable, short hash (FNV-1a, 64 bits) of `text`, as hex.
pub fn hash(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// An element id for a link key (`job1.name` → `f-job1.name`).
pub fn field_id(key: &str) -> String {
    let mut id = String::from("f-");
    for c in key.chars() {
        id.push(
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '_' {
                c
            } else {
                '_'
            },
        );
    }
    id
}

fn lenient(text: &str) -> String {
    decode(text).unwrap_or_else(|_| text.to_string())
}

/// The items of a comma-separated value, trimmed, without empty ones.
pub fn flags_of(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .map(String::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn switching_deployment_sets_aside_what_no_longer_applies_and_brings_it_back() {
        let form = waymark_core::form::form("flink").unwrap();
        let mut q = Query::parse("v=1&platform=flink&from=1.17&to=1.20&strategy=shadow-copy&old-home=/opt/a&job1.id=ab&job1.jar=/j.jar&savepoint-dir=s3://b");
        let mut aside = Vec::new();
        let s = q.switch("deployment", "operator", &form, &mut aside);
        assert_eq!(s.set_aside, ["strategy", "old-home", "job1.id"]);
        assert!(s.restored.is_empty());
        assert_eq!(q.get("strategy"), None);
        assert_eq!(
            q.get("job1.jar"),
            Some("/j.jar"),
            "the jar applies to every target"
        );
        assert_eq!(q.get("savepoint-dir"), Some("s3://b"));
        q.set("namespace", "flink");

        // Another target that takes homes brings old-home back, not the rest.
        let s = q.switch("deployment", "yarn-application", &form, &mut aside);
        assert_eq!(s.set_aside, ["namespace"]);
        assert_eq!(s.restored, ["old-home", "job1.id"]);
        assert_eq!(q.get("old-home"), Some("/opt/a"));

        // Back to the default: everything returns, nothing is lost.
        let s = q.switch("deployment", "", &form, &mut aside);
        assert_eq!(s.restored, ["strategy"]);
        assert_eq!(q.get("strategy"), Some("shadow-copy"));
        assert_eq!(aside, [("namespace".to_string(), "flink".to_string())]);
    }

    #[test]
    fn a_value_typed_after_setting_aside_wins() {
        let form = waymark_core::form::form("flink").unwrap();
        let mut q = Query::parse("platform=flink&strategy=shadow-copy");
        let mut aside = Vec::new();
        q.switch("deployment", "operator", &form, &mut aside);
        q.set("strategy", "in-place");
        let s = q.switch("deployment", "standalone-session", &form, &mut aside);
        assert!(s.restored.is_empty());
        assert_eq!(q.get("strategy"), Some("in-place"));
    }

    #[test]
    fn parses_and_writes_back_the_same_link() {
        let link = "v=1&platform=flink&from=1.17&job1.args=--env%20prod&uses=cep,table-sql";
        let q = Query::parse(&format!("?{link}#top"));
        assert_eq!(q.get("job1.args"), Some("--env prod"));
        assert_eq!(q.to_link(), link);
    }

    #[test]
    fn keeps_what_does_not_decode_and_duplicates() {
        let q = Query::parse("from=%zz&to=1.20&to=1.19&junk");
        assert_eq!(q.get("from"), Some("%zz"));
        assert_eq!(q.pairs().len(), 4);
        assert_eq!(q.get("to"), Some("1.20"));
        // The planner still sees the duplicate, and what does not decode as
        // it was typed, never re-encoded into a different value.
        assert_eq!(q.to_link(), "from=%zz&to=1.20&to=1.19");
    }

    #[test]
    fn a_link_that_does_not_decode_gets_the_problems_the_cli_names() {
        for link in [
            "platform=flink&from=%zz&to=1.20&job1.name=%E0%A4%A",
            "platform=flink&from=1.17&to=1.20&job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.jar=/a.jar&job1.name=a%00b%FFc",
        ] {
            let q = Query::parse(link);
            assert_eq!(q.to_link(), link, "the address bar would be rewritten");
            let web = waymark_core::plan_link(&q.to_link()).map(|p| p.link);
            let cli = waymark_core::plan_link(link).map(|p| p.link);
            assert_eq!(web, cli, "{link}");
            assert!(cli.is_err(), "{link} plans");
        }
        // Once the field is edited, the value is the user's text, encoded.
        let mut q = Query::parse("platform=flink&job1.name=%E0%A4%A");
        q.set("job1.name", "orders 2");
        assert_eq!(q.to_link(), "platform=flink&job1.name=orders%202");
    }

    #[test]
    fn set_replaces_in_place_and_empty_values_leave_the_link() {
        let mut q = Query::parse("platform=flink&from=1.17&to=1.20");
        q.set("from", "1.18");
        q.set("strategy", "in-place");
        assert_eq!(
            q.to_link(),
            "platform=flink&from=1.18&to=1.20&strategy=in-place"
        );
        q.set("from", "");
        assert_eq!(q.to_link(), "platform=flink&to=1.20&strategy=in-place");
        assert_eq!(q.pairs()[1], ("from".to_string(), String::new()));
    }

    #[test]
    fn flags_toggle_and_keep_unknown_items() {
        let mut q = Query::parse("uses=cep,bogus");
        q.set_flag("uses", "table-sql", true);
        assert_eq!(q.get("uses"), Some("cep,bogus,table-sql"));
        q.set_flag("uses", "cep", false);
        assert_eq!(q.flags("uses"), vec!["bogus", "table-sql"]);
        q.set_flag("uses", "bogus", false);
        q.set_flag("uses", "table-sql", false);
        assert_eq!(q.to_link(), "");
    }

    #[test]
    fn groups_add_and_remove_without_renumbering() {
        let mut q = Query::parse("job1.name=a&job3.name=c&job3.id=x&jobx.name=z&job01.name=y");
        assert_eq!(q.group_numbers("job"), vec![1, 3]);
        assert_eq!(q.add_group("job", &[], "name"), 4);
        assert_eq!(q.get("job4.name"), Some(""));
        q.remove_group("job", 3);
        assert_eq!(q.group_numbers("job"), vec![1, 4]);
        assert_eq!(q.to_link(), "job1.name=a&jobx.name=z&job01.name=y");
        let n = q.add_group("job", &[("parallelism", "2".to_string())], "name");
        assert_eq!(n, 5);
        assert_eq!(q.get("job5.parallelism"), Some("2"));
    }

    #[test]
    fn extras_are_unknown_keys_and_repeats() {
        let q = Query::parse("from=1&x=2&from=3");
        let extras = q.extras(|k| k == "from");
        assert_eq!(
            extras,
            vec![
                (1, "x".to_string(), "2".to_string()),
                (2, "from".to_string(), "3".to_string())
            ]
        );
        let mut q = q;
        q.set_at(1, "9");
        q.remove_at(2);
        q.remove_at(7);
        assert_eq!(q.to_link(), "from=1&x=9");
    }

    #[test]
    fn platform_switch_restores_or_uses_the_example() {
        let stash = Query::parse("platform=flink&from=1.5");
        assert_eq!(query_for_platform("flink", Some(&stash), "x=1"), stash);
        assert_eq!(
            query_for_platform("flink", None, "platform=flink&from=1.1").get("from"),
            Some("1.1")
        );
        assert_eq!(
            query_for_platform("hdinsight", None, "").to_link(),
            "v=1&platform=hdinsight"
        );
    }

    #[test]
    fn hashes_and_ids_are_stable() {
        assert_eq!(hash(""), "cbf29ce484222325");
        assert_ne!(hash("a=1"), hash("a=2"));
        assert_eq!(field_id("job1.name"), "f-job1.name");
        assert_eq!(field_id("a b\"c"), "f-a_b_c");
    }
}
