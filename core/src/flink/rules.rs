//! Version-pair rules and preconditions, as data.
//!
//! - [`HOP_RULES`] exclude a hop (a savepoint created with one exact version,
//!   resumed with another) for jobs that use a feature. The planner routes
//!   around them through stops, or reports a blocker when it cannot.
//! - [`findings`] evaluates the rules that warn or inform about a path.
//!
//! Each rule cites its source; `tests/flink_rules.rs` checks the invariants.

use crate::plan::{finding, Finding, Severity};
use crate::source::Source;
use crate::version::Version;

use super::scenario::{Feature, Scenario, Strategy, Uids};
use super::{sources, versions};

/// A hop that must not be taken by jobs using `feature`.
pub struct HopRule {
    pub code: &'static str,
    pub feature: Feature,
    /// Savepoints created with versions in this range (inclusive)…
    pub created: (Version, Version),
    /// …do not resume with versions in this range (inclusive).
    pub resumed: (Version, Version),
    pub title: &'static str,
    pub why: &'static str,
    pub action: &'static str,
    pub source: Source,
}

const fn p(major: u16, minor: u16, patch: u16) -> Version {
    Version::patch(major, minor, patch)
}

/// The last patch of any line, for open-ended ranges.
const END: u16 = u16::MAX;

pub const HOP_RULES: [HopRule; 5] = [
    HopRule {
        code: "flink.cep-from-1.1",
        feature: Feature::Cep,
        created: (p(1, 1, 0), p(1, 1, END)),
        resumed: (p(1, 2, 0), p(1, 2, END)),
        title: "CEP state from 1.1 cannot be migrated to 1.2",
        why: "The Flink 1.2 upgrade guide lists the CEP operator as not supported for migration from 1.1.",
        action: "Go from 1.1 straight to 1.3, which restores 1.1 savepoints.",
        source: sources::UPGRADING,
    },
    HopRule {
        code: "flink.cep-from-1.2",
        feature: Feature::Cep,
        created: (p(1, 2, 0), p(1, 2, END)),
        resumed: (p(1, 4, 0), p(2, 99, END)),
        title: "CEP savepoints from 1.2 do not restore in 1.4 or later",
        why: "Flink 1.4 removed CEP compatibility with 1.2 savepoints (FLINK-7511).",
        action: "Stop at 1.3 first and take a new savepoint there.",
        source: sources::MATRIX_1_18,
    },
    HopRule {
        code: "flink.scala-traversable-1.2-to-1.8",
        feature: Feature::ScalaCollections,
        created: (p(1, 2, 0), p(1, 2, END)),
        resumed: (p(1, 8, 0), p(2, 99, END)),
        title: "Scala collections in 1.2 savepoints break from 1.8",
        why: "The Scala TraversableSerializer changed in 1.8; 1.2 savepoints that use it do not restore there.",
        action: "Stop at a release from 1.3 to 1.7 first and take a new savepoint there.",
        source: sources::MATRIX_1_18,
    },
    HopRule {
        code: "flink.scala-case-classes-1.3-to-1.4.0",
        feature: Feature::ScalaCaseClasses,
        created: (p(1, 3, 0), p(1, 3, END)),
        resumed: (p(1, 4, 0), p(1, 4, 1)),
        title: "Scala case classes from 1.3 fail on 1.4.0 and 1.4.1",
        why: "Migrating from 1.3 to 1.4.0 or 1.4.1 fails when the savepoint holds Scala case classes.",
        action: "Go to 1.4.2 or later instead.",
        source: sources::MATRIX_1_18,
    },
    HopRule {
        code: "flink.broadcast-1.5-to-1.6",
        feature: Feature::BroadcastState,
        created: (p(1, 5, 0), p(1, 5, END)),
        resumed: (p(1, 6, 0), p(1, 6, 2)),
        title: "Broadcast state from 1.5 fails on 1.6.0 to 1.6.2",
        why: "A known issue (FLINK-11087) breaks restoring 1.5 broadcast state in 1.6.0–1.6.2 and 1.7.0.",
        action: "Go to 1.6.3 or later (or 1.7.1 or later).",
        source: sources::FLINK_11087,
    },
];

