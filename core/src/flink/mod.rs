//! Apache Flink: moving stateful jobs to a newer Flink through savepoints.
//!
//! - [`versions`]: releases, dates, Java minimums.
//! - [`matrix`]: which savepoints resume on which lines.
//! - [`rules`]: hop exclusions, preconditions and caveats.
//! - [`cli`]: the `flink` command syntax of each version.
//! - [`route`]: the fewest-hop path through stops.
//! - [`runbook`]: the phases and steps.

pub mod cli;
pub mod config_file;
pub mod crossings;
pub mod deployment;
pub mod filesystems;
pub mod form;
pub mod matrix;
pub mod operations;
pub mod route;
pub mod rules;
pub mod runbook;
pub mod scenario;
pub mod sources;
pub mod targets;
pub mod versions;

pub use scenario::Scenario;

use crate::plan::{Plan, Severity, Verdict};

/// When the Flink facts were last checked against their sources.
pub const FACTS_CHECKED: &str = "2026-11-20";

pub fn plan(s: &Scenario) -> Plan {
    // A standalone session names its strategy; every other target its own
    // label (it has no strategy to choose).
    let how = if s.deployment == deployment::Deployment::StandaloneSession {
        s.strategy.label().to_ascii_lowercase()
    } else {
        s.deployment.label().to_string()
    };
    let title = if s.from.same_line(s.to) && s.from.patch.is_none_or(|_| s.to >= s.from) {
        format!("Flink {} → {}, {how} within one release line", s.from, s.to)
    } else if s.to < s.from {
        format!("Flink {} → {} (a downgrade)", s.from, s.to)
    } else {
        format!("Flink {} → {}, {how}", s.from, s.to)
    };
    let link = s.to_link();
    let path = match route::route(s) {
        Ok(path) => path,
        Err(blockers) => {
            let mut findings = blockers;
            findings.extend(
                rules::findings(s, &[s.from, s.to])
                    .into_iter()
                    .filter(|f| f.severity == Severity::Blocker),
            );
            return Plan {
                platform: "flink",
                title,
                verdict: Verdict::Blocked,
                summary: format!("There is no safe way to move these jobs' state from Flink {} to {}. See the blockers for why and what to do.", s.from, s.to),
                path: vec![s.from.to_string(), s.to.to_string()],
                facts_checked: FACTS_CHECKED,
                findings,
                phases: Vec::new(),
                variables: Vec::new(),
                link,
                frame: crate::plan::Frame::default(),
            };
        }
    };

    let ctx = runbook::Context::new(s, &path);
    let frame = runbook::frame(&ctx);
    let mut findings = Vec::new();
    findings.extend(route::why_stops(&path, s));
    findings.extend(rules::findings(s, &path));
    findings.extend(crossings::findings(s, &path));
    findings.extend(operations::findings(s, &path, frame.soak_days));
    findings.extend(targets::findings(s, &path));
    crate::plan::sort_by_severity(&mut findings);

    let blocked = findings.iter().any(|f| f.severity == Severity::Blocker);
    let verdict = if blocked {
        Verdict::Blocked
    } else if path.len() > 2 {
        Verdict::Stops
    } else {
        Verdict::Direct
    };
    let path_text: Vec<String> = path.iter().map(|v| v.to_string()).collect();
    let summary = match verdict {
        Verdict::Direct => format!(
            "Take a savepoint of each job on Flink {} and resume it on {}{}.",
            s.from,
            s.to,
            if s.deployment != deployment::Deployment::StandaloneSession { "" } else if s.strategy == super::flink::scenario::Strategy::ShadowCopy { " in a new cluster beside the old one" } else { " after replacing the cluster" }
        ),
        Verdict::Stops => format!(
            "No release reads these savepoints straight from {} to {}: go through {}, taking a new savepoint at each stop.",
            s.from,
            s.to,
            path_text[1..path_text.len() - 1].join(" and ")
        ),
        Verdict::Blocked => "A precondition blocks the upgrade. Resolve the blockers below; the runbook shows what the upgrade will look like once they are fixed.".into(),
    };
    let phases = runbook::phases(&ctx);
    Plan {
        platform: "flink",
        title,
        verdict,
        summary,
        path: path_text,
        facts_checked: FACTS_CHECKED,
        findings,
        phases,
        frame,
        variables: ctx.vars,
        link,
    }
}
