//! Kafka topics on the new cluster: recreated from the old cluster's
//! descriptions with their configs, checked against them, rebalanced across
//! fault and update domains; ACLs where the brokers authorize; MirrorMaker
//! stopped once it has copied the last messages.
//!
//! The commands run on a head node of the new cluster, which reaches the old
//! brokers as MirrorMaker does (the same virtual network). The old cluster's
//! hosts come from its Ambari over HTTPS, the new one's from `headnodehost`.

use crate::plan::{Step, Word};

use super::super::sources;
use super::kafka::{before, brokers, brokers_env, tool, zk_env, BIN};
use super::{join, lit, step, var, Context, Which};

pub const NEW_ON: &str = "a head node of the new cluster (ssh \"$NEW_SSH\")";

/// `kafka-topics.sh --describe` reduced to one line per topic: name,
/// partitions, then each topic config, tab-separated. Topics whose names
/// start with `__` are Kafka's own (`__consumer_offsets`,
/// `__transaction_state`) and skipped. A config value with commas
/// (`cleanup.policy=compact,delete`) is split in the output and joined back.
/// It reads both `Topic:x` (ZooKeeper tools) and `Topic: x` (2.2 and later).
const NORMALIZE: &str = r#"| awk -F'\t' '$1 ~ /^Topic:/ { t = $1; sub(/^Topic: */, "", t); if (t ~ /^__/) next; p = ""; c = ""; for (i = 2; i <= NF; i++) { if ($i ~ /^PartitionCount:/) { p = $i; sub(/^PartitionCount: */, "", p) } if ($i ~ /^Configs:/) { c = $i; sub(/^Configs: */, "", c) } } out = t "\t" p; cur = ""; n = split(c, kv, ","); for (j = 1; j <= n; j++) { if (kv[j] ~ /=/) { if (cur != "") out = out "\t" cur; cur = kv[j] } else if (cur != "") cur = cur "," kv[j] } if (cur != "") out = out "\t" cur; print out }'"#;

/// Compares the new cluster's topics (first file) with the old cluster's
/// (second): every old topic exists with the same partitions and every one
/// of its configs; prints the differences and fails, or the count.
const COMPARE: &str = r#"[ -s waymark-old-topics.tsv ] || { echo 'No topic was read from the old cluster: check the describe command above' >&2; exit 1; }; awk -F'\t' 'NR == FNR { p[$1] = $2; for (i = 3; i <= NF; i++) c[$1, $i] = 1; next } { n++; if (!($1 in p)) { print "missing on the new cluster: " $1; bad++; next } if (p[$1] != $2) { print $1 ": " p[$1] " partitions on the new cluster, " $2 " on the old"; bad++ } for (i = 3; i <= NF; i++) if (!(($1, $i) in c)) { print $1 ": " $i " is not set on the new cluster"; bad++ } } END { if (bad) exit 1; print "Topic configs match: [" n + 0 " topics]" }' waymark-new-topics.tsv waymark-old-topics.tsv"#;

/// How the old cluster is reached: ZooKeeper before Kafka 2.2, brokers after.
fn old_env(zookeeper: bool) -> Vec<Word> {
    let (export, service, jq) = if zookeeper {
        (
            "export OLD_KAFKA=$(curl -sS -u",
            "/services/ZOOKEEPER/components/ZOOKEEPER_SERVER",
            "| jq -r '[\"\\(.host_components[].HostRoles.host_name):2181\"] | join(\",\")' | cut -d',' -f1,2)",
        )
    } else {
        (
            "export OLD_KAFKA=$(curl -sS -u",
            "/services/KAFKA/components/KAFKA_BROKER",
            "| jq -r '[\"\\(.host_components[].HostRoles.host_name):9092\"] | join(\",\")' | cut -d',' -f1,2)",
        )
    };
    vec![
        Word::Raw(export),
        var("HTTP_USER"),
        lit("-G"),
        join(vec![
            lit("https://"),
            var(Which::Old.name_var()),
            lit(".azurehdinsight.net/api/v1/clusters/"),
            var(Which::Old.name_var()),
            lit(service),
        ]),
        Word::Raw(jq),
    ]
}

/// The connection flag and hosts of the old (`OLD_KAFKA`) or new cluster.
fn conn(old: bool, zookeeper: bool) -> Vec<Word> {
    let flag = if zookeeper {
        "--zookeeper"
    } else {
        "--bootstrap-server"
    };
    let hosts = match (old, zookeeper) {
        (true, _) => "\"$OLD_KAFKA\"",
        (false, true) => "\"$KAFKAZKHOSTS\"",
        (false, false) => "\"$KAFKABROKERS\"",
    };
    vec![lit(flag), Word::Raw(hosts)]
}

