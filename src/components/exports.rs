//! Export buttons: files, the link, print.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use waymark_core::Plan;

use crate::context::Ctx;
use crate::{clipboard, download, url, worker};

/// Download the runbook as Markdown, a bash script or JSON; copy the link
/// that reopens the plan; print the checklist.
///
/// The files are rendered by the exports worker (`src/worker.rs`), fetched
/// on the first download, so the renderers are not in the first load.
#[component]
pub fn Exports(
    plan: Arc<Plan>,
    /// The plan shown is the last valid one: the scenario has problems.
    stale: bool,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    // The shown plan's canonical link, which plans to the same plan (with
    // the page's date): the worker plans it again.
    let link = plan.link.clone();
    let save = move |format: &'static str, what: &'static str| {
        let link = link.clone();
        move |_| {
            let link = link.clone();
            ctx.announce(format!("Preparing the {what}…"));
            spawn_local(async move {
                match worker::export(&link, format, ctx.today, stale).await {
                    Ok(file) => {
                        if download::download(&file.name, &file.mime, &file.text) {
                            ctx.announce(format!("Downloading {}", file.name));
                        } else {
                            ctx.announce("The browser did not allow the download.");
                        }
                    }
                    Err(why) => ctx.announce(format!("Could not prepare the {what}: {why}.")),
                }
            });
        }
    };
    // The link of what is shown: while the scenario has problems, that is
    // the last valid scenario, as the downloads and the print are.
    let shown_link = plan.link.clone();
    let copy_link = move |_| {
        let link = if stale {
            url::plan_url(&shown_link)
        } else {
            url::plan_url(&ctx.link.get_untracked())
        };
        spawn_local(async move {
            match clipboard::copy(&link).await {
                Ok(()) if stale => ctx.announce(
                    "Copied the link to the plan shown: the last valid scenario, not the one with problems in the form",
                ),
                Ok(()) => ctx.announce("Copied the link to this plan"),
                Err(why) => ctx.announce(format!(
                    "Could not copy: {why}. Copy the address bar instead."
                )),
            }
        });
    };
    let print = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    let note = stale.then(|| {
        view! {
            <p class="exports__note" id="exports-note" data-testid="exports-note">
                "These export the last valid plan shown here, not the scenario with problems; the files say they are out of date."
            </p>
        }
    });
    let described = stale.then_some("exports-note");
    view! {
        <div class="exports" role="group" aria-label="Export the plan" aria-describedby=described>
            {note}
            <button type="button" class="button" on:click=save("md", "Markdown runbook")>"Download Markdown"</button>
            <button type="button" class="button" on:click=save("sh", "script")>"Download script"</button>
            <button type="button" class="button" on:click=save("json", "JSON")>"Download JSON"</button>
            <button type="button" class="button" on:click=copy_link>"Copy link"</button>
            <button type="button" class="button" on:click=print>"Print checklist"</button>
        </div>
    }
}
