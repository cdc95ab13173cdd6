//! Findings about running the change rather than about state: what a
//! rollback depends on, output produced twice, and job ids that change.

use crate::plan::{finding, Finding, Severity};
use crate::version::Version;

use super::deployment::Deployment;
use super::scenario::Scenario;
use super::sources;

/// The findings for this scenario's path; `soak_days` is the plan's soak.
pub fn findings(s: &Scenario, path: &[Version], soak_days: u32) -> Vec<Finding> {
    let mut out = Vec::new();
    if s.deployment == Deployment::StandaloneSession {
        out.push(finding(
            Severity::Info,
            "flink.standalone-session",
            "For standalone session clusters",
            "This runbook drives a standalone session cluster: bin/start-cluster.sh and bin/stop-cluster.sh on its hosts, and jobs submitted with flink run.",
            "If the jobs run elsewhere (a standalone application cluster, YARN, native Kubernetes, the Flink Kubernetes Operator or Amazon Managed Flink), choose that deployment: its runbook uses the target's own commands.",
            &[sources::CLI, sources::UPGRADING],
        ));
    }
    if s.jobs.is_empty() || path.len() < 2 {
        return out;
    }
    out.push(finding(
        Severity::Warning,
        "flink.rollback-depends",
        "The rollback replays from the cutover's savepoints",
        format!(
            "A rollback resumes each job on Flink {} from the savepoint taken at the start of the cutover. It works only while the sources still hold the data from that moment (Kafka retention, for one), so their retention must cover the cutover plus the {soak_days}-day soak. Output since the savepoints is produced again: non-transactional sinks receive it twice, and what the new version committed to external systems stays committed.",
            path[0]
        ),
        "Before the window, check each source's retention against the cutover plus the soak, and agree how the downstream systems treat output produced twice (idempotent writes, or a known replay window). The pre-flight asks for this.",
        &[sources::UPGRADING, sources::SAVEPOINTS],
    ));
    if path[..path.len() - 1]
        .iter()
        .any(|v| v.cmp_line(Version::minor(1, 9)).is_lt())
    {
        out.push(finding(
            Severity::Warning,
            "flink.cancel-with-savepoint",
            "Before 1.9 a savepoint and a stop are two events",
            "Releases before 1.9 stop a job with a savepoint through `flink cancel -s` (or a savepoint, then a cancel): sinks may still write records processed after the savepoint, and the resumed job writes them again.",
            "Expect duplicates from the last moments before each stop on these releases, unless the sinks are idempotent or transactional; pause the producers first if the downstream systems cannot take them.",
            &[sources::CLI, sources::release_notes(1, 9)],
        ));
    }
    out.push(finding(
        Severity::Info,
        "flink.job-ids-change",
        "Every resumed job gets a new id",
        "A job resumed from a savepoint is a new job with a new id. Dashboards, alerts and scripts keyed on the old id stop matching; the script keeps the new ids in its state file.",
        "Key dashboards and alerts on the job name, or update them with the new ids after the verify phase.",
        &[sources::CLI],
    ));
    out
}
