//! Regressions from the review of the HDInsight runbooks: Kafka CLI flags by
//! version, consumer offsets after the move, MirrorMaker 1 config, and the
//! default metastore that deleting the old cluster would lose.

mod hdinsight_common;

use hdinsight_common::link;
use waymark_core::plan::Verdict;
use waymark_core::render::Format;

fn markdown(link: &str) -> String {
    let plan = waymark_core::plan_link(link).unwrap_or_else(|p| panic!("{link}: {p:?}"));
    Format::Markdown.render(&plan)
}

#[test]
fn kafka_before_2_2_lists_topics_through_zookeeper() {
    // 4.0 runs Kafka 2.1.1; kafka-topics.sh --bootstrap-server needs 2.2.
    let text = markdown(&link("kafka", "4.0", "5.1"));
    assert!(text.contains("kafka-topics.sh --describe --zookeeper \"$KAFKAZKHOSTS\""));
    assert!(!text.contains("kafka-topics.sh --describe --bootstrap-server"));
    // The new 5.1 cluster (Kafka 3.2) uses --bootstrap-server.
    assert!(text.contains("--topic \"$TOPIC\" --bootstrap-server"));

    // A new 4.0 cluster (Kafka 2.1.1) creates topics through ZooKeeper and
    // its console producer takes --broker-list.
    let text = markdown(&(link("kafka", "3.6", "4.0") + "&date=2021-01-15"));
    assert!(!text.contains("Verdict: blocked"), "{text}");
    assert!(text.contains("--topic \"$TOPIC\" --zookeeper \"$KAFKAZKHOSTS\""));
    assert!(text.contains("kafka-console-producer.sh --topic \"$TOPIC\" --broker-list"));
}

#[test]
fn kafka_consumers_start_from_the_earliest_offset() {
    for from in ["3.6", "4.0", "5.0"] {
        let text = markdown(&link("kafka", from, "5.1"));
        // A group new to the cluster has no offsets, so --all-topics would
        // reset nothing: the reset names the group's topics (review H-C2).
        assert!(
            text.contains(
                "--reset-offsets --to-earliest --execute --group \"$GROUP\" --topic \"$TOPIC\""
            ),
            "{from}: {text}"
        );
        assert!(!text.contains("--all-topics --execute"), "{from}");
        assert!(text.contains("auto.offset.reset=earliest"), "{from}");
        assert!(text.contains("--to-datetime"), "{from}");
        assert!(
            !text.contains("only hold messages produced since"),
            "{from}"
        );
    }
}

#[test]
fn mirrormaker_1_consumer_uses_bootstrap_servers() {
    for from in ["3.6", "4.0"] {
        let text = markdown(&link("kafka", from, "5.1"));
        assert!(text.contains("MirrorMaker 1"), "{from}");
        assert!(!text.contains("zookeeper.connect"), "{from}");
        assert!(
            text.contains("bootstrap.servers=<old brokers>, group.id=mirrorgroup"),
            "{from}"
        );
    }
}

#[test]
fn default_metastore_blocks_hive_workloads() {
    for t in ["hadoop", "spark", "interactivehive"] {
        let l = format!("platform=hdinsight&from=4.0&to=5.1&cluster-type={t}&cluster=etl-40&resource-group=data-rg&storage-account=etldata&metastore=default");
        let plan = waymark_core::plan_link(&l).unwrap();
        assert_eq!(plan.verdict, Verdict::Blocked, "{t}");
        let f = plan
            .findings
            .iter()
            .find(|f| f.code == "hdinsight.default-metastore")
            .unwrap_or_else(|| panic!("{t}: no default-metastore finding"));
        assert!(f.action.contains("metastore=external"), "{t}");
        assert!(f.action.contains("hive_metastore_tool.py"), "{t}");
        assert!(f.action.contains("hive-ddls.sh"), "{t}");
        assert!(!f.sources.is_empty(), "{t}");
    }
    // HBase and Kafka keep no Hive data: not blocked by the default metastore.
    for t in ["hbase", "kafka"] {
        let plan = waymark_core::plan_link(&link(t, "4.0", "5.1")).unwrap();
        assert_ne!(plan.verdict, Verdict::Blocked, "{t}");
    }
}
