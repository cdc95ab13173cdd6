//! The progress counter.

use std::sync::Arc;

use leptos::prelude::*;
use waymark_core::Plan;

use crate::context::Ctx;

/// "5 of 23 steps done", a progress bar and "Reset progress". Progress is
/// stored per plan link, so it survives a reload. A plan with nothing to
/// tick (no steps, or blocked: its steps are shown but not offered as
/// tasks) has no counter.
#[component]
pub fn ProgressBar(plan: Arc<Plan>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let total = plan.steps().count();
    if total == 0 || plan.verdict == waymark_core::plan::Verdict::Blocked {
        return ().into_any();
    }
    let done = move || ctx.done.with(|d| d.len());
    let reset = move |_| {
        ctx.reset_progress();
        ctx.announce("Progress reset");
    };
    view! {
        <div class="progress" data-testid="progress">
            <p id="progress-text" class="progress__text">
                {move || format!("{} of {total} steps done", done())}
            </p>
            <progress max=total value=done aria-labelledby="progress-text"></progress>
            <button type="button" class="button button--quiet" on:click=reset disabled=move || done() == 0>
                "Reset progress"
            </button>
        </div>
    }
    .into_any()
}
