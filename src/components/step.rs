//! One step of the runbook.

use std::hash::{Hash, Hasher};

use leptos::prelude::*;
use leptos::task::spawn_local;
use waymark_core::plan::{Host, Step, VarIndex};
use waymark_core::render::check_note;

use crate::clipboard;
use crate::components::Sources;
use crate::context::Ctx;

/// Lines of code shown together: what they are (where they run, or what a
/// check shows), the lines, and notes under them.
pub struct Block {
    intro: Option<String>,
    /// The lines cannot be undone.
    irreversible: bool,
    lines: Vec<String>,
    /// The lines broken for paper, between words, with ` \` continuations.
    paper: Vec<String>,
    notes: Vec<String>,
}

/// Characters per line of a printed command: what fits a step's box on A4
/// and Letter at the print style's code size.
const PAPER_WIDTH: usize = 78;

/// A step's code: its commands, its checks and the files it shows
/// (manifests).
pub struct StepCode {
    commands: Vec<Block>,
    checks: Vec<Block>,
    files: Vec<Block>,
}

/// Groups a step's commands by host, as a person reads them, with an
/// irreversible command apart; one block per check. `vars` is the plan's
/// variable index, built once per plan rather than searched per command.
pub fn blocks(vars: &VarIndex<'_>, step: &Step) -> StepCode {
    let mut commands: Vec<Block> = Vec::new();
    let mut last: Option<(&Host, bool)> = None;
    for command in &step.commands {
        let key = (&command.host, command.irreversible);
        if last != Some(key) {
            let intro = match &command.host {
                Host::Local => None,
                Host::Ssh { description, .. } | Host::Elsewhere { description } => {
                    Some(format!("On {description}:"))
                }
            };
            commands.push(Block {
                intro,
                irreversible: command.irreversible,
                lines: Vec::new(),
                paper: Vec::new(),
                notes: Vec::new(),
            });
            last = Some(key);
        }
        if let Some(block) = commands.last_mut() {
            block.lines.push(command.display_in(vars));
            block
                .paper
                .extend(command.display_lines_in(vars, PAPER_WIDTH));
            block.notes.extend(command.notes(&|name| name.to_string()));
        }
    }
    let checks = step
        .checks
        .iter()
        .map(|check| Block {
            intro: Some(check.holds.clone()),
            irreversible: false,
            lines: vec![check.command.display_in(vars)],
            paper: check.command.display_lines_in(vars, PAPER_WIDTH),
            notes: check_note(check, &|text| format!("“{text}”"))
                .into_iter()
                .collect(),
        })
        .collect();
    let files = step
        .documents
        .iter()
        .map(|d| Block {
            intro: Some(d.name.clone()),
            irreversible: false,
            lines: vec![d.text.trim_end().to_string()],
            // A file is printed as it is: YAML does not wrap.
            paper: vec![d.text.trim_end().to_string()],
            notes: Vec::new(),
        })
        .collect();
    StepCode {
        commands,
        checks,
        files,
    }
}

/// A fingerprint of everything a step shows: the step (every field), the
/// values of the variables its commands and checks name (all that
/// [`blocks`] reads besides the step), its number and whether the plan is
/// blocked. The phase's keyed list rebuilds a step only when this changes.
pub fn fingerprint(vars: &VarIndex<'_>, step: &Step, number: &str, blocked: bool) -> u64 {
    let mut h = Fnv(0xcbf2_9ce4_8422_2325);
    step.hash(&mut h);
    number.hash(&mut h);
    blocked.hash(&mut h);
    for command in &step.commands {
        vars.hash_values(&command.words, &mut h);
    }
    for check in &step.checks {
        vars.hash_values(&check.command.words, &mut h);
    }
    h.finish()
}

/// 64-bit FNV-1a: small, no table, and the same on every run.
struct Fnv(u64);

impl Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// The text a Copy button copies: every line, with a `# …` comment for
/// what a block is and before what cannot be undone.
fn copy_text(blocks: &[Block]) -> String {
    let mut out = Vec::new();
    for b in blocks {
        if let Some(intro) = &b.intro {
            out.push(format!("# {intro}"));
        }
        if b.irreversible {
            out.push("# Cannot be undone.".to_string());
        }
        out.extend(b.lines.iter().cloned());
    }
    out.join("\n")
}

