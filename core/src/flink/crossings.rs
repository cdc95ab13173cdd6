//! What changes on the way: findings about the release lines a path crosses
//! that affect operators rather than state (memory model, Hadoop, Scala,
//! planner, connectors), the release notes of every line crossed, and moves
//! within one line.
//!
//! Each entry is data: the line where the change landed, what it is, what to
//! do, and the release notes that say so. A path gets an entry when it moves
//! from below that line to it or above.

use crate::plan::{finding, Finding, Severity};
use crate::version::Version;

use super::scenario::{Feature, Scenario};
use super::{sources, versions};

/// A change at one release line that an operator must act on.
pub struct Crossing {
    pub code: &'static str,
    /// The first line with the change.
    pub line: (u16, u16),
    /// Only for jobs that use this, when set.
    pub feature: Option<Feature>,
    pub title: &'static str,
    pub detail: &'static str,
    pub action: &'static str,
}

pub const CROSSINGS: [Crossing; 6] = [
    Crossing {
        code: "flink.hadoop-unbundled",
        line: (1, 8),
        feature: None,
        title: "Hadoop is no longer bundled with Flink",
        detail: "From 1.8 the Flink downloads carry no Hadoop. HDFS, YARN and the Hadoop-based file systems need the Hadoop classes on the classpath; from 1.11 the supported way is HADOOP_CLASSPATH (the shaded Hadoop jars are no longer released).",
        action: "On every host of the new cluster, export HADOOP_CLASSPATH=$(hadoop classpath) before starting it, or use the file system plugins for S3, GCS and Azure.",
    },
    Crossing {
        code: "flink.memory-model-taskmanager",
        line: (1, 10),
        feature: None,
        title: "The TaskManager memory configuration changed in 1.10",
        detail: "Flink 1.10 replaced the TaskManager memory options (FLIP-49): taskmanager.heap.size is superseded by taskmanager.memory.process.size or taskmanager.memory.flink.size, and managed memory is sized in a new way. A copied configuration can give the TaskManagers a very different heap.",
        action: "Rewrite the TaskManager memory settings with the memory migration guide before the cutover, and compare the new TaskManagers' memory in the web UI during the rehearsal.",
    },
    Crossing {
        code: "flink.memory-model-jobmanager",
        line: (1, 11),
        feature: None,
        title: "The JobManager memory configuration changed in 1.11",
        detail: "Flink 1.11 did the same for the JobManager (FLIP-116): jobmanager.heap.size is superseded by jobmanager.memory.process.size or jobmanager.memory.heap.size.",
        action: "Rewrite the JobManager memory settings for the new model.",
    },
    Crossing {
        code: "flink.legacy-planner-removed",
        line: (1, 14),
        feature: Some(Feature::TableSql),
        title: "The legacy Table API planner is removed in 1.14",
        detail: "Only the Blink planner remains from 1.14: jobs that chose the old planner (useOldPlanner, or the legacy flink-table-planner jar) must move, and their SQL state does not carry over.",
        action: "Build the Table API and SQL jobs on the current planner and test each restore in the rehearsal; a query whose state does not restore starts without it.",
    },
    Crossing {
        code: "flink.scala-free",
        line: (1, 15),
        feature: None,
        title: "The distribution is Scala-free from 1.15",
        detail: "From 1.15, lib/ holds flink-table-planner-loader and the Scala-dependent planner moved to opt/; Java-only artifacts lost their Scala suffix (flink-streaming-java instead of flink-streaming-java_2.12).",
        action: "Update the job builds' dependencies to the new artifact names, and carry over lib/ only from the new distribution, never from the old one.",
    },
    Crossing {
        code: "flink.connectors-external",
        line: (1, 17),
        feature: None,
        title: "Connectors are released on their own",
        detail: "From 1.17 on, the connectors (Kafka, JDBC, Elasticsearch and others) leave the Flink release and have their own versions, each built for given Flink lines (for example flink-connector-kafka 3.x-1.17).",
        action: "For each connector the jobs use, pick the connector release built for the target line and update its Maven coordinates.",
    },
];

