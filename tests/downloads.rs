//! The downloads, through the real release build: `scripts/browser-test.sh`
//! builds the app into `target/browser-dist/` (served by the test runner,
//! which serves this directory) and saves the CLI's output for each link of
//! `tests/downloads.links` in `target/browser-expected/`. Each test opens the
//! built page in an iframe, clicks the download buttons and compares the
//! files the page offers, byte for byte, with the CLI's.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Function, Promise, Reflect, Uint8Array};
use leptos::{mount::mount_to, prelude::*, task::tick};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

use waymark_core::render::{file_name, Format};
use waymark_web::Planner;

wasm_bindgen_test_configure!(run_in_browser);

const DIST: &str = "/target/browser-dist/";
const EXPECTED: &str = "/target/browser-expected/";
const BUTTONS: [(&str, &str); 3] = [
    ("md", "Download Markdown"),
    ("sh", "Download script"),
    ("json", "Download JSON"),
];

/// Records what the page offers instead of saving it: the file name and the
/// Blob that `src/download.rs` hands to the browser.
const CAPTURE: &str = r#"(() => {
  window.__downloads = [];
  const blobs = new Map();
  const create = URL.createObjectURL;
  URL.createObjectURL = (blob) => { const url = create.call(URL, blob); blobs.set(url, blob); return url; };
  HTMLAnchorElement.prototype.click = function () {
    window.__downloads.push({ name: this.download, blob: blobs.get(this.href) });
  };
})()"#;

