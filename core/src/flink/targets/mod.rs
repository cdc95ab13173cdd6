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