/// Findings for the changes the path crosses, the release notes to read,
/// and a move within one line.
pub fn findings(s: &Scenario, path: &[Version]) -> Vec<Finding> {
    let mut out = Vec::new();
    let (Some(&from), Some(&to)) = (path.first(), path.last()) else {
        return out;
    };
    if from.same_line(to) {
        out.push(same_line(from, to));
        return out;
    }
    for c in &CROSSINGS {
        let line = Version::minor(c.line.0, c.line.1);
        let crossed = from.cmp_line(line).is_lt() && to.cmp_line(line).is_ge();
        if crossed && c.feature.is_none_or(|f| s.uses(f)) {
            out.push(finding(
                Severity::Warning,
                c.code,
                c.title,
                c.detail,
                c.action,
                &[sources::release_notes(c.line.0, c.line.1)],
            ));
        }
    }
    if from.major < 2 && to.major >= 2 {
        out.push(removed_options());
    }
    out.push(release_notes_to_read(from, to));
    if let Some(f) = newer_patch(to) {
        out.push(f);
    }
    out
}

/// Flink 2.0 removed about a hundred options, and ignores them silently.
fn removed_options() -> Finding {
    use super::config_file::{REMOVED_IN_2_0, REPLACED_IN_2_0};
    let replaced: Vec<String> = REPLACED_IN_2_0
        .iter()
        .map(|(old, new)| format!("{old} → {new}"))
        .collect();
    finding(
        Severity::Warning,
        "flink.removed-options-2.0",
        format!("Flink 2.0 removed {} configuration options", REMOVED_IN_2_0.len()),
        format!(
            "A removed key is ignored without an error, so memory, local recovery or SSL quietly fall back to their defaults. bin/migrate-config-file.sh converts the file's format, not its keys. The ones most often set, with what replaces them: {}.",
            replaced.join("; ")
        ),
        "Replace every removed key in the new conf/config.yaml before the cutover; the pre-flight checks the file for all of them.",
        &[sources::release_notes(2, 0)],
    )
}

/// The lines after `from` up to `to`, each with its release notes.
fn release_notes_to_read(from: Version, to: Version) -> Finding {
    let lines: Vec<Version> = versions::all()
        .map(|r| r.line)
        .filter(|l| from.cmp_line(*l).is_lt() && to.cmp_line(*l).is_ge())
        .collect();
    let names: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    let mut sources: Vec<_> = lines
        .iter()
        .filter(|l| sources::has_release_notes(l.major, l.minor))
        .map(|l| sources::release_notes(l.major, l.minor))
        .collect();
    if sources.len() < lines.len() {
        // Lines before 1.5 have no release-notes page: their changes are in
        // the upgrade guide and the release announcements.
        sources.push(sources::UPGRADING);
        sources.push(sources::RELEASES);
    }
    finding(
        Severity::Info,
        "flink.release-notes",
        format!(
            "Read the release notes of {} {}",
            if names.len() == 1 { "line" } else { "every line crossed:" },
            names.join(", ")
        ),
        "The findings here cover what Waymark models: state compatibility, the CLI, configuration files and the changes above. Each release also changes defaults, removes deprecated options and APIs, and fixes bugs that can matter to these jobs.",
        "Read each release's notes before the rehearsal and note what applies to these jobs.",
        &sources,
    )
}

/// A move within one release line.
fn same_line(from: Version, to: Version) -> Finding {
    let (title, detail) = if from == to {
        (
            format!("Same release: Flink {from}"),
            "Source and target are the same release, so the savepoints need no conversion: this moves the jobs (to new hosts with a shadow copy, or through a restart in place) with their state.".to_string(),
        )
    } else {
        (
            format!("A patch upgrade within Flink {}", to.line()),
            "Patch releases of one line keep the savepoint format, and their public APIs stay binary compatible: the jobs' jars need no rebuild.".to_string(),
        )
    };
    finding(
        Severity::Info,
        "flink.same-line",
        title,
        detail,
        "Follow the runbook as for any move: the savepoints, checks and rollback are the same.",
        &[sources::UPGRADING],
    )
}

/// The target names a patch older than its line's newest.
fn newer_patch(to: Version) -> Option<Finding> {
    let newest = versions::latest(to.line());
    (to.patch.is_some() && to < newest).then(|| {
        finding(
            Severity::Info,
            "flink.newer-patch",
            format!("Flink {newest} is the newest {} patch", to.line()),
            format!("The plan targets {to}; later patches of the line fix bugs and keep the savepoint format."),
            format!("Consider {newest} as the target, unless {to} is pinned for a reason."),
            &[sources::RELEASES],
        )
    })
}
