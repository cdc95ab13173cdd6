//! The JSON document: the plan with every command as copy-paste text.

use serde::Serialize;

use crate::plan::{Finding, Phase, Plan, Step, VarIndex, Variable, Verdict};
use crate::source::Source;

/// The JSON format version; bump it when a field changes meaning.
pub const JSON_VERSION: u32 = 1;

#[derive(Serialize)]
struct Doc<'a> {
    waymark: u32,
    platform: &'a str,
    title: &'a str,
    verdict: Verdict,
    summary: &'a str,
    path: &'a [String],
    facts_checked: &'a str,
    link: &'a str,
    findings: &'a [Finding],
    phases: Vec<PhaseDoc<'a>>,
    variables: &'a [Variable],
}

#[derive(Serialize)]
struct PhaseDoc<'a> {
    id: &'a str,
    title: &'a str,
    intro: &'a str,
    steps: Vec<StepDoc<'a>>,
}

#[derive(Serialize)]
struct StepDoc<'a> {
    id: &'a str,
    title: &'a str,
    detail: &'a str,
    commands: Vec<String>,
    verify: &'a str,
    rollback: &'a str,
    manual: bool,
    sources: &'a [Source],
}

pub fn render(plan: &Plan) -> String {
    let vars = plan.var_index();
    let doc = Doc {
        waymark: JSON_VERSION,
        platform: plan.platform,
        title: &plan.title,
        verdict: plan.verdict,
        summary: &plan.summary,
        path: &plan.path,
        facts_checked: plan.facts_checked,
        link: &plan.link,
        findings: &plan.findings,
        phases: plan.phases.iter().map(|p| phase(&vars, p)).collect(),
        variables: &plan.variables,
    };
    let mut out =
        serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    out.push('\n');
    out
}

fn phase<'a>(vars: &VarIndex<'_>, p: &'a Phase) -> PhaseDoc<'a> {
    PhaseDoc {
        id: p.id.as_str(),
        title: &p.title,
        intro: &p.intro,
        steps: p.steps.iter().map(|s| step(vars, s)).collect(),
    }
}

fn step<'a>(vars: &VarIndex<'_>, s: &'a Step) -> StepDoc<'a> {
    StepDoc {
        id: &s.id,
        title: &s.title,
        detail: &s.detail,
        commands: s.commands.iter().map(|c| c.display_in(vars)).collect(),
        verify: &s.verify,
        rollback: &s.rollback,
        manual: s.manual,
        sources: &s.sources,
    }
}
