//! What paper needs that the screen shows elsewhere: the link that reopens
//! the plan, when it was printed and how far it had got, and the scenario's
//! values. Shown only in print.

use std::sync::Arc;

use leptos::prelude::*;
use waymark_core::plan::{Plan, Value};

use crate::context::Ctx;

/// `2026-12-04 21:07 UTC`, from the browser's clock.
fn now_text() -> String {
    let iso = String::from(js_sys::Date::new_0().to_iso_string());
    match (iso.get(..10), iso.get(11..16)) {
        (Some(day), Some(time)) => format!("{day} {time} UTC"),
        _ => iso,
    }
}

#[component]
pub fn PrintHeader(plan: Arc<Plan>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let link = crate::url::plan_url(&plan.link);
    let printed = RwSignal::new(now_text());
    let handle = window_event_listener_untyped("beforeprint", move |_| printed.set(now_text()));
    on_cleanup(move || handle.remove());
    let steps = plan.phases.iter().map(|p| p.steps.len()).sum::<usize>();
    let progress = move || {
        let done = ctx.done.with(|d| d.len());
        if done == 0 {
            String::new()
        } else {
            format!(" · {done} of {steps} steps ticked when printed")
        }
    };
    let values = plan
        .variables
        .iter()
        .filter_map(|v| {
            let value = match &v.value {
                Value::Text(t) => t.clone(),
                Value::List(items) => items.join(" "),
                Value::Secret | Value::Captured => return None,
            };
            Some(view! { <dt>{v.description.clone()}</dt><dd><code>{value}</code></dd> })
        })
        .collect_view();
    view! {
        <section class="print-only print-header" data-testid="print-header">
            <p class="print-header__link">
                <strong>"Reopen this plan: "</strong>
                <span data-testid="print-link">{link}</span>
            </p>
            <p>"Printed " {move || printed.get()} {progress}</p>
            <dl class="print-header__values">{values}</dl>
        </section>
    }
}
