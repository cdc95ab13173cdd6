//! Prepare: days before the window. The preconditions, the installations and
//! the rehearsal are a person's work; a shadow copy's new cluster starts here.

use crate::plan::{step, Check, Command, Expect, Host, Step, Word};

use super::super::scenario::{Feature, Strategy};
use super::super::sources;
use super::{lit, var, Context};

/// What to build for the version at path index `i`: nothing for a patch
/// upgrade, else jars for that version (a stop's own jar key).
fn build_advice(c: &Context<'_>, i: usize) -> String {
    let v = c.path[i];
    let java = super::super::versions::recommended_java(v);
    if c.path[i - 1].same_line(v) {
        return format!("Patch releases keep the public APIs binary compatible: the jars that run today run on {v} too. Run it with {java}.");
    }
    if i < c.path.len() - 1 {
        format!("Build the job jars against Flink {v} with {java}, and give them as job<N>.stop{i}-jar where they differ from the final jar: a jar built for one minor release may not run on another.")
    } else {
        format!("Build the job jars against Flink {v} with {java} (job<N>.jar).")
    }
}

/// The savepoint preconditions, a person's check (every target has it).
pub(in crate::flink) fn preconditions(c: &Context<'_>) -> Step {
    let s = c.s;
    let mut checks = vec![
        "every stateful operator has a stable uid(...) (or setUidHash for operators without one)"
            .to_string(),
        "no operator's state type changed since the last savepoint".to_string(),
        "the savepoint directory is reachable from the new cluster under the same absolute path"
            .to_string(),
    ];
    if s.uses(Feature::SemiAsyncRocksdb) {
        checks.push(
            "RocksDB snapshots are fully asynchronous (semi-asynchronous state cannot be migrated)"
                .into(),
        );
    }
    if s.uses(Feature::CustomSerializers) {
        checks.push("custom serializers provide a TypeSerializerSnapshot".into());
    }
    step("prepare.preconditions".into(), "Check the savepoint preconditions".into(),
        format!("Check that: {}.", checks.join("; ")))
        .manual()
        .verify("Each item holds for every job.")
        .rollback("Fix what does not hold on the current version and take a fresh savepoint before the cutover.")
        .source(sources::UPGRADING)
        .done()
}

/// The rehearsal in a test environment, a person's work.
pub(in crate::flink) fn rehearse(c: &Context<'_>) -> Step {
    step("prepare.rehearse".into(), "Rehearse in a test environment".into(),
        format!("Run this runbook against a test copy of the jobs: take savepoints on Flink {}, resume them through {}, and compare the output with production. Note how long each step takes to size the change window.", c.path[0], c.path[1..].iter().map(|v| v.to_string()).collect::<Vec<_>>().join(" → ")))
        .manual()
        .verify("Every job resumed from its savepoint and produces the expected output.")
        .rollback("Do not schedule the cutover until the rehearsal passes; see the findings for what may break.")
        .source(sources::UPGRADING)
        .done()
}