async fn sleep(ms: i32) {
    let promise = Promise::new(&mut |resolve, _| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    JsFuture::from(promise).await.unwrap();
}

/// Waits up to `seconds` for `ready` to give a value.
async fn wait_for<T>(seconds: u32, what: &str, mut ready: impl FnMut() -> Option<T>) -> T {
    for _ in 0..seconds * 20 {
        if let Some(value) = ready() {
            return value;
        }
        sleep(50).await;
    }
    panic!("timed out waiting for {what}");
}

/// Evaluates `code` in `win` (a window of this origin).
fn eval(win: &JsValue, code: &str) -> JsValue {
    let eval: Function = Reflect::get(win, &"eval".into()).unwrap().unchecked_into();
    eval.call1(win, &code.into())
        .unwrap_or_else(|e| panic!("{code}: {e:?}"))
}

async fn bytes(promise: JsValue) -> Vec<u8> {
    let buffer = JsFuture::from(promise.unchecked_into::<Promise>())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    Uint8Array::new(&buffer).to_vec()
}

/// A file from the test server, or a panic that says how to make it.
async fn fetch(path: &str) -> Vec<u8> {
    let code = format!(
        "fetch({path:?}).then(r => r.ok ? r.arrayBuffer() : Promise.reject('{path}: ' + r.status + \
         ' (run bash scripts/browser-test.sh: it builds the app and saves the CLI output)'))"
    );
    bytes(eval(&window().into(), &code)).await
}

fn links(file: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(file)
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// The built page for `link`, loaded and showing its export buttons.
async fn open(link: &str) -> (JsValue, Element) {
    let frame = document().create_element("iframe").unwrap();
    frame
        .set_attribute("src", &format!("{DIST}index.html?{link}"))
        .unwrap();
    document().body().unwrap().append_child(&frame).unwrap();
    let win = wait_for(30, "the built app to start", || {
        let win = Reflect::get(&frame, &"contentWindow".into()).ok()?;
        let doc = Reflect::get(&win, &"document".into()).ok()?;
        // From another realm: `dyn_into` (instanceof) would refuse it.
        let doc: web_sys::Document = doc.unchecked_into();
        doc.query_selector(".exports").ok()??;
        Some(win)
    })
    .await;
    (win, frame)
}

fn button(win: &JsValue, label: &str) -> HtmlElement {
    let doc: web_sys::Document = Reflect::get(win, &"document".into())
        .unwrap()
        .unchecked_into();
    let buttons = doc.query_selector_all(".exports button").unwrap();
    (0..buttons.length())
        .filter_map(|i| buttons.item(i))
        .find(|b| b.text_content().as_deref() == Some(label))
        .unwrap_or_else(|| panic!("no button {label}"))
        .unchecked_into()
}

fn status(win: &JsValue) -> String {
    eval(
        win,
        "document.querySelector('[data-testid=status]').textContent",
    )
    .as_string()
    .unwrap_or_default()
}

/// The first differing line of two texts, for the failure message.
fn first_difference(got: &[u8], want: &[u8]) -> String {
    let (got, want) = (String::from_utf8_lossy(got), String::from_utf8_lossy(want));
    let mut g = got.lines();
    let mut w = want.lines();
    for n in 1.. {
        match (g.next(), w.next()) {
            (None, None) => return "the line ends differ".into(),
            (a, b) if a != b => return format!("line {n}: got {a:?}, the CLI wrote {b:?}"),
            _ => {}
        }
    }
    unreachable!()
}

/// Every download equals `waymark plan '<link>' --format <f>`, and the first
/// load of the page fetches nothing of the worker.
#[wasm_bindgen_test]
async fn downloads_are_the_clis_output() {
    let links = links(&fetch("/tests/downloads.links").await);
    assert!(links.len() >= 4, "{links:?}");
    let today = (js_sys::Date::now() / 86_400_000.0).floor() as i64;
    for (n, link) in links.iter().enumerate() {
        let (win, frame) = open(link).await;
        if n == 0 {
            // The page has loaded; nothing has been clicked yet.
            let fetched = eval(
                &win,
                "performance.getEntriesByType('resource').map(e => e.name).join('\\n')",
            )
            .as_string()
            .unwrap();
            assert!(
                fetched.contains("_bg.wasm"),
                "the app's wasm is among the resources: {fetched}"
            );
            assert!(
                !fetched.contains("exports_worker"),
                "the first load fetched the exports worker:\n{fetched}"
            );
        }
        eval(&win, CAPTURE);
        let plan = waymark_core::plan_link_on(link, today).unwrap();
        for (k, (format, label)) in BUTTONS.iter().enumerate() {
            button(&win, label).click();
            let got = wait_for(60, &format!("the {format} download of {link}"), || {
                let all: Array = Reflect::get(&win, &"__downloads".into())
                    .ok()?
                    .unchecked_into();
                let offered = all.get(k as u32);
                (!offered.is_undefined()).then_some(offered)
            })
            .await;
            let name = Reflect::get(&got, &"name".into())
                .unwrap()
                .as_string()
                .unwrap();
            let blob = Reflect::get(&got, &"blob".into()).unwrap();
            assert!(!blob.is_undefined(), "no Blob behind the {format} download");
            let blob: web_sys::Blob = blob.unchecked_into();
            let format_ = Format::parse(format).unwrap();
            assert_eq!(name, file_name(&plan, format_), "{link}");
            assert_eq!(blob.type_(), format!("{};charset=utf-8", format_.mime()));
            let text = bytes(blob.array_buffer().into()).await;
            let want = fetch(&format!("{EXPECTED}{n}.{format}")).await;
            assert!(
                text == want,
                "the {format} download of {link} is not the CLI's output: {}",
                first_difference(&text, &want)
            );
            let said = format!("Downloading {name}");
            wait_for(5, &format!("the status to say {said}"), || {
                Some(()).filter(|_| status(&win) == said)
            })
            .await;
        }
        frame.remove();
    }
}

/// The real worker's answers to requests the page never sends name what is
/// wrong. (Asked from the built page: the test runner wraps its own page's
/// `Worker` in a blob, where the loader's relative URLs do not resolve.)
#[wasm_bindgen_test]
async fn the_worker_names_what_went_wrong() {
    let (win, frame) = open("").await;
    let ask = |link: &str, format: &str| {
        format!(
            "new Promise((resolve, reject) => {{
               const w = new Worker('{DIST}exports_worker_loader.js');
               w.onerror = (e) => reject('the worker did not load: ' + e.message);
               w.onmessage = (e) => {{
                 if (e.data.ready) w.postMessage({{ id: 7, link: {link:?}, format: {format:?}, today: 20000 }});
                 else {{ w.terminate(); resolve(e.data); }}
               }};
             }})"
        )
    };
    for (link, format, needle) in [
        ("platform=flink&from=1.17&to=9.9", "md", "to: "),
        ("platform=flink&from=1.17&to=1.20", "pdf", "`pdf`"),
    ] {
        let promise: Promise = eval(&win, &ask(link, format)).unchecked_into();
        let answer = JsFuture::from(promise)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            Reflect::get(&answer, &"id".into()).unwrap().as_f64(),
            Some(7.0)
        );
        let error = Reflect::get(&answer, &"error".into())
            .unwrap()
            .as_string()
            .unwrap_or_else(|| panic!("no error for {link} as {format}"));
        assert!(error.contains(needle), "{error}");
        assert!(Reflect::get(&answer, &"text".into())
            .unwrap()
            .is_undefined());
    }
    frame.remove();
}

/// Where the worker cannot load (the test page has none), a download says
/// so in the status line, and a second click tries again.
#[wasm_bindgen_test]
async fn a_worker_that_cannot_load_is_announced() {
    let root: HtmlElement = document()
        .create_element("section")
        .unwrap()
        .unchecked_into();
    document().body().unwrap().append_child(&root).unwrap();
    let _app = mount_to(
        root.clone(),
        || view! { <Planner initial="v=1&platform=flink&from=1.7&to=1.16&strategy=in-place" /> },
    );
    tick().await;
    let status = || {
        root.query_selector("[data-testid=status]")
            .unwrap()
            .and_then(|s| s.text_content())
            .unwrap_or_default()
    };
    for _ in 0..2 {
        let md: HtmlElement = root
            .query_selector(".exports button")
            .unwrap()
            .unwrap()
            .unchecked_into();
        assert_eq!(md.text_content().as_deref(), Some("Download Markdown"));
        md.click();
        // The click clears the last message first.
        wait_for(5, "the status to clear", || {
            Some(()).filter(|_| !status().starts_with("Could not"))
        })
        .await;
        let said = wait_for(30, "the failure to be announced", || {
            Some(status()).filter(|s| s.starts_with("Could not prepare"))
        })
        .await;
        assert!(
            said.starts_with("Could not prepare the Markdown runbook: the exports worker failed"),
            "{said}"
        );
    }
}
