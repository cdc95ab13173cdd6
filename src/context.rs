//! The state every component shares, provided once by [`crate::Planner`].

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use leptos::prelude::*;
use waymark_core::{plan_link_on, Plan, Problem};

use crate::fan_out::FanOut;
use crate::state::Query;
use crate::storage;

/// The plan on screen: the newest good one, marked stale while the scenario
/// has problems.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    pub plan: Arc<Plan>,
    pub stale: bool,
}

/// Progress that came with the link (`#progress=1:…`).
#[derive(Debug, Clone, PartialEq)]
pub enum Shared {
    /// It differs from this browser's progress for the plan: ask before
    /// replacing it.
    Differs(BTreeSet<String>),
    /// It could not be read; the message says why.
    Unreadable(String),
}

/// Shared signals. `Copy`, so closures take it by value.
#[derive(Clone, Copy)]
pub struct Ctx {
    /// The form's state: the link's pairs.
    pub query: RwSignal<Query>,
    /// The link query string built from `query`.
    pub link: Memo<String>,
    /// The planner's answer for `link` (shared with `shown`, not copied).
    pub result: Memo<Result<Arc<Plan>, Vec<Problem>>>,
    /// Problems of the current scenario (empty when it plans).
    pub problems: Memo<Vec<Problem>>,
    /// The plan to show, if there ever was a good one.
    pub shown: Memo<Option<Shown>>,
    /// Each platform's last query, so switching back loses nothing.
    pub stash: StoredValue<BTreeMap<String, Query>>,
    /// Values set aside by a choice that other fields depend on (see
    /// [`Query::switch`]), so trying another deployment loses nothing.
    pub aside: RwSignal<Vec<(String, String)>>,
    /// Done step ids per progress key (the session's copy of storage).
    progress: RwSignal<BTreeMap<String, BTreeSet<String>>>,
    /// The progress key of the shown plan: the change it is for.
    pub progress_key: Memo<String>,
    /// Every step id stored as done for the shown plan's change, including
    /// steps an edit removed (they return if the edit is undone).
    stored: Memo<BTreeSet<String>>,
    /// Done step ids of the shown plan (only ids the plan has).
    pub done: Memo<BTreeSet<String>>,
    /// How many stored ticks are for steps the shown plan no longer has.
    pub missing: Memo<usize>,
    /// Progress a link brought that differs from this browser's: waiting
    /// for the person to choose (see [`Ctx::take_shared`]).
    pub shared: RwSignal<Option<Shared>>,
    /// Each link key's value, one signal per key (see [`FanOut`]).
    values: FanOut<String>,
    /// Whether each step is done.
    ticks: FanOut<bool>,
    /// Polite status messages ("Copied").
    pub status: RwSignal<String>,
    /// The date the plans are made on (days since 1970-01-01), fixed when
    /// the page starts; the exports worker plans with it too.
    pub today: i64,
}

impl Ctx {
    pub fn new(initial: Query) -> Ctx {
        // Date-dependent rules (HDInsight support windows) use today's date,
        // unless the link sets one.
        let today = (js_sys::Date::now() / 86_400_000.0).floor() as i64;
        let query = RwSignal::new(initial);
        let link = Memo::new(move |_| query.with(Query::to_link));
        let result = Memo::new(move |_| link.with(|l| plan_link_on(l, today).map(Arc::new)));
        let problems = Memo::new(move |_| match &*result.read() {
            Ok(_) => Vec::new(),
            Err(p) => p.clone(),
        });
        let shown = Memo::new(move |prev: Option<&Option<Shown>>| match &*result.read() {
            Ok(plan) => Some(Shown {
                plan: Arc::clone(plan),
                stale: false,
            }),
            Err(_) => prev.cloned().flatten().map(|s| Shown { stale: true, ..s }),
        });
        let progress = RwSignal::new(BTreeMap::<String, BTreeSet<String>>::new());
        let progress_key = Memo::new(move |_| {
            shown.with(|s| {
                s.as_ref()
                    .map(|s| storage::key(&s.plan.link))
                    .unwrap_or_default()
            })
        });
        let stored = Memo::new(move |_| {
            let key = progress_key.get();
            if key.is_empty() {
                return BTreeSet::new();
            }
            progress
                .with(|m| m.get(&key).cloned())
                .unwrap_or_else(|| load_or_migrate(&key, shown))
        });
        let done = Memo::new(move |_| {
            let all = stored.get();
            // Inserting one by one: collecting into a set would pull in a
            // standard-library sort (code size in the wasm).
            let mut done = BTreeSet::new();
            shown.with(|s| {
                if let Some(s) = s {
                    for (_, step) in s.plan.steps() {
                        if all.contains(&step.id) {
                            done.insert(step.id.clone());
                        }
                    }
                }
            });
            done
        });
        let missing = Memo::new(move |_| stored.with(BTreeSet::len) - done.with(BTreeSet::len));
        let values = FanOut::new();
        Effect::new(move |_| {
            query.with(|q| {
                let index = q.index();
                values.follow(|key| index.get(key).copied().unwrap_or_default().to_string());
            })
        });
        let ticks = FanOut::new();
        Effect::new(move |_| done.with(|d| ticks.follow(|id| d.contains(id))));
        Ctx {
            query,
            link,
            result,
            problems,
            shown,
            stash: StoredValue::new(BTreeMap::new()),
            aside: RwSignal::new(Vec::new()),
            progress,
            progress_key,
            stored,
            done,
            missing,
            values,
            ticks,
            shared: RwSignal::new(None),
            status: RwSignal::new(String::new()),
            today,
        }
    }

