//! Back and Forward over the scenario (web review m14): a deliberate edit
//! gets its own history entry, so Back restores the scenario before it.
//!
//! An edit opens an entry (history.pushState); while the person goes on
//! typing the entry is updated in place (replaceState); it closes when a
//! field is left (its `change` event) or after [`PAUSE`] without edits, and
//! the next edit opens another. Back and Forward (popstate) load the entry's
//! scenario into the form without opening one.

use std::time::Duration;

use leptos::prelude::*;

use crate::context::Ctx;
use crate::state::Query;
use crate::url;

/// Edits closer together than this are one history entry.
pub const PAUSE: Duration = Duration::from_millis(1500);

/// The history entry the page is on. `Copy`; provided by
/// [`crate::Planner`] when it keeps the address bar.
#[derive(Clone, Copy)]
pub struct History {
    /// The link of the current entry.
    entry: StoredValue<String>,
    /// The current entry is an edit still going on: changes update it.
    open: StoredValue<bool>,
    /// Counts edits, so only the last one's pause closes the entry.
    edits: StoredValue<u64>,
}

impl History {
    /// Keeps the address bar on `ctx.link` and answers Back and Forward.
    pub fn start(ctx: Ctx) -> History {
        let history = History {
            entry: StoredValue::new(ctx.link.get_untracked()),
            open: StoredValue::new(false),
            edits: StoredValue::new(0),
        };
        Effect::new(move |_| history.follow(&ctx.link.get()));
        let listener = window_event_listener(leptos::ev::popstate, move |_| {
            let query = Query::parse(&url::read_query());
            history.close();
            history.entry.set_value(query.to_link());
            ctx.query.set(query);
            ctx.announce("Opened the scenario of that history entry");
        });
        on_cleanup(move || listener.remove());
        history
    }

    /// Ends the current edit: the next change opens a new entry.
    pub fn close(&self) {
        self.open.set_value(false);
    }

    fn follow(&self, link: &str) {
        if self.open.get_value() || self.entry.with_value(|e| e == link) {
            url::write_query(link);
        } else {
            url::push_query(link);
            self.open.set_value(true);
        }
        self.entry.set_value(link.to_string());
        let edit = self.edits.get_value() + 1;
        self.edits.set_value(edit);
        let this = *self;
        set_timeout(
            move || {
                if this.edits.try_get_value() == Some(edit) {
                    this.close();
                }
            },
            PAUSE,
        );
    }
}
