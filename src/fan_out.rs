//! Signals per key that follow one shared value.
//!
//! A signal read by thousands of components costs each of them on every
//! change: each reader runs again and re-subscribes, in a subscriber list as
//! long as the readers, which froze the form and the runbook at 200 jobs.
//! Through a [`FanOut`], a component reads only its key's signal, and a
//! change wakes only the readers of the keys whose value changed.

use std::collections::BTreeMap;

use leptos::prelude::*;

/// One signal per key, set from the shared value by [`FanOut::follow`].
pub struct FanOut<T: Send + Sync + 'static> {
    map: StoredValue<BTreeMap<String, ArcRwSignal<T>>>,
}

impl<T: Send + Sync + 'static> Clone for FanOut<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for FanOut<T> {}

impl<T: Clone + PartialEq + Send + Sync + 'static> FanOut<T> {
    pub fn new() -> Self {
        FanOut {
            map: StoredValue::new(BTreeMap::new()),
        }
    }

    /// The signal of `key`; the first time, it starts at `now()`.
    pub fn signal(&self, key: &str, now: impl FnOnce() -> T) -> Signal<T> {
        let signal = match self.map.with_value(|m| m.get(key).cloned()) {
            Some(s) => s,
            None => {
                let s = ArcRwSignal::new(now());
                self.map
                    .update_value(|m| drop(m.insert(key.to_string(), s.clone())));
                s
            }
        };
        signal.into()
    }

    /// Sets each key's signal to `value_of(key)` where that differs; the
    /// others stay quiet.
    pub fn follow(&self, value_of: impl Fn(&str) -> T) {
        let changed: Vec<(ArcRwSignal<T>, T)> = self.map.with_value(|m| {
            m.iter()
                .filter_map(|(key, s)| {
                    let v = value_of(key);
                    s.with_untracked(|now| *now != v).then(|| (s.clone(), v))
                })
                .collect()
        });
        for (s, v) in changed {
            s.set(v);
        }
    }
}

impl<T: Clone + PartialEq + Send + Sync + 'static> Default for FanOut<T> {
    fn default() -> Self {
        Self::new()
    }
}
