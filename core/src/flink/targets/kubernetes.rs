//! TODO(issue 9): this target's runbook. Until it is built,
//! `Deployment::planned` is false for it and a link naming it is a problem.

use crate::plan::{Finding, Frame, Phase};
use crate::version::Version;

use super::super::runbook::Context;
use super::super::scenario::Scenario;

pub fn phases(_c: &Context<'_>) -> Vec<Phase> {
    Vec::new()
}

pub fn variables(_c: &mut Context<'_>) {}

pub fn findings(_s: &Scenario, _path: &[Version]) -> Vec<Finding> {
    Vec::new()
}

pub fn frame(_c: &Context<'_>) -> Option<Frame> {
    None
}
