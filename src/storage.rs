//! Checkbox progress in localStorage, keyed by a hash of the plan's link, so
//! a reload (or reopening the same link) shows the same ticks. When storage
//! is unavailable (private mode, quota) progress still works for the session.

use std::collections::BTreeSet;

use crate::state::hash;

const PREFIX: &str = "waymark.progress.";

/// The storage key for the plan with canonical link `link`.
pub fn key(link: &str) -> String {
    format!("{PREFIX}{}", hash(link))
}

/// Done step ids, one per line.
pub fn encode(done: &BTreeSet<String>) -> String {
    done.iter().cloned().collect::<Vec<_>>().join("\n")
}

pub fn decode(text: &str) -> BTreeSet<String> {
    let mut done = BTreeSet::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        done.insert(line.to_string());
    }
    done
}

fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The stored ids for `key` (empty if none or no storage).
pub fn load(key: &str) -> BTreeSet<String> {
    local()
        .and_then(|s| s.get_item(key).ok().flatten())
        .map(|t| decode(&t))
        .unwrap_or_default()
}

/// Stores `done` under `key`; an empty set removes the key.
pub fn save(key: &str, done: &BTreeSet<String>) {
    if let Some(s) = local() {
        let _ = if done.is_empty() {
            s.remove_item(key)
        } else {
            s.set_item(key, &encode(done))
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_keys_by_link() {
        let done: BTreeSet<String> = ["prepare.1", "cutover.2.stop.orders"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(decode(&encode(&done)), done);
        assert_eq!(decode("\n a \n\n"), ["a".to_string()].into());
        assert_ne!(key("a=1"), key("a=2"));
        assert!(key("a=1").starts_with(PREFIX));
    }
}
