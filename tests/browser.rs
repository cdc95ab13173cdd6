//! Browser tests: the app mounted in headless Chromium (wasm-bindgen-test).
//! Run with `bash scripts/browser-test.sh`.
#![cfg(target_arch = "wasm32")]

use leptos::{mount::mount_to, prelude::*, task::tick};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, Event, EventInit, HtmlElement, HtmlInputElement, HtmlSelectElement};

use waymark_web::Planner;

wasm_bindgen_test_configure!(run_in_browser);

const SMALL: &str = "v=1&platform=flink&from=1.7&to=1.16&strategy=in-place";

/// A fresh element appended to the body.
fn wrapper() -> HtmlElement {
    let document = document();
    let section = document.create_element("section").unwrap();
    document.body().unwrap().append_child(&section).unwrap();
    section.unchecked_into()
}

fn find(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element matches {selector}"))
}

fn text(root: &Element, selector: &str) -> String {
    find(root, selector).text_content().unwrap_or_default()
}

fn fire(el: &Element, kind: &str) {
    let init = EventInit::new();
    init.set_bubbles(true);
    let ev = Event::new_with_event_init_dict(kind, &init).unwrap();
    el.dispatch_event(&ev).unwrap();
}

async fn choose(root: &Element, selector: &str, value: &str) {
    let select: HtmlSelectElement = find(root, selector).unchecked_into();
    select.set_value(value);
    assert_eq!(select.value(), value, "{selector} has no option {value}");
    fire(&select, "change");
    tick().await;
}

async fn type_into(root: &Element, selector: &str, value: &str) {
    let input: HtmlInputElement = find(root, selector).unchecked_into();
    input.set_value(value);
    fire(&input, "input");
    tick().await;
}

/// The button whose text is `label`.
fn button(root: &Element, label: &str) -> HtmlElement {
    let all = root.query_selector_all("button").unwrap();
    (0..all.length())
        .map(|i| all.item(i).unwrap().unchecked_into::<HtmlElement>())
        .find(|b| b.text_content().unwrap_or_default().trim() == label)
        .unwrap_or_else(|| panic!("no button {label:?}"))
}

/// The ids of the ticked steps' checkboxes.
fn ticked(root: &Element) -> Vec<String> {
    let all = root.query_selector_all(".step__check").unwrap();
    (0..all.length())
        .map(|i| all.item(i).unwrap().unchecked_into::<HtmlInputElement>())
        .filter(|b| b.checked())
        .map(|b| b.id())
        .collect()
}

fn storage() -> web_sys::Storage {
    window().local_storage().unwrap().unwrap()
}

#[wasm_bindgen_test]
async fn changing_the_target_changes_the_verdict() {
    let root = wrapper();
    let _app = mount_to(root.clone(), || view! { <Planner initial=SMALL /> });
    tick().await;
    assert!(text(&root, "[data-testid=verdict]").contains("Direct upgrade"));
    assert_eq!(text(&root, "[data-testid=route]"), "1.7 → 1.16");

    choose(&root, "#f-to", "1.20").await;
    let verdict = text(&root, "[data-testid=verdict]");
    assert!(verdict.contains("Through 1 stop"), "{verdict}");
    assert_eq!(text(&root, "[data-testid=route]"), "1.7 → 1.16.3 → 1.20");
    assert!(text(&root, "[data-testid=verdict-live]").contains("through 1 stop"));

    choose(&root, "#f-to", "1.5").await;
    let verdict = text(&root, "[data-testid=verdict]");
    assert!(verdict.contains("Blocked"), "{verdict}");
    assert!(verdict.contains("What to do"), "{verdict}");
    assert!(text(&root, "[data-testid=verdict-live]").contains("blocked"));
}

