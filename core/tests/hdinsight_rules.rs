//! Invariants of the HDInsight facts and rules.

mod hdinsight_common;

use waymark_core::hdinsight::rules::{self, RULES};
use waymark_core::hdinsight::versions::{self, ClusterType, Hdi, Support, CLUSTER_TYPES, INFO};
use waymark_core::hdinsight::{sources, Date, TODAY};
use waymark_core::plan::{Host, Severity, Value, Verdict, Word};

#[test]
fn version_dates_are_ordered() {
    for i in &INFO {
        if let Some(b) = i.basic_from {
            assert!(i.released < b, "{}", i.version);
        }
        if let (Some(b), Some(e)) = (i.basic_from, i.support_ends) {
            assert!(b <= e, "{}", i.version);
        }
        if let (Some(e), Some(r)) = (i.support_ends, i.retired_on) {
            assert!(e <= r, "{}", i.version);
        }
        assert!(!i.sources.is_empty());
    }
    for w in INFO.windows(2) {
        assert!(w[0].version < w[1].version);
    }
}

#[test]
fn on_the_reference_date_only_5_1_is_creatable() {
    assert_eq!(TODAY, Date::ymd(2026, 11, 20));
    for v in [Hdi::V36, Hdi::V40, Hdi::V50] {
        assert_eq!(versions::support(v, TODAY), Support::Retired);
    }
    assert_eq!(versions::support(Hdi::V51, TODAY), Support::Standard);
    assert_eq!(versions::newest_creatable(TODAY), Some(Hdi::V51));
    assert_eq!(
        versions::support(Hdi::V40, Date::ymd(2024, 6, 1)),
        Support::Basic
    );
    assert_eq!(
        versions::support(Hdi::V40, Date::ymd(2025, 3, 31)),
        Support::Retired
    );
    assert_eq!(
        versions::support(Hdi::V51, Date::ymd(2023, 10, 31)),
        Support::NotReleased
    );
}

#[test]
fn component_version_table_is_complete() {
    use ClusterType::*;
    let expect = [
        (Hadoop, [Some("3.1"), None, Some("3.3")]),
        (Spark, [Some("2.4"), Some("3.1"), Some("3.3")]),
        (Kafka, [Some("2.1"), Some("2.4"), Some("3.2")]),
        (HBase, [Some("2.1"), None, Some("2.4")]),
        (InteractiveHive, [Some("3.1"), Some("3.1"), Some("3.1")]),
    ];
    for (t, row) in expect {
        for (v, want) in [Hdi::V40, Hdi::V50, Hdi::V51].into_iter().zip(row) {
            assert_eq!(versions::component_version(t, v), want, "{t:?} {v}");
            if let Some(cv) = want {
                // Major.minor only: Azure rejects full versions such as 2.4.1.
                assert_eq!(cv.split('.').count(), 2, "{cv}");
            }
        }
    }
    for (_, t) in CLUSTER_TYPES {
        assert!(versions::offered(t, Hdi::V36));
        assert!(versions::component(Hdi::V51, t.main_component()).is_some());
    }
}

#[test]
fn rule_codes_are_unique_and_cited() {
    let mut codes: Vec<&str> = RULES.iter().map(|r| r.code).collect();
    codes.sort_unstable();
    let n = codes.len();
    codes.dedup();
    assert_eq!(codes.len(), n, "duplicate rule codes");
    for r in RULES {
        assert!(r.code.starts_with("hdinsight."));
        assert!(!r.sources.is_empty(), "{}", r.code);
        assert!(
            r.severity != Severity::Blocker,
            "{}: blockers come from rules::blockers",
            r.code
        );
    }
    for s in sources::ALL {
        assert!(s.url.starts_with("https://"), "{}", s.url);
    }
}

