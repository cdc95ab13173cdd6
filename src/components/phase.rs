//! One phase of the runbook.

use std::sync::Arc;

use leptos::prelude::*;
use waymark_core::plan::{Phase, PhaseId, Plan};

use crate::components::step::blocks;
use crate::components::StepView;

/// A phase (prepare, pre-flight, cutover, verify, rollback, decommission):
/// its intro and its steps. Pre-flight is marked as only reading, the
/// decommission as irreversible.
#[component]
pub fn PhaseView(
    plan: Arc<Plan>,
    phase: Phase,
    /// 1-based position, for step numbers such as "2.3".
    number: usize,
) -> impl IntoView {
    let vars = plan.var_index();
    // A blocked plan shows what the runbook would be, never as tasks to tick.
    let blocked = plan.verdict == waymark_core::plan::Verdict::Blocked;
    let heading_id = format!("phase-{}", phase.id.as_str());
    let labelled_by = heading_id.clone();
    let steps = phase
        .steps
        .into_iter()
        .enumerate()
        .map(|(i, step)| {
            let label = format!("{number}.{}", i + 1);
            let code = blocks(&vars, &step);
            view! { <StepView step code number=label blocked /> }
        })
        .collect_view();
    let badge = match phase.id {
        PhaseId::Preflight => Some(("badge", "Only reads")),
        PhaseId::Decommission => Some(("badge badge--bad", "Cannot be undone")),
        _ => None,
    };
    view! {
        <section class=format!("phase phase--{}", phase.id.as_str()) aria-labelledby=labelled_by>
            <h3 id=heading_id class="phase__title">
                {format!("{number}. {}", phase.title)}
                {badge.map(|(class, text)| view! { " " <span class=class>{text}</span> })}
            </h3>
            {(!phase.intro.is_empty()).then(|| view! { <p class="phase__intro">{phase.intro}</p> })}
            <ol class="steps">{steps}</ol>
        </section>
    }
}