#[wasm_bindgen_test]
async fn ticking_a_step_counts_and_is_stored() {
    storage().clear().unwrap();
    let root = wrapper();
    let app = mount_to(root.clone(), || view! { <Planner initial=SMALL /> });
    tick().await;
    let before = text(&root, "[data-testid=progress]");
    assert!(before.starts_with("0 of "), "{before}");
    let total: usize = before["0 of ".len()..]
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(total > 3);

    let first: HtmlInputElement = find(&root, ".step__check").unchecked_into();
    let label = text(&root, ".step__title label");
    assert!(!label.is_empty(), "the checkbox has a labelled title");
    first.click();
    tick().await;
    assert!(text(&root, "[data-testid=progress]").starts_with(&format!("1 of {total} steps done")));
    assert!(first.checked());

    let stored: Vec<String> = (0..storage().length().unwrap())
        .filter_map(|i| storage().key(i).unwrap())
        .filter(|k| k.starts_with("waymark.progress."))
        .collect();
    assert_eq!(stored.len(), 1, "one progress key: {stored:?}");
    let ids = storage().get_item(&stored[0]).unwrap().unwrap();
    assert_eq!(ids.lines().count(), 1);

    // A reload (a new mount of the same link) shows the same progress.
    drop(app);
    let again = wrapper();
    let _app = mount_to(again.clone(), || view! { <Planner initial=SMALL /> });
    tick().await;
    assert!(text(&again, "[data-testid=progress]").starts_with("1 of "));
    let first: HtmlInputElement = find(&again, ".step__check").unchecked_into();
    assert!(first.checked());

    button(&again, "Reset progress").click();
    tick().await;
    assert!(text(&again, "[data-testid=progress]").starts_with("0 of "));
    assert!(storage().get_item(&stored[0]).unwrap().is_none());
}

#[wasm_bindgen_test]
async fn switching_platform_swaps_the_form_and_back() {
    let root = wrapper();
    let _app = mount_to(root.clone(), || view! { <Planner initial="" /> });
    tick().await;
    let form = find(&root, "[data-testid=form]");
    let flink_form = form.inner_html();
    assert!(root.query_selector("#f-old-home").unwrap().is_some());
    let flink_title = text(&root, "#plan-title");

    let hdinsight: HtmlElement = find(&root, "#platform-hdinsight").unchecked_into();
    hdinsight.click();
    tick().await;
    assert_ne!(form.inner_html(), flink_form, "the form changed");
    assert!(root.query_selector("#f-old-home").unwrap().is_none());
    let stub = waymark_core::form::form("hdinsight")
        .unwrap()
        .sections
        .is_empty();
    if stub {
        // HDInsight's form is not written yet: the app says so and keeps the
        // last good plan, marked out of date, instead of failing.
        assert!(root
            .query_selector("[data-testid=form-empty]")
            .unwrap()
            .is_some());
    } else {
        assert_ne!(
            text(&root, "#plan-title"),
            flink_title,
            "the runbook changed"
        );
    }

    let flink: HtmlElement = find(&root, "#f-platform").unchecked_into();
    flink.click();
    tick().await;
    let from: HtmlSelectElement = find(&root, "#f-from").unchecked_into();
    assert_eq!(
        from.value(),
        "1.17",
        "switching back keeps the Flink scenario"
    );
    assert_eq!(text(&root, "#plan-title"), flink_title);
}

#[wasm_bindgen_test]
async fn bad_input_keeps_the_text_and_the_last_good_plan() {
    let root = wrapper();
    let _app = mount_to(root.clone(), || view! { <Planner initial="" /> });
    tick().await;
    let title = text(&root, "#plan-title");
    assert!(root
        .query_selector("[data-testid=stale]")
        .unwrap()
        .is_none());

    type_into(&root, "#f-job1\\.id", "not-a-job-id").await;
    let input: HtmlInputElement = find(&root, "#f-job1\\.id").unchecked_into();
    assert_eq!(input.value(), "not-a-job-id");
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    let error = find(&root, "#f-job1\\.id-error");
    assert!(!error.has_attribute("hidden"));
    assert!(!error.text_content().unwrap().is_empty());
    assert!(text(&root, "[data-testid=problems]").contains("job1.id"));
    assert!(root
        .query_selector("[data-testid=stale]")
        .unwrap()
        .is_some());
    assert_eq!(text(&root, "#plan-title"), title);
    // The exports say they give the last valid plan, not the edited scenario.
    let note = text(&root, "[data-testid=exports-note]");
    assert!(note.contains("last valid plan"), "{note}");
    type_into(&root, "#f-job1\\.id", "a1b2c3d4e5f60718293a4b5c6d7e8f90").await;
    assert!(root
        .query_selector("[data-testid=exports-note]")
        .unwrap()
        .is_none());

    // Unknown keys from a link get a field of their own, with the problem.
    let root2 = wrapper();
    let _app2 = mount_to(
        root2.clone(),
        || view! { <Planner initial="platform=flink&from=1.17&to=1.20&colour=blue" /> },
    );
    tick().await;
    let extra: HtmlInputElement = find(&root2, "#f-colour").unchecked_into();
    assert_eq!(extra.value(), "blue");
    assert!(text(&root2, "#f-colour-error").contains("not a known key"));
    assert!(text(&root2, "#plan-title").contains("No plan yet"));
    // Without a plan, the summary does not speak of a last valid one (m6).
    let summary = text(&root2, "[data-testid=problems]");
    assert!(
        summary.contains("There is no plan until these are fixed"),
        "{summary}"
    );
}

