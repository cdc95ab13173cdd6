//! The route: which versions a job's state passes through.
//!
//! Candidate stops are the newest patch release of every line strictly
//! between source and target (on Amazon Managed Flink: its runtimes). A hop is allowed when the compatibility rules
//! say the savepoint restores and no [`super::rules::HopRule`] forbids it for
//! the scenario's jobs. The route has the fewest hops; among those, each stop
//! is the newest that works, which leaves the most room for the next hop.

use crate::plan::{Finding, Severity};
use crate::version::Version;

use super::matrix::{self, Compat};
use super::rules;
use super::scenario::Scenario;
use super::versions;

/// Why a hop is not allowed, if it is not.
pub fn hop_problem(created: Version, resumed: Version, s: &Scenario) -> Option<String> {
    let (compat, why, _) = matrix::compat(created, resumed);
    if compat == Compat::No {
        return Some(why.to_string());
    }
    let blocking = rules::blocking_rules(created, resumed, s);
    if blocking.is_empty() {
        None
    } else {
        Some(blocking.iter().map(|r| r.why).collect::<Vec<_>>().join(" "))
    }
}

/// The route from `s.from` to `s.to`, or blocker findings.
pub fn route(s: &Scenario) -> Result<Vec<Version>, Vec<Finding>> {
    let (from, to) = (s.from, s.to);
    // A move within one release line (new hardware, a patch upgrade) is
    // direct: patch releases share the savepoint format.
    if from.same_line(to) && !(from.patch.is_some() && to.patch.is_some() && to < from) {
        if let Some(v) = s.via.first() {
            return Err(vec![via_blocker(
                format!("`via` has {v}, but {from} and {to} are one release line: there is nothing to stop at."),
                s,
            )]);
        }
        return Ok(vec![from, to]);
    }
    if to < from {
        return Err(vec![blocker(
            "flink.downgrade",
            format!("Flink {to} is older than {from}"),
            "Savepoints never resume on an older Flink: downgrades are not supported.".into(),
            "Pick a target newer than the source. To go back after an upgrade, resume from a savepoint taken on the older version (the runbook's rollback phase).".into(),
            s,
        )]);
    }
    if !s.via.is_empty() {
        return chosen_route(s);
    }

    let mut nodes = vec![from];
    nodes.extend(
        versions::lines_between(from, to)
            .filter(|l| super::targets::may_stop(s, *l))
            .map(|l| super::targets::stop_at(s, l)),
    );
    nodes.push(to);
    let n = nodes.len();
    let allowed = |i: usize, j: usize| hop_problem(nodes[i], nodes[j], s).is_none();

    // Fewest hops from each node to the target, computed backwards.
    let mut hops: Vec<Option<usize>> = vec![None; n];
    hops[n - 1] = Some(0);
    for i in (0..n - 1).rev() {
        hops[i] = (i + 1..n)
            .filter(|&j| allowed(i, j))
            .filter_map(|j| hops[j].map(|h| h + 1))
            .min();
    }
    let Some(mut left) = hops[0] else {
        let why = hop_problem(from, to, s).unwrap_or_default();
        return Err(vec![blocker(
            "flink.no-route",
            format!("No savepoint route from Flink {from} to {to}"),
            format!("{why} No intermediate release avoids this for the jobs described."),
            no_route_action(s),
            s,
        )]);
    };

    // Walk forward, taking the newest node that keeps the hop count minimal.
    let mut path = vec![from];
    let mut at = 0;
    while at != n - 1 {
        let next = (at + 1..n)
            .rev()
            .find(|&j| allowed(at, j) && hops[j] == Some(left - 1))
            .unwrap_or(n - 1);
        path.push(nodes[next]);
        at = next;
        left = left.saturating_sub(1);
    }
    Ok(path)
}

/// The route through the stops the operator chose: each stop lies between
/// source and target, and every hop is allowed. A bare minor stops at its
/// newest patch.
fn chosen_route(s: &Scenario) -> Result<Vec<Version>, Vec<Finding>> {
    let mut path = vec![s.from];
    for &v in &s.via {
        if v.cmp_line(s.from).is_le() || v.cmp_line(s.to).is_ge() {
            return Err(vec![via_blocker(
                format!("The stop {v} is not between {} and {}: each stop must be a release line after the source and before the target.", s.from, s.to),
                s,
            )]);
        }
        path.push(if v.patch.is_some() {
            v
        } else {
            super::targets::stop_at(s, v)
        });
    }
    path.push(s.to);
    for w in path.windows(2) {
        if let Some(why) = hop_problem(w[0], w[1], s) {
            return Err(vec![via_blocker(
                format!("The hop {} → {} is not allowed: {why}", w[0], w[1]),
                s,
            )]);
        }
    }
    Ok(path)
}

fn via_blocker(detail: String, s: &Scenario) -> Finding {
    blocker(
        "flink.via",
        "The chosen stops do not make a route".into(),
        detail,
        "Change or remove `via`; without it the planner picks the stops.".into(),
        s,
    )
}

fn no_route_action(s: &Scenario) -> String {
    if s.from.cmp_line(Version::minor(1, 1)).is_lt() {
        "No later release reads 1.0 savepoints. Start the jobs on the new version without state, or rebuild the state from its sources.".into()
    } else {
        let fixes: Vec<&str> = rules::hop_rules()
            .filter(|r| {
                s.uses(r.feature)
                    && rules::blocking_rules(s.from, s.to, s)
                        .iter()
                        .any(|b| b.code == r.code)
            })
            .map(|r| r.action)
            .collect();
        if fixes.is_empty() {
            "Choose another target version, or start the jobs on the new version without state."
                .into()
        } else {
            format!("{} Or choose another target version.", fixes.join(" "))
        }
    }
}

fn blocker(
    code: &'static str,
    title: String,
    detail: String,
    action: String,
    _s: &Scenario,
) -> Finding {
    Finding {
        severity: Severity::Blocker,
        code,
        title,
        detail,
        action,
        sources: vec![super::sources::UPGRADING, super::sources::MATRIX_1_18],
    }
}

/// Explains each stop: why the hop it replaces was not taken.
pub fn why_stops(path: &[Version], s: &Scenario) -> Option<Finding> {
    if path.len() <= 2 {
        return None;
    }
    let (from, to) = (path[0], path[path.len() - 1]);
    let stops: Vec<String> = path[1..path.len() - 1]
        .iter()
        .map(|v| v.to_string())
        .collect();
    Some(Finding {
        severity: Severity::Info,
        code: "flink.stops",
        title: format!("Stop{} at {}", if stops.len() == 1 { "" } else { "s" }, stops.join(" and ")),
        detail: match hop_problem(from, to, s) {
            Some(why) => format!("{from} cannot go straight to {to}: {why}"),
            None => format!("{from} could go straight to {to}; these are the stops chosen in `via`."),
        },
        action: "Each stop is its own hop: install that release, resume the jobs there, and take a new savepoint before the next hop. The newest patch of each stop line is chosen, which avoids known-bad early patches.".into(),
        sources: vec![super::sources::MATRIX_1_18, super::sources::UPGRADING],
    })
}
