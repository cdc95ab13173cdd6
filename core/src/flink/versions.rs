//! Flink releases: minor lines with their x.y.0 dates and minimum Java, and
//! the patch releases Waymark knows.
//!
//! Sources: the Flink release archive and release announcements (dates and
//! patch releases, cross-checked against the apache-flink packages on PyPI),
//! the Java compatibility page and release notes (Java; 2.x jars are built
//! for Java 11). See `../../../ARCHITECTURE.md` for how to add a release.

use crate::version::Version;

/// One minor line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Release {
    pub line: Version,
    /// The x.y.0 release date.
    pub date: &'static str,
    /// The lowest Java major version that runs it.
    pub min_java: u8,
    /// The patch releases of this line (not always contiguous: 1.14.1, for
    /// one, was never released).
    pub patches: &'static [u16],
}

impl Release {
    /// The newest patch number of this line.
    pub fn latest_patch(&self) -> u16 {
        self.patches.iter().copied().max().unwrap_or(0)
    }
}

const fn r(
    major: u16,
    minor: u16,
    date: &'static str,
    min_java: u8,
    patches: &'static [u16],
) -> Release {
    Release {
        line: Version::minor(major, minor),
        date,
        min_java,
        patches,
    }
}

/// Every Flink minor line from 1.0 to the newest, oldest first.
pub const RELEASES: [Release; 25] = [
    r(1, 0, "2016-03-08", 7, &[0, 1, 2, 3]),
    r(1, 1, "2016-08-08", 7, &[0, 1, 2, 3, 4, 5]),
    r(1, 2, "2017-02-06", 7, &[0, 1]),
    r(1, 3, "2017-06-01", 7, &[0, 1, 2, 3]),
    r(1, 4, "2017-11-29", 8, &[0, 1, 2]),
    r(1, 5, "2018-05-25", 8, &[0, 1, 2, 3, 4, 5, 6]),
    r(1, 6, "2018-08-08", 8, &[0, 1, 2, 3, 4]),
    r(1, 7, "2018-11-30", 8, &[0, 1, 2]),
    r(1, 8, "2019-04-09", 8, &[0, 1, 2, 3]),
    r(1, 9, "2019-08-22", 8, &[0, 1, 2, 3]),
    r(1, 10, "2020-02-11", 8, &[0, 1, 2, 3]),
    r(1, 11, "2020-07-06", 8, &[0, 1, 2, 3, 4, 6]),
    r(1, 12, "2020-12-08", 8, &[0, 1, 2, 3, 4, 5, 7]),
    r(1, 13, "2021-04-30", 8, &[0, 1, 2, 3, 5, 6]),
    r(1, 14, "2021-09-29", 8, &[0, 2, 3, 4, 5, 6]),
    r(1, 15, "2022-05-05", 8, &[0, 1, 2, 3, 4]),
    r(1, 16, "2022-10-28", 8, &[0, 1, 2, 3]),
    r(1, 17, "2023-03-23", 8, &[0, 1, 2]),
    r(1, 18, "2023-10-25", 8, &[0, 1]),
    r(1, 19, "2024-03-18", 8, &[0, 1, 2, 3]),
    r(1, 20, "2024-08-02", 8, &[0, 1, 2, 3, 4, 5]),
    r(2, 0, "2025-03-24", 11, &[0, 1, 2]),
    r(2, 1, "2025-07-31", 11, &[0, 1, 2, 3]),
    r(2, 2, "2025-12-04", 11, &[0, 1]),
    r(2, 3, "2026-06-25", 11, &[0]),
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
        Some(p) if !rel.patches.contains(&p) => {
            let known: Vec<String> = rel
                .patches
                .iter()
                .map(|p| format!("{}.{p}", rel.line))
                .collect();
            Err(format!(
                "Flink {v} was never released; the {} releases are {}",
                rel.line,
                known.join(", ")
            ))
        }
        _ => Ok(v),
    }
}

/// The newest known patch release of `line`.
pub fn latest(line: Version) -> Version {
    let patch = release(line).map_or(0, Release::latest_patch);
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

/// The Java versions to build and run `v` with, per the Java compatibility
/// page: 11 from 1.10, Java 8 deprecated from 1.15, 17 from 1.18, and 17
/// the default of 2.x (11 its minimum).
pub fn recommended_java(v: Version) -> &'static str {
    let line = |a, b| v.cmp_line(Version::minor(a, b)).is_lt();
    if line(1, 10) {
        "Java 8"
    } else if line(1, 15) {
        "Java 8 or 11"
    } else if line(1, 18) {
        "Java 11 (Java 8 is deprecated from 1.15)"
    } else if line(2, 0) {
        "Java 11 or 17 (Java 8 is deprecated)"
    } else {
        "Java 17 (Java 11 at least)"
    }
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
            assert_eq!(
                rel.patches.first(),
                Some(&0),
                "every line starts with x.y.0"
            );
            assert!(
                rel.patches.windows(2).all(|w| w[0] < w[1]),
                "patches are sorted and unique"
            );
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
        // 1.14.1 was skipped: it is not a release even though 1.14.2 is.
        assert!(check_known(Version::patch(1, 14, 1)).is_err());
        assert!(check_known(Version::patch(1, 14, 2)).is_ok());
    }
}