/// Issue 3: switching the cluster type changes the HDInsight runbook.
#[wasm_bindgen_test]
async fn changing_the_cluster_type_changes_the_hdinsight_runbook() {
    let root = wrapper();
    let initial = waymark_core::hdinsight::example_link();
    let _app = mount_to(
        root.clone(),
        move || view! { <Planner initial=initial.clone() /> },
    );
    tick().await;
    assert!(
        text(&root, "#plan-title").contains("HBase"),
        "{}",
        text(&root, "#plan-title")
    );
    let steps = |root: &Element| {
        let list = root.query_selector_all("[data-testid=step]").unwrap();
        (0..list.length())
            .filter_map(|i| list.item(i).and_then(|n| n.text_content()))
            .collect::<Vec<String>>()
            .join("\n")
    };
    let hbase_steps = steps(&root);
    assert!(
        hbase_steps.contains("ZooKeeper"),
        "the HBase runbook cleans ZooKeeper"
    );

    choose(&root, "#f-cluster-type", "kafka").await;
    assert!(
        text(&root, "#plan-title").contains("Kafka"),
        "{}",
        text(&root, "#plan-title")
    );
    let kafka_steps = steps(&root);
    assert_ne!(kafka_steps, hbase_steps, "the runbook changed");
    assert!(
        kafka_steps.contains("producer"),
        "the Kafka runbook moves the producers"
    );
}

/// The change frame sits with the verdict (go/no-go and abort criteria in
/// view, the estimates folded away, the blanks for people on paper only); a
/// step shows what the script checks and what a person confirms. A blocked
/// plan has no frame.
#[wasm_bindgen_test]
async fn the_frame_and_the_checks_are_on_the_page() {
    let link = waymark_core::form::form("flink").unwrap().example;
    let plan = waymark_core::plan_link(&link).unwrap();
    let root = wrapper();
    let _app = mount_to(
        root.clone(),
        move || view! { <Planner initial=link.clone() /> },
    );
    tick().await;

    let frame = text(&root, "[data-testid=frame]");
    assert!(frame.contains("Go/no-go"), "{frame}");
    assert!(frame.contains(&plan.frame.go_no_go), "{frame}");
    assert!(frame.contains(&plan.frame.abort[0]), "{frame}");
    // The blanks are in the page, for print only (the tests load no
    // style sheet: style/main.css hides .print-only on screen).
    assert!(text(&root, "[data-testid=frame] .print-only").contains("Owner"));
    let summary: HtmlElement = find(&root, "[data-testid=frame] summary").unchecked_into();
    assert!(!find(&root, "[data-testid=frame] details").has_attribute("open"));
    summary.click();
    tick().await;
    assert!(find(&root, "[data-testid=frame] details").has_attribute("open"));
    assert!(find(&root, "[data-testid=frame] table")
        .text_content()
        .unwrap()
        .contains("Pre-flight"));

    let (_, step) = plan
        .steps()
        .find(|(_, s)| !s.checks.is_empty())
        .expect("a step with a check");
    let checks = text(&root, "[data-testid=checks]");
    assert!(checks.contains("Checked by the script"), "{checks}");
    assert!(checks.contains(&step.checks[0].holds), "{checks}");
    let copy = find(&root, "[data-testid=checks] button");
    assert!(copy
        .get_attribute("aria-label")
        .unwrap()
        .starts_with("Copy checks: "));
    let (_, asks) = plan
        .steps()
        .find(|(_, s)| !s.confirm.is_empty())
        .expect("a step a person confirms");
    assert_eq!(text(&root, "[data-testid=confirm]"), asks.confirm);

    choose(&root, "#f-to", "1.5").await;
    assert!(text(&root, "[data-testid=verdict]").contains("Blocked"));
    assert!(root
        .query_selector("[data-testid=frame]")
        .unwrap()
        .is_none());
}