/// The 1.7.0 half of FLINK-11087, kept as its own rule so each range is one
/// contiguous span.
pub const BROADCAST_1_7_0: HopRule = HopRule {
    code: "flink.broadcast-1.5-to-1.7.0",
    feature: Feature::BroadcastState,
    created: (p(1, 5, 0), p(1, 5, END)),
    resumed: (p(1, 7, 0), p(1, 7, 0)),
    title: "Broadcast state from 1.5 fails on 1.7.0",
    why:
        "A known issue (FLINK-11087) breaks restoring 1.5 broadcast state in 1.6.0–1.6.2 and 1.7.0.",
    action: "Go to 1.7.1 or later.",
    source: sources::FLINK_11087,
};

/// All hop rules.
pub fn hop_rules() -> impl Iterator<Item = &'static HopRule> {
    HOP_RULES.iter().chain(std::iter::once(&BROADCAST_1_7_0))
}

/// Pins a version for rule checks: a bare minor means its newest patch.
pub fn exact(v: Version) -> Version {
    if v.patch.is_some() {
        v
    } else {
        versions::latest(v)
    }
}

fn within(v: Version, range: (Version, Version)) -> bool {
    let v = exact(v);
    v >= range.0 && v <= range.1
}

/// The rules that forbid this hop for this scenario's jobs.
pub fn blocking_rules(created: Version, resumed: Version, s: &Scenario) -> Vec<&'static HopRule> {
    hop_rules()
        .filter(|r| s.uses(r.feature) && within(created, r.created) && within(resumed, r.resumed))
        .collect()
}

/// Does the path move from below `line` to `line` or above?
fn crosses(path: &[Version], line: Version) -> bool {
    path.windows(2)
        .any(|w| w[0].cmp_line(line).is_lt() && w[1].cmp_line(line).is_ge())
}

/// Findings about preconditions and the path's hops.
pub fn findings(s: &Scenario, path: &[Version]) -> Vec<Finding> {
    let mut out = Vec::new();
    preconditions(s, path, &mut out);
    homes(s, &mut out);
    hop_findings(s, path, &mut out);
    removed_in_2(s, &mut out);
    out
}

/// The last `X.Y` or `X.Y.Z` in a path (`/opt/flink-1.20.1` → 1.20).
fn named_version(path: &str) -> Option<(u16, u16)> {
    path.rsplit(|c: char| !(c.is_ascii_digit() || c == '.'))
        .find_map(|token| {
            let mut parts = token.trim_matches('.').split('.');
            let major = parts.next()?.parse().ok()?;
            let minor = parts.next()?.parse().ok()?;
            Some((major, minor))
        })
}

/// An installation directory that names another version than its side of
/// the plan: the commands would run the wrong Flink (web review C2).
fn homes(s: &Scenario, out: &mut Vec<Finding>) {
    for (key, home, v) in [
        ("old-home", &s.old_home, s.from),
        ("new-home", &s.new_home, s.to),
    ] {
        let Some((major, minor)) = named_version(home) else {
            continue;
        };
        if (major, minor) != (v.major, v.minor) {
            out.push(finding(
                Severity::Warning,
                "flink.home-version",
                format!("{key} names Flink {major}.{minor}, the plan {}.{}", v.major, v.minor),
                format!("The commands run {home}/bin/flink, which by its name is Flink {major}.{minor}, not {}.{}: a stale directory from another plan, or a typo.", v.major, v.minor),
                format!("Set {key} to the Flink {}.{} installation, or leave it out to use the default /opt/flink-<version>; the pre-flight checks the version the directory really holds.", v.major, v.minor),
                &[sources::UPGRADING],
            ));
        }
    }
}

