//! One step of the runbook.

use leptos::prelude::*;
use leptos::task::spawn_local;
use waymark_core::plan::{Host, Step, VarIndex};

use crate::clipboard;
use crate::components::Sources;
use crate::context::Ctx;

/// A commands block: where it runs and the lines (with capture notes).
pub struct Block {
    host: Option<String>,
    lines: Vec<String>,
    notes: Vec<String>,
}

/// Groups a step's commands by host, as a person reads them. `vars` is the
/// plan's variable index, built once per plan rather than searched per command.
pub fn blocks(vars: &VarIndex<'_>, step: &Step) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut last: Option<&Host> = None;
    for command in &step.commands {
        if last != Some(&command.host) || out.is_empty() {
            let host = match &command.host {
                Host::Local => None,
                Host::Ssh { description, .. } | Host::Elsewhere { description } => {
                    Some(description.clone())
                }
            };
            out.push(Block {
                host,
                lines: Vec::new(),
                notes: Vec::new(),
            });
            last = Some(&command.host);
        }
        let block = out.last_mut().expect("pushed above");
        block.lines.push(command.display_in(vars));
        block.notes.extend(command.notes(&|name| name.to_string()));
    }
    out
}

/// The text the Copy button copies: every command, with `# On …:` comments
/// where a block runs elsewhere.
fn copy_text(blocks: &[Block]) -> String {
    let mut out = Vec::new();
    for b in blocks {
        if let Some(host) = &b.host {
            out.push(format!("# On {host}:"));
        }
        out.extend(b.lines.iter().cloned());
    }
    out.join("\n")
}

/// A step: a checkbox named by its title, the detail, the commands with a
/// Copy button, how to check it, what to do if it fails, and its sources.
#[component]
pub fn StepView(
    step: Step,
    /// The step's commands, grouped by host (see [`blocks`]).
    blocks: Vec<Block>,
    /// Position such as "2.3".
    number: String,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let check_id = format!("step-{}", step.id);
    let done = {
        let id = step.id.clone();
        move || ctx.done.with(|d| d.contains(&id))
    };
    let done_class = done.clone();
    let on_change = {
        let id = step.id.clone();
        move |ev: leptos::ev::Event| {
            let on = event_target_checked(&ev);
            ctx.set_done(&id, on);
        }
    };
    let commands = (!blocks.is_empty()).then(|| {
        let text = copy_text(&blocks);
        let title = step.title.clone();
        let copy = move |_| {
            let text = text.clone();
            let title = title.clone();
            spawn_local(async move {
                match clipboard::copy(&text).await {
                    Ok(()) => ctx.announce(format!("Copied the commands of “{title}”")),
                    Err(why) => ctx.announce(format!("Could not copy: {why}. Select the commands and copy them.")),
                }
            });
        };
        let aria = format!("Copy commands: {}", step.title);
        view! {
            <div class="commands">
                <div class="commands__bar">
                    <span class="commands__label">"Commands"</span>
                    <button type="button" class="button button--small copy" aria-label=aria on:click=copy>
                        "Copy"
                    </button>
                </div>
                {blocks
                    .into_iter()
                    .map(|b| {
                        view! {
                            {b.host.map(|h| view! { <p class="commands__host">{format!("On {h}:")}</p> })}
                            <pre><code>{b.lines.join("\n")}</code></pre>
                            {b.notes.into_iter().map(|n| view! { <p class="commands__note">{n}</p> }).collect_view()}
                        }
                    })
                    .collect_view()}
            </div>
        }
    });
    let meta = view! {
        <dl class="step__meta">
            {(!step.verify.is_empty()).then(|| view! { <dt>"Check"</dt><dd>{step.verify.clone()}</dd> })}
            {(!step.rollback.is_empty()).then(|| view! { <dt>"If it fails"</dt><dd>{step.rollback.clone()}</dd> })}
            {(!step.sources.is_empty()).then(|| view! { <dt>"Sources"</dt><dd><Sources sources=step.sources.clone() /></dd> })}
        </dl>
    };
    view! {
        <li class="step" class:step--done=done_class data-testid="step">
            <div class="step__head">
                <input
                    type="checkbox"
                    class="step__check"
                    id=check_id.clone()
                    prop:checked=done
                    on:change=on_change
                />
                <h4 class="step__title">
                    <span class="step__number">{number}</span>
                    " "
                    <label for=check_id>{step.title.clone()}</label>
                </h4>
                {step.manual.then(|| view! { <span class="badge">"By hand"</span> })}
            </div>
            <p class="step__detail">{step.detail.clone()}</p>
            {commands}
            {meta}
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_text_marks_other_hosts() {
        let blocks = vec![
            Block {
                host: None,
                lines: vec!["a".into()],
                notes: vec![],
            },
            Block {
                host: Some("the head node".into()),
                lines: vec!["b".into(), "c".into()],
                notes: vec![],
            },
        ];
        assert_eq!(copy_text(&blocks), "a\n# On the head node:\nb\nc");
    }
}
