//! "Reset to example": start again from the platform's example, after a
//! confirmation that says what is kept.

use leptos::prelude::*;
use waymark_core::form;

use crate::components::focus_later;
use crate::context::Ctx;
use crate::history::History;
use crate::state::Query;

/// The button. It asks first (the browser's own question: keyboard and
/// screen-reader ready, and no code of ours in the first load); the
/// scenario is not lost either way: Back returns to it (it keeps a history
/// entry of its own), and its ticked steps stay stored under its change.
#[component]
pub fn ResetScenario() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let reset = move |_| {
        let asked = window().confirm_with_message(
            "Replace this scenario with the example? Its ticked steps stay saved, and Back returns to it.",
        );
        if asked != Ok(true) {
            return;
        }
        let platform = ctx.query.with_untracked(|q| q.platform().to_string());
        // An unknown platform (`platform=spark`) starts from Flink's.
        let example = form::form(&platform)
            .filter(|f| !f.example.is_empty())
            .or_else(|| form::form("flink"))
            .map(|f| f.example)
            .unwrap_or_default();
        if let Some(history) = use_context::<History>() {
            // The example gets an entry of its own, not this edit's.
            history.close();
        }
        ctx.aside.set(Vec::new());
        ctx.query.set(Query::parse(&example));
        ctx.announce("Replaced the scenario with the example. Back brings yours back.");
        focus_later("scenario-title".to_string());
    };
    view! {
        <button type="button" class="button button--quiet reset" id="reset" on:click=reset>
            "Reset to example"
        </button>
    }
}
