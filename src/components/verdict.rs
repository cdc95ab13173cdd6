//! The verdict banner.

use std::sync::Arc;

use leptos::prelude::*;
use waymark_core::plan::{Plan, Verdict as V};

use crate::components::plan::stops_phrase;

/// "Direct upgrade", "Through 1 stop", "Blocked".
pub fn verdict_headline(plan: &Plan) -> String {
    match plan.verdict {
        V::Direct => "Direct upgrade".to_string(),
        V::Stops => stops_phrase(plan),
        V::Blocked => "Blocked".to_string(),
    }
}

/// Direct, through stops (with the route), or blocked (with each blocker's
/// what-to-do).
#[component]
pub fn Verdict(plan: Arc<Plan>) -> impl IntoView {
    let class = match plan.verdict {
        V::Direct => "verdict verdict--direct",
        V::Stops => "verdict verdict--stops",
        V::Blocked => "verdict verdict--blocked",
    };
    let headline = verdict_headline(&plan);
    let route = (plan.verdict != V::Blocked && !plan.path.is_empty()).then(|| {
        let last = plan.path.len() - 1;
        let hops = plan
            .path
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let class = if i == 0 || i == last {
                    "route__end"
                } else {
                    "route__stop"
                };
                view! {
                    {(i > 0).then_some(view! { <span class="route__arrow">" → "</span> })}
                    <span class=class>{v.clone()}</span>
                }
            })
            .collect_view();
        view! { <p class="route" data-testid="route">{hops}</p> }
    });
    let blockers: Vec<_> = plan.blockers().cloned().collect();
    let blockers = (!blockers.is_empty()).then(|| {
        view! {
            <ul class="blockers">
                {blockers
                    .into_iter()
                    .map(|b| {
                        view! {
                            <li>
                                <strong>{b.title}</strong>
                                " "
                                {b.detail}
                                <br />
                                <span class="label">"What to do: "</span>
                                {b.action}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    });
    view! {
        <div class=class data-testid="verdict">
            <p class="verdict__headline">{headline}</p>
            {route}
            <p class="verdict__summary">{plan.summary.clone()}</p>
            {blockers}
        </div>
    }
}
