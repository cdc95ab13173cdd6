//! Waymark's core: rules (data) -> planner -> plan (plain data) -> renderers.
//!
//! Pure Rust, no browser or I/O dependencies. Nothing here panics on input:
//! bad input comes back as [`link::Problem`]s that name the key and say what
//! is allowed.
//!
//! The entry point is [`plan_link`]: a scenario link (or its query string) in,
//! a [`plan::Plan`] out. Renderers in [`render`] turn a plan into Markdown, a
//! bash script or JSON.

pub mod flink;
pub mod form;
pub mod hdinsight;
pub mod link;
pub mod plan;
pub mod render;
pub mod scenario;
pub mod shell;
pub mod source;
pub mod version;

pub use link::Problem;
pub use plan::Plan;
pub use scenario::Scenario;

/// Parses a scenario link and plans it as of `today_unix_days` (days since
/// 1970-01-01), the date HDInsight's support rules use unless the link sets
/// `date`.
pub fn plan_link_on(input: &str, today_unix_days: i64) -> Result<Plan, Vec<Problem>> {
    Ok(Scenario::from_link(input)?.plan_on(today_unix_days))
}

/// Parses a scenario link and plans it with the rules' reference date.
///
/// `input` may be a whole URL, a query string with or without the leading
/// `?`, or empty (an error naming the missing `platform` key).
pub fn plan_link(input: &str) -> Result<Plan, Vec<Problem>> {
    let scenario = Scenario::from_link(input)?;
    Ok(scenario.plan())
}
