//! One phase of the runbook.

use std::sync::Arc;

use leptos::prelude::*;
use waymark_core::plan::{Phase, Plan};

use crate::components::step::blocks;
use crate::components::StepView;

/// A phase (prepare, cutover, verify, rollback): its intro and its steps.
#[component]
pub fn PhaseView(
    plan: Arc<Plan>,
    phase: Phase,
    /// 1-based position, for step numbers such as "2.3".
    number: usize,
) -> impl IntoView {
    let vars = plan.var_index();
    let heading_id = format!("phase-{}", phase.id.as_str());
    let labelled_by = heading_id.clone();
    let steps = phase
        .steps
        .into_iter()
        .enumerate()
        .map(|(i, step)| {
            let label = format!("{number}.{}", i + 1);
            let blocks = blocks(&vars, &step);
            view! { <StepView step blocks number=label /> }
        })
        .collect_view();
    view! {
        <section class="phase" aria-labelledby=labelled_by>
            <h3 id=heading_id>{format!("{number}. {}", phase.title)}</h3>
            {(!phase.intro.is_empty()).then(|| view! { <p class="phase__intro">{phase.intro}</p> })}
            <ol class="steps">{steps}</ol>
        </section>
    }
}
