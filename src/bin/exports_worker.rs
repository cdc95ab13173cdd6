//! The exports worker: plans a scenario link and renders it as Markdown, a
//! bash script or JSON, in a web worker the page starts on the first
//! download (`src/worker.rs`). The renderers (and the script's run-time,
//! serde and serde_json) live here, not in the page's first load.
//!
//! Trunk builds this binary as a worker (`index.html`, `data-type="worker"`);
//! `exports_worker_loader.js` loads it. Protocol, one plain object each way:
//!
//! - the worker says `{ready: true}` once it listens;
//! - the page asks `{id, link, format, today, stale}`: the plan's link query
//!   string, `md`, `sh` or `json`, the date (days since 1970-01-01) the
//!   page planned with, so the plan is the page's plan, and whether the page
//!   shows it as out of date (the file then says so);
//! - the worker answers `{id, name, mime, text}` or `{id, error}`, the error
//!   naming what went wrong.

use waymark_core::render::{file_name, mark_out_of_date, Format};

/// A file to offer.
#[derive(Debug, PartialEq)]
struct Export {
    name: String,
    mime: &'static str,
    text: String,
}

/// Plans `link` as of `today` (as `waymark_core::plan_link_on`, the page
/// and the CLI do) and renders it in `format`, marked out of date when
/// `stale`.
fn export(link: &str, format: &str, today: i64, stale: bool) -> Result<Export, String> {
    let format = Format::parse(format)
        .ok_or_else(|| format!("`{format}` is not an export format (md, sh or json)"))?;
    let plan = waymark_core::plan_link_on(link, today).map_err(|problems| {
        let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
        format!("the scenario has problems: {}", list.join("; "))
    })?;
    Ok(Export {
        name: file_name(&plan, format),
        mime: format.mime(),
        text: if stale {
            mark_out_of_date(&format.render(&plan), format)
        } else {
            format.render(&plan)
        },
    })
}

#[cfg(target_arch = "wasm32")]
fn main() {
    use wasm_bindgen::{closure::Closure, JsCast, JsValue};

    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let replies = scope.clone();
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let _ = replies.post_message(&answer(&event.data()));
        });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let ready = js_sys::Object::new();
    set(&ready, "ready", &JsValue::TRUE);
    let _ = scope.post_message(&ready);
}

/// The answer to one request.
#[cfg(target_arch = "wasm32")]
fn answer(request: &wasm_bindgen::JsValue) -> wasm_bindgen::JsValue {
    use wasm_bindgen::JsValue;

    let field = |name: &str| js_sys::Reflect::get(request, &JsValue::from_str(name)).ok();
    let reply = js_sys::Object::new();
    if let Some(id) = field("id") {
        set(&reply, "id", &id);
    }
    let link = field("link").and_then(|v| v.as_string());
    let format = field("format").and_then(|v| v.as_string());
    let today = field("today")
        .and_then(|v| v.as_f64())
        .filter(|d| d.is_finite() && d.fract() == 0.0);
    let result = match (link, format, today) {
        (Some(link), Some(format), Some(today)) => {
            let stale = field("stale").is_some_and(|v| v.is_truthy());
            export(&link, &format, today as i64, stale)
        }
        _ => Err("the exports worker got a request without a link, a format and a date".into()),
    };
    match result {
        Ok(file) => {
            set(&reply, "name", &JsValue::from_str(&file.name));
            set(&reply, "mime", &JsValue::from_str(file.mime));
            set(&reply, "text", &JsValue::from_str(&file.text));
        }
        Err(why) => set(&reply, "error", &JsValue::from_str(&why)),
    }
    reply.into()
}

#[cfg(target_arch = "wasm32")]
fn set(object: &js_sys::Object, key: &str, value: &wasm_bindgen::JsValue) {
    let _ = js_sys::Reflect::set(object, &wasm_bindgen::JsValue::from_str(key), value);
}

/// Natively there is nothing to run: Trunk builds this for the browser.
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    let _ = export;
    eprintln!("exports_worker runs in the browser as the web app's exports worker");
    std::process::exit(2);
}

#[cfg(test)]
mod tests {
    use super::*;

    const FLINK: &str = "v=1&platform=flink&from=1.17&to=1.20&strategy=in-place";

    #[test]
    fn renders_the_plan_the_page_and_the_cli_make() {
        let plan = waymark_core::plan_link_on(FLINK, 20_000).unwrap();
        for (name, format) in Format::ALL {
            let file = export(FLINK, name, 20_000, false).unwrap();
            assert_eq!(file.text, format.render(&plan));
            let stale = export(FLINK, name, 20_000, true).unwrap();
            assert_eq!(stale.text, mark_out_of_date(&file.text, format));
            assert_eq!(stale.name, file.name);
            assert_eq!(file.mime, format.mime());
            assert_eq!(file.name, file_name(&plan, format));
        }
    }

    #[test]
    fn errors_name_what_went_wrong() {
        let bad_format = export(FLINK, "pdf", 20_000, false).unwrap_err();
        assert!(bad_format.contains("`pdf`"), "{bad_format}");
        let bad_link = export("platform=flink&from=1.17&to=9.9", "md", 20_000, false).unwrap_err();
        assert!(bad_link.contains("to"), "{bad_link}");
    }
}