pub fn steps(c: &Context<'_>) -> Vec<Step> {
    let s = c.s;
    let mut steps = vec![preconditions(c)];

    for i in 1..c.path.len() {
        let cl = c.cluster(i);
        let v = c.path[i];
        let mut detail = format!(
            "Unpack Flink {v} into its installation directory and carry over the old configuration (state backend, checkpoint and savepoint directories, high availability, memory). {}",
            build_advice(c, i)
        );
        let mut st = step(
            format!("prepare.install.{v}"),
            if v.patch.is_none() {
                format!(
                    "Install Flink {v} (its newest patch, {})",
                    super::super::versions::latest(v)
                )
            } else {
                format!("Install Flink {v}")
            },
            String::new(),
        );
        if v.major >= 2 && c.path[i - 1].major < 2 {
            detail.push_str(" Flink 2 reads only conf/config.yaml. If the old cluster already uses conf/config.yaml (1.19 and later ship it), carry that file over. If it uses flink-conf.yaml, put it into the new conf directory and run the new bin/migrate-config-file.sh, which writes conf/config.yaml from it; then review the result.");
            st = st.cmd(Command::local(vec![Word::Join(vec![
                var(cl.home.clone()),
                lit("/bin/migrate-config-file.sh"),
            ])]));
            st = st.source(sources::release_notes(2, 0));
        }
        detail.push_str(" Flink ignores options it does not know, so a key this version removed or renamed silently falls back to its default: check each carried-over key against the release notes.");
        if let Some(fs) = super::super::filesystems::setup(&s.savepoint_dir, v) {
            detail.push(' ');
            detail.push_str(&fs);
            st = st.source(super::super::filesystems::FILESYSTEMS);
        }
        st = st.detail(detail);
        steps.push(
            st.cmd(Command::on(
                Host::Elsewhere {
                    description: format!("each host of {}", c.name(i)),
                },
                vec![
                    lit("ls"),
                    Word::Join(vec![var(cl.home.clone()), lit("/lib")]),
                ],
            ))
            .manual()
            .verify(format!(
                "The directory holds Flink {v}: lib/flink-dist-{}*.jar is present.",
                v.line()
            ))
            .rollback("Nothing has changed on the running cluster yet.")
            .source(sources::UPGRADING)
            .done(),
        );
    }

    steps.push(rehearse(c));

    if s.strategy == Strategy::ShadowCopy {
        steps.push(identity(c));
        let new_first = c.cluster(1);
        steps.push(
            step("prepare.start-new".into(), format!("Start {}", c.name(1)),
                "The shadow copy runs beside the old cluster until the cutover is done.".into())
                .cmd(new_first.start_cluster())
                .check(new_first.up_check(&c.name(1)))
                .check(new_first.version_check(&c.name(1)))
                .verify("The REST API reports at least one TaskManager.")
                .rollback(format!("Stop it with {}/bin/stop-cluster.sh and check its configuration (ports, pid directory).", c.home_path(1)))
                .source(sources::UPGRADING)
                .done(),
        );
    }
    steps
}

/// A shadow copy's new cluster runs beside the live one: it must not share
/// its high-availability identity (leader election, job graphs), nor, on
/// shared hosts, its ports and directories.
fn identity(c: &Context<'_>) -> Step {
    let v = c.path[1];
    let file = super::super::config_file::files(v).join(" or ");
    step(
        "prepare.identity".into(),
        format!("Give {} its own identity", c.name(1)),
        format!(
            "In the new installation's {file}: with high availability, a high-availability.cluster-id of its own (a cluster without one has /default, so setting it on the new one alone is enough); with ZooKeeper also its own high-availability.zookeeper.path.root or the same root with the new id, and with Kubernetes HA its own kubernetes.cluster-id. Two clusters with one id share leader election and the job-graph store: the new JobManager can take over the live cluster's jobs. On hosts both clusters use, also give it its own rest.port (and the same port in conf/masters), jobmanager.rpc.port, blob.server.port, taskmanager.rpc.port and taskmanager.data.port when fixed, metrics reporter ports (metrics.reporter.<name>.port), env.pid.dir, env.log.dir, web.upload.dir and io.tmp.dirs."
        ),
    )
    .check(Check::new(
        Command::local(vec![lit("test"), var("OLD_REST"), lit("!="), var("NEW_REST")]),
        Expect::Success,
        format!("the new cluster's REST address ({}) differs from the live one's ({})", c.rest_text(1), c.rest_text(0)),
    ))
    .check(Check::new(
        super::super::config_file::identity_differs("OLD_REST", &c.cluster(1).home, v),
        Expect::Success,
        format!("{} does not reuse the live cluster's high-availability.cluster-id", c.home_path(1)),
    ))
    .verify("The new configuration has its own cluster-id (with HA) and, on shared hosts, its own ports and directories.")
    .rollback("Nothing runs yet: fix the new installation's configuration and run again.")
    .source(super::super::sources::HA)
    .source(sources::UPGRADING)
    .done()
}
