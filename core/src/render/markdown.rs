//! The runbook in Markdown: findings, then phases whose steps are `- [ ]`
//! task items with their commands, checks and sources.

use std::fmt::Write;

use crate::plan::{Host, Plan, Severity, Step, VarIndex};
use crate::source::Source;

pub fn render(plan: &Plan) -> String {
    let vars = plan.var_index();
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", plan.title);
    let _ = writeln!(
        out,
        "**Verdict: {}.** {}\n",
        verdict_word(plan),
        plan.summary
    );
    let _ = writeln!(out, "- Path: {}", plan.path.join(" → "));
    let _ = writeln!(out, "- Facts checked: {}", plan.facts_checked);
    let _ = writeln!(out, "- Scenario link: `?{}`\n", plan.link);

    if !plan.findings.is_empty() {
        out.push_str("## Findings\n\n");
        for f in &plan.findings {
            let _ = writeln!(
                out,
                "- **{}: {}** {}",
                severity_word(f.severity),
                f.title,
                f.detail
            );
            if !f.action.is_empty() {
                let _ = writeln!(out, "  *What to do:* {}", f.action);
            }
            if !f.sources.is_empty() {
                let _ = writeln!(out, "  Sources: {}", sources(&f.sources));
            }
        }
        out.push('\n');
    }

    for (n, phase) in plan.phases.iter().enumerate() {
        let _ = writeln!(out, "## {}. {}\n", n + 1, phase.title);
        if !phase.intro.is_empty() {
            let _ = writeln!(out, "{}\n", phase.intro);
        }
        for (m, step) in phase.steps.iter().enumerate() {
            write_step(&mut out, &vars, &format!("{}.{}", n + 1, m + 1), step);
        }
    }
    out
}

fn write_step(out: &mut String, vars: &VarIndex<'_>, number: &str, step: &Step) {
    let manual = if step.manual { " *(by hand)*" } else { "" };
    let _ = writeln!(out, "- [ ] **{number} {}**{manual}", step.title);
    if !step.detail.is_empty() {
        let _ = writeln!(out, "  {}", step.detail.replace('\n', "\n  "));
    }
    let mut last_host: Option<&Host> = None;
    for command in &step.commands {
        if last_host != Some(&command.host) {
            match &command.host {
                Host::Local => {}
                Host::Ssh { description, .. } | Host::Elsewhere { description } => {
                    let _ = writeln!(out, "\n  On {description}:");
                }
            }
            last_host = Some(&command.host);
        }
        let text = command.display_in(vars);
        let fence = if text.contains("```") { "````" } else { "```" };
        let _ = writeln!(
            out,
            "\n  {fence}sh\n  {}\n  {fence}",
            text.replace('\n', "\n  ")
        );
        for note in command.notes(&|name| format!("`{name}`")) {
            let _ = writeln!(out, "  {note}");
        }
    }
    if !step.verify.is_empty() {
        let _ = writeln!(out, "\n  *Check:* {}", step.verify);
    }
    if !step.rollback.is_empty() {
        let _ = writeln!(out, "  *If it fails:* {}", step.rollback);
    }
    if !step.sources.is_empty() {
        let _ = writeln!(out, "  *Sources:* {}", sources(&step.sources));
    }
    out.push('\n');
}

fn sources(list: &[Source]) -> String {
    list.iter()
        .map(|s| format!("[{}]({})", s.title, s.url))
        .collect::<Vec<_>>()
        .join(", ")
}

fn verdict_word(plan: &Plan) -> String {
    match plan.verdict {
        crate::plan::Verdict::Direct => "direct".into(),
        crate::plan::Verdict::Stops => {
            let stops = plan.path.len().saturating_sub(2);
            format!("through {stops} stop{}", if stops == 1 { "" } else { "s" })
        }
        crate::plan::Verdict::Blocked => "blocked".into(),
    }
}

fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Blocker => "Blocker",
        Severity::Warning => "Warning",
        Severity::Info => "Note",
    }
}
