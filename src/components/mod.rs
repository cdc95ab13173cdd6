//! The page's pieces. The scenario side: [`ScenarioForm`] with its
//! [`PlatformSwitch`], [`ProblemSummary`], [`FieldInput`]s, [`Jobs`] and
//! [`ExtraKeys`], [`ResetScenario`]. The plan side: [`PlanView`] with its [`Verdict`],
//! [`Exports`], [`FrameView`], [`Findings`], [`ProgressBar`], [`PhaseView`]s
//! and [`StepView`]s, with [`WrapToggle`].

mod exports;
mod extras;
mod field;
mod findings;
mod form;
mod frame;
mod jobs;
mod phase;
mod plan;
mod platform;
mod print_header;
mod problems;
mod progress;
mod reset;
mod sources;
mod step;
mod verdict;
mod wrap;

pub use exports::Exports;
pub use extras::ExtraKeys;
pub use field::FieldInput;
pub use findings::Findings;
pub use form::ScenarioForm;
pub use frame::FrameView;
pub use jobs::Jobs;
pub use phase::PhaseView;
pub use plan::PlanView;
pub use platform::PlatformSwitch;
pub use print_header::PrintHeader;
pub use problems::ProblemSummary;
pub use progress::ProgressBar;
pub use reset::ResetScenario;
pub use sources::Sources;
pub use step::StepView;
pub use verdict::{verdict_headline, Verdict};
pub use wrap::WrapToggle;

/// How many items of a list that can run to thousands (problems, extra
/// link keys) are drawn before the person asks for the rest.
pub const SHOWN_AT_ONCE: usize = 50;

/// The toggle under a list cut at [`SHOWN_AT_ONCE`] items: "Show all 5000
/// problems: 4950 more" / "Show the first 50 only". Hidden when the list is
/// short. Only its text changes, so it keeps the focus.
#[leptos::component]
pub(crate) fn ShowAll(
    /// Whether the whole list is shown.
    all: leptos::prelude::RwSignal<bool>,
    /// How many items the list has.
    total: leptos::prelude::Signal<usize>,
    /// What the items are, plural ("problems").
    what: &'static str,
    /// The id of the list.
    controls: &'static str,
) -> impl leptos::IntoView {
    use leptos::prelude::*;
    let label = move || {
        let n = total.get();
        if all.get() {
            format!("Show the first {SHOWN_AT_ONCE} {what} only")
        } else {
            format!(
                "Show all {n} {what}: {} more",
                n.saturating_sub(SHOWN_AT_ONCE)
            )
        }
    };
    view! {
        <button
            type="button"
            class="button button--quiet more"
            hidden=move || total.get() <= SHOWN_AT_ONCE
            aria-expanded=move || all.get().to_string()
            aria-controls=controls
            on:click=move |_| all.update(|a| *a = !*a)
        >
            {label}
        </button>
    }
}

/// Moves keyboard focus to the element with `id` after the DOM has updated.
pub(crate) fn focus_later(id: String) {
    leptos::prelude::request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(&id))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
}