    /// Takes the progress a link brought (its `#progress=…` fragment): used
    /// at once when this browser has none for the plan (or the same), else
    /// kept in [`Ctx::shared`] until the person chooses. Returns what to
    /// announce.
    pub fn take_shared(&self, fragment: &str) -> Option<String> {
        match storage::parse_fragment(fragment) {
            Ok(None) => None,
            Err(why) => {
                self.shared.set(Some(Shared::Unreadable(why)));
                None
            }
            Ok(Some(ids)) => {
                let mine = self.stored.get_untracked();
                if mine == ids {
                    None
                } else if mine.is_empty() {
                    let n = ids.len();
                    self.store(ids);
                    Some(format!("Opened with the link's progress: {n} ticked"))
                } else {
                    self.shared.set(Some(Shared::Differs(ids)));
                    None
                }
            }
        }
    }

    /// Answers the question [`Ctx::take_shared`] left: `use_link` replaces
    /// this browser's progress for the plan with the link's.
    pub fn settle_shared(&self, use_link: bool) {
        if let Some(Shared::Differs(ids)) = self.shared.get_untracked() {
            if use_link {
                self.store(ids);
            }
        }
        self.shared.set(None);
    }

    /// Marks a step done or not, and stores the shown plan's progress.
    pub fn set_done(&self, step_id: &str, on: bool) {
        let mut done = self.stored.get_untracked();
        if on {
            done.insert(step_id.to_string());
        } else {
            done.remove(step_id);
        }
        self.store(done);
    }

    /// Clears the shown plan's progress.
    pub fn reset_progress(&self) {
        self.store(BTreeSet::new());
    }

    fn store(&self, done: BTreeSet<String>) {
        let key = self.progress_key.get_untracked();
        if key.is_empty() {
            return;
        }
        storage::save(&key, &done);
        self.progress.update(|m| {
            m.insert(key, done);
        });
    }

    /// Sets `key` to `value`. When other fields depend on `key` (such as the
    /// Flink deployment), values of fields that no longer apply are set
    /// aside and earlier ones that apply again come back, and the change is
    /// announced.
    pub fn set_value(&self, key: &str, value: &str) {
        let form = self
            .query
            .with_untracked(|q| waymark_core::form::form(q.platform()));
        let Some(form) = form.filter(|f| controls(f, key)) else {
            self.edit(|q| q.set(key, value));
            return;
        };
        let mut aside = self.aside.get_untracked();
        let mut switched = Default::default();
        self.edit(|q| switched = q.switch(key, value, &form, &mut aside));
        self.aside.set(aside);
        let crate::state::Switched {
            set_aside,
            restored,
        } = switched;
        let mut parts = Vec::new();
        if !set_aside.is_empty() {
            parts.push(format!(
                "Set aside {} (they do not apply here; choosing back restores them).",
                set_aside.join(", ")
            ));
        }
        if !restored.is_empty() {
            parts.push(format!("Restored {}.", restored.join(", ")));
        }
        if !parts.is_empty() {
            self.announce(parts.join(" "));
        }
    }

    /// Edits the scenario.
    pub fn edit(&self, f: impl FnOnce(&mut Query)) {
        self.query.update(f);
    }

    /// The messages of the problems at `key`.
    pub fn problems_at(&self, key: &str) -> Signal<Vec<String>> {
        let (problems, key) = (self.problems, key.to_string());
        Memo::new(move |_| problems.with(|ps| messages_at(ps, &key))).into()
    }

    /// The value of link key `key` (empty when the link has none).
    pub fn value(&self, key: &str) -> Signal<String> {
        let query = self.query;
        self.values.signal(key, || {
            query.with_untracked(|q| q.get(key).unwrap_or_default().to_string())
        })
    }

    /// Whether step `id` of the shown plan is done.
    pub fn tick(&self, id: &str) -> Signal<bool> {
        let done = self.done;
        self.ticks
            .signal(id, || done.with_untracked(|d| d.contains(id)))
    }

    /// Says `message` in the status live region, even if it repeats.
    pub fn announce(&self, message: impl Into<String>) {
        let status = self.status;
        let message = message.into();
        status.set(String::new());
        set_timeout(
            move || {
                let _ = status.try_set(message);
            },
            std::time::Duration::from_millis(60),
        );
    }
}

/// Whether other fields of `form` depend on `key`.
pub fn controls(form: &waymark_core::form::Form, key: &str) -> bool {
    form.sections
        .iter()
        .flat_map(|s| &s.fields)
        .chain(form.group.iter().flat_map(|g| &g.fields))
        .any(|fd| fd.when.is_some_and(|w| w.key == key))
}

/// The messages of the problems at `key`.
fn messages_at(problems: &[Problem], key: &str) -> Vec<String> {
    problems
        .iter()
        .filter(|p| p.key.as_deref() == Some(key))
        .map(|p| p.message.clone())
        .collect()
}

/// The stored progress for `key`; when there is none, what an earlier
/// version kept under the hash of the whole link, moved to `key`.
fn load_or_migrate(key: &str, shown: Memo<Option<Shown>>) -> BTreeSet<String> {
    let done = storage::load(key);
    if !done.is_empty() {
        return done;
    }
    let Some(link) = shown.with_untracked(|s| s.as_ref().map(|s| s.plan.link.clone())) else {
        return done;
    };
    let legacy = storage::legacy_key(&link);
    let old = storage::load(&legacy);
    if !old.is_empty() {
        storage::save(key, &old);
        storage::forget(&legacy);
    }
    old
}
