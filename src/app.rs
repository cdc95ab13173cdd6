//! The page: the scenario form beside the plan it produces.

use leptos::prelude::*;
use waymark_core::form;

use crate::components::{PlanView, ScenarioForm};
use crate::context::Ctx;
use crate::history::History;
use crate::state::Query;
use crate::url;

/// The app as served: reads the scenario from the address bar and keeps the
/// address bar in step with the form.
#[component]
pub fn App() -> impl IntoView {
    view! { <Planner initial=url::read_query() progress=url::read_fragment() sync_url=true /> }
}

/// The planner for scenario link `initial` (a query string; empty opens the
/// Flink example).
#[component]
pub fn Planner(
    /// The scenario's query string, with or without `?`.
    #[prop(into)]
    initial: String,
    /// The link's `#fragment`: `progress=1:…` brings ticked steps.
    #[prop(optional, into)]
    progress: String,
    /// Write each change back into the address bar.
    #[prop(optional)]
    sync_url: bool,
) -> impl IntoView {
    // A link that plans opens plan first on a phone; the first visit (the
    // example) and a link with problems open on the form.
    let from_link = !initial.trim().trim_start_matches('?').is_empty();
    let initial = if from_link {
        initial
    } else {
        form::form("flink").map(|f| f.example).unwrap_or_default()
    };
    let ctx = Ctx::new(Query::parse(&initial));
    provide_context(ctx);
    let plan_first = from_link && ctx.result.with_untracked(Result::is_ok);
    if let Some(said) = ctx.take_shared(&progress) {
        ctx.announce(said);
    }
    if sync_url && progress.starts_with("progress=") {
        // Taken or waiting for a choice in the page: a reload must not bring
        // it back over what the person decides.
        url::clear_fragment();
    }

    let history = sync_url.then(|| {
        let history = History::start(ctx);
        provide_context(history);
        history
    });
    // Leaving a field (its `change`) ends an edit's history entry.
    let end_edit = move |_| {
        if let Some(h) = history {
            h.close();
        }
    };
    Effect::new(move |_| {
        let title = ctx.shown.with(|s| match s {
            Some(s) => format!("{} · Waymark", s.plan.title),
            None => "Waymark".to_string(),
        });
        if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
            doc.set_title(&title);
        }
    });

    // On a phone the form comes first: say the verdict up top, as a link.
    let jump = move || {
        ctx.shown.with(|s| match s {
            Some(s) if s.stale => "See the plan (out of date) ↓".to_string(),
            Some(s) => format!("{} ↓", crate::components::verdict_headline(&s.plan)),
            None => "No plan yet ↓".to_string(),
        })
    };
    view! {
        <div class="app">
            <a class="skip" href="#plan">"Skip to the plan"</a>
            <header class="masthead">
                <h1 class="masthead__name">"Waymark"</h1>
                <p class="masthead__tag">"Upgrade and migration runbooks for Flink and HDInsight"</p>
                <a class="jump" href="#plan">{jump}</a>
            </header>
            <main class="layout" on:change=end_edit>
                <ScenarioForm plan_first />
                <PlanView />
            </main>
            <p class="visually-hidden" role="status" aria-live="polite" data-testid="status">
                {move || ctx.status.get()}
            </p>
        </div>
    }
}