#[test]
fn every_plan_cites_sources_and_keeps_secrets_out_of_remote_commands() {
    for (name, link) in hdinsight_common::scenarios() {
        let plan = waymark_core::plan_link(&link).unwrap();
        assert_eq!(plan.facts_checked, "2026-11-20");
        for f in &plan.findings {
            assert!(!f.sources.is_empty(), "{name}: {} has no source", f.code);
        }
        let hidden: Vec<&str> = plan
            .variables
            .iter()
            .filter(|v| matches!(v.value, Value::Secret | Value::Captured))
            .map(|v| v.name.as_str())
            .collect();
        for (_, step) in plan.steps() {
            assert!(
                !step.sources.is_empty(),
                "{name}: step {} has no source",
                step.id
            );
            // Commands, the commands of checks and the reads that recover a
            // captured value all obey the same rules.
            let checks = step.checks.iter().map(|k| &k.command);
            let recovers = step.commands.iter().filter_map(|c| c.recover.as_deref());
            for c in step.commands.iter().chain(checks).chain(recovers) {
                if let Host::Ssh { target, .. } = &c.host {
                    assert!(
                        plan.variables.iter().any(|v| &v.name == target),
                        "{name}: {target}"
                    );
                    let shown = plan.show(c);
                    for h in &hidden {
                        assert!(
                            !shown.contains(&format!("${h}")),
                            "{name}: {h} in a remote command"
                        );
                    }
                }
                // Every variable a command names is declared, or is a person's shell variable on a node.
                fn names(w: &[Word], out: &mut Vec<String>) {
                    for x in w {
                        match x {
                            Word::Var(n) | Word::Array(n) => out.push(n.to_string()),
                            Word::Join(p) => names(p, out),
                            _ => {}
                        }
                    }
                }
                let mut used = Vec::new();
                names(&c.words, &mut used);
                for u in used {
                    // SECRET_DIR is the script's private directory, made at run time.
                    assert!(
                        u == "SECRET_DIR" || plan.variables.iter().any(|v| v.name == u),
                        "{name}: {u} undeclared"
                    );
                }
            }
        }
        // Secrets never appear in the link or the exports.
        assert!(!plan.link.contains("password"));
        let json = waymark_core::render::json::render(&plan);
        assert!(!json.contains("hunter2"));
    }
}

#[test]
fn retired_targets_block_and_name_5_1() {
    for t in hdinsight_common::TYPES {
        for (from, to) in [("3.6", "4.0"), ("3.6", "5.0"), ("4.0", "5.0")] {
            let plan = waymark_core::plan_link(&hdinsight_common::link(t, from, to)).unwrap();
            assert_eq!(plan.verdict, Verdict::Blocked, "{t} {from}->{to}");
            assert!(
                plan.blockers().any(|b| b.action.contains("to=5.1")),
                "{t} {from}->{to}"
            );
            assert!(plan.phases.is_empty());
        }
        for from in ["3.6", "4.0", "5.0"] {
            let plan = waymark_core::plan_link(&hdinsight_common::link(t, from, "5.1")).unwrap();
            let missing_source = from == "5.0" && (t == "hadoop" || t == "hbase");
            assert_eq!(
                plan.verdict == Verdict::Blocked,
                missing_source,
                "{t} {from}->5.1"
            );
        }
    }
}

#[test]
fn basic_support_is_a_warning_on_its_date() {
    let link = hdinsight_common::link("spark", "4.0", "5.0") + "&date=2024-06-01";
    let plan = waymark_core::plan_link(&link).unwrap();
    assert_eq!(plan.verdict, Verdict::Direct);
    let codes: Vec<&str> = plan.findings.iter().map(|f| f.code).collect();
    assert!(codes.contains(&"hdinsight.source-basic"));
    assert!(codes.contains(&"hdinsight.target-basic"));
    assert!(plan.summary.contains("2024-06-01"));
}

#[test]
fn downgrades_and_same_version_block() {
    for (from, to, code) in [
        ("5.1", "4.0", "hdinsight.downgrade"),
        ("5.1", "5.1", "hdinsight.same-version"),
    ] {
        let link = hdinsight_common::link("kafka", from, to)
            .replace("new-cluster=events-kf-51", "new-cluster=events-kf-51b");
        let plan = waymark_core::plan_link(&link).unwrap();
        assert_eq!(plan.verdict, Verdict::Blocked);
        assert!(plan.blockers().any(|b| b.code == code));
    }
}

#[test]
fn create_uses_major_minor_component_versions() {
    let plan = waymark_core::plan_link(&hdinsight_common::link("kafka", "4.0", "5.1")).unwrap();
    let create = plan
        .steps()
        .flat_map(|(_, s)| s.commands.iter())
        .map(|c| plan.show(c))
        .find(|c| c.starts_with("az hdinsight create"))
        .unwrap();
    assert!(
        create.contains("--component-version Kafka=3.2 "),
        "{create}"
    );
    assert!(create.contains("--http-password \"$HTTP_PASSWORD\""));
    assert!(create.contains("--workernode-data-disks-per-node 4"));
    let _ = rules::RULES;
}
