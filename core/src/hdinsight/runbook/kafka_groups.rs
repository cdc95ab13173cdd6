//! Kafka consumer groups: the drain on the old cluster, the offset reset on
//! the new one and the check after the move, one command per group the link
//! names (`group<N>.name`, `group<N>.topics`), or with `$GROUP` and `$TOPIC`
//! placeholders when it names none.
//!
//! A reset must name its topics: `--all-topics` resets only the partitions a
//! group already has offsets for, which on the new cluster is none (review
//! H-C2).

use crate::plan::{Command, Step, StepBuilder, Word};

use super::super::sources;
use super::kafka::{brokers, brokers_env, tool};
use super::{lit, step, Context, Which};

/// The `--group …` (and for a reset `--topic …` per topic) words of each
/// group, or the placeholders.
fn per_group(c: &Context<'_>, with_topics: bool) -> Vec<Vec<Word>> {
    if c.s.consumer_groups.is_empty() {
        let mut w = vec![lit("--group"), Word::Raw("\"$GROUP\"")];
        if with_topics {
            w.extend([lit("--topic"), Word::Raw("\"$TOPIC\"")]);
        }
        return vec![w];
    }
    c.s.consumer_groups
        .iter()
        .map(|g| {
            let mut w = vec![lit("--group"), lit(g.name.clone())];
            if with_topics {
                for t in &g.topics {
                    w.extend([lit("--topic"), lit(t.to_owned())]);
                }
            }
            w
        })
        .collect()
}

fn group_tool(c: &Context<'_>, on: &str, args: &[&'static str], group: Vec<Word>) -> Command {
    let mut tail = group;
    tail.extend([lit("--bootstrap-server"), brokers()]);
    tool(c, on, "kafka-consumer-groups.sh", args, tail)
}

/// On cluster `w`: the brokers' lookup, then `kafka-consumer-groups.sh
/// <args>` once per group (with its `--topic`s when `with_topics`).
fn per_group_cmds(
    c: &Context<'_>,
    mut st: StepBuilder,
    w: Which,
    on: &str,
    args: &[&'static str],
    with_topics: bool,
) -> StepBuilder {
    st = st.cmd(brokers_env(c, w, on));
    for g in per_group(c, with_topics) {
        st = st.cmd(group_tool(c, on, args, g));
    }
    st
}

/// Which groups the commands cover, for the step texts.
fn which(c: &Context<'_>) -> String {
    let groups = &c.s.consumer_groups;
    if groups.is_empty() {
        "each consumer group (set GROUP; name the groups in the link with group<N>.name and group<N>.topics to get one command per group)".into()
    } else {
        let names: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
        format!("each consumer group the link names ({})", names.join(", "))
    }
}

pub fn drain_step(c: &Context<'_>, on: &str) -> Step {
    let st = step(
        "cutover.drain",
        "Wait until the consumers have read everything on the old cluster",
        &format!(
            "For {}, the lag on the old cluster must reach 0 on every partition.",
            which(c)
        ),
    );
    per_group_cmds(c, st, Which::Old, on, &["--describe"], false)
        .manual()
        .verify("The LAG column shows 0 for every partition of every group.")
        .source(sources::KAFKA_40)
        .done()
}

pub fn consumers_step(c: &Context<'_>, on: &str) -> Step {
    let topics = if c.s.consumer_groups.is_empty() {
        " on each topic it reads (set TOPIC; repeat --topic for more)"
    } else {
        " on the topics the link lists for it"
    };
    let st = step(
        "cutover.consumers",
        "Move the consumers to the new cluster",
        &format!("Point every consumer at the new cluster's brokers. A group without committed offsets there starts at auto.offset.reset, which defaults to latest and would skip what the producers wrote since they moved. So before the consumers start, reset {}{topics} to the earliest offset as below, or set auto.offset.reset=earliest in the moved consumers. The reset names the topics: --all-topics resets only the partitions a group already has offsets for, which on the new cluster is none. If MirrorMaker copied older messages into the topics, reset by time instead: --to-datetime <time the producers moved> in place of --to-earliest. Skip the reset for groups whose offsets MirrorMaker 2 synced (sync.group.offsets.enabled): they resume where they stopped.", which(c)),
    );
    let reset = ["--reset-offsets", "--to-earliest", "--execute"];
    per_group_cmds(c, st, Which::New, on, &reset, true)
        .manual()
        .verify("kafka-consumer-groups.sh --describe for each group lists every partition of its topics with an offset before the consumers start; after they start, the lag is small and falling.")
        .rollback("Point the consumers back; the old cluster still holds its messages.")
        .source(sources::KAFKA_40)
        .source(sources::KAFKA_51)
        .done()
}

pub fn check_step(c: &Context<'_>, on: &str) -> Step {
    let st = step(
        "verify.consumers",
        "Check the consumer groups on the new cluster",
        &format!(
            "For {}: it reads from the new cluster and keeps up.",
            which(c)
        ),
    );
    per_group_cmds(c, st, Which::New, on, &["--describe"], false)
        .manual()
        .verify("Every group's lag stays low.")
        .source(sources::KAFKA_51)
        .done()
}
