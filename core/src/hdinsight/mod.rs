//! Azure HDInsight: migrating to a new cluster of a newer version.

use crate::link::{Problem, Reader};
use crate::plan::{Plan, Verdict};

#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {}

impl Scenario {
    pub fn read(r: Reader<'_>) -> Result<Scenario, Vec<Problem>> {
        let _ = r;
        Err(vec![Problem::at(
            "platform",
            "hdinsight is not available yet",
        )])
    }
    pub fn to_link(&self) -> String {
        String::new()
    }
}

pub fn plan(_s: &Scenario) -> Plan {
    Plan {
        platform: "hdinsight",
        title: String::new(),
        verdict: Verdict::Blocked,
        summary: String::new(),
        path: Vec::new(),
        facts_checked: "",
        findings: Vec::new(),
        phases: Vec::new(),
        variables: Vec::new(),
        link: String::new(),
    }
}

/// An example scenario link.
pub fn example_link() -> String {
    String::new()
}
