//! Findings, grouped by severity.

use std::sync::Arc;

use leptos::prelude::*;
use waymark_core::plan::{Finding, Plan, Severity};

use crate::components::Sources;

/// Blockers, then warnings, then notes, each finding with why, what to do
/// and its sources.
#[component]
pub fn Findings(plan: Arc<Plan>) -> impl IntoView {
    if plan.findings.is_empty() {
        return ().into_any();
    }
    let groups = [
        (Severity::Blocker, "Blockers"),
        (Severity::Warning, "Warnings"),
        (Severity::Info, "Notes"),
    ]
    .into_iter()
    .filter_map(|(sev, title)| {
        let list: Vec<Finding> = plan.findings.iter().filter(|f| f.severity == sev).cloned().collect();
        (!list.is_empty()).then(|| {
            let heading = format!("{title} ({})", list.len());
            view! {
                <div class=format!("findings__group findings__group--{}", sev.as_str())>
                    <h4>{heading}</h4>
                    <ul class="findings__list">
                        {list.into_iter().map(|f| view! { <FindingItem finding=f /> }).collect_view()}
                    </ul>
                </div>
            }
        })
    })
    .collect_view();
    view! {
        <section class="findings" aria-labelledby="findings-title" data-testid="findings">
            <h3 id="findings-title">"Findings"</h3>
            {groups}
        </section>
    }
    .into_any()
}

#[component]
fn FindingItem(finding: Finding) -> impl IntoView {
    let class = format!("finding finding--{}", finding.severity.as_str());
    view! {
        <li class=class>
            <p class="finding__title">{finding.title}</p>
            <p>{finding.detail}</p>
            {(!finding.action.is_empty())
                .then(|| view! { <p><span class="label">"What to do: "</span>{finding.action}</p> })}
            <Sources sources=finding.sources />
        </li>
    }
}
