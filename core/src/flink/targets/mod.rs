//! The runbooks of the deployment targets other than the standalone session
//! (which `runbook/` builds): each target's phases in its own commands, with
//! the version rules of the planner (route, stops, caveats) unchanged, and
//! the findings that say what differs from the standalone procedure.
//!
//! | target | file |
//! |---|---|
//! | standalone application | `standalone_application.rs` |
//! | YARN session, per-job, application | `yarn.rs` |
//! | native Kubernetes session, application | `kubernetes.rs` |
//! | Flink Kubernetes Operator | `operator.rs` |
//! | Amazon Managed Service for Apache Flink | `managed.rs` |

mod kube;
mod kubernetes;
mod managed;
mod operator;
mod standalone_application;
mod yarn;

use crate::plan::{Finding, Frame, Phase};
use crate::version::Version;

use super::deployment::Deployment;
use super::runbook::Context;
use super::scenario::Scenario;

/// The phases of a target other than the standalone session.
pub fn phases(c: &Context<'_>) -> Vec<Phase> {
    match c.s.deployment {
        Deployment::StandaloneSession => Vec::new(),
        Deployment::StandaloneApplication => standalone_application::phases(c),
        Deployment::YarnSession | Deployment::YarnPerJob | Deployment::YarnApplication => {
            yarn::phases(c)
        }
        Deployment::KubernetesSession | Deployment::KubernetesApplication => kubernetes::phases(c),
        Deployment::Operator | Deployment::OperatorSession => operator::phases(c),
        Deployment::AmazonManaged => managed::phases(c),
    }
}

/// The target's change frame (go/no-go, abort criteria, estimates, soak);
/// `None` keeps the standalone session's.
pub fn frame(c: &Context<'_>) -> Option<Frame> {
    match c.s.deployment {
        Deployment::StandaloneSession => None,
        Deployment::StandaloneApplication => standalone_application::frame(c),
        Deployment::YarnSession | Deployment::YarnPerJob | Deployment::YarnApplication => {
            yarn::frame(c)
        }
        Deployment::KubernetesSession | Deployment::KubernetesApplication => kubernetes::frame(c),
        Deployment::Operator | Deployment::OperatorSession => operator::frame(c),
        Deployment::AmazonManaged => managed::frame(c),
    }
}

/// The target's own variables, added after the common ones.
pub fn variables(c: &mut Context<'_>) {
    match c.s.deployment {
        Deployment::StandaloneSession => {}
        Deployment::StandaloneApplication => standalone_application::variables(c),
        Deployment::YarnSession | Deployment::YarnPerJob | Deployment::YarnApplication => {
            yarn::variables(c)
        }
        Deployment::KubernetesSession | Deployment::KubernetesApplication => {
            kubernetes::variables(c)
        }
        Deployment::Operator | Deployment::OperatorSession => operator::variables(c),
        Deployment::AmazonManaged => managed::variables(c),
    }
}

/// What the target changes about the plan: how it differs from the
/// standalone procedure, and blockers such as an operator release that does
/// not support a version on the route.
pub fn findings(s: &Scenario, path: &[Version]) -> Vec<Finding> {
    match s.deployment {
        Deployment::StandaloneSession => Vec::new(),
        Deployment::StandaloneApplication => standalone_application::findings(s, path),
        Deployment::YarnSession | Deployment::YarnPerJob | Deployment::YarnApplication => {
            yarn::findings(s, path)
        }
        Deployment::KubernetesSession | Deployment::KubernetesApplication => {
            kubernetes::findings(s, path)
        }
        Deployment::Operator | Deployment::OperatorSession => operator::findings(s, path),
        Deployment::AmazonManaged => managed::findings(s, path),
    }
}

/// Whether the target's own findings replace the general finding `code`
/// (advice about a Flink installation of one's own, which a managed
/// service does not have).
pub fn replaces(s: &Scenario, code: &str) -> bool {
    match s.deployment {
        Deployment::AmazonManaged => managed::REPLACED.contains(&code),
        _ => false,
    }
}

/// Whether a route may stop at `line` on this target: Amazon Managed Flink
/// stops only at its runtimes.
pub fn may_stop(s: &Scenario, line: Version) -> bool {
    match s.deployment {
        Deployment::AmazonManaged => managed::is_runtime(line),
        _ => true,
    }
}

/// The version a route stops at on `line`: its newest patch, or the line
/// itself where the service picks the patch (Amazon Managed Flink).
pub fn stop_at(s: &Scenario, line: Version) -> Version {
    match s.deployment {
        Deployment::AmazonManaged => line.line(),
        _ => super::versions::latest(line),
    }
}

/// Problems with the keys a target reads differently from the standalone
/// session, reported while the scenario is read.
pub fn check_keys(
    r: &mut crate::link::Reader<'_>,
    d: Deployment,
    savepoint_dir: bool,
    jobs: &[super::scenario::Job],
) {
    if d == Deployment::AmazonManaged {
        managed::check_keys(r, savepoint_dir, jobs);
    }
}

/// The plan's summary where the target's procedure is not the standalone
/// session's savepoint, stop and resume; `None` keeps the standard one.
pub fn summary(s: &Scenario, verdict: crate::plan::Verdict, path: &[Version]) -> Option<String> {
    match s.deployment {
        Deployment::AmazonManaged => managed::summary(verdict, path),
        _ => None,
    }
}

/// A job id of 32 hex digits derived from the job's old id and `tag` (the
/// hop, or the rollback): fixed by the plan, so the runbook shows it and a
/// rerun reuses it, and never the old id (whose result a JobResultStore may
/// still hold as globally terminated).
pub(crate) fn derived_job_id(old: &str, tag: &str) -> String {
    let fnv = |seed: u64| {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ seed;
        for b in "waymark|".bytes().chain(old.bytes()).chain(tag.bytes()) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        h
    };
    let id = format!("{:016x}{:016x}", fnv(0), fnv(0x9e37_79b9_7f4a_7c15));
    if id == old {
        derived_job_id(old, &format!("{tag}+"))
    } else {
        id
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn derived_job_ids_are_32_hex_digits_distinct_from_the_old_one() {
        let old = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
        let a = super::derived_job_id(old, "hop1");
        let b = super::derived_job_id(old, "hop2");
        let r = super::derived_job_id(old, "rollback");
        for id in [&a, &b, &r] {
            assert_eq!(id.len(), 32);
            assert!(id
                .bytes()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
            assert_ne!(id, old);
        }
        assert!(a != b && b != r && a != r);
        assert_eq!(a, super::derived_job_id(old, "hop1"));
    }
}
