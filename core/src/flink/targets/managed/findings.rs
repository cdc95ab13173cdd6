//! What this target changes about the plan: how the in-place upgrade
//! differs from the standalone procedure, the runtimes MSF has, and AWS's
//! documented incompatibilities applied to the scenario's route and `uses`.

use crate::plan::{finding, Finding, Severity};
use crate::version::Version;

use super::super::super::route;
use super::super::super::scenario::{Feature, Scenario};
use super::{is_runtime, runtime, runtime_list, RUNTIMES};
use crate::flink::sources as src;

/// General findings whose advice is about a Flink installation of one's own
/// (installation directories, configuration files, `flink cancel -s`, job
/// ids in the state file, Hadoop and memory settings): on MSF the service
/// runs Flink, and this target says what applies instead.
pub const REPLACED: [&str; 17] = [
    "flink.stops",
    "flink.savepoint-dir-default",
    "flink.config-yaml-2.0",
    "flink.config-yaml-1.19",
    "flink.home-version",
    "flink.rollback-jar-2.0",
    "flink.java",
    "flink.job-ids-change",
    "flink.rollback-depends",
    "flink.cancel-with-savepoint",
    "flink.hadoop-unbundled",
    "flink.memory-model-taskmanager",
    "flink.memory-model-jobmanager",
    "flink.removed-options-2.0",
    "flink.same-line",
    "flink.scala-free",
    "flink.no-jobs",
];

fn crosses(path: &[Version], line: Version) -> bool {
    path.windows(2)
        .any(|w| w[0].cmp_line(line).is_lt() && w[1].cmp_line(line).is_ge())
}

pub fn findings(s: &Scenario, path: &[Version]) -> Vec<Finding> {
    let v = Version::minor;
    let (from, to) = (path[0], path[path.len() - 1]);
    let mut out = vec![finding(
        Severity::Info,
        "flink.msf-in-place",
        "Managed Flink upgrades each application in place",
        "There is no flink stop and no savepoint path: an explicit snapshot is taken first, then UpdateApplication changes the runtime and the code key together, and MSF stops the application with a snapshot and starts it on the new runtime from it. The application keeps its ARN, logs, metrics, tags, configuration and VPC. MSF's own check only compares the snapshot's Flink version with the target runtime, following the Flink compatibility table: it says nothing about whether the state's types and serializers restore, which the rehearsal and the verify's restart check must show. Beyond its rule against a stateful 1.6 → 1.18 or later, AWS does not list the version pairs it accepts; a pair it refuses fails at once, and nothing changes.",
        "Follow the runbook; the rollback updates back to the old runtime from the first snapshot. Each step says which call it makes.",
        &[src::MSF_IN_PLACE, src::MSF_UPGRADING, src::MSF_SNAPSHOTS],
    )];

    let patched: Vec<String> = std::iter::once(s.from)
        .chain(std::iter::once(s.to))
        .chain(s.via.iter().copied())
        .filter(|x| x.patch.is_some())
        .map(|x| x.to_string())
        .collect();
    if !patched.is_empty() {
        out.push(finding(
            Severity::Blocker,
            "flink.msf-patch",
            format!("Managed Flink runtimes have no patch versions: {}", patched.join(", ")),
            "A runtime such as FLINK-1_20 is a release line; AWS chooses and updates its patch release. A plan for a patch would check rules against a release the application may not run.",
            "Give release lines in from, to and via (1.20, not 1.20.1).",
            &[src::MSF_UPDATE_APPLICATION],
        ));
    }
    let missing: Vec<String> = path
        .iter()
        .filter(|x| !is_runtime(**x))
        .map(|x| x.line().to_string())
        .collect();
    if !missing.is_empty() {
        out.push(finding(
            Severity::Blocker,
            "flink.msf-runtime",
            format!("Managed Flink has no runtime for Flink {}", missing.join(", ")),
            format!("An application runs one of the runtimes {}; the route {} names others.", runtime_list(), path.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(" → ")),
            "Set from and to to the runtimes the application runs and should run, and leave via out: the planner then stops only at MSF runtimes.",
            &[src::MSF_UPDATE_APPLICATION, src::MSF_IN_PLACE],
        ));
    }
    if from.same_line(to) {
        out.push(finding(
            Severity::Blocker,
            "flink.msf-same-runtime",
            format!("{} is already the runtime", runtime(to)),
            "Source and target are the same runtime, so there is no version upgrade to run.",
            "For new code alone, update the application's code key without --runtime-environment-update.",
            &[src::MSF_UPDATE_APPLICATION],
        ));
        return out;
    }
    if let Some(&(a, b, _)) = RUNTIMES
        .iter()
        .find(|&&(a, b, ok)| !ok && path.iter().any(|x| (x.major, x.minor) == (a, b)))
    {
        out.push(finding(
            Severity::Info,
            "flink.msf-runtime-unverified",
            format!("FLINK-{a}_{b} is in the API's model, not yet in the guide's text"),
            format!("AWS documents Flink {a}.{b} on Managed Flink, and the service model of the AWS CLI (awscli 1.46.3) lists FLINK-{a}_{b} as a runtime value, but the developer guide pages read for this plan do not spell the value out."),
            "Before the window, check that the console or `aws kinesisanalyticsv2 describe-application` of a test application shows the same value; if it differed, the update would fail at once and change nothing.",
            &[src::MSF_FLINK_2_3, src::MSF_UPDATE_APPLICATION],
        ));
    }
    if path.len() > 2 {
        let stops: Vec<String> = path[1..path.len() - 1]
            .iter()
            .map(|x| runtime(*x))
            .collect();
        let mut detail = match route::hop_problem(from, to, s) {
            Some(why) => format!(
                "{} cannot go straight to {}: {why}",
                runtime(from),
                runtime(to)
            ),
            None => format!(
                "{} could go straight to {}; these are the stops chosen in `via`.",
                runtime(from),
                runtime(to)
            ),
        };
        if from.same_line(v(1, 6)) && to.cmp_line(v(1, 18)).is_ge() {
            detail.push_str(" MSF itself rejects a stateful update from 1.6 to 1.18 or later, and asks to go through 1.8, 1.11, 1.13 or 1.15 first.");
        }
        out.push(finding(
            Severity::Info,
            "flink.msf-stops",
            format!("Stop{} at {}", if stops.len() == 1 { "" } else { "s" }, stops.join(" and ")),
            detail,
            "Each stop is its own update, with its own code (job<N>.stop<K>-jar where it differs) and a snapshot there before the next. Only MSF runtimes are considered as stops.",
            &[src::MATRIX_1_18, src::MSF_PRECAUTIONS],
        ));
    }
    if s.jobs.is_empty() {
        out.push(finding(Severity::Info, "flink.msf-no-applications", "No applications listed",
            "The runbook has no application to upgrade.",
            "Add each application as job<N>.application with its code keys (job<N>.jar, job<N>.old-jar).",
            &[src::MSF_UPGRADING]));
    } else {
        out.push(finding(Severity::Warning, "flink.msf-rollback-depends",
            "The rollback replays from the cutover's first snapshots",
            format!("The rollback restores each application from the snapshot taken on {} at the start of the cutover. It works only while the sources still hold the data from that moment, so their retention must cover the cutover plus the soak; output since then is produced again, and what the new version wrote stays written.", runtime(from)),
            "Before the window, check each source's retention against the cutover plus the soak, and agree how the downstream systems treat output produced twice. The go/no-go asks for this.",
            &[src::MSF_PRECAUTIONS, src::MSF_SNAPSHOTS]));
    }

    incompatibilities(s, path, &mut out);
    if from.major < 2 && to.major >= 2 {
        state_guide_2x(s, &mut out);
    }
    out
}