#[wasm_bindgen_test]
async fn a_blocked_plans_steps_are_shown_but_not_offered_as_tasks() {
    let root = wrapper();
    let blocked = "v=1&platform=flink&from=1.20&to=2.0&uses=dataset&job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.jar=/a.jar";
    let _app = mount_to(root.clone(), move || view! { <Planner initial=blocked /> });
    tick().await;
    assert!(text(&root, "[data-testid=verdict]").contains("Blocked"));
    let steps = root
        .query_selector_all("[data-testid=step]")
        .unwrap()
        .length();
    assert!(steps > 0, "the runbook is still shown");
    assert_eq!(root.query_selector_all(".step__check").unwrap().length(), 0);
    assert!(text(&root, "[data-testid=step]").contains("Blocked: do not run"));
    // Nothing to tick, so no "0 of N steps done" counter (web review m5).
    assert!(root
        .query_selector("[data-testid=progress]")
        .unwrap()
        .is_none());
}

#[wasm_bindgen_test]
async fn one_main_landmark_and_every_command_box_reachable_by_keyboard() {
    let root = wrapper();
    let link = "v=1&platform=flink&from=1.17&to=1.20&job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.jar=/a.jar";
    let _app = mount_to(root.clone(), move || view! { <Planner initial=link /> });
    tick().await;
    assert_eq!(root.query_selector_all("main").unwrap().length(), 1);
    // The screen's command boxes (each also has a pre-broken copy for paper,
    // which print.css alone shows and tests/e2e/print.sh checks).
    let boxes = root.query_selector_all("pre.screen-only").unwrap();
    let paper = root.query_selector_all("pre.print-only").unwrap();
    assert_eq!(boxes.length(), paper.length());
    assert!(boxes.length() > 0, "no command box");
    for i in 0..boxes.length() {
        let pre: Element = boxes.item(i).unwrap().dyn_into().unwrap();
        assert_eq!(pre.get_attribute("tabindex").as_deref(), Some("0"));
        assert_eq!(pre.get_attribute("role").as_deref(), Some("region"));
        let label = pre.get_attribute("aria-label").unwrap_or_default();
        assert!(
            label.len() > 10,
            "command box {i} has no useful label: {label:?}"
        );
    }
}

/// Whether the `.field` holding the input with id `id` is hidden.
fn field_hidden(root: &Element, id: &str) -> bool {
    let input = find(root, &format!("[id='{id}']"));
    let field: HtmlElement = input.closest(".field").unwrap().unwrap().unchecked_into();
    field.hidden()
}

#[wasm_bindgen_test]
async fn a_deployments_own_fields_appear_only_for_it() {
    let root = wrapper();
    let link = "v=1&platform=flink&from=1.17&to=1.20&strategy=shadow-copy&old-home=/opt/flink-old&job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.jar=/a.jar";
    let _app = mount_to(root.clone(), move || view! { <Planner initial=link /> });
    tick().await;
    // A standalone session: its strategy and JobManagers, no target fields.
    assert!(!field_hidden(&root, "f-strategy"));
    assert!(!field_hidden(&root, "f-old-jobmanager"));
    for id in [
        "f-yarn-application",
        "f-namespace",
        "f-aws-region",
        "f-job1.resource",
    ] {
        assert!(
            field_hidden(&root, id),
            "{id} should be hidden for a standalone session"
        );
    }

    choose(&root, "#f-deployment", "yarn-session").await;
    assert!(!field_hidden(&root, "f-yarn-application"));
    assert!(!field_hidden(&root, "f-provided-lib-dirs"));
    assert!(!field_hidden(&root, "f-old-home"));
    for id in [
        "f-strategy",
        "f-old-jobmanager",
        "f-namespace",
        "f-job1.yarn-application",
    ] {
        assert!(
            field_hidden(&root, id),
            "{id} should be hidden for a YARN session"
        );
    }

    choose(&root, "#f-deployment", "operator").await;
    for id in [
        "f-namespace",
        "f-image",
        "f-old-image",
        "f-operator-version",
        "f-job1.resource",
    ] {
        assert!(
            !field_hidden(&root, id),
            "{id} should show for the operator"
        );
    }
    for id in ["f-old-home", "f-yarn-application", "f-job1.id"] {
        assert!(
            field_hidden(&root, id),
            "{id} should be hidden for the operator"
        );
    }
}

