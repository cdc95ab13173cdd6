//! The scenario form, drawn from `waymark_core::form::form(platform)`.

use leptos::prelude::*;
use waymark_core::form::{self, Form, Section};

use crate::components::{ExtraKeys, FieldInput, Jobs, PlatformSwitch, ProblemSummary};
use crate::context::Ctx;

/// The scenario side of the page: platform, problems, fields, jobs and any
/// link keys the form has no field for. Every change replans at once.
#[component]
pub fn ScenarioForm() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let platform = Memo::new(move |_| ctx.query.with(|q| q.platform().to_string()));
    view! {
        <section class="scenario" aria-labelledby="scenario-title">
            <h2 id="scenario-title">"Scenario"</h2>
            <form class="scenario__form" on:submit=|ev| ev.prevent_default() data-testid="form">
                <PlatformSwitch platform />
                <ProblemSummary />
                {move || platform_fields(&platform.get())}
                <ExtraKeys platform />
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