fn preconditions(s: &Scenario, path: &[Version], out: &mut Vec<Finding>) {
    if s.uses(Feature::SemiAsyncRocksdb) {
        out.push(finding(
            Severity::Blocker,
            "flink.semi-async-rocksdb",
            "RocksDB state in semi-asynchronous mode cannot be migrated",
            "The upgrade guide lists this as a hard precondition: savepoints of RocksDB state taken in semi-asynchronous mode cannot move to another version.",
            "Switch the jobs to fully asynchronous RocksDB snapshots on the current version, then untick this option and plan again.",
            &[sources::UPGRADING],
        ));
    }
    match s.uids {
        Some(Uids::All) => {}
        Some(level @ (Uids::Some | Uids::None)) => out.push(finding(
            Severity::Warning,
            "flink.uids",
            if level == Uids::None { "No operator has a uid" } else { "Some operators have no uid" },
            "Without explicit uids Flink derives operator ids from the job graph, so state may not map back to its operator after the upgrade.",
            "Before the cutover, give every stateful operator a uid(...) on the current version and take a fresh savepoint; where that is not possible, pin the old generated id with setUidHash(\"<32-hex id from the web UI or logs>\") (only the head of a chain needs it). Since 1.8, ExecutionConfig#disableAutoGeneratedUIDs makes a job without uids fail at submission.",
            &[sources::UPGRADING],
        )),
        None => out.push(finding(
            Severity::Info,
            "flink.uids-unknown",
            "Check that every operator has a uid",
            "The scenario does not say whether the jobs set uid(...) on their operators. State restores reliably only by uid.",
            "Say uids=all, some or none in the scenario to get specific advice.",
            &[sources::UPGRADING],
        )),
    }
    // Savepoint reachability.
    let local = s.savepoint_dir.starts_with("file:") || s.savepoint_dir.starts_with('/');
    if s.savepoint_dir.is_empty() {
        out.push(finding(
            Severity::Info,
            "flink.savepoint-dir-default",
            "Savepoints go to each cluster's default savepoint directory",
            "No savepoint directory is given, so `flink stop` and `flink savepoint` use the one in the cluster's configuration (state.savepoints.dir; execution.checkpointing.savepoint-dir from 1.20), and fail if it is unset.",
            "Check that the old cluster has a default savepoint directory that the new one can read, or give savepoint-dir.",
            &[sources::SAVEPOINTS],
        ));
    } else if local && s.strategy == Strategy::ShadowCopy {
        out.push(finding(
            Severity::Warning,
            "flink.savepoint-dir-local",
            "The savepoint directory is a local path",
            "The new cluster must read the savepoint under the same absolute path. A local path works only if both clusters share the hosts or a mounted file system.",
            "Use a shared file system (HDFS, S3, a shared mount) for savepoint-dir, or make sure every new TaskManager can read the path.",
            &[sources::UPGRADING],
        ));
    }
    if path
        .first()
        .is_some_and(|v| v.cmp_line(Version::minor(1, 11)).is_lt())
        && !s.savepoint_dir.is_empty()
    {
        out.push(finding(
            Severity::Info,
            "flink.savepoint-not-relocatable",
            "Savepoints from before 1.11 cannot be moved",
            "They reference their files by absolute path. From 1.11 on, a savepoint directory can be moved or copied as a whole (except with S3 entropy injection or task-owned state such as GenericWriteAheadLog).",
            "Keep the savepoint where it was written until the job runs on the new version.",
            &[sources::UPGRADING, sources::SAVEPOINTS],
        ));
    }
    // A shadow copy through stops would run each stop's cluster beside the
    // next one at the one address the scenario gives for "new".
    if s.strategy == Strategy::ShadowCopy && path.len() > 2 {
        let hops: Vec<String> = path
            .windows(2)
            .map(|w| format!("{} → {}", w[0], w[1]))
            .collect();
        out.push(finding(
            Severity::Blocker,
            "flink.shadow-copy-through-stops",
            "A shadow copy through stops needs a plan per hop",
            format!(
                "This route goes through {}. In a shadow copy each stop's cluster runs beside the next one, but the scenario has only one address for the new cluster, so the checks of one would read the other.",
                path[1..path.len() - 1].iter().map(|v| v.to_string()).collect::<Vec<_>>().join(" and ")
            ),
            format!(
                "Plan each hop as its own shadow copy, with its own new cluster address: {}. Or upgrade in place.",
                hops.join(", then ")
            ),
            &[sources::UPGRADING],
        ));
    }
    // The checks tell the clusters apart by their REST addresses.
    if s.strategy == Strategy::ShadowCopy
        && rest_address(&s.old_jobmanager) == rest_address(&s.new_jobmanager)
    {
        out.push(finding(
            Severity::Blocker,
            "flink.shadow-copy-address",
            "The new cluster needs its own address",
            format!(
                "In a shadow copy both clusters run at once, but both are addressed as {}: every check of the new cluster would read the old one.",
                rest_address(&s.old_jobmanager)
            ),
            "Set new-jobmanager to the new cluster's host:port (its rest.port), and old-jobmanager if the old one is not at localhost:8081.",
            &[sources::UPGRADING, sources::REST],
        ));
    }
    // Two clusters at once: on shared hosts they clash. Different JobManager
    // addresses do not mean different TaskManager hosts, so this stays.
    if s.strategy == Strategy::ShadowCopy {
        out.push(finding(
            Severity::Warning,
            "flink.shared-hosts",
            if shares_host(&s.old_jobmanager, &s.new_jobmanager) {
                "Both clusters run on the same hosts"
            } else {
                "Both clusters may share hosts"
            },
            "A shadow copy runs the old and the new cluster side by side, and their TaskManagers may share hosts even when the JobManagers do not. On shared hosts they clash on ports (REST, RPC, blob server, metric reporters), pid and log directories, and each cluster's stop-cluster.sh stops every Flink daemon whose pid file it finds. The new cluster also needs free slots for every job while the old one still holds its own.",
            "Give the new cluster its own rest.port, jobmanager.rpc.port, env.pid.dir and env.log.dir (and TaskManager ports, if fixed) in the configuration file its version reads. start-cluster.sh takes the port from conf/masters over rest.port, so change it there too. Then set new-jobmanager to its address.",
            &[sources::UPGRADING],
        ));
    }
    if s.jobs.is_empty() {
        out.push(finding(
            Severity::Info,
            "flink.no-jobs",
            "No jobs listed",
            "The runbook covers the clusters only. Add each running job (its id, jar and entry class) to get its savepoint and resume commands.",
            "Add jobs in the form, or job1.id, job1.jar, … in the link.",
            &[sources::CLI],
        ));
    }
}

