//! Citations. Every rule, finding and step links the public page it rests on.

use serde::Serialize;

/// A public source: what it is and where it lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Source {
    pub title: &'static str,
    pub url: &'static str,
}

impl Source {
    pub const fn new(title: &'static str, url: &'static str) -> Self {
        Source { title, url }
    }
}
