//! The address bar: read the scenario from it, and keep it a link that
//! reopens the plan (no reload; which edits get a history entry is
//! `history.rs`'s).

/// The page's query string, without `?`.
pub fn read_query() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .map(|s| s.trim_start_matches('?').to_string())
        .unwrap_or_default()
}

/// The page's `#fragment`, without `#`.
pub fn read_fragment() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map(|s| s.trim_start_matches('#').to_string())
        .unwrap_or_default()
}

/// Drops the `#fragment` from the address bar (after the progress it
/// carried was taken), keeping the query.
pub fn clear_fragment() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let url = format!(
        "{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// Replaces the query of the current history entry, keeping path and hash.
pub fn write_query(query: &str) {
    set_query(query, false);
}

/// Adds a history entry with `query` (a new scenario: Back returns to the
/// one before), without the `#fragment`.
pub fn push_query(query: &str) {
    set_query(query, true);
}

fn set_query(query: &str, push: bool) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(history) = window.history() else {
        return;
    };
    let none = wasm_bindgen::JsValue::NULL;
    let _ = if push {
        history.push_state_with_url(&none, "", Some(&plan_url(query)))
    } else {
        history.replace_state_with_url(&none, "", Some(&page_url(query)))
    };
}

/// The absolute link to this page with `query`.
pub fn page_url(query: &str) -> String {
    let Some(window) = web_sys::window() else {
        return format!("?{query}");
    };
    let location = window.location();
    let origin = location.origin().unwrap_or_default();
    let path = location.pathname().unwrap_or_default();
    let hash = location.hash().unwrap_or_default();
    if query.is_empty() {
        format!("{origin}{path}{hash}")
    } else {
        format!("{origin}{path}?{query}{hash}")
    }
}

/// The link that reopens the plan of `query`: this page's address with the
/// query and without any `#fragment` (a skip link's `#plan` is not part of
/// the scenario).
pub fn plan_url(query: &str) -> String {
    let Some(window) = web_sys::window() else {
        return format!("?{query}");
    };
    let location = window.location();
    let origin = location.origin().unwrap_or_default();
    let path = location.pathname().unwrap_or_default();
    format!("{origin}{path}?{query}")
}