/// Recreates every topic of the old cluster with its partitions and configs,
/// then compares the two clusters' descriptions.
pub fn topics_step(c: &Context<'_>, new_kafka: &str) -> Step {
    // The new cluster's tools run every command, on both clusters.
    // kafka-topics.sh takes --bootstrap-server from Kafka 2.2 (KIP-377) and
    // dropped --zookeeper in 3.0: tools older than 2.2 (4.0's Kafka 2.1.1)
    // reach both clusters through ZooKeeper, newer ones (5.x's 3.2) both
    // clusters' brokers, which works for old brokers too (2.1.1 answers the
    // admin client's describe requests).
    let new_zk = before(new_kafka, 2, 2);
    let old_zk = new_zk;
    let new_env = if new_zk {
        zk_env(c, Which::New, NEW_ON)
    } else {
        brokers_env(c, Which::New, NEW_ON)
    };
    let mut describe_old = conn(true, old_zk);
    describe_old.push(Word::Raw(NORMALIZE));
    describe_old.extend([Word::Raw(">"), lit("waymark-old-topics.tsv")]);
    let mut list_new = conn(false, new_zk);
    list_new.extend([Word::Raw(">"), lit("waymark-new-topics.txt")]);
    let mut create = vec![
        Word::Raw("while IFS=$'\\t' read -r -a t; do grep -qxF -- \"${t[0]}\" waymark-new-topics.txt && continue; args=(); for kv in \"${t[@]:2}\"; do args+=(--config \"$kv\"); done;"),
        lit(format!("{BIN}kafka-topics.sh")),
        Word::Raw("--create --topic \"${t[0]}\" --partitions \"${t[1]}\" --replication-factor 3 \"${args[@]}\""),
    ];
    create.extend(conn(false, new_zk));
    create.push(Word::Raw("|| break; done < waymark-old-topics.tsv"));
    let mut describe_new = conn(false, new_zk);
    describe_new.push(Word::Raw(NORMALIZE));
    describe_new.extend([Word::Raw(">"), lit("waymark-new-topics.tsv")]);
    let broker_note = if old_zk {
        ""
    } else {
        " Through the brokers the description also lists settings the old brokers give every topic; they are set on the new topics too, which keeps today's values."
    };
    step(
        "prepare.topics",
        "Recreate the topics with their configs on the new cluster",
        &format!(
            "Auto topic creation is off on HDInsight, and a topic created with defaults loses what it was set up with: a compacted topic (cleanup.policy=compact) recreated with delete loses keys over time, and retention.ms, min.insync.replicas or max.message.bytes change what clients see. The commands read every topic of the old cluster with its partitions and configs (the Configs column of kafka-topics.sh --describe: the topic's own settings), create the ones the new cluster lacks with the same partitions and each config as --config, then compare the two clusters. Kafka's own topics (__consumer_offsets, __transaction_state) are skipped: the new brokers make their own. Kafka Connect's (connect-configs, connect-offsets, connect-status or as named in its worker config) and Kafka Streams' (…-changelog, …-repartition) are ordinary topics and are recreated with their configs.{broker_note} The replication factor is 3; use 4 in a region with two fault domains. Run them on a head node of the new cluster: it reaches the old brokers as MirrorMaker does (same virtual network); curl asks for the old cluster's login password."
        ),
    )
    .cmd(c.elsewhere(NEW_ON, old_env(old_zk)))
    .cmd(new_env)
    .cmd(tool(c, NEW_ON, "kafka-topics.sh", &["--describe"], describe_old))
    .cmd(tool(c, NEW_ON, "kafka-topics.sh", &["--list"], list_new))
    .cmd(c.elsewhere(NEW_ON, create))
    .cmd(tool(c, NEW_ON, "kafka-topics.sh", &["--describe"], describe_new))
    .cmd(c.elsewhere(NEW_ON, vec![Word::Raw(COMPARE)]))
    .manual()
    .verify("The last command prints Topic configs match: [N topics], N being the old cluster's topic count less Kafka's own; otherwise it names each topic, partition count or config that differs, and fails.")
    .rollback("Fix what the comparison names (kafka-configs.sh --alter --entity-type topics --entity-name <topic> --add-config <key=value>; a partition count can only grow) and run the last two commands again. Production is untouched.")
    .source(sources::KAFKA_TOPIC_CONFIGS)
    .source(sources::KAFKA_QUICKSTART)
    .source(sources::KAFKA_51)
    .done()
}

/// Spreads the new topics' replicas over fault and update domains: Kafka
/// does not know them, and may put every replica of a partition in one.
pub fn rebalance_step(c: &Context<'_>) -> Step {
    let py = |args: &[&'static str]| {
        let mut list = vec![lit("sudo"), lit("python"), lit("rebalance_rackaware.py")];
        list.extend(args.iter().map(|a| lit(*a)));
        c.elsewhere(NEW_ON, list)
    };
    step(
        "prepare.rebalance",
        "Spread the replicas over fault and update domains",
        "Kafka does not know Azure's fault and update domains, so a new topic may have every replica of a partition in one of them, and a single hardware fault or update takes the partition offline. Microsoft's partition rebalance tool (from hdinsight-kafka-tools, with the prerequisites its README names) moves replicas so that each partition's are in different domains and leaders are spread. Run it as root on a head node of the new cluster; the topics are still empty, so it is quick.",
    )
    .cmd(c.elsewhere(NEW_ON, vec![lit("wget"), lit("https://raw.githubusercontent.com/hdinsight/hdinsight-kafka-tools/master/src/python/rebalance/rebalance_rackaware.py")]))
    .cmd(py(&["--topics", "ALL", "--rebalancePlanDir", "/tmp/rebalance/"]))
    .cmd(py(&["--execute", "--rebalancePlanDir", "/tmp/rebalance/"]))
    .cmd(py(&["--verify", "--rebalancePlanDir", "/tmp/rebalance/"]))
    .manual()
    .verify("--verify reports every reassignment complete; kafka-topics.sh --describe shows no partition with all its replicas on brokers of one fault domain.")
    .rollback("The tool logs to /var/log/kafka/rebalance_log.log; rerun it with --topics for the topics it missed. Production is untouched.")
    .source(sources::KAFKA_HA)
    .source(sources::KAFKA_REBALANCE)
    .done()
}

