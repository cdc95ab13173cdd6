//! Regressions from the review of the Kafka and Hive/Interactive Query
//! runbooks (issue 8): topic configs and ACLs, partition rebalance,
//! MirrorMaker stopped, the production cluster created before the downtime,
//! the old Hive stopped after the cutover, table lists compared, an empty
//! default metastore, and the Spark 3 Ambari section.

mod hdinsight_common;

use hdinsight_common::link;
use waymark_core::plan::{Plan, Step};
use waymark_core::render::Format;

fn plan(link: &str) -> Plan {
    waymark_core::plan_link(link).unwrap_or_else(|p| panic!("{link}: {p:?}"))
}

fn markdown(link: &str) -> String {
    Format::Markdown.render(&plan(link))
}

fn step<'a>(plan: &'a Plan, id: &str) -> Option<&'a Step> {
    plan.steps().map(|(_, s)| s).find(|s| s.id == id)
}

#[test]
fn spark_3_shares_the_catalog_through_spark3_hive_site_override() {
    // HDInsight 5.x runs Spark 3, whose Ambari service is SPARK3 (review H-m8).
    for (to, date) in [("5.0", "2024-06-01"), ("5.1", "2026-11-20")] {
        let p = plan(&format!("{}&date={date}", link("spark", "3.6", to)));
        let f = p
            .findings
            .iter()
            .find(|f| f.code == "hdinsight.spark-catalogs")
            .unwrap_or_else(|| panic!("{to}: no spark-catalogs finding"));
        assert!(f.action.contains("spark3-hive-site-override"), "{to}: {}", f.action);
    }
    let p = plan(&(link("spark", "3.6", "4.0") + "&date=2021-01-15"));
    let f = p.findings.iter().find(|f| f.code == "hdinsight.spark-catalogs").unwrap();
    assert!(f.action.contains("spark2-hive-site-override on HDInsight 4.0"));
}
