// Starts the exports worker (src/bin/exports_worker.rs): Trunk builds it
// as `exports_worker.js` and `exports_worker_bg.wasm` (data-type="worker")
// and copies this file beside them. A failure to load is reported to the
// page, which otherwise would wait for an answer that never comes.
importScripts("./exports_worker.js");
wasm_bindgen({ module_or_path: "./exports_worker_bg.wasm" }).catch((e) => {
  postMessage({ error: "the exports could not be loaded (" + e + ")" });
});
