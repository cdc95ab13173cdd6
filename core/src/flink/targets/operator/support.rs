//! Which Flink versions each Flink Kubernetes Operator release supports
//! (its docs' overview page, "Multiple Flink version support"), and which
//! it deprecates (the `FlinkVersion` enum's notes).

use crate::plan::{finding, Finding, Severity};
use crate::version::Version;

use super::super::super::sources;

/// Operator minor line → the Flink lines its docs list.
pub const SUPPORT: [(u16, &[(u16, u16)]); 14] = [
    (0, &[(1, 13), (1, 14), (1, 15)]),
    (3, &[(1, 13), (1, 14), (1, 15), (1, 16)]),
    (4, &[(1, 13), (1, 14), (1, 15), (1, 16)]),
    (5, &[(1, 13), (1, 14), (1, 15), (1, 16)]),
    (6, &[(1, 13), (1, 14), (1, 15), (1, 16), (1, 17)]),
    (7, &[(1, 15), (1, 16), (1, 17), (1, 18)]),
    (8, &[(1, 15), (1, 16), (1, 17), (1, 18)]),
    (9, &[(1, 15), (1, 16), (1, 17), (1, 18)]),
    (10, &[(1, 16), (1, 17), (1, 18), (1, 19)]),
    (11, &[(1, 16), (1, 17), (1, 18), (1, 19), (1, 20)]),
    (12, &[(1, 16), (1, 17), (1, 18), (1, 19), (1, 20)]),
    (13, &[(1, 17), (1, 18), (1, 19), (1, 20), (2, 0), (2, 1)]),
    (14, &[(1, 17), (1, 18), (1, 19), (1, 20), (2, 0), (2, 1)]),
    (15, &[(1, 19), (1, 20), (2, 0), (2, 1), (2, 2)]),
];

/// The oldest operator release this plan drives: `FlinkStateSnapshot` and
/// `status.jobStatus.upgradeSavepointPath` came in 1.10.
pub const OLDEST: Version = Version::patch(1, 10, 0);

/// The Flink lines `op`'s docs list, or `None` for a release newer than the
/// table.
pub fn supported(op: Version) -> Option<&'static [(u16, u16)]> {
    SUPPORT
        .iter()
        .find(|(minor, _)| op.major == 1 && op.minor == *minor)
        .map(|(_, list)| *list)
}

/// The operator release that deprecated Flink line `v`, if any.
pub fn deprecated_since(v: Version) -> Option<u16> {
    match (v.major, v.minor) {
        (1, 13) | (1, 14) => Some(7),
        (1, 15) => Some(10),
        (1, 16) => Some(11),
        (1, 17) | (1, 18) => Some(13),
        _ => None,
    }
}

/// Blockers for an operator too old or too new for a version on the route
/// (the old version included: it runs until the cutover and after a
/// rollback), warnings for versions it deprecates.
pub fn findings(op: Version, path: &[Version]) -> Vec<Finding> {
    let mut out = Vec::new();
    if op < OLDEST {
        out.push(finding(
            Severity::Blocker,
            "operator.too-old-for-plan",
            format!("Operator {op} is older than the releases this plan drives"),
            format!("Waymark plans the operator from {OLDEST}: the runbook takes its pre-upgrade savepoint with a FlinkStateSnapshot and reads the upgrade savepoint from status.jobStatus.upgradeSavepointPath, both new in 1.10.0 (before, status.jobStatus.savepointInfo)."),
            "Upgrade the operator first (replace its CRDs, then helm upgrade), to a release that supports the Flink versions on the route, then plan again.",
            &[sources::OP_SNAPSHOTS, sources::OP_REFERENCE],
        ));
    }
    let mut lines: Vec<Version> = path.iter().map(|v| v.line()).collect();
    lines.dedup();
    let Some(list) = supported(op) else {
        if op < OLDEST {
            return out;
        }
        out.push(finding(
            Severity::Warning,
            "operator.unknown-release",
            format!("Operator {op} is newer than Waymark's table"),
            "Waymark knows the Flink versions of operator releases up to 1.15. This one may have dropped old Flink versions or added new ones.",
            "Check the Flink versions it supports in its docs' overview page before the window.",
            &[sources::OP_OVERVIEW],
        ));
        return out;
    };
    let listed = |v: Version| list.iter().any(|&(a, b)| v.major == a && v.minor == b);
    let names: Vec<String> = list.iter().map(|(a, b)| format!("{a}.{b}")).collect();
    for &v in &lines {
        if !listed(v) {
            let too = if list.iter().all(|&(a, b)| Version::minor(a, b) > v) {
                "too new"
            } else {
                "too old"
            };
            out.push(finding(
                Severity::Blocker,
                "operator.unsupported-version",
                format!("Operator {op} does not support Flink {v}"),
                format!("The route runs Flink {v} under this operator, which is {too} for it: operator {}.{} supports Flink {}.", op.major, op.minor, names.join(", ")),
                "Upgrade (or downgrade) the operator to a release that supports every version on the route, or plan the move in two changes, with an operator upgrade between them.",
                &[sources::OP_OVERVIEW, sources::OP_FLINK_VERSION],
            ));
        } else if deprecated_since(v).is_some_and(|d| op.minor >= d) {
            out.push(finding(
                Severity::Warning,
                "operator.deprecated-version",
                format!("Operator {op} deprecates Flink {v}"),
                format!("Flink {v} is deprecated in the operator since {}.{}: the next releases drop it.", 1, deprecated_since(v).unwrap_or(0)),
                "Fine for this change; move off it before the next operator upgrade.",
                &[sources::OP_FLINK_VERSION],
            ));
        }
    }
    out
}
