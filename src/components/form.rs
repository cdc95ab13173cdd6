//! The scenario form, drawn from `waymark_core::form::form(platform)`.

use leptos::prelude::*;
use waymark_core::form::{self, Form, Section};

use crate::components::{
    focus_later, ExtraKeys, FieldInput, Jobs, PlatformSwitch, ProblemSummary, ResetScenario,
};
use crate::context::Ctx;

/// The scenario side of the page: platform, problems, fields, jobs and any
/// link keys the form has no field for. Every change replans at once.
///
/// On a one-column (phone) layout, a link that plans opens with the plan
/// first: the form is folded behind "Edit scenario" (web review M5). It
/// stays in its place in the page, so reading and Tab order follow what is
/// seen; on a wide screen the fold does nothing.
#[component]
pub fn ScenarioForm(
    /// Open folded: the page was opened with a link that plans.
    #[prop(optional)]
    plan_first: bool,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let platform = Memo::new(move |_| ctx.query.with(|q| q.platform().to_string()));
    let folded = RwSignal::new(plan_first);
    // A scenario with problems is never folded away: they are what to fix.
    let shut = move || folded.get() && ctx.problems.with(Vec::is_empty);
    let toggle = plan_first.then(|| {
        view! {
            <button
                type="button"
                class="button scenario__toggle"
                aria-expanded=move || (!shut()).to_string()
                aria-controls="scenario-form"
                data-testid="edit-scenario"
                on:click=move |_| {
                    let open = shut();
                    folded.set(!open);
                    if open {
                        focus_later("f-platform".to_string());
                    }
                }
            >
                {move || if shut() { "Edit scenario" } else { "Hide the scenario form" }}
            </button>
        }
    });
    view! {
        <section class="scenario" class:scenario--folded=shut aria-labelledby="scenario-title">
            <h2 id="scenario-title" tabindex="-1">"Scenario"</h2>
            {toggle}
            <form class="scenario__form" id="scenario-form" on:submit=|ev| ev.prevent_default() data-testid="form">
                <PlatformSwitch platform />
                <ProblemSummary />
                {move || platform_fields(&platform.get())}
                <ExtraKeys platform />
                <ResetScenario />
            </form>
        </section>
    }
}

fn platform_fields(platform: &str) -> AnyView {
    match form::form(platform) {
        None => ().into_any(),
        Some(Form {
            sections, group, ..
        }) if sections.is_empty() && group.is_none() => view! {
            <p class="note" data-testid="form-empty">
                "This platform's form is not ready in this build yet. "
                "Its link keys can still be added to the address bar."
            </p>
        }
        .into_any(),
        Some(f) => view! {
            {f.sections.into_iter().map(|s| view! { <FormSection section=s /> }).collect_view()}
            {f.group.map(|g| view! { <Jobs group=g /> })}
        }
        .into_any(),
    }
}

/// One titled group of fields.
#[component]
fn FormSection(section: Section) -> impl IntoView {
    view! {
        <fieldset class="section">
            <legend>{section.title}</legend>
            {section
                .fields
                .into_iter()
                .map(|f| {
                    let key = f.key.to_string();
                    view! { <FieldInput field=f key /> }
                })
                .collect_view()}
        </fieldset>
    }
}
