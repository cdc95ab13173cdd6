//! The page's pieces. The scenario side: [`ScenarioForm`] with its
//! [`PlatformSwitch`], [`ProblemSummary`], [`FieldInput`]s, [`Jobs`] and
//! [`ExtraKeys`]. The plan side: [`PlanView`] with its [`Verdict`],
//! [`Exports`], [`FrameView`], [`Findings`], [`ProgressBar`], [`PhaseView`]s
//! and [`StepView`]s.

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
mod sources;
mod step;
mod verdict;

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
pub use sources::Sources;
pub use step::StepView;
pub use verdict::{verdict_headline, Verdict};

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
