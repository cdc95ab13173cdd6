//! Waymark web app: the scenario form and the plan, in the browser.
//!
//! The scenario lives in the URL query string; the plan is
//! `waymark_core::plan_link` of it. See [`app`] for the page and
//! [`state`] for how the form edits the link.

pub mod app;
pub mod clipboard;
pub mod components;
pub mod context;
pub mod download;
pub mod fan_out;
pub mod history;
pub mod state;
pub mod storage;
pub mod url;
pub mod worker;

pub use app::{App, Planner};