/// Code blocks under a label, with a Copy button: a step's commands or its
/// checks. `what` names them in the button's label and the announcement.
#[component]
fn CodeBlocks(
    blocks: Vec<Block>,
    label: &'static str,
    what: &'static str,
    title: String,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let text = copy_text(&blocks);
    let aria = format!("Copy {what}: {title}");
    // A command box that scrolls sideways is a labelled region in the Tab
    // order, so a keyboard can scroll it (axe scrollable-region-focusable);
    // each region's name is its own (axe landmark-unique).
    let count = blocks.len();
    let region_title = title.clone();
    let region = move |i: usize| {
        let title = &region_title;
        if count > 1 {
            format!("{label} {} of {count}: {title}", i + 1)
        } else {
            format!("{label}: {title}")
        }
    };
    let copy = move |_| {
        let text = text.clone();
        let title = title.clone();
        spawn_local(async move {
            match clipboard::copy(&text).await {
                Ok(()) => ctx.announce(format!("Copied the {what} of “{title}”")),
                Err(why) => ctx.announce(format!(
                    "Could not copy: {why}. Select the {what} and copy them."
                )),
            }
        });
    };
    view! {
        <div class="commands" data-testid=what>
            <div class="commands__bar">
                <span class="commands__label">{label}</span>
                <button type="button" class="button button--small copy" aria-label=aria on:click=copy>
                    "Copy"
                </button>
            </div>
            {blocks
                .into_iter()
                .enumerate()
                .map(|(i, b)| {
                    view! {
                        {b.intro.map(|h| view! { <p class="commands__intro">{h}</p> })}
                        {b.irreversible.then(|| view! { <p class="commands__warn">"Cannot be undone"</p> })}
                        <pre tabindex="0" role="region" aria-label=region(i) class="screen-only" class:commands__pre--irreversible=b.irreversible><code>{b.lines.join("\n")}</code></pre>
                        <pre class="print-only paper" class:commands__pre--irreversible=b.irreversible><code>{b.paper.join("\n")}</code></pre>
                        {b.notes.into_iter().map(|n| view! { <p class="commands__note">{n}</p> }).collect_view()}
                    }
                })
                .collect_view()}
        </div>
    }
}

