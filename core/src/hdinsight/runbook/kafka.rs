//! Kafka: a new cluster beside the old one; producers move first, consumers
//! once they have drained the old topics.

use crate::plan::{Command, Frame, Phase, PhaseId, Step, Word};

use super::super::sources;
use super::super::versions::component;
use super::{estimate, join, lit, phase, step, var, words, Context, Which, CREATE_LONGER};
use super::{kafka_groups, kafka_topics};

pub const BIN: &str = "/usr/hdp/current/kafka-broker/bin/";

pub fn brokers_env(c: &Context<'_>, w: Which, on: &str) -> Command {
    // The quickstart's way of listing brokers through Ambari on a head node.
    c.elsewhere(
        on,
        vec![
            Word::Raw("export KAFKABROKERS=$(curl -sS -u"),
            var("HTTP_USER"),
            lit("-G"),
            join(vec![
                lit("http://headnodehost:8080/api/v1/clusters/"),
                var(w.name_var()),
                lit("/services/KAFKA/components/KAFKA_BROKER"),
            ]),
            Word::Raw("| jq -r '[\"\\(.host_components[].HostRoles.host_name):9092\"] | join(\",\")' | cut -d',' -f1,2)"),
        ],
    )
}

pub fn tool(
    c: &Context<'_>,
    on: &str,
    name: &str,
    args: &[&'static str],
    tail: Vec<Word>,
) -> Command {
    let mut list = vec![lit(format!("{BIN}{name}"))];
    list.extend(words(args));
    list.extend(tail);
    c.elsewhere(on, list)
}

/// True when a Kafka version such as "2.1.1" is older than major.minor.
pub fn before(version: &str, major: u32, minor: u32) -> bool {
    let mut parts = version.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    let have = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    have < (major, minor)
}

pub fn zk_env(c: &Context<'_>, w: Which, on: &str) -> Command {
    // The quickstart's way of listing ZooKeeper hosts through Ambari.
    c.elsewhere(
        on,
        vec![
            Word::Raw("export KAFKAZKHOSTS=$(curl -sS -u"),
            var("HTTP_USER"),
            lit("-G"),
            join(vec![
                lit("http://headnodehost:8080/api/v1/clusters/"),
                var(w.name_var()),
                lit("/services/ZOOKEEPER/components/ZOOKEEPER_SERVER"),
            ]),
            Word::Raw("| jq -r '[\"\\(.host_components[].HostRoles.host_name):2181\"] | join(\",\")' | cut -d',' -f1,2)"),
        ],
    )
}

pub fn brokers() -> Word {
    Word::Raw("\"$KAFKABROKERS\"")
}

pub fn phases(c: &Context<'_>) -> Vec<Phase> {
    let s = c.s;
    let old_on = "a head node of the old cluster (ssh \"$OLD_SSH\")";
    let new_on = "a head node of the new cluster (ssh \"$NEW_SSH\")";
    let old_kafka = component(s.from, "Kafka").unwrap_or("?");
    let new_kafka = component(s.to, "Kafka").unwrap_or("?");
    // kafka-console-producer.sh takes --bootstrap-server from Kafka 2.5
    // (KIP-499); older ones use --broker-list.
    let producer_flag = if before(new_kafka, 2, 5) {
        "--broker-list"
    } else {
        "--bootstrap-server"
    };

    let mut prepare = vec![
        c.create_step(
            "prepare.create",
            "Create the new Kafka cluster beside the old one",
            &format!(
                "Kafka {new_kafka} on HDInsight {}, with its own default container. {}",
                s.to,
                c.where_text()
            ),
            Which::New,
            if s.other_account() { "NEW_STORAGE_ACCOUNT" } else { "STORAGE_ACCOUNT" },
            "NEW_CONTAINER",
            false,
        )
        .source(sources::KAFKA_51)
        .done(),
        kafka_topics::topics_step(c, new_kafka),
        kafka_topics::rebalance_step(c),
        step(
            "prepare.test-clients",
            "Test the clients against the new cluster",
            &format!(
                "Run a test producer and consumer of each application against Kafka {new_kafka} (the old cluster runs Kafka {old_kafka}). Newer brokers accept older clients, but not every client works with every broker version."
            ),
        )
        .cmd(brokers_env(c, Which::New, new_on))
        .cmd(tool(c, new_on, "kafka-console-producer.sh", &["--topic"], vec![Word::Raw("\"$TOPIC\""), lit(producer_flag), brokers()]))
        .cmd(tool(c, new_on, "kafka-console-consumer.sh", &["--from-beginning", "--topic"], vec![Word::Raw("\"$TOPIC\""), lit("--bootstrap-server"), brokers()]))
        .manual()
        .verify("Messages produced by the test clients are consumed on the new cluster.")
        .rollback("Fix the clients; production still runs on the old cluster.")
        .source(sources::KAFKA_40)
        .source(sources::KAFKA_51)
        .done(),
    ];

    if s.esp.is_none() {
        // ESP brokers authorize through Ranger, carried over in the cutover.
        prepare.insert(3, kafka_topics::acls_step(c, old_kafka, new_kafka));
    }

    let mm2 = !before(old_kafka, 2, 4);
    let mirror = if mm2 {
        step(
            "cutover.mirror",
            "Only if the old messages must be kept: mirror the topics",
            "Skip this when consumers can simply drain the old cluster. Otherwise run MirrorMaker 2 on the new cluster before moving producers, with a mirror-maker.properties that names both clusters (clusters = source, destination; source.bootstrap.servers and destination.bootstrap.servers; source->destination.enabled = true; source->destination.topics = <topic regex>; groups = .*; replication.factor = 3). Add sync.group.offsets.enabled = true, so that MirrorMaker 2 commits the consumer groups' offsets on the new cluster (KIP-545, in the new cluster's Kafka 3.2), and replication.policy.class = org.apache.kafka.connect.mirror.IdentityReplicationPolicy, so that mirrored topics keep their names instead of getting a source. prefix that producers and consumers would not use.",
        )
        .cmd(c.elsewhere(new_on, vec![lit(format!("{BIN}connect-mirror-maker.sh")), lit("mirror-maker.properties")]))
        .manual()
        .verify("The mirrored topics on the new cluster catch up with the old ones.")
        .source(sources::KAFKA_MM2)
        .done()
    } else {
        step(
            "cutover.mirror",
            "Only if the old messages must be kept: mirror the topics",
            &format!(
                "Skip this when consumers can simply drain the old cluster. Kafka {old_kafka} is older than 2.4, which MirrorMaker 2 needs, so use MirrorMaker 1 from the new cluster. Its Kafka {new_kafka} consumer cannot read through ZooKeeper (that consumer left Kafka in 2.0), so consumer.properties names the old brokers: bootstrap.servers=<old brokers>, group.id=mirrorgroup. producer.properties names the new ones: bootstrap.servers=<new brokers>, compression.type=none. MirrorMaker 1 does not carry consumer offsets."
            ),
        )
        .cmd(tool(
            c,
            new_on,
            "kafka-run-class.sh",
            &["kafka.tools.MirrorMaker", "--consumer.config", "consumer.properties", "--producer.config", "producer.properties", "--num.streams", "4", "--whitelist"],
            vec![Word::Raw("\"$TOPIC\"")],
        ))
        .manual()
        .verify("The mirrored topics on the new cluster catch up with the old ones.")
        .source(sources::KAFKA_MM1)
        .done()
    };

    let mut cutover = vec![mirror];
    if s.esp.is_some() {
        cutover.push(c.ranger_step());
    }
    cutover.extend([
        step(
            "cutover.producers",
            "Move the producers to the new cluster",
            "Point every producer at the new cluster's brokers. Consumers stay on the old cluster for now.",
        )
        .manual()
        .verify("The old cluster's topics receive no new messages; the new cluster's do.")
        .rollback("Point the producers back at the old cluster.")
        .source(sources::KAFKA_40)
        .source(sources::KAFKA_51)
        .done(),
        kafka_groups::drain_step(c, old_on),
        kafka_topics::stop_mirror_step(c, mm2),
        kafka_groups::consumers_step(c, new_on),
    ]);

    let verify: Vec<Step> = vec![
        c.still_running("verify.state"),
        kafka_groups::check_step(c, new_on),
    ];

    let rollback = vec![step(
        "rollback.clients",
        "Move the clients back to the old cluster",
        "While the old cluster exists: point the producers back first, then the consumers once they have read what the new cluster received.",
    )
    .manual()
    .verify("All clients use the old cluster again.")
    .source(sources::KAFKA_40)
    .done()];

    vec![
        phase(
            PhaseId::Prepare,
            "Create the new cluster beside the old one, recreate the topics and test the clients. Nothing stops yet.",
            prepare,
        ),
        c.preflight(true, Vec::new()),
        phase(
            PhaseId::Cutover,
            "Move the producers, let the consumers drain the old topics, then move the consumers. There is no downtime if the clients switch cleanly. The drain can take hours: rerun the script to carry on where it stopped.",
            cutover,
        ),
        phase(PhaseId::Verify, "Check the new cluster and its consumers.", verify),
        phase(PhaseId::Rollback, "Only while the old cluster still exists.", rollback),
        c.decommission(
            "Once no client uses the old cluster and the soak is over: the old cluster's messages go with it. Its default container stays; delete it separately once nothing in it matters.",
            sources::KAFKA_51,
        ),
    ]
}

/// The change frame for Kafka.
pub fn frame(c: &Context<'_>) -> Frame {
    let s = c.s;
    Frame {
        go_no_go: format!(
            "Go only if the pre-flight checks hold, every topic exists on {} with the old partition counts and configs, each application's test client worked against it, the application owners know the plan and the approver agrees. After this, producers write to the new cluster. Go?",
            s.new_cluster
        ),
        abort: vec![
            "Producers get errors from the new cluster that a retry does not clear: move them back to the old cluster.".into(),
            "Consumer lag on the old cluster stops falling, or lag on the new cluster keeps growing.".into(),
            "Messages are missing or duplicated beyond what the consumers tolerate.".into(),
        ],
        estimates: vec![
            estimate(PhaseId::Prepare, "1 hour for the cluster, then hours for topics and client tests", &format!("{CREATE_LONGER}; many topics and applications")),
            estimate(PhaseId::Cutover, "hours to days, without downtime", "slow consumers and long lag (the old topics must drain), MirrorMaker catching up"),
            estimate(PhaseId::Verify, "30 minutes", "many consumer groups"),
            estimate(PhaseId::Rollback, "30–60 minutes: producers first, then consumers", "many clients to repoint"),
        ],
        soak_days: 7,
        watch: "Under-replicated partitions, consumer lag, producer errors and broker disk use on the new cluster. Seven days is Kafka's default retention (log.retention.hours=168): by then the new cluster holds only messages written to it.".into(),
        decommission_confirm: None,
    }
}
