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
        assert!(
            f.action.contains("spark3-hive-site-override"),
            "{to}: {}",
            f.action
        );
    }
    let p = plan(&(link("spark", "3.6", "4.0") + "&date=2021-01-15"));
    let f = p
        .findings
        .iter()
        .find(|f| f.code == "hdinsight.spark-catalogs")
        .unwrap();
    assert!(f
        .action
        .contains("spark2-hive-site-override on HDInsight 4.0"));
}

/// A fake Kafka 3.x `kafka-topics.sh`, which has no --zookeeper (removed
/// in 3.0): the old cluster's brokers describe `$FAKE_KAFKA/old-describe`
/// (Kafka 2.1 layout); the new ones (Kafka 3.x layout with a topic id and a
/// broker-wide setting in Configs) keep their topics as files in
/// `$FAKE_KAFKA/new`.
const FAKE_TOPICS: &str = r#"#!/usr/bin/env bash
S=$FAKE_KAFKA
printf '%s\n' "$*" >>"$S/calls"
case " $* " in
  *" --zookeeper "*) echo 'Exception in thread "main" joptsimple.UnrecognizedOptionException: zookeeper is not a recognized option' >&2; exit 1 ;;
  *" --describe "*"--bootstrap-server old-broker:9092"*) cat "$S/old-describe" ;;
  *" --list "*) for f in "$S"/new/*; do [[ -e $f ]] && basename "$f"; done ;;
  *" --create "*)
    args=("$@") topic="" parts="" configs=()
    for ((i = 0; i < $#; i++)); do
      case "${args[i]}" in
        --topic) topic=${args[i + 1]} ;;
        --partitions) parts=${args[i + 1]} ;;
        --config) configs+=("${args[i + 1]}") ;;
      esac
    done
    { echo "$parts"; printf '%s\n' "${configs[@]}"; } >"$S/new/$topic" ;;
  *" --describe "*"--bootstrap-server new-broker:9092"*)
    for f in "$S"/new/*; do
      [[ -e $f ]] || continue
      mapfile -t lines <"$f"
      c=$(printf '%s,' "${lines[@]:1}" segment.bytes=1073741824)
      printf 'Topic: %s\tTopicId: Xy1\tPartitionCount: %s\tReplicationFactor: 3\tConfigs: %s\n' "$(basename "$f")" "${lines[0]}" "${c%,}"
      printf '\tTopic: %s\tPartition: 0\tLeader: 1\tReplicas: 1,2,3\tIsr: 1,2,3\n' "$(basename "$f")"
    done ;;
  *) echo "unexpected: $*" >&2; exit 2 ;;
esac
"#;

/// Runs the topic step's commands after the two host exports, with the
/// fake tool in place of the cluster's; returns the exit status and output.
fn run_topics(dir: &std::path::Path, p: &Plan) -> (Option<i32>, String) {
    let st = step(p, "prepare.topics").expect("prepare.topics");
    let bin = dir.join("bin/");
    let script: Vec<String> = st.commands[2..]
        .iter()
        .map(|c| {
            p.show(c)
                .replace("/usr/hdp/current/kafka-broker/bin/", bin.to_str().unwrap())
        })
        .collect();
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(script.join("\n"))
        .current_dir(dir)
        .env("FAKE_KAFKA", dir)
        .env("OLD_KAFKA", "old-broker:9092")
        .env("KAFKABROKERS", "new-broker:9092")
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code(), text)
}

fn kafka_world(name: &str) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let dir = std::env::temp_dir().join(format!("waymark-kafka-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("bin")).unwrap();
    std::fs::create_dir_all(dir.join("new")).unwrap();
    let tool = dir.join("bin/kafka-topics.sh");
    std::fs::write(&tool, FAKE_TOPICS).unwrap();
    std::fs::set_permissions(&tool, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::write(
        dir.join("old-describe"),
        "Topic:orders\tPartitionCount:8\tReplicationFactor:3\tConfigs:cleanup.policy=compact,delete,min.insync.replicas=2\n\
         \tTopic: orders\tPartition: 0\tLeader: 1\tReplicas: 1,2,3\tIsr: 1,2,3\n\
         Topic:events\tPartitionCount:4\tReplicationFactor:3\tConfigs:retention.ms=604800000,max.message.bytes=2097152\n\
         Topic:__consumer_offsets\tPartitionCount:50\tReplicationFactor:3\tConfigs:segment.bytes=104857600,cleanup.policy=compact\n\
         Topic:connect-offsets\tPartitionCount:25\tReplicationFactor:3\tConfigs:cleanup.policy=compact\n\
         Topic:plain\tPartitionCount:2\tReplicationFactor:3\tConfigs:\n",
    )
    .unwrap();
    dir
}

#[test]
fn kafka_topics_are_recreated_with_their_configs_and_compared() {
    // Review H-M4: configs, internal topics and a check that they match.
    let p = plan(&link("kafka", "4.0", "5.1"));
    let dir = kafka_world("ok");
    let (code, out) = run_topics(&dir, &p);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("Topic configs match: [4 topics]"), "{out}");
    let orders = std::fs::read_to_string(dir.join("new/orders")).unwrap();
    assert_eq!(
        orders,
        "8\ncleanup.policy=compact,delete\nmin.insync.replicas=2\n"
    );
    let events = std::fs::read_to_string(dir.join("new/events")).unwrap();
    assert_eq!(
        events,
        "4\nretention.ms=604800000\nmax.message.bytes=2097152\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("new/connect-offsets")).unwrap(),
        "25\ncleanup.policy=compact\n"
    );
    assert!(
        !dir.join("new/__consumer_offsets").exists(),
        "Kafka's own topic was created"
    );
    assert!(dir.join("new/plain").exists());

    // A rerun creates nothing twice.
    let calls = std::fs::read_to_string(dir.join("calls")).unwrap();
    let (code, out) = run_topics(&dir, &p);
    assert_eq!(code, Some(0), "{out}");
    let again = std::fs::read_to_string(dir.join("calls")).unwrap();
    assert_eq!(
        again[calls.len()..].matches("--create").count(),
        0,
        "{again}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn kafka_topic_comparison_names_what_differs_and_fails() {
    let p = plan(&link("kafka", "4.0", "5.1"));
    let dir = kafka_world("differs");
    // events already exists on the new cluster, with defaults and fewer
    // partitions: the step leaves it, and the comparison fails on it.
    std::fs::write(dir.join("new/events"), "2\n").unwrap();
    let (code, out) = run_topics(&dir, &p);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("events: 2 partitions on the new cluster, 4 on the old"),
        "{out}"
    );
    assert!(
        out.contains("events: retention.ms=604800000 is not set on the new cluster"),
        "{out}"
    );
    assert!(!out.contains("Topic configs match"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn kafka_plans_rebalance_carry_acls_and_stop_mirrormaker() {
    // Review H-m5 and the ACL half of H-M4.
    for from in ["3.6", "4.0", "5.0"] {
        let p = plan(&link("kafka", from, "5.1"));
        let ids: Vec<&str> = p.steps().map(|(_, s)| s.id.as_str()).collect();
        let at = |id: &str| {
            ids.iter()
                .position(|s| *s == id)
                .unwrap_or_else(|| panic!("{from}: no {id}"))
        };
        assert!(at("prepare.topics") < at("prepare.rebalance"), "{from}");
        assert!(
            at("prepare.rebalance") < at("prepare.test-clients"),
            "{from}"
        );
        assert!(at("prepare.acls") < at("prepare.test-clients"), "{from}");
        assert!(at("cutover.drain") < at("cutover.stop-mirror"), "{from}");
        assert!(
            at("cutover.stop-mirror") < at("cutover.consumers"),
            "{from}"
        );
        let text = Format::Markdown.render(&p);
        assert!(
            text.contains("rebalance_rackaware.py --topics ALL"),
            "{from}"
        );
        assert!(text.contains("kafka-acls.sh --list"), "{from}");
        let class = if from == "5.0" {
            "org.apache.kafka.connect.mirror.MirrorMaker"
        } else {
            "kafka.tools.MirrorMaker"
        };
        assert!(text.contains(&format!("pgrep -f -a {class}")), "{from}");
    }
    // On ESP, Ranger authorizes Kafka; its policies move in the Ranger step.
    let p = plan(&(link("kafka", "4.0", "5.1") + hdinsight_common::ESP));
    assert!(step(&p, "prepare.acls").is_none());
    assert!(step(&p, "cutover.ranger").is_some());
}

#[test]
fn hive_plans_create_the_new_cluster_before_the_downtime_after_the_quota_check() {
    // Review H-M8: not inside the downtime; the test cluster gone first.
    for t in ["interactivehive", "spark", "hadoop"] {
        for from in ["3.6", "4.0", "5.0"] {
            let p = plan(&link(t, from, "5.1"));
            if p.verdict == waymark_core::plan::Verdict::Blocked {
                continue;
            }
            let phase_of = |id: &str| {
                p.steps()
                    .find(|(_, s)| s.id == id)
                    .map(|(ph, _)| ph.id.as_str())
                    .unwrap_or_else(|| panic!("{t} {from}: no {id}"))
            };
            assert_eq!(phase_of("prepare.create"), "prepare", "{t} {from}");
            assert_eq!(phase_of("prepare.delete-test"), "prepare", "{t} {from}");
            assert!(step(&p, "cutover.create").is_none(), "{t} {from}");
            assert!(step(&p, "preflight.new-cluster").is_some(), "{t} {from}");
            let quota = step(&p, "prepare.quota").unwrap();
            let shown: Vec<String> = quota.commands.iter().map(|c| p.show(c)).collect();
            assert!(
                shown
                    .iter()
                    .any(|c| c == "az vm list-usage --location westeurope --output table"),
                "{t} {from}: {shown:?}"
            );
        }
    }
}

fn on(w: &hdinsight_common::World, program: &str, text: &str) -> Vec<usize> {
    w.calls()
        .iter()
        .enumerate()
        .filter(|(_, c)| c[0] == program && c.iter().any(|a| a.contains(text)))
        .map(|(i, _)| i)
        .collect()
}

#[test]
fn hive_cutover_stops_the_old_hive_and_compares_the_table_lists() {
    // Review H-M9 and H-m6, in the fake world.
    let w = hdinsight_common::World::new(&link("interactivehive", "4.0", "5.1"));
    let (old, new) = (w.value("OLD_CLUSTER"), w.value("NEW_CLUSTER"));
    let mut all = hdinsight_common::args(&["--yes"]);
    all.extend(w.people(&["prepare", "preflight", "cutover", "verify"]));
    let out = w.run(&all, &[], "");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        hdinsight_common::both(&out)
    );
    let state = |name: &str| {
        std::fs::read_to_string(w.dir.join("world/ambari").join(format!("{name}-HIVE"))).ok()
    };
    assert_eq!(
        state(&old).as_deref(),
        Some("INSTALLED\n"),
        "the old Hive still runs"
    );
    assert_eq!(state(&new).as_deref(), Some("STARTED\n"));
    // The old tables are listed before its Hive stops; the copy that
    // replaces the new cluster's metastore comes after both stopped.
    let listed = on(&w, "ssh", "Hive tables: [");
    let stops = on(&w, "curl", "\"state\": \"INSTALLED\"");
    let copies = on(&w, "az", "copy");
    assert_eq!(listed.len(), 2, "old and new");
    assert_eq!(stops.len(), 2, "old and new");
    assert_eq!(copies.len(), 2, "the first copy and the fresh one");
    assert!(
        listed[0] < stops[0] && stops[1] < copies[1],
        "{listed:?} {stops:?} {copies:?}"
    );
    let record = std::fs::read_to_string(w.record_file()).unwrap();
    assert!(record.contains("cutover.stop-old-hive"), "{record}");

    // The new cluster lists other tables: the verify stops.
    let w = hdinsight_common::World::new(&link("interactivehive", "4.0", "5.1"));
    let mut all = hdinsight_common::args(&["--yes"]);
    all.extend(w.people(&["prepare", "preflight", "cutover", "verify"]));
    let env = [("FAKE_TABLES_DIFFER_ON", new.as_str())];
    let out = w.run(&all, &env, "");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        hdinsight_common::both(&out)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("Check that the new cluster has the old cluster's tables"),
        "{err}"
    );
    assert!(err.contains("41 tables"), "{err}");
}

#[test]
fn an_empty_default_metastore_is_a_warning_checked_in_the_preflight() {
    // Review H-m10: the planner cannot count tables, so the link says so
    // (hive-tables=no) and the pre-flight checks it.
    let base = "platform=hdinsight&from=4.0&to=5.1&cluster-type=spark&cluster=etl-spark-40&resource-group=data-rg&location=westeurope&vnet=data-vnet&subnet=hdi&storage-account=etldata&metastore=default";
    let blocked = plan(base);
    assert_eq!(blocked.verdict, waymark_core::plan::Verdict::Blocked);
    let f = blocked
        .findings
        .iter()
        .find(|f| f.code == "hdinsight.default-metastore")
        .unwrap();
    assert!(f.action.contains("hive-tables=no"), "{}", f.action);

    let l = format!("{base}&hive-tables=no");
    let p = plan(&l);
    assert_ne!(p.verdict, waymark_core::plan::Verdict::Blocked);
    let f = p
        .findings
        .iter()
        .find(|f| f.code == "hdinsight.default-metastore-empty")
        .expect("a warning");
    assert_eq!(f.severity, waymark_core::plan::Severity::Warning);
    assert!(p.link.contains("hive-tables=no"), "{}", p.link);
    assert!(step(&p, "preflight.no-tables").is_some());

    // The pre-flight stops when the old cluster has tables after all.
    let w = hdinsight_common::World::new(&l);
    w.cluster(&w.value("NEW_CLUSTER"), "Running");
    let mut all = hdinsight_common::args(&["preflight", "--yes"]);
    all.extend(w.people(&["preflight"]));
    let out = w.run(
        &all,
        &[("FAKE_TABLES", "3 tables, 0cc175b9c0f1b6a831c399e269772661")],
        "",
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        hdinsight_common::both(&out)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("Check that the old cluster has no Hive tables"),
        "{err}"
    );
    let out = w.run(
        &all,
        &[("FAKE_TABLES", "0 tables, d41d8cd98f00b204e9800998ecf8427e")],
        "",
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        hdinsight_common::both(&out)
    );
}

#[test]
fn verify_says_nothing_about_creating_clusters() {
    // Review H-m1 (already fixed before issue 8; kept as a guard).
    for (name, l) in hdinsight_common::scenarios() {
        let p = plan(&l);
        for (ph, s) in p.steps() {
            if ph.id == waymark_core::plan::PhaseId::Verify {
                assert!(!s.detail.contains("Creating a cluster"), "{name}: {}", s.id);
            }
        }
    }
}

#[test]
fn hive_3_6_sources_compact_their_acid_tables_before_the_old_hive_stops() {
    for t in ["hadoop", "spark", "interactivehive"] {
        let p = plan(&link(t, "3.6", "5.1"));
        let ids: Vec<&str> = p.steps().map(|(_, s)| s.id.as_str()).collect();
        let at = |id: &str| {
            ids.iter()
                .position(|i| *i == id)
                .unwrap_or_else(|| panic!("{t}: no {id}: {ids:?}"))
        };
        assert!(at("cutover.stop-jobs") < at("cutover.compact"), "{t}");
        assert!(at("cutover.compact") < at("cutover.stop-old-hive"), "{t}");
        let compact = step(&p, "cutover.compact").unwrap();
        assert!(compact.checks.iter().any(|c| matches!(&c.expect, waymark_core::plan::Expect::LacksMatch(m) if m.contains("working"))), "{t}");
        // From 4.0 both sides run Hive 3: nothing to compact first.
        let p = plan(&link(t, "4.0", "5.1"));
        assert!(step(&p, "cutover.compact").is_none(), "{t}");
    }
}