/// The REST address the checks use for a JobManager address.
fn rest_address(jobmanager: &str) -> String {
    if jobmanager.is_empty() {
        "localhost:8081".into()
    } else {
        jobmanager.to_ascii_lowercase()
    }
}

fn shares_host(old: &str, new: &str) -> bool {
    let host = |a: &str| {
        a.rsplit_once(':')
            .map(|(h, _)| h.to_ascii_lowercase())
            .unwrap_or_default()
    };
    let local = |h: &str| h.is_empty() || h == "localhost" || h.starts_with("127.");
    let (a, b) = (host(old), host(new));
    a == b || (local(&a) && local(&b))
}

fn hop_findings(s: &Scenario, path: &[Version], out: &mut Vec<Finding>) {
    let (Some(&from), Some(&to)) = (path.first(), path.last()) else {
        return;
    };
    let v = Version::minor;

    if path
        .windows(2)
        .any(|w| w[0].same_line(v(1, 1)) && w[1].cmp_line(v(1, 2)).is_ge())
    {
        out.push(finding(Severity::Warning, "flink.max-parallelism-1.1",
            "Max parallelism becomes fixed after leaving 1.1",
            "A job migrated from 1.1 keeps its current parallelism as its max parallelism, so it cannot scale up later.",
            "Choose the parallelism you need before taking the 1.1 savepoint.",
            &[sources::MATRIX_1_18]));
    }
    if path
        .windows(2)
        .any(|w| w[0].same_line(v(1, 2)) && w[1].cmp_line(v(1, 3)).is_ge())
    {
        out.push(finding(Severity::Warning, "flink.parallelism-1.2",
            "Keep the parallelism unchanged when leaving 1.2",
            "A 1.2 savepoint cannot be resumed with a different parallelism on 1.3 or later in the same step.",
            "Give each job's parallelism (job<N>.parallelism) as it runs on 1.2: the resume passes it with -p, and without it the job's own or the cluster's default parallelism would apply. Rescale only after the next savepoint, on the new version.",
            &[sources::MATRIX_1_18]));
    }
    if s.uses(Feature::UnalignedCheckpoints)
        && path
            .windows(2)
            .any(|w| w[0].same_line(v(1, 12)) && w[1].cmp_line(v(1, 13)).is_ge())
    {
        out.push(finding(
            Severity::Warning,
            "flink.unaligned-1.12",
            "Do not move from 1.12 with an unaligned checkpoint",
            "Restoring a 1.12 unaligned checkpoint on 1.13 is not supported.",
            "Use a savepoint (as this runbook does), never a retained checkpoint, for this hop.",
            &[sources::UPGRADING],
        ));
    }
    if s.uses(Feature::TableSql) && path.windows(2).any(|w| !w[0].same_line(w[1])) {
        let mut detail = String::from("Each minor or major release may change the optimizer's plan for a query, and with it the state layout; only patch releases aim to stay compatible.");
        if crosses(path, v(1, 17)) {
            detail.push_str(" Flink 1.17 upgraded Calcite, which changes plans for some queries.");
        }
        out.push(finding(Severity::Warning, "flink.table-sql-state",
            "Table API and SQL state may not survive the upgrade",
            detail,
            "Test each SQL job's restore in the test environment. If a restore fails, use a compiled plan (COMPILE PLAN / EXECUTE PLAN) or restart the query without state.",
            &[sources::UPGRADING]));
    }
    if s.uses(Feature::TableSql)
        && path
            .iter()
            .take(path.len().saturating_sub(1))
            .any(|p| p.same_line(v(1, 15)) && p.patch.is_some_and(|x| x <= 1))
    {
        out.push(finding(Severity::Warning, "flink.table-uids-1.15",
            "Table API jobs from 1.15.0 or 1.15.1 have unstable operator uids",
            "These releases generated non-deterministic operator uids for Table API pipelines, which can make a restore impossible.",
            "Set table.exec.uid.generation=ALWAYS on the new version if the 1.15.0/1.15.1 behaviour was acceptable; otherwise test the restore first.",
            &[sources::FLINK_28861, sources::UPGRADING]));
    }
    if s.uses(Feature::LegacyKafka) && crosses(path, v(1, 14)) {
        out.push(finding(Severity::Warning, "flink.kafka-1.14",
            "Moving from FlinkKafkaConsumer/Producer to KafkaSource/KafkaSink",
            "From 1.14 the new Kafka connectors replace the legacy ones. Their state is not interchangeable.",
            "For the producer, stop with a savepoint (as this runbook does) and give KafkaSink a unique transactional id prefix. For the consumer, commit offsets on checkpoints, stop with a savepoint, then start KafkaSource with OffsetsInitializer.committedOffsets().",
            &[sources::release_notes(1, 14)]));
    }
    let scala = s.uses(Feature::ScalaApi)
        || s.uses(Feature::ScalaCaseClasses)
        || s.uses(Feature::ScalaCollections);
    if scala && crosses(path, v(1, 15)) {
        out.push(finding(Severity::Warning, "flink.scala-2.11",
            "Scala 2.11 is dropped in 1.15",
            "Flink 1.15 ships only Scala 2.12. A savepoint from a Scala 2.11 build is not guaranteed to restore in a Scala 2.12 build.",
            "If the jobs are built for Scala 2.11, rebuild them for 2.12 and test the restore before the cutover.",
            &[sources::release_notes(1, 15)]));
    }
    if s.uses(Feature::CustomSerializers) && crosses(path, v(1, 17)) {
        out.push(finding(Severity::Warning, "flink.serializer-snapshot-1.17",
            "Custom serializers must use TypeSerializerSnapshot before 1.17",
            "Flink 1.17 removed TypeSerializerConfigSnapshot. Savepoints made with serializers that still use it do not restore on 1.17 or later.",
            "While still on a release from 1.8 to 1.16, move each custom serializer to TypeSerializerSnapshot, then take the savepoint.",
            &[sources::FLINK_29807, sources::release_notes(1, 17)]));
    }
    if crosses(path, v(1, 20)) {
        out.push(finding(Severity::Info, "flink.options-1.20",
            "Checkpoint and recovery options were renamed in 1.20",
            "Options moved under execution.checkpointing.*, execution.state-recovery.* and state.*; for example execution.savepoint.path is now execution.state-recovery.path. The old keys still work but are deprecated.",
            "Rename the keys in the new cluster's configuration.",
            &[sources::release_notes(1, 20)]));
    }
    if crosses(path, v(2, 0)) {
        out.push(finding(Severity::Warning, "flink.state-1x-2x",
            "State compatibility is not guaranteed from 1.x to 2.x",
            "The Flink 2.0 release notes make no promise that 1.x savepoints restore on 2.x. Flink 2.0 also moved to Kryo 5, which cannot read state written with the older Kryo (state of types Flink falls back to Kryo for).",
            "Test the restore of every job in the test environment first. Where it fails, rebuild the state (for example with the State Processor API) or start the job without state.",
            &[sources::release_notes(2, 0), sources::KRYO_5]));
        out.push(finding(Severity::Warning, "flink.config-yaml-2.0",
            "Flink 2.0 reads only config.yaml",
            "flink-conf.yaml is no longer read from 2.0 on; the configuration must be in standard YAML in conf/config.yaml.",
            "Put the old flink-conf.yaml into the new installation's conf directory and run its bin/migrate-config-file.sh, which writes conf/config.yaml there (it ignores FLINK_CONF_DIR); review the result. The runbook includes this step.",
            &[sources::release_notes(2, 0), sources::release_notes(1, 19)]));
    }
    if crosses(path, v(1, 19)) && to.major == 1 {
        out.push(finding(Severity::Info, "flink.config-yaml-1.19",
            "Flink 1.19 introduced config.yaml",
            "1.19 and 1.20 ship conf/config.yaml (standard YAML) but still read flink-conf.yaml; when both files are present, flink-conf.yaml wins. Flink 2.0 reads only config.yaml.",
            "Keep one of the two files in the new installation, so that it is clear which settings apply; moving to config.yaml now (bin/migrate-config-file.sh) eases the later step to 2.x.",
            &[sources::release_notes(1, 19)]));
    }
    if from.major == 2 && to.major == 2 && !from.same_line(to) {
        out.push(finding(Severity::Warning, "flink.state-2x-unverified",
            "No official compatibility table covers 2.x",
            "The Flink docs have no savepoint compatibility rows for 2.x releases, and the release notes state nothing either way.",
            "Test the restore of every job in the test environment before the cutover.",
            &[sources::UPGRADING]));
    }
    let (jf, jt) = (versions::min_java(from), versions::min_java(to));
    let peak = path
        .iter()
        .map(|p| versions::min_java(*p))
        .max()
        .unwrap_or(jt);
    if peak > jf {
        // The 2.0 release notes are cited only where Java 11 is the step.
        let java_sources = [sources::JAVA, sources::release_notes(2, 0)];
        out.push(finding(Severity::Warning, "flink.java",
            format!("Java {peak} or newer is needed"),
            format!("Flink {from} runs on Java {jf}, but {} needs at least Java {peak}.",
                path.iter().find(|p| versions::min_java(**p) == peak).map_or(to.to_string(), |p| p.to_string())),
            format!("Install Java {peak} or newer on every host of the new cluster, and build the jobs for it."),
            if peak >= 11 { &java_sources } else { &java_sources[..1] }));
    }
    minor_targets_with_bad_patches(s, path, out);
    if crosses(path, v(2, 0)) && s.jobs.iter().any(|j| j.old_jar.is_empty()) {
        out.push(finding(Severity::Warning, "flink.rollback-jar-2.0",
            "Give the 1.x jar for the rollback",
            "Jobs rebuilt for Flink 2 (Java 11, without the removed APIs) do not run on 1.x, and the rollback resumes the old savepoint on the old version.",
            "Set old-jar for each job to the jar it runs from today, so that the rollback phase resubmits that one.",
            &[sources::release_notes(2, 0)]));
    }
}

