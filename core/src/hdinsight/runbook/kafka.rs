//! Kafka: a new cluster beside the old one; producers move first, consumers
//! once they have drained the old topics.

use crate::plan::{Command, Phase, PhaseId, Step, Word};

use super::super::sources;
use super::super::versions::{component, Hdi};
use super::{join, lit, step, var, words, Context, Which};

const BIN: &str = "/usr/hdp/current/kafka-broker/bin/";

fn brokers_env(c: &Context<'_>, w: Which, on: &str) -> Command {
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

fn tool(c: &Context<'_>, on: &str, name: &str, args: &[&str], tail: Vec<Word>) -> Command {
    let mut list = vec![lit(&format!("{BIN}{name}"))];
    list.extend(words(args));
    list.extend(tail);
    c.elsewhere(on, list)
}

fn brokers() -> Word {
    Word::Raw("\"$KAFKABROKERS\"")
}

pub fn phases(c: &Context<'_>) -> Vec<Phase> {
    let s = c.s;
    let old_on = "a head node of the old cluster (ssh \"$OLD_SSH\")";
    let new_on = "a head node of the new cluster (ssh \"$NEW_SSH\")";
    let old_kafka = component(s.from, "Kafka").unwrap_or("?");
    let new_kafka = component(s.to, "Kafka").unwrap_or("?");
    // Kafka tools before 2.2 list topics through ZooKeeper only.
    let old_list = if s.from == Hdi::V36 {
        vec![
            c.elsewhere(old_on, vec![Word::Raw("export KAFKAZKHOSTS=$(curl -sS -u"), var("HTTP_USER"), lit("-G"), join(vec![lit("http://headnodehost:8080/api/v1/clusters/"), var("OLD_CLUSTER"), lit("/services/ZOOKEEPER/components/ZOOKEEPER_SERVER")]), Word::Raw("| jq -r '[\"\\(.host_components[].HostRoles.host_name):2181\"] | join(\",\")' | cut -d',' -f1,2)")]),
            tool(c, old_on, "kafka-topics.sh", &["--describe", "--zookeeper"], vec![Word::Raw("\"$KAFKAZKHOSTS\"")]),
        ]
    } else {
        vec![
            brokers_env(c, Which::Old, old_on),
            tool(
                c,
                old_on,
                "kafka-topics.sh",
                &["--describe", "--bootstrap-server"],
                vec![brokers()],
            ),
        ]
    };

    let prepare = vec![
        step(
            "prepare.create",
            "Create the new Kafka cluster beside the old one",
            &format!(
                "Kafka {new_kafka} on HDInsight {}, with its own default container. {} Set TLS and customer-managed keys as the old cluster has them.",
                s.to,
                c.where_text()
            ),
        )
        .cmd(c.create(
            Which::New,
            if s.other_account() { "NEW_STORAGE_ACCOUNT" } else { "STORAGE_ACCOUNT" },
            "NEW_CONTAINER",
            false,
        ))
        .verify("The command ends without an error.")
        .rollback("Delete the half-created cluster with az hdinsight delete and create it again; the old cluster is untouched.")
        .source(sources::KAFKA_51)
        .source(sources::AZ_HDINSIGHT)
        .done(),
        c.wait_step("prepare.wait", Which::New, "new cluster"),
        step(
            "prepare.topics",
            "Create the topics on the new cluster",
            "List the old cluster's topics with their partition counts, then create each one on the new cluster with the same name and partitions (set TOPIC and PARTITIONS per topic). Auto topic creation is off on HDInsight. Use replication factor 3, or 4 in a region with two fault domains.",
        )
        .cmds(old_list)
        .cmd(brokers_env(c, Which::New, new_on))
        .cmd(tool(
            c,
            new_on,
            "kafka-topics.sh",
            &["--create", "--replication-factor", "3", "--partitions"],
            vec![Word::Raw("\"$PARTITIONS\""), lit("--topic"), Word::Raw("\"$TOPIC\""), lit("--bootstrap-server"), brokers()],
        ))
        .manual()
        .verify("kafka-topics.sh --describe on the new cluster lists every topic with its partitions.")
        .source(sources::KAFKA_QUICKSTART)
        .source(sources::KAFKA_51)
        .done(),
        step(
            "prepare.test-clients",
            "Test the clients against the new cluster",
            &format!(
                "Run a test producer and consumer of each application against Kafka {new_kafka} (the old cluster runs Kafka {old_kafka}). Newer brokers accept older clients, but not every client works with every broker version."
            ),
        )
        .cmd(tool(c, new_on, "kafka-console-producer.sh", &["--topic"], vec![Word::Raw("\"$TOPIC\""), lit("--bootstrap-server"), brokers()]))
        .cmd(tool(c, new_on, "kafka-console-consumer.sh", &["--from-beginning", "--topic"], vec![Word::Raw("\"$TOPIC\""), lit("--bootstrap-server"), brokers()]))
        .manual()
        .verify("Messages produced by the test clients are consumed on the new cluster.")
        .rollback("Fix the clients; production still runs on the old cluster.")
        .source(sources::KAFKA_40)
        .source(sources::KAFKA_51)
        .done(),
    ];

    let mirror = if s.from >= Hdi::V50 {
        step(
            "cutover.mirror",
            "Only if the old messages must be kept: mirror the topics",
            "Skip this when consumers can simply drain the old cluster. Otherwise run MirrorMaker 2 on the new cluster before moving producers, with a mirror-maker.properties that names both clusters (clusters = source, destination; source.bootstrap.servers and destination.bootstrap.servers; source->destination.enabled = true; source->destination.topics = <topic regex>; groups = .*; replication.factor = 3). Its checkpoints carry consumer offsets across. Mirrored topics get a source. prefix unless replication.policy.class says otherwise.",
        )
        .cmd(c.elsewhere(new_on, vec![lit(&format!("{BIN}connect-mirror-maker.sh")), lit("mirror-maker.properties")]))
        .manual()
        .verify("The mirrored topics on the new cluster catch up with the old ones.")
        .source(sources::KAFKA_MM2)
        .done()
    } else {
        step(
            "cutover.mirror",
            "Only if the old messages must be kept: mirror the topics",
            &format!(
                "Skip this when consumers can simply drain the old cluster. Kafka {old_kafka} is older than 2.4, which MirrorMaker 2 needs, so use MirrorMaker 1 from the new cluster: consumer.properties names the old cluster (zookeeper.connect, group.id=mirrorgroup), producer.properties the new one (bootstrap.servers, compression.type=none). MirrorMaker 1 does not carry consumer offsets."
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

    let cutover = vec![
        mirror,
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
        step(
            "cutover.drain",
            "Wait until the consumers have read everything on the old cluster",
            "For each consumer group (set GROUP), the lag on the old cluster must reach 0 on every partition.",
        )
        .cmd(brokers_env(c, Which::Old, old_on))
        .cmd(tool(c, old_on, "kafka-consumer-groups.sh", &["--describe", "--group"], vec![Word::Raw("\"$GROUP\""), lit("--bootstrap-server"), brokers()]))
        .manual()
        .verify("The LAG column shows 0 for every partition of every group.")
        .source(sources::KAFKA_40)
        .done(),
        step(
            "cutover.consumers",
            "Move the consumers to the new cluster",
            "Point every consumer at the new cluster's brokers. Without MirrorMaker 2 offsets they start from the consumer's auto.offset.reset position on the new topics, which only hold messages produced since the producers moved.",
        )
        .manual()
        .verify("The consumer groups show up on the new cluster with a small, falling lag.")
        .rollback("Point the consumers back; the old cluster still holds its messages.")
        .source(sources::KAFKA_40)
        .source(sources::KAFKA_51)
        .done(),
    ];

    let verify: Vec<Step> = vec![
        c.wait_step("verify.state", Which::New, "new cluster"),
        step(
            "verify.consumers",
            "Check the consumer groups on the new cluster",
            "Every group reads from the new cluster and keeps up.",
        )
        .cmd(tool(
            c,
            new_on,
            "kafka-consumer-groups.sh",
            &["--describe", "--group"],
            vec![
                Word::Raw("\"$GROUP\""),
                lit("--bootstrap-server"),
                brokers(),
            ],
        ))
        .manual()
        .verify("Every group's lag stays low.")
        .source(sources::KAFKA_51)
        .done(),
        step(
            "verify.delete-old",
            "Delete the old cluster and the test applications",
            "Once no client uses the old cluster. After this there is no way back.",
        )
        .cmd(c.delete(Which::Old))
        .verify("az hdinsight list no longer shows the old cluster.")
        .source(sources::KAFKA_51)
        .source(sources::DELETE)
        .done(),
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
        Phase {
            id: PhaseId::Prepare,
            title: "Prepare".into(),
            intro: "Create the new cluster beside the old one, recreate the topics and test the clients. Nothing stops yet.".into(),
            steps: prepare,
        },
        Phase {
            id: PhaseId::Cutover,
            title: "Cutover".into(),
            intro: "Move the producers, let the consumers drain the old topics, then move the consumers. There is no downtime if the clients switch cleanly.".into(),
            steps: cutover,
        },
        Phase {
            id: PhaseId::Verify,
            title: "Verify".into(),
            intro: "Check the new cluster, then delete the old one.".into(),
            steps: verify,
        },
        Phase {
            id: PhaseId::Rollback,
            title: "Rollback".into(),
            intro: "Only while the old cluster still exists.".into(),
            steps: rollback,
        },
    ]
}
