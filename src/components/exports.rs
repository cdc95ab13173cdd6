//! Export buttons: files, the link, print.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use waymark_core::render::{file_name, Format};
use waymark_core::Plan;

use crate::context::Ctx;
use crate::{clipboard, download, url};

/// Download the runbook as Markdown, a bash script or JSON; copy the link
/// that reopens the plan; print the checklist.
#[component]
pub fn Exports(plan: Arc<Plan>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let save = move |format: Format| {
        let plan = Arc::clone(&plan);
        move |_| {
            let name = file_name(&plan, format);
            if download::download(&name, format.mime(), &format.render(&plan)) {
                ctx.announce(format!("Downloading {name}"));
            } else {
                ctx.announce("The browser did not allow the download.");
            }
        }
    };
    let copy_link = move |_| {
        let link = url::page_url(&ctx.link.get_untracked());
        spawn_local(async move {
            match clipboard::copy(&link).await {
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
    view! {
        <div class="exports" role="group" aria-label="Export the plan">
            <button type="button" class="button" on:click=save(Format::Markdown)>"Download Markdown"</button>
            <button type="button" class="button" on:click=save(Format::Script)>"Download script"</button>
            <button type="button" class="button" on:click=save(Format::Json)>"Download JSON"</button>
            <button type="button" class="button" on:click=copy_link>"Copy link"</button>
            <button type="button" class="button" on:click=print>"Print checklist"</button>
        </div>
    }
}