/// A step: a checkbox named by its title, the detail, the commands and the
/// checks each with a Copy button, how to check it, what a person confirms,
/// what to do if it fails, and its sources.
#[component]
pub fn StepView(
    step: Step,
    /// The step's commands and checks (see [`blocks`]).
    code: StepCode,
    /// Position such as "2.3".
    number: String,
    /// The plan is blocked: the step is shown, not offered as a task.
    blocked: bool,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let check_id = format!("step-{}", step.id);
    // Its own signal: a tick elsewhere does not wake this step.
    let done = ctx.tick(&step.id);
    let on_change = {
        let id = step.id.clone();
        move |ev: leptos::ev::Event| {
            let on = event_target_checked(&ev);
            ctx.set_done(&id, on);
        }
    };
    let irreversible = code.commands.iter().any(|b| b.irreversible);
    // Two steps may share a title; with its number a step's regions and
    // buttons have names of their own.
    let numbered = format!("{number} {}", step.title);
    let StepCode {
        commands,
        checks,
        files,
    } = code;
    let files = (!files.is_empty()).then(|| {
        view! { <CodeBlocks blocks=files label="Files" what="files" title=numbered.clone() /> }
    });
    let commands = (!commands.is_empty()).then(|| {
        view! { <CodeBlocks blocks=commands label="Commands" what="commands" title=numbered.clone() /> }
    });
    let checks = (!checks.is_empty()).then(|| {
        view! { <CodeBlocks blocks=checks label="Checked by the script" what="checks" title=numbered.clone() /> }
    });
    let meta = view! {
        <dl class="step__meta">
            {(!step.verify.is_empty()).then(|| view! { <dt>"Check"</dt><dd>{step.verify.clone()}</dd> })}
            {(!step.confirm.is_empty()).then(|| view! { <dt>"A person confirms"</dt><dd data-testid="confirm">{step.confirm.clone()}</dd> })}
            {(!step.rollback.is_empty()).then(|| view! { <dt>"If it fails"</dt><dd>{step.rollback.clone()}</dd> })}
            {(!step.sources.is_empty()).then(|| view! { <dt>"Sources"</dt><dd><Sources sources=step.sources.clone() /></dd> })}
        </dl>
    };
    view! {
        <li class="step" class:step--done=done data-testid="step">
            <div class="step__head">
                {(!blocked).then(|| view! {
                    <input
                        type="checkbox"
                        class="step__check"
                        id=check_id.clone()
                        prop:checked=done
                        on:change=on_change
                    />
                })}
                <h4 class="step__title">
                    <span class="step__number">{number}</span>
                    " "
                    {if blocked {
                        view! { <span>{step.title.clone()}</span> }.into_any()
                    } else {
                        view! { <label for=check_id>{step.title.clone()}</label> }.into_any()
                    }}
                </h4>
                {blocked.then(|| view! { <span class="badge badge--bad">"Blocked: do not run"</span> })}
                {step.manual.then(|| view! { <span class="badge">"By hand"</span> })}
                {irreversible.then(|| view! { <span class="badge badge--bad">"Cannot be undone"</span> })}
            </div>
            <p class="step__detail">{step.detail.clone()}</p>
            {commands}
            {files}
            {checks}
            {meta}
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> std::sync::Arc<waymark_core::Plan> {
        let link = "platform=flink&from=1.17&to=1.20&job1.id=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa&job1.name=orders&job1.jar=/a.jar&job2.id=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb&job2.name=clicks&job2.jar=/b.jar";
        std::sync::Arc::new(waymark_core::plan_link(link).expect("plans"))
    }

    fn prints(plan: &waymark_core::Plan) -> Vec<(String, u64)> {
        let vars = plan.var_index();
        plan.steps()
            .map(|(_, s)| (s.id.clone(), fingerprint(&vars, s, "1.1", false)))
            .collect()
    }

    #[test]
    fn a_fingerprint_changes_with_what_a_step_shows_and_only_then() {
        let plan = plan();
        let before = prints(&plan);
        assert_eq!(
            before,
            prints(&plan),
            "the same plan, the same fingerprints"
        );
        let vars = plan.var_index();
        let step = plan
            .steps()
            .map(|(_, s)| s)
            .find(|s| !s.commands.is_empty())
            .expect("a step with commands");
        let base = fingerprint(&vars, step, "1.1", false);
        assert_ne!(base, fingerprint(&vars, step, "1.2", false), "the number");
        assert_ne!(base, fingerprint(&vars, step, "1.1", true), "blocked");
        let mut renamed = step.clone();
        renamed.title.push('!');
        assert_ne!(
            base,
            fingerprint(&vars, &renamed, "1.1", false),
            "the title"
        );
        let mut other = step.clone();
        other.commands[0].irreversible = !other.commands[0].irreversible;
        assert_ne!(base, fingerprint(&vars, &other, "1.1", false), "a command");
        // A job's new name changes the steps that show it, not every step.
        let renamed =
            waymark_core::plan_link(&plan.link.replace("job1.name=orders", "job1.name=orderz"))
                .expect("plans");
        let after = prints(&renamed);
        let changed: Vec<&String> = before
            .iter()
            .zip(&after)
            .filter(|(a, b)| a != b)
            .map(|(a, _)| &a.0)
            .collect();
        assert!(!changed.is_empty(), "the renamed job's steps change");
        assert!(
            changed.len() < before.len(),
            "not every step changes: {changed:?}"
        );
    }

    #[test]
    fn a_new_variable_value_changes_the_steps_whose_commands_show_it() {
        // The savepoint directory is a variable: the steps' words stay the
        // same, what they show does not.
        let link = |dir: &str| {
            format!("platform=flink&from=1.17&to=1.20&savepoint-dir={dir}&job1.id=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa&job1.name=orders&job1.jar=/a.jar")
        };
        let a = waymark_core::plan_link(&link("s3://one/sp")).expect("plans");
        let b = waymark_core::plan_link(&link("s3://two/sp")).expect("plans");
        let (va, vb) = (a.var_index(), b.var_index());
        let mut differ = 0;
        for ((_, sa), (_, sb)) in a.steps().zip(b.steps()) {
            let shown_a: Vec<String> = sa.commands.iter().map(|c| c.display_in(&va)).collect();
            let shown_b: Vec<String> = sb.commands.iter().map(|c| c.display_in(&vb)).collect();
            if shown_a != shown_b {
                differ += 1;
                assert_ne!(
                    fingerprint(&va, sa, "1.1", false),
                    fingerprint(&vb, sb, "1.1", false),
                    "{} shows another directory",
                    sa.id
                );
            }
        }
        assert!(differ > 0, "some command shows the savepoint directory");
    }

    #[test]
    fn copy_text_marks_other_hosts_and_what_cannot_be_undone() {
        let blocks = vec![
            Block {
                intro: None,
                irreversible: false,
                lines: vec!["a".into()],
                paper: vec!["a".into()],
                notes: vec![],
            },
            Block {
                intro: Some("On the head node:".into()),
                irreversible: true,
                lines: vec!["b".into(), "c".into()],
                paper: vec!["b".into(), "c".into()],
                notes: vec![],
            },
        ];
        assert_eq!(
            copy_text(&blocks),
            "a\n# On the head node:\n# Cannot be undone.\nb\nc"
        );
    }
}