/// AWS's list of known issues of version upgrades, for this route.
fn incompatibilities(s: &Scenario, path: &[Version], out: &mut Vec<Finding>) {
    let v = Version::minor;
    let (from, to) = (path[0], path[path.len() - 1]);
    let precautions = [src::MSF_PRECAUTIONS];
    if path[1..].iter().any(|x| x.same_line(v(1, 15))) {
        out.push(finding(Severity::Warning, "flink.msf-kafka-1.15",
            "Kafka sources on 1.15 can stop committing offsets",
            "On Flink 1.15 a Kafka source that commits offsets on checkpoints fails to commit again and again after a broker restart (FLINK-28060). The route runs the jobs on FLINK-1_15.",
            "If the jobs read from Kafka, prefer a route through 1.18 or later, or keep the time on 1.15 short and watch the committed offsets there.",
            &precautions));
    }
    if from.cmp_line(v(1, 11)).is_le() && to.cmp_line(v(1, 13)).is_ge() {
        out.push(finding(Severity::Warning, "flink.msf-kinesis-connector",
            "The Kinesis connector changed its package after 1.11",
            "Jobs on amazon-kinesis-connector-flink (package software.amazon.kinesis, up to 1.11) move to the Apache connector (org.apache.flink.streaming.connectors.kinesis) from 1.13, and its state does not restore without AWS's state migrator.",
            "If the jobs use the Kinesis connector, migrate the state with the migrator before the hop to 1.13 or later, and test the restore in the rehearsal.",
            &precautions));
    }
    if from.cmp_line(v(1, 13)).is_le() && to.cmp_line(v(1, 15)).is_ge() {
        out.push(finding(Severity::Warning, "flink.msf-kinesis-producer",
            "FlinkKinesisProducer must stay for a stateful move to 1.15 or later",
            "Jobs that write with FlinkKinesisProducer on 1.13 or earlier restore their state on 1.15 or later only while they keep FlinkKinesisProducer, unless a uid of their own lets them switch to KinesisStreamsSink.",
            "Keep FlinkKinesisProducer for the upgrade (switch later with a uid), or start the sink without state.",
            &precautions));
    }
    let scala = s.uses(Feature::ScalaApi)
        || s.uses(Feature::ScalaCaseClasses)
        || s.uses(Feature::ScalaCollections);
    if scala && crosses(path, v(1, 15)) {
        let mut detail = String::from("From 1.15 the MSF runtime ships no Scala: the jar must bundle the Scala library it was built with.");
        if from.cmp_line(v(1, 11)).is_le() && to.cmp_line(v(1, 13)).is_ge() {
            detail.push_str(" And 1.11 runs Scala 2.11 while 1.13 runs 2.12: the code must be built for Scala 2.12.");
        }
        out.push(finding(Severity::Warning, "flink.msf-scala", "Scala jobs bring their own Scala", detail,
            "Build the Scala jobs for Scala 2.12 with the Scala library in the jar, and test the restore in the rehearsal.",
            &precautions));
    }
    let peak = path.iter().copied().max().unwrap_or(to);
    if from.cmp_line(v(1, 11)).is_le() && peak.cmp_line(v(1, 13)).is_ge() {
        out.push(finding(Severity::Warning, "flink.msf-rollback-hashmap",
            format!("A rollback to {} with the HashMap state backend fails", runtime(from)),
            "AWS lists going back from 1.13 or later to 1.11 or earlier with the HashMap state backend as failing continuously.",
            "If the jobs keep state on the heap (HashMap backend), do not count on the rollback: rehearse it on the copy, or plan to restart without state.",
            &precautions));
    }
}

