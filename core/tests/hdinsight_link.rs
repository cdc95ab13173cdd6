//! The HDInsight link keys: round trips and problems that name the key.

mod hdinsight_common;

use waymark_core::hdinsight::{self, Scenario};
use waymark_core::Scenario as AnyScenario;

fn problems(link: &str) -> Vec<waymark_core::Problem> {
    AnyScenario::from_link(link).unwrap_err()
}

#[test]
fn links_round_trip() {
    for (name, link) in hdinsight_common::scenarios() {
        let s = AnyScenario::from_link(&link).unwrap_or_else(|p| panic!("{name}: {p:?}"));
        let again = AnyScenario::from_link(&s.to_link()).unwrap();
        assert_eq!(s, again, "{name}");
    }
    let example = hdinsight::example_link();
    let AnyScenario::HdInsight(s) = AnyScenario::from_link(&example).unwrap() else {
        panic!()
    };
    assert_eq!(s, Scenario::example());
}

#[test]
fn the_issue_example_link_is_accepted() {
    let link = "platform=hdinsight&from=4.0&to=5.1&cluster-type=hbase&cluster=sales-hb-40&new-cluster=sales-hb-51&resource-group=data-rg&location=westeurope&vnet=data-vnet&subnet=hdi&storage-account=salesdata&storage-container=sales-hb-40&new-container=sales-hb-51&workers=4&accelerated-writes=yes&esp=no&metastore=external";
    let plan = waymark_core::plan_link(link).unwrap();
    assert_eq!(plan.verdict, waymark_core::plan::Verdict::Direct);
}

#[test]
fn unknown_keys_and_values_are_problems_naming_the_key() {
    let base = hdinsight_common::link("hbase", "4.0", "5.1");
    let p = problems(&format!("{base}&colour=blue"));
    assert_eq!(p[0].key.as_deref(), Some("colour"));
    assert!(p[0].message.contains("cluster-type"));

    let p = problems(&base.replace("to=5.1", "to=5.2"));
    assert_eq!(p[0].key.as_deref(), Some("to"));
    assert!(p[0].message.contains("3.6, 4.0, 5.0, 5.1"));

    let p = problems(&base.replace("cluster-type=hbase", "cluster-type=storm"));
    assert_eq!(p[0].key.as_deref(), Some("cluster-type"));
    assert!(p[0].message.contains("interactivehive"));

    let p = problems(&base.replace("accelerated-writes=yes", "accelerated-writes=maybe"));
    assert_eq!(p[0].key.as_deref(), Some("accelerated-writes"));

    let p = problems(&format!("{base}&date=2026-13-01"));
    assert_eq!(p[0].key.as_deref(), Some("date"));

    let p = problems(&base.replace("storage-account=salesdata", "storage-account=Sales_Data"));
    assert_eq!(p[0].key.as_deref(), Some("storage-account"));

    let p = problems(&format!(
        "{base}&new-container=sales-hb-40&storage-container=sales-hb-40"
    ));
    assert!(p.iter().any(|p| p.key.as_deref() == Some("new-container")));

    let p = problems(&base.replace("&subnet=hdi", ""));
    assert_eq!(p[0].key.as_deref(), Some("subnet"));

    let p = problems(&format!("{base}&esp=yes"));
    assert!(p.iter().any(|p| p.key.as_deref() == Some("domain")));

    let spark = hdinsight_common::link("spark", "4.0", "5.1");
    let p = problems(&spark.replace("&metastore-user=hiveadmin", ""));
    assert_eq!(p[0].key.as_deref(), Some("metastore-user"));
}

#[test]
fn keys_of_another_cluster_type_are_noted_not_rejected() {
    // Switching the cluster type in the form keeps the other type's keys: the
    // plan says they are not used instead of refusing the whole scenario.
    let spark = hdinsight_common::link("spark", "4.0", "5.1");
    let plan = waymark_core::plan_link(&format!("{spark}&accelerated-writes=yes&disks-per-node=8"))
        .unwrap();
    let noted: Vec<&str> = plan
        .findings
        .iter()
        .filter(|f| f.code == "hdinsight.ignored-key")
        .map(|f| f.title.as_str())
        .collect();
    assert_eq!(noted.len(), 2, "{noted:?}");
    assert!(noted.iter().any(|t| t.contains("accelerated-writes")));
    assert!(noted.iter().any(|t| t.contains("disks-per-node")));
    let plain = waymark_core::plan_link(&spark).unwrap();
    assert_eq!(
        plain.phases, plan.phases,
        "ignored keys change nothing in the runbook"
    );
}

#[test]
fn missing_required_keys_are_named() {
    let p = problems("platform=hdinsight");
    let keys: Vec<&str> = p.iter().filter_map(|p| p.key.as_deref()).collect();
    for k in [
        "from",
        "to",
        "cluster-type",
        "cluster",
        "resource-group",
        "storage-account",
    ] {
        assert!(keys.contains(&k), "{k} in {keys:?}");
    }
}

#[test]
fn the_date_key_drives_the_rules_and_stays_in_the_link() {
    let link = hdinsight_common::link("spark", "4.0", "5.0") + "&date=2024-06-01";
    let plan = waymark_core::plan_link(&link).unwrap();
    assert!(plan.link.contains("date=2024-06-01"));
    let today = waymark_core::plan_link(&hdinsight_common::link("spark", "4.0", "5.0")).unwrap();
    assert!(!today.link.contains("date="));
    assert_eq!(today.verdict, waymark_core::plan::Verdict::Blocked);
}

#[test]
fn the_form_covers_the_keys() {
    let form = hdinsight::form();
    assert_eq!(form.platform, "hdinsight");
    assert_eq!(form.example, hdinsight::example_link());
    let keys: Vec<&str> = form
        .sections
        .iter()
        .flat_map(|s| s.fields.iter().map(|f| f.key))
        .collect();
    let group = form.group.as_ref().expect("the consumer groups");
    for key in hdinsight::KEYS.split(", ") {
        if key == "v" || key == "platform" {
            continue;
        }
        if let Some(field) = key.strip_prefix("group<N>.") {
            assert!(
                group.fields.iter().any(|f| f.key == field),
                "form lacks {key}"
            );
            continue;
        }
        assert!(keys.contains(&key), "form lacks {key}");
    }
}
