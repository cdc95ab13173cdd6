//! The plan side of the page.

use std::sync::Arc;

use leptos::prelude::*;
use waymark_core::plan::{Plan, Verdict as V};

use crate::components::phase::PhaseHead;
use crate::components::{
    Exports, Findings, FrameView, PhaseView, PrintHeader, ProgressBar, Verdict, WrapToggle,
};
use crate::context::{Ctx, Shown};

/// The plan: title, verdict, exports, change frame, findings, progress and
/// phases. While the scenario has problems it keeps the last good plan,
/// marked out of date.
#[component]
pub fn PlanView() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let announcement = Memo::new(move |_| {
        let problems = ctx.problems.with(Vec::len);
        if problems > 0 {
            let s = if problems == 1 { "" } else { "s" };
            return format!(
                "The scenario has {problems} problem{s}; the plan shown is out of date."
            );
        }
        ctx.shown.with(|s| {
            s.as_ref()
                .map(|s| verdict_sentence(&s.plan))
                .unwrap_or_default()
        })
    });
    // The body is built once per plan-or-none; it follows the plan itself.
    let has_plan = Memo::new(move |_| ctx.shown.with(Option::is_some));
    view! {
        <section class="plan" id="plan" aria-labelledby="plan-title" tabindex="-1">
            {move || match has_plan.get() {
                true => view! { <PlanBody /> }.into_any(),
                false => view! {
                    <h2 id="plan-title">"No plan yet"</h2>
                    <p class="note" data-testid="verdict">
                        "Fix the problems in the scenario to see the plan."
                    </p>
                }
                .into_any(),
            }}
            <p class="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="verdict-live">
                {announcement}
            </p>
        </section>
    }
}

/// What the live region says about a plan's verdict.
pub fn verdict_sentence(plan: &Plan) -> String {
    let route = plan.path.join(" → ");
    match plan.verdict {
        V::Direct => format!("Verdict: direct upgrade, {route}."),
        V::Stops => format!(
            "Verdict: {}, {route}.",
            stops_phrase(plan).to_ascii_lowercase()
        ),
        V::Blocked => "Verdict: blocked. See the blockers for what to do.".to_string(),
    }
}

/// "Through 1 stop", "Through 2 stops".
pub fn stops_phrase(plan: &Plan) -> String {
    let n = plan.path.len().saturating_sub(2);
    format!("Through {n} stop{}", if n == 1 { "" } else { "s" })
}

/// The plan's body. The parts above the runbook follow every new plan; the
/// phases are keyed lists (see [`PhaseView`]), so an edit patches only the
/// steps it changed and keeps the rest of the page as it is.
#[component]
fn PlanBody() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let stale = move || ctx.shown.with(|s| s.as_ref().is_some_and(|s| s.stale));
    let head = move || {
        ctx.shown.get().map(|Shown { plan, stale }| {
            view! {
                <h2 id="plan-title">{plan.title.clone()}</h2>
                {stale
                    .then(|| {
                        view! {
                            <p class="stale" data-testid="stale">
                                <strong>"Out of date. "</strong>
                                "This is the plan for the last valid scenario. Fix the problems in the form to update it."
                            </p>
                        }
                    })}
                <PrintHeader plan=Arc::clone(&plan) />
                <Verdict plan=Arc::clone(&plan) />
                <Exports plan=Arc::clone(&plan) stale />
                <FrameView plan=Arc::clone(&plan) />
                <Findings plan=Arc::clone(&plan) />
                <ProgressBar plan=Arc::clone(&plan) />
            }
        })
    };
    // The phases are rebuilt only when a heading or intro changes; each
    // phase's steps follow the plan by themselves.
    let heads = Memo::new(move |_| {
        ctx.shown.with(|s| {
            s.as_ref()
                .map(|s| PhaseHead::all(&s.plan))
                .unwrap_or_default()
        })
    });
    let phases = move || {
        heads
            .get()
            .into_iter()
            .map(|head| view! { <PhaseView head /> })
            .collect_view()
    };
    let facts = move || ctx.shown.with(|s| s.as_ref().map(|s| s.plan.facts_checked));
    view! {
        <div class="plan__body" class:plan__body--stale=stale>
            {head}
            <p class="plan__tools"><WrapToggle /></p>
            {phases}
            <p class="facts">
                "Rules checked against their sources on " {facts} ". "
                {waymark_core::plan::FACTS_SCOPE}
            </p>
        </div>
    }
}
