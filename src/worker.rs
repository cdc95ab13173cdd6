//! The page's side of the exports worker (`src/bin/exports_worker.rs`): the
//! renderers are not in the first load. The worker starts on the first
//! download and is kept for later ones; if it fails to load or stops
//! answering, it is dropped and the next download starts a new one.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::time::Duration;

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Trunk copies the loader beside `index.html` (`rel="copy-file"`); the
/// worker's own files are named after its binary, without a hash.
const LOADER: &str = "exports_worker_loader.js";
/// How long a download may take, loading the worker included.
const PATIENCE: Duration = Duration::from_secs(60);

/// A file to offer, as the worker rendered it.
pub struct Export {
    pub name: String,
    pub mime: String,
    pub text: String,
}

/// The running worker and the requests it has not answered.
struct Client {
    /// Tells this worker's events from a dropped one's.
    generation: u32,
    worker: web_sys::Worker,
    /// Whether the worker listens yet; until then requests wait in `queue`.
    ready: bool,
    queue: Vec<JsValue>,
    /// The `resolve` of each unanswered request, by id.
    waiting: BTreeMap<u32, Function>,
}

thread_local! {
    static CLIENT: RefCell<Option<Client>> = const { RefCell::new(None) };
    static NEXT_ID: RefCell<u32> = const { RefCell::new(0) };
}

/// Asks the worker for the export of the plan for `link` in `format` (`md`,
/// `sh` or `json`), planned as of `today` as the page planned it, marked
/// out of date when `stale` (the page shows it as the last valid plan). The error
/// says what went wrong, in words for the status line.
pub async fn export(link: &str, format: &str, today: i64, stale: bool) -> Result<Export, String> {
    let id = NEXT_ID.with(|n| {
        let mut n = n.borrow_mut();
        *n = n.wrapping_add(1);
        *n
    });
    let request = Object::new();
    set(&request, "id", &JsValue::from(id));
    set(&request, "link", &JsValue::from_str(link));
    set(&request, "format", &JsValue::from_str(format));
    set(&request, "today", &JsValue::from_f64(today as f64));
    set(&request, "stale", &JsValue::from_bool(stale));
    let request: JsValue = request.into();
    let promise = Promise::new(&mut |resolve, _reject| {
        if let Err(why) = send(id, request.clone(), resolve.clone()) {
            let _ = resolve.call1(&JsValue::NULL, &failure(&why));
        }
    });
    leptos::prelude::set_timeout(
        move || {
            let resolve = CLIENT.with(|c| {
                c.borrow_mut()
                    .as_mut()
                    .and_then(|client| client.waiting.remove(&id))
            });
            if let Some(resolve) = resolve {
                let _ = resolve.call1(
                    &JsValue::NULL,
                    &failure("the exports worker did not answer in time"),
                );
                drop_worker(None, "the exports worker did not answer in time");
            }
        },
        PATIENCE,
    );
    let answer = JsFuture::from(promise)
        .await
        .unwrap_or_else(|_| failure("the exports worker failed"));
    if let Some(why) = get(&answer, "error") {
        return Err(why);
    }
    match (
        get(&answer, "name"),
        get(&answer, "mime"),
        get(&answer, "text"),
    ) {
        (Some(name), Some(mime), Some(text)) => Ok(Export { name, mime, text }),
        _ => Err("the exports worker's answer is incomplete".into()),
    }
}

/// Sends (or queues) request `id`, starting the worker if there is none.
fn send(id: u32, request: JsValue, resolve: Function) -> Result<(), String> {
    CLIENT.with(|c| {
        let mut slot = c.borrow_mut();
        let client = match slot.as_mut() {
            Some(client) => client,
            None => slot.insert(start()?),
        };
        client.waiting.insert(id, resolve);
        if client.ready {
            post(&client.worker, &request);
        } else {
            client.queue.push(request);
        }
        Ok(())
    })
}

