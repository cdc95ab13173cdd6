//! The change frame: who decides, when to stop, how long it takes.

use std::sync::Arc;

use leptos::prelude::*;
use waymark_core::plan::{Frame, Plan};
use waymark_core::render::{decommission_words, soak_words};

/// The go/no-go and the abort criteria in view; the estimates, the soak and
/// the decommission folded away. Owner, approver and who to tell are blanks
/// on paper only (style/print.css). Nothing for an empty frame (a blocked
/// plan).
#[component]
pub fn FrameView(plan: Arc<Plan>) -> impl IntoView {
    let frame = &plan.frame;
    if *frame == Frame::default() {
        return ().into_any();
    }
    let go = (!frame.go_no_go.is_empty()).then(|| {
        view! { <p><span class="label">"Go/no-go: "</span>{frame.go_no_go.clone()}</p> }
    });
    let abort = (!frame.abort.is_empty()).then(|| {
        view! {
            <p class="label" id="frame-abort">"Abort and roll back when"</p>
            <ul class="frame__abort" aria-labelledby="frame-abort">
                {frame.abort.iter().map(|a| view! { <li>{a.clone()}</li> }).collect_view()}
            </ul>
        }
    });
    let estimates = (!frame.estimates.is_empty()).then(|| {
        view! {
            <table class="frame__estimates">
                <thead>
                    <tr><th scope="col">"Phase"</th><th scope="col">"How long"</th><th scope="col">"What makes it longer"</th></tr>
                </thead>
                <tbody>
                    {frame
                        .estimates
                        .iter()
                        .map(|e| view! { <tr><th scope="row">{e.phase.title()}</th><td>{e.time.clone()}</td><td>{e.longer.clone()}</td></tr> })
                        .collect_view()}
                </tbody>
            </table>
        }
    });
    let labelled = |label: &'static str, text: Option<String>| {
        text.map(|t| view! { <p><span class="label">{label}</span>{t}</p> })
    };
    let soak = labelled("Soak: ", soak_words(frame));
    let decommission = labelled(
        "Decommission: ",
        decommission_words(&plan, &|t| t.to_string()),
    );
    view! {
        <section class="frame" aria-labelledby="frame-title" data-testid="frame">
            <h3 id="frame-title">"Change frame"</h3>
            <dl class="frame__people print-only">
                <dt>"Owner"</dt><dd></dd>
                <dt>"Approver"</dt><dd></dd>
                <dt>"Who to tell"</dt><dd></dd>
            </dl>
            {go}
            {abort}
            <details class="frame__more">
                <summary>"Estimates, soak and decommission"</summary>
                {estimates}
                {soak}
                {decommission}
            </details>
        </section>
    }
    .into_any()
}