/// Kafka's own ACLs: only where the brokers run an authorizer. ESP clusters
/// authorize through Ranger, which the Ranger step carries over.
pub fn acls_step(c: &Context<'_>, old_kafka: &str, new_kafka: &str) -> Step {
    let old_zk = before(old_kafka, 2, 2);
    let mut list_old = if old_zk {
        vec![
            lit("--authorizer-properties"),
            Word::Raw("zookeeper.connect=\"$OLD_KAFKA\""),
        ]
    } else {
        conn(true, false)
    };
    list_old.extend([Word::Raw(">"), lit("waymark-old-acls.txt")]);
    let mut add = vec![
        lit("--add"),
        lit("--allow-principal"),
        lit("User:<name>"),
        lit("--operation"),
        lit("Read"),
        lit("--topic"),
        Word::Raw("\"$TOPIC\""),
    ];
    let new_zk = before(new_kafka, 2, 2);
    let mut list_new = vec![];
    if new_zk {
        add.extend([
            lit("--authorizer-properties"),
            Word::Raw("zookeeper.connect=\"$KAFKAZKHOSTS\""),
        ]);
        list_new.extend([
            lit("--authorizer-properties"),
            Word::Raw("zookeeper.connect=\"$KAFKAZKHOSTS\""),
        ]);
    } else {
        add.extend([lit("--bootstrap-server"), brokers()]);
        list_new.extend([lit("--bootstrap-server"), brokers()]);
    }
    step(
        "prepare.acls",
        "Only if the old brokers authorize: carry the ACLs over",
        "Kafka keeps ACLs only when the brokers run an authorizer (authorizer.class.name in the Kafka broker config in Ambari). HDInsight sets none on a cluster without the Enterprise Security Package, so there are no ACLs to move and the listing fails with a security-disabled error or prints nothing: then skip this step. Otherwise give the new brokers the same authorizer settings, list the old cluster's ACLs (same session and OLD_KAFKA as the topics step) and add each one on the new cluster with kafka-acls.sh --add, as in the example.",
    )
    .cmd(tool(c, NEW_ON, "kafka-acls.sh", &["--list"], list_old))
    .cmd(tool(c, NEW_ON, "kafka-acls.sh", &[], add))
    .cmd(tool(c, NEW_ON, "kafka-acls.sh", &["--list"], list_new))
    .manual()
    .verify("kafka-acls.sh --list on the new cluster shows the same principals, operations and resources as waymark-old-acls.txt.")
    .rollback("Remove a wrong ACL with kafka-acls.sh --remove and add it again. Production is untouched.")
    .source(sources::KAFKA_ACLS)
    .done()
}

/// After the drain: MirrorMaker has copied the last messages and stops, so
/// nothing keeps reading a cluster that is about to go.
pub fn stop_mirror_step(c: &Context<'_>, mm2: bool) -> Step {
    let (class, how) = if mm2 {
        (
            "org.apache.kafka.connect.mirror.MirrorMaker",
            "MirrorMaker 2 has copied the last messages when its replication-latency metric (or its log) shows no new records; with sync.group.offsets.enabled, wait one more sync.group.offsets.interval.seconds (60 by default) so the groups' last offsets are synced too.",
        )
    } else {
        (
            "kafka.tools.MirrorMaker",
            "MirrorMaker 1 has copied the last messages when its group (mirrorgroup) shows lag 0 on the old cluster, as in the drain step.",
        )
    };
    step(
        "cutover.stop-mirror",
        "Only if you mirrored: stop MirrorMaker",
        &format!("Skip this if MirrorMaker did not run. The producers have moved, so the old topics receive nothing new. {how} Then stop it where it runs (Ctrl-C in its session, or kill the process id pgrep prints) before the consumers move: it must not keep reading a cluster that will be deleted."),
    )
    .cmd(c.elsewhere(NEW_ON, vec![lit("pgrep"), lit("-f"), lit("-a"), lit(class)]))
    .manual()
    .verify("pgrep -f -a prints no MirrorMaker process any more.")
    .rollback("Start MirrorMaker again as in the mirror step if messages are still missing on the new cluster.")
    .source(if mm2 { sources::KAFKA_MM2 } else { sources::KAFKA_MM1 })
    .done()
}