fn start() -> Result<Client, String> {
    static GENERATION: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let generation = GENERATION.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let worker = web_sys::Worker::new(LOADER).map_err(|e| {
        format!(
            "the browser did not start the exports worker ({})",
            words(&e)
        )
    })?;
    // The handlers live as long as the page: a dropped worker is terminated
    // and its late events are ignored by generation.
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            on_message(generation, e.data())
        });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let on_error = Closure::<dyn Fn(web_sys::Event)>::new(move |e: web_sys::Event| {
        let why = e
            .dyn_ref::<web_sys::ErrorEvent>()
            .map(|e| e.message())
            .filter(|m| !m.is_empty())
            .unwrap_or_else(|| "it did not load".into());
        drop_worker(
            Some(generation),
            &format!("the exports worker failed: {why}"),
        );
    });
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_error.forget();
    Ok(Client {
        generation,
        worker,
        ready: false,
        queue: Vec::new(),
        waiting: BTreeMap::new(),
    })
}

fn on_message(generation: u32, data: JsValue) {
    let id = Reflect::get(&data, &JsValue::from_str("id"))
        .ok()
        .and_then(|v| v.as_f64());
    let ready = Reflect::get(&data, &JsValue::from_str("ready"))
        .ok()
        .is_some_and(|v| v.is_truthy());
    if ready {
        CLIENT.with(|c| {
            if let Some(client) = c.borrow_mut().as_mut() {
                if client.generation == generation {
                    client.ready = true;
                    for request in std::mem::take(&mut client.queue) {
                        post(&client.worker, &request);
                    }
                }
            }
        });
    } else if let Some(id) = id {
        let resolve = CLIENT.with(|c| {
            c.borrow_mut()
                .as_mut()
                .filter(|client| client.generation == generation)
                .and_then(|client| client.waiting.remove(&(id as u32)))
        });
        if let Some(resolve) = resolve {
            let _ = resolve.call1(&JsValue::NULL, &data);
        }
    } else {
        // The loader's report that the worker could not start.
        let why = get(&data, "error").unwrap_or_else(|| "it said something unexpected".into());
        drop_worker(Some(generation), &why);
    }
}

/// Terminates the worker (only if it is `generation`, when given) and fails
/// every request it had not answered with `why`.
fn drop_worker(generation: Option<u32>, why: &str) {
    let client = CLIENT.with(|c| {
        let mut slot = c.borrow_mut();
        match slot.as_ref() {
            Some(client) if generation.is_none_or(|g| g == client.generation) => slot.take(),
            _ => None,
        }
    });
    if let Some(client) = client {
        client.worker.terminate();
        for resolve in client.waiting.into_values() {
            let _ = resolve.call1(&JsValue::NULL, &failure(why));
        }
    }
}

fn post(worker: &web_sys::Worker, request: &JsValue) {
    if let Err(e) = worker.post_message(request) {
        let why = format!("could not ask the exports worker ({})", words(&e));
        let id = Reflect::get(request, &JsValue::from_str("id"))
            .ok()
            .and_then(|v| v.as_f64());
        // Called with CLIENT borrowed: answer later.
        if let Some(id) = id {
            leptos::prelude::set_timeout(
                move || {
                    let resolve = CLIENT.with(|c| {
                        c.borrow_mut()
                            .as_mut()
                            .and_then(|client| client.waiting.remove(&(id as u32)))
                    });
                    if let Some(resolve) = resolve {
                        let _ = resolve.call1(&JsValue::NULL, &failure(&why));
                    }
                },
                Duration::ZERO,
            );
        }
    }
}

fn failure(why: &str) -> JsValue {
    let answer = Object::new();
    set(&answer, "error", &JsValue::from_str(why));
    answer.into()
}

fn set(object: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(object, &JsValue::from_str(key), value);
}

fn get(object: &JsValue, key: &str) -> Option<String> {
    Reflect::get(object, &JsValue::from_str(key))
        .ok()
        .and_then(|v| v.as_string())
}

/// A JS error in words.
fn words(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "no reason given".into())
}
