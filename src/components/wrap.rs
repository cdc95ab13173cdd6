//! "Wrap long lines": command boxes wrap instead of scrolling sideways.
//!
//! The setting is page state, never in the link. A few lines of script in
//! `index.html` keep it (localStorage `waymark.wrap`) and set `data-wrap` on
//! the page's root, which `style/main.css` reads; with nothing stored it is
//! on in the one-column (phone) layout, where a box shows about 35
//! characters and scrolling each one sideways by touch hides most of a
//! command, and off on a wide screen, where a command on one line reads as
//! it is typed. Copy copies the commands' text, not the boxes, so wrapping
//! never changes what is copied.

use leptos::prelude::*;

/// The labelled checkbox, ticked as the page is.
#[component]
pub fn WrapToggle() -> impl IntoView {
    let on = document()
        .document_element()
        .is_some_and(|root| root.has_attribute("data-wrap"));
    view! {
        <label class="wrap-toggle">
            <input type="checkbox" id="wrap" data-testid="wrap" checked=on />
            " Wrap long lines"
        </label>
    }
}
