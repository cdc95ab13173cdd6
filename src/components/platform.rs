//! The platform switch.

use leptos::prelude::*;
use waymark_core::form::{self, PLATFORMS};

use crate::context::Ctx;
use crate::state::{field_id, query_for_platform};

/// Radio buttons for the platforms. Switching keeps each platform's scenario
/// for the session, so switching back loses nothing.
#[component]
pub fn PlatformSwitch(
    /// The link's current platform.
    platform: Memo<String>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let switch = move |to: &'static str| {
        let current = ctx.query.get_untracked();
        let from = current.platform().to_string();
        if from == to {
            return;
        }
        let stashed = ctx.stash.with_value(|s| s.get(to).cloned());
        ctx.stash.update_value(|s| {
            s.insert(from, current);
        });
        let example = form::form(to).map(|f| f.example).unwrap_or_default();
        ctx.query
            .set(query_for_platform(to, stashed.as_ref(), &example));
    };
    let problems = ctx.problems_at("platform");
    view! {
        <fieldset class="platforms" aria-describedby="platform-error">
            <legend>"Platform"</legend>
            <div class="segmented">
                {PLATFORMS
                    .iter()
                    .enumerate()
                    .map(|(i, (value, label))| {
                        let id = if i == 0 { field_id("platform") } else { format!("platform-{value}") };
                        view! {
                            <input
                                type="radio"
                                name="platform"
                                id=id.clone()
                                value=*value
                                prop:checked=move || platform.get() == *value
                                on:change=move |_| switch(value)
                            />
                            <label for=id>{*label}</label>
                        }
                    })
                    .collect_view()}
            </div>
            <p id="platform-error" class="error" hidden=move || problems.with(Vec::is_empty)>
                {move || problems.with(|p| p.join(" "))}
            </p>
        </fieldset>
    }
}
