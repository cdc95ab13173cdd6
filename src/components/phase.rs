//! One phase of the runbook.

use std::collections::BTreeSet;
use std::sync::Arc;

use leptos::prelude::*;
use waymark_core::plan::{PhaseId, Plan, Verdict};

use crate::components::step::{blocks, fingerprint, StepCode};
use crate::components::StepView;
use crate::context::Ctx;

/// What a phase shows above its steps. It is the phase's key in the plan's
/// list: a phase is rebuilt only when its heading or intro changes, and its
/// steps follow the plan on their own.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PhaseHead {
    id: PhaseId,
    /// 1-based position, for step numbers such as "2.3".
    number: usize,
    title: String,
    intro: String,
}

impl PhaseHead {
    pub fn all(plan: &Plan) -> Vec<PhaseHead> {
        plan.phases
            .iter()
            .enumerate()
            .map(|(i, p)| PhaseHead {
                id: p.id,
                number: i + 1,
                title: p.title.clone(),
                intro: p.intro.clone(),
            })
            .collect()
    }
}

/// A step's key in its phase's list: its id and a fingerprint of all it
/// shows, so a step is rebuilt only when what it shows changed.
type StepKey = (String, u64);

/// A step as the phase's keyed list holds it; `code` is rendered only for a
/// key the list did not have.
struct StepItem {
    key: StepKey,
    code: Option<StepCode>,
    plan: Arc<Plan>,
    phase: usize,
    step: usize,
    number: String,
    blocked: bool,
}

/// The steps of phase `head` in the shown plan; `shown` holds the keys on
/// the page and becomes this plan's.
fn step_items(plan: &Arc<Plan>, head: &PhaseHead, shown: &mut BTreeSet<StepKey>) -> Vec<StepItem> {
    let Some(phase) = plan.phases.iter().position(|p| p.id == head.id) else {
        return Vec::new();
    };
    let vars = plan.var_index();
    // A blocked plan shows what the runbook would be, never as tasks to tick.
    let blocked = plan.verdict == Verdict::Blocked;
    let mut now = BTreeSet::new();
    let items = plan.phases[phase]
        .steps
        .iter()
        .enumerate()
        .map(|(i, step)| {
            let number = format!("{}.{}", head.number, i + 1);
            let key = (step.id.clone(), fingerprint(&vars, step, &number, blocked));
            let code = (!shown.contains(&key)).then(|| blocks(&vars, step));
            now.insert(key.clone());
            StepItem {
                key,
                code,
                plan: Arc::clone(plan),
                phase,
                step: i,
                number,
                blocked,
            }
        })
        .collect();
    *shown = now;
    items
}

/// A phase (prepare, pre-flight, cutover, verify, rollback, decommission):
/// its intro and its steps. Pre-flight is marked as only reading, the
/// decommission as irreversible.
#[component]
pub fn PhaseView(head: PhaseHead) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let heading_id = format!("phase-{}", head.id.as_str());
    let labelled_by = heading_id.clone();
    let badge = match head.id {
        PhaseId::Preflight => Some(("badge", "Only reads")),
        PhaseId::Decommission => Some(("badge badge--bad", "Cannot be undone")),
        _ => None,
    };
    let class = format!("phase phase--{}", head.id.as_str());
    let title = format!("{}. {}", head.number, head.title);
    let intro = (!head.intro.is_empty())
        .then(|| view! { <p class="phase__intro">{head.intro.clone()}</p> });
    let on_page = StoredValue::new(BTreeSet::new());
    let steps = move || {
        ctx.shown.with(|s| {
            on_page
                .try_update_value(|keys| s.as_ref().map(|s| step_items(&s.plan, &head, keys)))
                .flatten()
                .unwrap_or_default()
        })
    };
    let step_view = |item: StepItem| {
        let step = item.plan.phases[item.phase].steps[item.step].clone();
        // The list makes a view only for a key it did not have, and
        // step_items rendered the code of those; this is a fallback only.
        let code = item
            .code
            .unwrap_or_else(|| blocks(&item.plan.var_index(), &step));
        view! { <StepView step code number=item.number blocked=item.blocked /> }
    };
    view! {
        <section class=class aria-labelledby=labelled_by>
            <h3 id=heading_id class="phase__title">
                {title}
                {badge.map(|(class, text)| view! { " " <span class=class>{text}</span> })}
            </h3>
            {intro}
            <ol class="steps">
                <For each=steps key=|item| item.key.clone() children=step_view />
            </ol>
        </section>
    }
}
