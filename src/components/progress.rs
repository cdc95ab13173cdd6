//! The progress counter: how many steps are ticked, ticks an edit left
//! behind, progress a link brought, and the link that carries it on.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use waymark_core::Plan;

use crate::context::{Ctx, Shared};
use crate::{clipboard, storage, url};

/// "5 of 23 steps done", a progress bar, "Copy link with progress" and
/// "Reset progress". Progress is stored per change (see `storage`), so it
/// survives a reload and edits that keep the change. A plan with nothing to
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
    let link = plan.link.clone();
    let copy = move |_| {
        let ticked = ctx.done.get_untracked();
        let n = ticked.len();
        let text = format!("{}#{}", url::plan_url(&link), storage::fragment(&ticked));
        spawn_local(async move {
            match clipboard::copy(&text).await {
                Ok(()) => ctx.announce(format!(
                    "Copied the link to this plan with its {n} ticked steps"
                )),
                Err(why) => ctx.announce(format!("Could not copy: {why}.")),
            }
        });
    };
    let missing = move || {
        let n = ctx.missing.get();
        (n > 0).then(|| {
            let steps = if n == 1 { "step is" } else { "steps are" };
            view! {
                <p class="progress__note" data-testid="progress-missing">
                    {format!("{n} ticked {steps} not in this plan any more; they come back if the scenario does. Reset progress forgets them.")}
                </p>
            }
        })
    };
    view! {
        <div class="progress" data-testid="progress">
            <p id="progress-text" class="progress__text">
                {move || format!("{} of {total} steps done", done())}
            </p>
            <progress max=total value=done aria-labelledby="progress-text"></progress>
            <button type="button" class="button button--quiet" on:click=copy disabled=move || done() == 0>
                "Copy link with progress"
            </button>
            <button type="button" class="button button--quiet" on:click=reset disabled=move || done() == 0 && ctx.missing.get() == 0>
                "Reset progress"
            </button>
        </div>
        {missing}
        <SharedProgress />
    }
    .into_any()
}

/// The question when a link brings progress that differs from this
/// browser's: nothing is replaced until the person chooses.
#[component]
fn SharedProgress() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    move || {
        match ctx.shared.get() {
        None => ().into_any(),
        Some(Shared::Unreadable(why)) => view! {
            <p class="progress__note" role="alert" data-testid="shared-progress">
                {format!("The link's progress could not be read ({why}); the plan opened without it.")}
            </p>
        }
        .into_any(),
        Some(Shared::Differs(ids)) => {
            let theirs = ids.len();
            let mine = ctx.done.with_untracked(|d| d.len());
            view! {
                <div class="progress__shared" role="alert" data-testid="shared-progress">
                    <p>
                        {format!("This link carries progress: {theirs} ticked steps. This browser has its own for this plan: {mine} ticked. Which should the page show?")}
                    </p>
                    <button type="button" class="button" on:click=move |_| {
                        ctx.settle_shared(true);
                        ctx.announce("Showing the link's progress");
                    }>"Use the link's progress"</button>
                    <button type="button" class="button button--quiet" on:click=move |_| {
                        ctx.settle_shared(false);
                        ctx.announce("Kept this browser's progress");
                    }>"Keep this browser's"</button>
                </div>
            }
            .into_any()
        }
    }
    }
}
