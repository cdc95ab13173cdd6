//! Savepoint compatibility: can a savepoint created with one Flink line be
//! resumed with another?
//!
//! Encoded as rules over ranges rather than a copied table; the test in
//! `tests/flink_matrix.rs` checks every cell from 1.1 to 1.20 against the
//! table in the Flink docs.

use crate::source::Source;
use crate::version::Version;

use super::sources;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compat {
    /// Marked compatible in the Flink docs' table.
    Yes,
    /// Not compatible.
    No,
    /// The Flink docs say compatibility is not guaranteed (1.x to 2.x).
    NotGuaranteed,
    /// No official statement either way (between 2.x lines).
    Unverified,
}

/// One rule: savepoints created with lines in `created` resume with lines up
/// to and including `newest_resume` (never older than the creating line).
pub struct Rule {
    pub created: (Version, Version),
    pub newest_resume: Version,
    pub why: &'static str,
    pub source: Source,
}

const fn v(major: u16, minor: u16) -> Version {
    Version::minor(major, minor)
}

/// Within 1.x, in order. A line not covered here resumes only with itself.
pub const RULES_1X: [Rule; 4] = [
    Rule {
        created: (v(1, 0), v(1, 0)),
        newest_resume: v(1, 0),
        why: "Flink 1.1 added a savepoint version header and rejects 1.0 savepoints (\"magic number mismatch\").",
        source: sources::MAGIC_NUMBER_1_0,
    },
    Rule {
        created: (v(1, 1), v(1, 1)),
        newest_resume: v(1, 3),
        why: "Flink 1.4 removed compatibility with 1.1 savepoints (FLINK-7461).",
        source: sources::MATRIX_1_18,
    },
    Rule {
        created: (v(1, 2), v(1, 7)),
        newest_resume: v(1, 16),
        why: "Flink 1.17 dropped support for savepoints taken before 1.8 (FLINK-29807).",
        source: sources::FLINK_29807,
    },
    Rule {
        created: (v(1, 8), v(1, 20)),
        newest_resume: v(1, 20),
        why: "Savepoints from 1.8 and later resume on every later 1.x release.",
        source: sources::UPGRADING,
    },
];

/// The compatibility of two minor lines, with the reason and its source.
pub fn compat(created: Version, resumed: Version) -> (Compat, &'static str, Source) {
    let created = created.line();
    let resumed = resumed.line();
    if resumed < created {
        return (
            Compat::No,
            "Savepoints never resume on an older Flink: downgrades are not supported.",
            sources::UPGRADING,
        );
    }
    if created.major == 1 && resumed.major == 1 {
        for rule in &RULES_1X {
            if created >= rule.created.0 && created <= rule.created.1 {
                let ok = resumed <= rule.newest_resume;
                return (
                    if ok { Compat::Yes } else { Compat::No },
                    rule.why,
                    rule.source,
                );
            }
        }
        return (
            Compat::No,
            "This line is not in the Flink compatibility table.",
            sources::MATRIX_1_18,
        );
    }
    if created.major == 1 && resumed.major == 2 && created < v(1, 8) {
        return (
            Compat::No,
            "Savepoints from before 1.8 are unsupported from 1.17 on (FLINK-29807), and so on every 2.x release.",
            sources::FLINK_29807,
        );
    }
    if created.major == 1 && resumed.major == 2 {
        return (
            Compat::NotGuaranteed,
            "The Flink 2.0 release notes say state compatibility is not guaranteed between 1.x and 2.x.",
            sources::release_notes(2, 0),
        );
    }
    if created == resumed {
        return (Compat::Yes, "Same minor line.", sources::UPGRADING);
    }
    (
        Compat::Unverified,
        "The Flink docs have no compatibility table for 2.x yet; no release note says 2.x savepoints break on a later 2.x.",
        sources::UPGRADING,
    )
}

/// A shorthand for the planner: may this hop be taken at all?
pub fn usable(created: Version, resumed: Version) -> bool {
    !matches!(compat(created, resumed).0, Compat::No)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_cover_1_0_to_1_20_without_overlap() {
        let mut covered = Vec::new();
        for rule in &RULES_1X {
            assert!(rule.created.0 <= rule.created.1);
            assert!(
                rule.newest_resume >= rule.created.1,
                "a line always resumes with itself"
            );
            for minor in rule.created.0.minor..=rule.created.1.minor {
                assert!(!covered.contains(&minor), "1.{minor} is covered twice");
                covered.push(minor);
            }
        }
        assert_eq!(covered, (0..=20).collect::<Vec<u16>>());
    }

    #[test]
    fn downgrades_are_never_compatible() {
        for a in super::super::versions::all() {
            for b in super::super::versions::all() {
                if b.line < a.line {
                    assert_eq!(
                        compat(a.line, b.line).0,
                        Compat::No,
                        "{} -> {}",
                        a.line,
                        b.line
                    );
                }
            }
        }
    }

    #[test]
    fn one_x_to_two_x_is_not_guaranteed() {
        assert_eq!(compat(v(1, 20), v(2, 0)).0, Compat::NotGuaranteed);
        assert_eq!(compat(v(2, 0), v(2, 3)).0, Compat::Unverified);
        assert_eq!(compat(v(2, 1), v(2, 1)).0, Compat::Yes);
    }
}
