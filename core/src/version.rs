//! Version numbers as people write them: `1.17` (a minor line) or `1.17.2`
//! (a patch release).

use std::cmp::Ordering;
use std::fmt;

/// `major.minor` with an optional `.patch`.
///
/// Ordering compares `major.minor` first; a bare minor sorts before any of
/// its patch releases (`1.17 < 1.17.0 < 1.17.1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Version {
    pub major: u16,
    pub minor: u16,
    pub patch: Option<u16>,
}

impl Version {
    pub const fn minor(major: u16, minor: u16) -> Self {
        Version {
            major,
            minor,
            patch: None,
        }
    }

    pub const fn patch(major: u16, minor: u16, patch: u16) -> Self {
        Version {
            major,
            minor,
            patch: Some(patch),
        }
    }

    /// The minor line this version belongs to (`1.17.2` -> `1.17`).
    pub const fn line(self) -> Version {
        Version::minor(self.major, self.minor)
    }

    /// The same minor line?
    pub fn same_line(self, other: Version) -> bool {
        self.major == other.major && self.minor == other.minor
    }

    /// Parses `1.17` or `1.17.2`. Returns a message saying what is wrong.
    pub fn parse(text: &str) -> Result<Version, String> {
        let parts: Vec<&str> = text.trim().split('.').collect();
        if !(2..=3).contains(&parts.len()) {
            return Err(format!(
                "`{text}` is not a version: write major.minor (like 1.17) or major.minor.patch (like 1.17.2)"
            ));
        }
        let mut nums = [0u16; 3];
        for (i, part) in parts.iter().enumerate() {
            if part.is_empty() || part.len() > 4 || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!(
                    "`{text}` is not a version: each part must be a number (like 1.17 or 1.17.2)"
                ));
            }
            nums[i] = part
                .parse()
                .map_err(|_| format!("`{text}` is not a version"))?;
        }
        Ok(Version {
            major: nums[0],
            minor: nums[1],
            patch: (parts.len() == 3).then_some(nums[2]),
        })
    }

    /// Compares only the minor lines.
    pub fn cmp_line(self, other: Version) -> Ordering {
        (self.major, self.minor).cmp(&(other.major, other.minor))
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        (
            self.major,
            self.minor,
            self.patch.map(i32::from).unwrap_or(-1),
        )
            .cmp(&(
                other.major,
                other.minor,
                other.patch.map(i32::from).unwrap_or(-1),
            ))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.patch {
            Some(p) => write!(f, "{}.{}.{}", self.major, self.minor, p),
            None => write!(f, "{}.{}", self.major, self.minor),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_minor_and_patch() {
        assert_eq!(Version::parse("1.17"), Ok(Version::minor(1, 17)));
        assert_eq!(Version::parse("1.17.2"), Ok(Version::patch(1, 17, 2)));
        assert_eq!(Version::parse(" 2.0 "), Ok(Version::minor(2, 0)));
    }

    #[test]
    fn rejects_what_is_not_a_version() {
        for bad in [
            "", "1", "1.", ".1", "1.x", "1.2.3.4", "v1.2", "1.-2", "99999.1", "1.2 .3",
        ] {
            assert!(Version::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn orders_lines_then_patches() {
        let mut v = [
            Version::patch(1, 17, 1),
            Version::minor(1, 9),
            Version::minor(1, 17),
            Version::patch(1, 17, 0),
            Version::minor(2, 0),
        ];
        v.sort();
        let shown: Vec<String> = v.iter().map(|v| v.to_string()).collect();
        assert_eq!(shown, ["1.9", "1.17", "1.17.0", "1.17.1", "2.0"]);
    }
}
