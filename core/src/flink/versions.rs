//! Flink releases: minor lines with their x.y.0 dates and minimum Java, and
//! the patch releases Waymark knows.
//!
//! Sources: the Flink release archive (dates), the Java compatibility page and
//! release notes (Java). See `../../../ARCHITECTURE.md` for how to add a release.

use crate::version::Version;

/// One minor line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Release {
    pub line: Version,
    /// The x.y.0 release date.
    pub date: &'static str,
    /// The lowest Java major version that runs it.
    pub min_java: u8,
    /// The newest patch number Waymark knows for this line.
    pub latest_patch: u16,
}

const fn r(major: u16, minor: u16, date: &'static str, min_java: u8, latest_patch: u16) -> Release {
    Release {
        line: Version::minor(major, minor),
        date,
        min_java,
        latest_patch,
    }
}

/// Every Flink minor line from 1.0 to the newest, oldest first.
pub const RELEASES: [Release; 25] = [
    r(1, 0, "2016-03-08", 7, 3),
    r(1, 1, "2016-08-08", 7, 5),
    r(1, 2, "2017-02-06", 7, 1),
    r(1, 3, "2017-06-01", 7, 3),
    r(1, 4, "2017-11-29", 8, 2),
    r(1, 5, "2018-05-25", 8, 6),
    r(1, 6, "2018-08-08", 8, 4),
    r(1, 7, "2018-11-30", 8, 2),
    r(1, 8, "2019-04-09", 8, 3),
    r(1, 9, "2019-08-22", 8, 3),
    r(1, 10, "2020-02-11", 8, 3),
    r(1, 11, "2020-07-06", 8, 6),
    r(1, 12, "2020-12-08", 8, 7),
    r(1, 13, "2021-04-30", 8, 6),
    r(1, 14, "2021-09-29", 8, 6),
    r(1, 15, "2022-05-05", 8, 4),
    r(1, 16, "2022-10-28", 8, 3),
    r(1, 17, "2023-03-23", 8, 2),
    r(1, 18, "2023-10-25", 8, 1),
    r(1, 19, "2024-03-18", 8, 3),
    r(1, 20, "2024-08-02", 8, 3),
    r(2, 0, "2025-03-24", 11, 1),
    r(2, 1, "2025-07-31", 11, 2),
    r(2, 2, "2025-12-04", 11, 1),
    r(2, 3, "2026-06-25", 11, 0),
];

/// All lines, oldest first.
pub fn all() -> impl Iterator<Item = &'static Release> {
    RELEASES.iter()
}

/// The newest line Waymark knows.
pub fn newest() -> Version {
    RELEASES[RELEASES.len() - 1].line
}

pub fn release(v: Version) -> Option<&'static Release> {
    all().find(|r| r.line.same_line(v))
}

/// Accepts a version of a known line whose patch (if given) exists.
pub fn check_known(v: Version) -> Result<Version, String> {
    let Some(rel) = release(v) else {
        let first = RELEASES[0].line;
        let last = newest();
        return Err(format!(
            "Flink {v} is not a release Waymark knows; it knows {first} to {last}"
        ));
    };
    match v.patch {
        Some(p) if p > rel.latest_patch => Err(format!(
            "Flink {v} is not a release Waymark knows; the newest {} release it knows is {}.{}",
            rel.line, rel.line, rel.latest_patch
        )),
        _ => Ok(v),
    }
}

/// The newest known patch release of `line`.
pub fn latest(line: Version) -> Version {
    let patch = release(line).map_or(0, |r| r.latest_patch);
    Version::patch(line.major, line.minor, patch)
}

/// The minor lines strictly between `a` and `b`, oldest first.
pub fn lines_between(a: Version, b: Version) -> impl Iterator<Item = Version> {
    all()
        .map(|r| r.line)
        .filter(move |l| l.cmp_line(a).is_gt() && l.cmp_line(b).is_lt())
}

pub fn min_java(v: Version) -> u8 {
    release(v).map_or(11, |r| r.min_java)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_sorted_unique_and_dated() {
        let lines: Vec<&Release> = all().collect();
        for pair in lines.windows(2) {
            assert!(
                pair[0].line < pair[1].line,
                "{:?} must come before {:?}",
                pair[0].line,
                pair[1].line
            );
            assert!(
                pair[0].date < pair[1].date,
                "release dates must rise with versions"
            );
        }
        for rel in &lines {
            assert_eq!(rel.date.len(), 10, "dates are YYYY-MM-DD");
            assert!(rel.line.patch.is_none());
        }
    }

    #[test]
    fn java_minimum_never_falls() {
        let lines: Vec<&Release> = all().collect();
        for pair in lines.windows(2) {
            assert!(pair[0].min_java <= pair[1].min_java);
        }
    }

    #[test]
    fn unknown_versions_are_named() {
        assert!(check_known(Version::minor(1, 17)).is_ok());
        assert!(check_known(Version::patch(1, 17, 2)).is_ok());
        let err = check_known(Version::minor(3, 0)).unwrap_err();
        assert!(err.contains("3.0") && err.contains("1.0") && err.contains("2.3"));
        let err = check_known(Version::patch(1, 17, 99)).unwrap_err();
        assert!(err.contains("1.17.2"), "{err}");
    }
}
