//! Source links.

use leptos::prelude::*;
use waymark_core::source::Source;

/// The public pages a finding or step rests on, as links.
#[component]
pub fn Sources(sources: Vec<Source>) -> impl IntoView {
    (!sources.is_empty()).then(|| {
        view! {
            <ul class="sources">
                {sources
                    .into_iter()
                    .map(|s| view! { <li><a href=s.url>{s.title}</a></li> })
                    .collect_view()}
            </ul>
        }
    })
}