/// A hop to a bare minor line (`to=1.7`) whose early patches a feature rule
/// rules out: say which patch to install.
fn minor_targets_with_bad_patches(s: &Scenario, path: &[Version], out: &mut Vec<Finding>) {
    for w in path.windows(2) {
        let (a, b) = (w[0], w[1]);
        if b.patch.is_some() {
            continue;
        }
        let Some(rel) = versions::release(b) else {
            continue;
        };
        for rule in hop_rules().filter(|r| s.uses(r.feature) && within(a, r.created)) {
            let patch = |p: u16| Version::patch(b.major, b.minor, p);
            let bad: Vec<String> = rel
                .patches
                .iter()
                .map(|&p| patch(p))
                .filter(|v| *v >= rule.resumed.0 && *v <= rule.resumed.1)
                .map(|v| v.to_string())
                .collect();
            let first_ok = rel
                .patches
                .iter()
                .map(|&p| patch(p))
                .find(|v| *v > rule.resumed.1);
            if let (false, Some(ok)) = (bad.is_empty(), first_ok) {
                out.push(Finding {
                    severity: Severity::Warning,
                    code: "flink.bad-patch",
                    title: format!("Install Flink {ok} or later, not {}", bad.join(" or ")),
                    detail: format!("{}. {}", rule.title, rule.why),
                    action: format!(
                        "Install the newest {} patch ({}); the runbook assumes it.",
                        b,
                        versions::latest(b)
                    ),
                    sources: vec![rule.source],
                });
            }
        }
    }
}

