//! A scenario: everything a plan depends on, read from a link.

use crate::flink;
use crate::hdinsight;
use crate::link::{query_part, Pairs, Problem, Reader};
use crate::plan::Plan;

/// The link format version this build reads and writes (`v=1`).
pub const LINK_VERSION: &str = "1";

// One scenario exists per plan, so the variants' sizes do not matter; boxing
// would only complicate every match on it.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Scenario {
    Flink(flink::Scenario),
    HdInsight(hdinsight::Scenario),
}

impl Scenario {
    /// Reads a scenario from a link, a query string or an empty string.
    pub fn from_link(input: &str) -> Result<Scenario, Vec<Problem>> {
        let pairs = Pairs::parse(query_part(input))?;
        let mut reader = Reader::new(&pairs);
        if let Some(v) = reader.text("v") {
            if v != LINK_VERSION {
                return Err(vec![Problem::at(
                    "v",
                    format!("link format `{v}` is not one this Waymark reads; it reads v={LINK_VERSION}"),
                )]);
            }
        }
        let platform = reader.choice("platform", &[("flink", 0), ("hdinsight", 1)]);
        match (platform, pairs.get("platform")) {
            (Some(0), _) => flink::Scenario::read(reader).map(Scenario::Flink),
            (Some(_), _) => hdinsight::Scenario::read(reader).map(Scenario::HdInsight),
            // Absent or empty: nothing else said what is wrong.
            (None, _) if reader.problems.is_empty() => Err(vec![Problem::at(
                "platform",
                "is missing: use flink or hdinsight",
            )]),
            (None, _) => Err(reader.problems),
        }
    }

    /// The canonical link query string (without `?`).
    pub fn to_link(&self) -> String {
        match self {
            Scenario::Flink(s) => s.to_link(),
            Scenario::HdInsight(s) => s.to_link(),
        }
    }

    /// Plans with `today` (days since 1970-01-01) as the date that
    /// date-dependent rules use when the link names none. The core has no
    /// clock: the CLI and the web app pass the real date.
    pub fn plan_on(&self, today_unix_days: i64) -> Plan {
        match self {
            Scenario::Flink(s) => flink::plan(s),
            Scenario::HdInsight(s) => {
                let today = hdinsight::Date::from_unix_days(today_unix_days);
                hdinsight::plan_on(s, s.date.unwrap_or(today))
            }
        }
    }

    /// Plans with the rules' fixed reference date (deterministic; tests).
    pub fn plan(&self) -> Plan {
        match self {
            Scenario::Flink(s) => flink::plan(s),
            Scenario::HdInsight(s) => hdinsight::plan(s),
        }
    }
}
