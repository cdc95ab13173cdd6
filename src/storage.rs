//! Checkbox progress in localStorage, keyed by the change the plan is for
//! (platform, versions and the system being changed: [`IDENTITY`]), so a
//! reload, reopening the link or an edit that keeps the change (a job name,
//! a flag, another job) shows the same ticks for the steps that still exist.
//! When storage is unavailable (private mode, quota) progress still works
//! for the session. Progress also travels in a link's fragment:
//! `#progress=1:<step id>,<step id>` ([`fragment`], [`parse_fragment`]).

use std::collections::BTreeSet;

use waymark_core::link::{decode as decode_value, encode as encode_value};

use crate::state::hash;

const PREFIX: &str = "waymark.progress.";

/// The link keys that say which change a plan is for: the same values are
/// the same change, whatever else the scenario says.
pub const IDENTITY: [&str; 14] = [
    "platform",
    "from",
    "to",
    "deployment",
    "old-home",
    "old-jobmanager",
    "yarn-application",
    "namespace",
    "cluster-id",
    "session-resource",
    "aws-region",
    "cluster-type",
    "cluster",
    "resource-group",
];

/// The storage key of the change the plan with canonical link `link` is for.
pub fn key(link: &str) -> String {
    let mut identity = String::new();
    for pair in link.split('&') {
        let name = pair.split_once('=').map_or(pair, |(k, _)| k);
        if IDENTITY.contains(&name) {
            identity.push_str(pair);
            identity.push('&');
        }
    }
    format!("{PREFIX}{}", hash(&identity))
}

/// Where earlier versions kept the progress of `link`: under the hash of
/// the whole link. Read once and moved to [`key`].
pub fn legacy_key(link: &str) -> String {
    format!("{PREFIX}{}", hash(link))
}

/// The version of the progress fragment.
const FRAGMENT_VERSION: &str = "1";

/// `progress=1:prepare.install,cutover.1.stop.1`: ticked step ids for a link
/// (readable; ids are percent-encoded if they need it).
pub fn fragment(done: &BTreeSet<String>) -> String {
    let ids: Vec<String> = done
        .iter()
        .map(|id| encode_value(id).replace(',', "%2C"))
        .collect();
    format!("progress={FRAGMENT_VERSION}:{}", ids.join(","))
}

/// The step ids of a `#progress=…` fragment (with or without `#`), or why
/// it cannot be read. `Ok(None)`: the fragment carries no progress.
pub fn parse_fragment(text: &str) -> Result<Option<BTreeSet<String>>, String> {
    let text = text.trim().trim_start_matches('#');
    let Some(value) = text.strip_prefix("progress=") else {
        return Ok(None);
    };
    let Some((version, ids)) = value.split_once(':') else {
        return Err("the link's progress has no version (progress=1:…)".into());
    };
    if version != FRAGMENT_VERSION {
        return Err(format!(
            "the link's progress is in format {version}, which this version of Waymark does not read"
        ));
    }
    let mut done = BTreeSet::new();
    for id in ids.split(',').filter(|i| !i.is_empty()) {
        let id =
            decode_value(id).map_err(|e| format!("the link's progress has a bad step id: {e}"))?;
        if id.chars().any(char::is_control) {
            return Err("the link's progress has a step id with a control character".into());
        }
        done.insert(id);
    }
    Ok(Some(done))
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

/// Removes what is stored under `key`.
pub fn forget(key: &str) {
    if let Some(s) = local() {
        let _ = s.remove_item(key);
    }
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
        assert!(key("a=1").starts_with(PREFIX));
    }

    #[test]
    fn the_key_is_the_change_not_every_detail_of_the_scenario() {
        let a = "v=1&platform=flink&from=1.17&to=1.20&uids=all&job1.name=orders";
        let same_change =
            "v=1&platform=flink&from=1.17&to=1.20&uids=some&job1.name=orders-v2&job2.id=x";
        assert_eq!(key(a), key(same_change));
        for other in [
            "v=1&platform=flink&from=1.17&to=2.0&uids=all",
            "v=1&platform=flink&from=1.17&to=1.20&old-home=/srv/flink",
            "v=1&platform=flink&from=1.17&to=1.20&deployment=operator",
            "v=1&platform=hdinsight&from=4.0&to=5.1&cluster=a",
        ] {
            assert_ne!(key(a), key(other), "{other}");
        }
        assert_ne!(
            key("platform=hdinsight&cluster=a&from=4.0&to=5.1"),
            key("platform=hdinsight&cluster=b&from=4.0&to=5.1")
        );
        // `from=1` is not `from=1.17`.
        assert_ne!(key("from=1&to=.17"), key("from=1.&to=17"));
    }

    #[test]
    fn progress_travels_in_a_readable_versioned_fragment() {
        let done: BTreeSet<String> = ["prepare.install", "cutover.1.stop.1", "odd id,x"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let f = fragment(&done);
        assert!(f.starts_with("progress=1:"), "{f}");
        assert!(f.contains("cutover.1.stop.1"), "readable: {f}");
        assert_eq!(parse_fragment(&format!("#{f}")), Ok(Some(done)));
        assert_eq!(parse_fragment("#plan"), Ok(None));
        assert_eq!(parse_fragment(""), Ok(None));
        assert_eq!(parse_fragment("progress=1:"), Ok(Some(BTreeSet::new())));
        for bad in [
            "progress=2:a",
            "progress=a,b",
            "progress=1:%zz",
            "progress=1:a%0Ab",
        ] {
            assert!(parse_fragment(bad).is_err(), "{bad}");
        }
    }
}
