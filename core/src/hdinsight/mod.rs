//! Azure HDInsight: migrating to a new cluster of a newer version.
//!
//! - [`date`]: calendar dates; the date-dependent rules take one as input.
//! - [`versions`]: versions, support dates, components, `--component-version`.
//! - [`rules`]: blockers, date findings and workload rules, as data.
//! - [`runbook`]: the phases and steps (HBase, Kafka, the general workflow).
//! - [`scenario`] and [`form`]: the link keys and the web form.
//!
//! The plan depends on the day it is made for (which versions are retired).
//! The core has no clock: [`plan`] uses the scenario's `date=` key or
//! [`TODAY`]; the CLI and web app put the real current date into the
//! scenario (see [`Scenario::date`]) before planning.

pub mod date;
pub mod form;
pub mod rules;
pub mod runbook;
pub mod scenario;
pub mod sources;
pub mod versions;

pub use date::Date;
pub use scenario::{Scenario, KEYS};

use crate::plan::{Plan, Severity, Verdict};
use crate::scenario::Scenario as AnyScenario;

/// When the HDInsight facts were last checked against their sources.
pub const FACTS_CHECKED: &str = "2026-11-20";

/// The evaluation date when neither the scenario nor the caller gives one.
/// Callers with a clock (the CLI, the web app) use `waymark_core::plan_link_on`
/// with the real date instead; this fixed value keeps tests deterministic.
pub const TODAY: Date = Date::ymd(2026, 11, 20);

/// Plans `s` for its own date, or [`TODAY`].
pub fn plan(s: &Scenario) -> Plan {
    plan_on(s, s.date.unwrap_or(TODAY))
}

/// Plans `s` as of `on`.
pub fn plan_on(s: &Scenario, on: Date) -> Plan {
    let t = s.cluster_type;
    let title = format!("HDInsight {} {} → {}", t.label(), s.from, s.to);
    let link = s.to_link();
    let path = vec![s.from.to_string(), s.to.to_string()];
    let blockers = rules::blockers(s, on);
    if !blockers.is_empty() {
        let mut findings = blockers;
        findings.extend(rules::date_findings(s, on).into_iter().filter(|f| {
            f.code == "hdinsight.source-retired" || f.code == "hdinsight.source-basic"
        }));
        crate::plan::sort_by_severity(&mut findings);
        return Plan {
            platform: "hdinsight",
            title,
            verdict: Verdict::Blocked,
            summary: format!(
                "A new {} cluster of HDInsight {} cannot be planned from {} as of {on}. See the blockers for why and what to choose instead.",
                t.label(),
                s.to,
                s.from
            ),
            path,
            facts_checked: FACTS_CHECKED,
            findings,
            phases: Vec::new(),
            variables: Vec::new(),
            link,
            frame: crate::plan::Frame::default(),
        };
    }
    let mut findings = rules::findings(s, on);
    for (key, why) in &s.ignored {
        findings.push(crate::plan::Finding {
            severity: Severity::Info,
            code: "hdinsight.ignored-key",
            title: format!("{key} is not used for {} clusters", t.label()),
            detail: format!("The link sets {key}, but {why}."),
            action: format!("Remove {key} from the link, or pick the cluster type it belongs to."),
            sources: vec![sources::UPGRADE],
        });
    }
    debug_assert!(findings.iter().all(|f| f.severity != Severity::Blocker));
    let ctx = runbook::Context::new(s);
    let phases = runbook::phases(&ctx);
    let how = match t {
        versions::ClusterType::HBase if s.other_account() => "copy the HBase data into a new cluster on the new storage account",
        versions::ClusterType::HBase => "create a new cluster beside the old one and hand it the old cluster's storage in a short downtime",
        versions::ClusterType::Kafka => "create a new cluster beside the old one and move producers, then consumers",
        _ => "test on a temporary cluster, create the new cluster beside the old one before the downtime, then in the downtime move the jobs to it with a fresh copy of the metastore; the old cluster goes only after the soak",
    };
    let main = t.main_component();
    let summary = format!(
        "HDInsight has no in-place upgrades: {how}. {main} {} → {}. Support dates evaluated as of {on}.",
        versions::component(s.from, main).unwrap_or("?"),
        versions::component(s.to, main).unwrap_or("?"),
    );
    Plan {
        platform: "hdinsight",
        title,
        verdict: Verdict::Direct,
        summary,
        path,
        facts_checked: FACTS_CHECKED,
        findings,
        phases,
        frame: runbook::frame(&ctx),
        variables: ctx.vars,
        link,
    }
}

/// An example scenario link: HBase 4.0 → 5.1 on the same storage account.
pub fn example_link() -> String {
    AnyScenario::HdInsight(Scenario::example()).to_link()
}

/// The HDInsight scenario form.
pub fn form() -> crate::form::Form {
    form::form()
}