/// AWS's state guide for 1.x to 2.2 (Kryo 2 to 5), tied to `uses`.
fn state_guide_2x(s: &Scenario, out: &mut Vec<Finding>) {
    let guide = [src::MSF_STATE_COMPATIBILITY, src::MSF_FLINK_2_2];
    out.push(finding(Severity::Warning, "flink.msf-kryo",
        "Kryo-serialized 1.x state does not restore on 2.x",
        "Flink 2 moved from Kryo 2 to Kryo 5: state Flink wrote with Kryo on 1.x cannot be read. So are POJOs holding Java collections, Scala case classes, Java records, third-party types and any type that fell back to Kryo. Avro, Protobuf, POJOs without collections and custom serializers that do not use Kryo restore; SQL and Table state restores with caveats. When state does not restore, the application reports RUNNING while its job restarts over and over.",
        "Find Kryo fallbacks in the logs first (the prepare step shows how). For state that cannot move, give it a serializer that can on 1.x, or start on 2.x without state: stop, upgrade, then start-application with ApplicationRestoreType SKIP_RESTORE_FROM_SNAPSHOT.",
        &guide));
    if s.uses(Feature::ScalaCaseClasses) || s.uses(Feature::ScalaCollections) {
        out.push(finding(Severity::Blocker, "flink.msf-2x-scala-state",
            "Scala types in state do not restore on Flink 2",
            "The jobs keep Scala case classes or Scala collections in state. AWS's state guide lists Scala case classes and third-party types as incompatible with Flink 2, and Flink 2 removed the Scala API with its serializers.",
            "Move that state to types Flink 2 reads (Avro, Protobuf, POJOs without collections) on 1.x and take a snapshot, or plan to start on 2.x without state (SKIP_RESTORE_FROM_SNAPSHOT); then untick these options.",
            &guide));
    }
    if s.uses(Feature::CustomSerializers) {
        out.push(finding(Severity::Warning, "flink.msf-2x-custom-serializers",
            "Custom serializers restore on Flink 2 only without Kryo",
            "AWS's state guide counts custom serializers as compatible only when they do not use Kryo.",
            "Check that no custom serializer delegates to Kryo, and test the restore on the copy.",
            &guide));
    }
    out.push(finding(Severity::Warning, "flink.msf-kinesis-5",
        "The Kinesis connector must be 5.0 or later before Flink 2",
        "Flink 2.2 on MSF uses the Kinesis connector 6.0; state of connectors before 5.0 does not carry over.",
        "If the jobs use the Kinesis connector, move to 5.0 or later on 1.x first, take a snapshot, then upgrade.",
        &guide));
    out.push(finding(Severity::Warning, "flink.msf-one-way",
        "From Flink 2 there is no way back with the new state",
        "A snapshot taken on Flink 2 never restores on 1.x. The rollback returns to the 1.x snapshot of the cutover's start, so everything the jobs did on 2.x is replayed or lost.",
        "Keep the soak short enough for the sources to replay it, and decide before the window how long a rollback stays possible.",
        &guide));
}