#[wasm_bindgen_test]
async fn a_value_for_another_deployment_stays_visible_with_its_problem() {
    let root = wrapper();
    let link = "v=1&platform=flink&from=1.17&to=1.20&deployment=yarn-session&strategy=shadow-copy";
    let _app = mount_to(root.clone(), move || view! { <Planner initial=link /> });
    tick().await;
    assert!(
        !field_hidden(&root, "f-strategy"),
        "a value the link gives stays visible"
    );
    let error = text(&root, "[id='f-strategy-error']");
    assert!(
        error.contains("does not apply to deployment=yarn-session"),
        "{error}"
    );
}

#[wasm_bindgen_test]
async fn the_examples_installation_directories_follow_the_versions() {
    let root = wrapper();
    let example = waymark_core::form::form("flink").unwrap().example;
    let _app = mount_to(root.clone(), move || view! { <Planner initial=example /> });
    tick().await;
    choose(&root, "#f-to", "2.0").await;
    choose(&root, "#f-from", "1.18").await;
    let boxes = root.query_selector_all("pre.screen-only").unwrap();
    let mut all = String::new();
    for i in 0..boxes.length() {
        all.push_str(&boxes.item(i).unwrap().text_content().unwrap_or_default());
        all.push('\n');
    }
    assert!(
        all.contains("/opt/flink-2.0/bin/flink"),
        "the new home follows To"
    );
    assert!(
        all.contains("/opt/flink-1.18/bin/flink"),
        "the old home follows From"
    );
    for stale in ["/opt/flink-1.20/", "/opt/flink-1.17/"] {
        assert!(!all.contains(stale), "a command still names {stale}");
    }
}

const TWO_JOBS: &str = "v=1&platform=flink&from=1.18&to=1.20&job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.name=orders&job1.jar=/a.jar&job2.id=0f9e8d7c6b5a49382716051423324150&job2.name=payments&job2.jar=/b.jar";

/// Ticks the checkboxes of the steps with these ids.
async fn tick_steps(root: &Element, ids: &[&str]) {
    for id in ids {
        let b: HtmlInputElement = find(root, &format!("[id='step-{id}']")).unchecked_into();
        if !b.checked() {
            b.click();
        }
    }
    tick().await;
}

#[wasm_bindgen_test]
async fn progress_survives_edits_that_keep_the_change() {
    storage().clear().unwrap();
    let root = wrapper();
    let _app = mount_to(root.clone(), || view! { <Planner initial=TWO_JOBS /> });
    tick().await;
    tick_steps(&root, &["cutover.1.stop.1", "cutover.1.stop.2"]).await;
    let before = ticked(&root);
    assert_eq!(before.len(), 2, "{before:?}");

    // A new job name and another uids answer: the same change, same ticks.
    type_into(&root, "#f-job1\\.name", "orders-eu").await;
    choose(&root, "#f-uids", "some").await;
    assert_eq!(ticked(&root), before);
    assert!(root
        .query_selector("[data-testid=progress-missing]")
        .unwrap()
        .is_none());

    // Another target version is another change: its own (empty) progress;
    // going back brings the ticks back.
    choose(&root, "#f-to", "1.19").await;
    assert!(ticked(&root).is_empty());
    choose(&root, "#f-to", "1.20").await;
    assert_eq!(ticked(&root), before);

    // Removing job 2 drops its step; the page says a tick is not shown.
    button(&root, "Remove payments").click();
    tick().await;
    assert_eq!(ticked(&root).len(), 1);
    let note = text(&root, "[data-testid=progress-missing]");
    assert!(
        note.starts_with("1 ticked step is not in this plan any more"),
        "{note}"
    );
}