fn removed_in_2(s: &Scenario, out: &mut Vec<Finding>) {
    if s.to.major < 2 {
        return;
    }
    let removed: [(Feature, &str, &str); 4] = [
        (Feature::DataSet, "The DataSet API is removed in 2.0", "Port the batch jobs to the DataStream API or Table API/SQL on 1.x first."),
        (Feature::ScalaApi, "The Scala DataStream and DataSet APIs are removed in 2.0", "Port the jobs to the Java API (or a community Scala wrapper) on 1.x first."),
        (Feature::SourceSinkFunction, "SourceFunction, SinkFunction and Sink V1 are removed in 2.0", "Move the sources and sinks to the Source (FLIP-27) and Sink V2 interfaces on 1.x first."),
        (Feature::LegacyKafka, "FlinkKafkaConsumer and FlinkKafkaProducer do not exist on 2.x", "Switch to KafkaSource and KafkaSink on 1.x first (stop with a savepoint, then start KafkaSource from committed offsets)."),
    ];
    for (feature, title, action) in removed {
        if s.uses(feature) {
            out.push(finding(
                Severity::Blocker,
                match feature {
                    Feature::DataSet => "flink.removed-dataset",
                    Feature::ScalaApi => "flink.removed-scala-api",
                    Feature::SourceSinkFunction => "flink.removed-source-sink-function",
                    _ => "flink.removed-legacy-kafka",
                },
                title,
                "Jobs that use it do not compile or run on Flink 2.x.",
                action,
                &[sources::release_notes(2, 0)],
            ));
        }
    }
}
