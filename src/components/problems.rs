//! The summary of what is wrong with the scenario.

use leptos::prelude::*;

use crate::components::{focus_later, ShowAll, SHOWN_AT_ONCE};
use crate::context::Ctx;
use crate::state::field_id;

/// Lists every problem; a problem with a key links to (and focuses) that
/// key's field. Hidden when the scenario plans. Long lists show their
/// first [`SHOWN_AT_ONCE`] items until asked for all.
#[component]
pub fn ProblemSummary() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let count = move || ctx.problems.with(Vec::len);
    // Thousands of problems (a link of unknown keys) would take seconds to
    // draw: the first ones show, the rest on request (web review m15).
    let all = RwSignal::new(false);
    view! {
        <Show when=move || { count() > 0 }>
            <div class="problems" data-testid="problems">
                <h3>
                    {move || match count() {
                        1 => "1 problem in the scenario".to_string(),
                        n => format!("{n} problems in the scenario"),
                    }}
                </h3>
                <p>
                    {move || if ctx.shown.with(Option::is_some) {
                        "The plan stays on the last valid scenario until these are fixed."
                    } else {
                        "There is no plan until these are fixed."
                    }}
                </p>
                <ul id="problems-list">
                    {move || {
                        let limit = if all.get() { usize::MAX } else { SHOWN_AT_ONCE };
                        ctx.problems
                            .get()
                            .into_iter()
                            .take(limit)
                            .map(|p| match p.key {
                                Some(key) => {
                                    let id = field_id(&key);
                                    let href = format!("#{id}");
                                    view! {
                                        <li>
                                            <a
                                                href=href
                                                on:click=move |ev| {
                                                    ev.prevent_default();
                                                    focus_later(id.clone());
                                                }
                                            >
                                                <code>{key}</code>
                                            </a>
                                            ": "
                                            {p.message}
                                        </li>
                                    }
                                        .into_any()
                                }
                                None => view! { <li>{p.message}</li> }.into_any(),
                            })
                            .collect_view()
                    }}
                </ul>
                <ShowAll all total=Signal::derive(count) what="problems" controls="problems-list" />
            </div>
        </Show>
    }
}