#[wasm_bindgen_test]
async fn a_link_with_progress_opens_with_its_ticks_and_never_overwrites_without_asking() {
    storage().clear().unwrap();
    // What the sender ticked, as "Copy link with progress" writes it.
    let sender = wrapper();
    let app = mount_to(sender.clone(), || view! { <Planner initial=TWO_JOBS /> });
    tick().await;
    tick_steps(&sender, &["cutover.1.stop.1", "cutover.1.resume.1"]).await;
    let theirs = ticked(&sender);
    assert_eq!(theirs.len(), 2);
    let ids: Vec<String> = theirs
        .iter()
        .map(|id| id.trim_start_matches("step-").to_string())
        .collect();
    drop(app);

    // A fresh browser: the link's ticks are shown.
    storage().clear().unwrap();
    let fragment = format!("progress=1:{}", ids.join(","));
    let receiver = wrapper();
    let f = fragment.clone();
    let app = mount_to(
        receiver.clone(),
        move || view! { <Planner initial=TWO_JOBS progress=f.clone() /> },
    );
    tick().await;
    assert_eq!(ticked(&receiver), theirs);
    drop(app);

    // A browser with its own, other progress: asked, nothing replaced yet.
    storage().clear().unwrap();
    let own = wrapper();
    let app = mount_to(own.clone(), || view! { <Planner initial=TWO_JOBS /> });
    tick().await;
    tick_steps(&own, &["cutover.1.stop.2"]).await;
    let mine = ticked(&own);
    drop(app);
    let asked = wrapper();
    let f = fragment.clone();
    let _app = mount_to(
        asked.clone(),
        move || view! { <Planner initial=TWO_JOBS progress=f.clone() /> },
    );
    tick().await;
    assert!(text(&asked, "[data-testid=shared-progress]")
        .contains("This link carries progress: 2 ticked steps"));
    assert_eq!(ticked(&asked), mine, "nothing replaced before the choice");
    button(&asked, "Use the link's progress").click();
    tick().await;
    assert_eq!(ticked(&asked), theirs);
    assert!(asked
        .query_selector("[data-testid=shared-progress]")
        .unwrap()
        .is_none());

    // Progress in a format this version does not read is said, not guessed.
    let odd = wrapper();
    let _app = mount_to(
        odd.clone(),
        || view! { <Planner initial=TWO_JOBS progress="progress=9:x" /> },
    );
    tick().await;
    assert!(text(&odd, "[data-testid=shared-progress]").contains("could not be read"));
}

/// Web review m15: a link of 5,000 unknown keys lists the first problems
/// and extra keys, and the rest on request; the time to show is printed.
#[wasm_bindgen_test]
async fn thousands_of_unknown_keys_stay_usable() {
    let mut link = String::from("v=1&platform=flink&from=1.17&to=1.20");
    for n in 1..=5000 {
        link.push_str(&format!("&u{n}=x"));
    }
    let root = wrapper();
    let start = js_sys::Date::now();
    let _app = mount_to(
        root.clone(),
        move || view! { <Planner initial=link.clone() /> },
    );
    tick().await;
    let shown = js_sys::Date::now() - start;
    console_log!("5,000 unknown keys: problems shown in {shown:.0} ms");
    let summary = text(&root, "[data-testid=problems] h3");
    assert_eq!(summary, "5000 problems in the scenario");
    let count = |selector: &str| root.query_selector_all(selector).unwrap().length() as usize;
    let cap = waymark_web::components::SHOWN_AT_ONCE;
    assert_eq!(count("#problems-list li"), cap);
    assert_eq!(count(".extras .extra"), cap);
    button(
        &root,
        &format!("Show all 5000 problems: {} more", 5000 - cap),
    )
    .click();
    tick().await;
    assert_eq!(count("#problems-list li"), 5000);
    assert_eq!(
        count(".extras .extra"),
        cap,
        "the keys stay cut until asked"
    );
    button(&root, &format!("Show all 5000 keys: {} more", 5000 - cap)).click();
    tick().await;
    assert_eq!(count(".extras .extra"), 5000);
    button(&root, &format!("Show the first {cap} problems only")).click();
    tick().await;
    assert_eq!(count("#problems-list li"), cap);
}
