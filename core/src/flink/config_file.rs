//! The configuration file of a Flink installation, as the script reads it:
//! which file each version reads, the options Flink 2.0 removed, and the
//! keys that give a cluster its own identity.
//!
//! Sources: the 1.19 and 2.0 release notes (config.yaml; the "List of
//! removed configuration options"), the configuration and high-availability
//! docs.

use crate::plan::{lit, var, Command, Word};
use crate::version::Version;

/// The options Flink 2.0 removed. Flink ignores a key it does not know, so
/// a carried-over file that still sets one silently falls back to the
/// default. From the 2.0 release notes' list, less `state.backend.type`,
/// which the list names but 2.0 still reads (StateBackendOptions).
pub const REMOVED_IN_2_0: &[&str] = &[
    "cluster.evenly-spread-out-slots",
    "execution.async-state.buffer-size",
    "execution.async-state.buffer-timeout",
    "execution.async-state.in-flight-records-limit",
    "fine-grained.shuffle-mode.all-blocking",
    "high-availability.job.delay",
    "high-availability.zookeeper.path.jobgraphs",
    "high-availability.zookeeper.path.running-registry",
    "jobmanager.adaptive-batch-scheduler.avg-data-volume-per-task",
    "jobmanager.adaptive-batch-scheduler.default-source-parallelism",
    "jobmanager.adaptive-batch-scheduler.max-parallelism",
    "jobmanager.adaptive-batch-scheduler.min-parallelism",
    "jobmanager.adaptive-batch-scheduler.speculative.block-slow-node-duration",
    "jobmanager.adaptive-batch-scheduler.speculative.enabled",
    "jobmanager.adaptive-batch-scheduler.speculative.max-concurrent-executions",
    "jobmanager.heap.mb",
    "jobmanager.heap.size",
    "jobmanager.web.address",
    "jobmanager.web.backpressure.cleanup-interval",
    "jobmanager.web.backpressure.delay-between-samples",
    "jobmanager.web.backpressure.num-samples",
    "jobmanager.web.backpressure.refresh-interval",
    "jobmanager.web.port",
    "jobmanager.web.ssl.enabled",
    "local.number-resourcemanager",
    "pipeline.auto-type-registration",
    "pipeline.default-kryo-serializers",
    "pipeline.registered-kryo-types",
    "pipeline.registered-pojo-types",
    "recovery.job.delay",
    "resourcemanager.taskmanager-release.wait.result.consumed",
    "security.kerberos.fetch.delegation-token",
    "security.kerberos.tokens.renewal.retry.backoff",
    "security.kerberos.tokens.renewal.time-ratio",
    "security.ssl.enabled",
    "slotmanager.taskmanager-timeout",
    "sql-client.display.max-column-width",
    "state.backend.async",
    "state.backend.forst.remote-dir",
    "state.backend.latency-track.history-size",
    "state.backend.latency-track.keyed-state-enabled",
    "state.backend.latency-track.sample-interval",
    "state.backend.latency-track.state-name-as-variable",
    "state.backend.local-recovery",
    "state.backend.rocksdb.checkpointdir",
    "streaming-source.consume-order",
    "table.exec.deduplicate.insert-and-updateafter-sensitive.enabled",
    "table.exec.deduplicate.mini-batch.compact-changes.enabled",
    "table.exec.legacy-transformation-uids",
    "table.exec.shuffle-mode",
    "table.exec.topn-cache-size",
    "table.optimizer.source.aggregate-pushdown-enabled",
    "table.optimizer.source.predicate-pushdown-enabled",
    "table.optimizer.sql-to-rel.project.merge.enabled",
    "taskmanager.exit-on-fatal-akka-error",
    "taskmanager.heap.mb",
    "taskmanager.heap.size",
    "taskmanager.initial-registration-pause",
    "taskmanager.max-registration-pause",
    "taskmanager.net.client.numThreads",
    "taskmanager.net.num-arenas",
    "taskmanager.net.sendReceiveBufferSize",
    "taskmanager.net.server.backlog",
    "taskmanager.net.server.numThreads",
    "taskmanager.net.transport",
    "taskmanager.network.batch-shuffle.compression.enabled",
    "taskmanager.network.blocking-shuffle.compression.enabled",
    "taskmanager.network.blocking-shuffle.type",
    "taskmanager.network.hybrid-shuffle.enable-new-mode",
    "taskmanager.network.hybrid-shuffle.num-retained-in-memory-regions-max",
    "taskmanager.network.hybrid-shuffle.spill-index-region-group-size",
    "taskmanager.network.hybrid-shuffle.spill-index-segment-size",
    "taskmanager.network.max-num-tcp-connections",
    "taskmanager.network.memory.buffers-per-channel",
    "taskmanager.network.memory.exclusive-buffers-request-timeout-ms",
    "taskmanager.network.memory.floating-buffers-per-gate",
    "taskmanager.network.memory.fraction",
    "taskmanager.network.memory.max",
    "taskmanager.network.memory.max-buffers-per-channel",
    "taskmanager.network.memory.max-overdraft-buffers-per-gate",
    "taskmanager.network.memory.min",
    "taskmanager.network.netty.client.numThreads",
    "taskmanager.network.netty.num-arenas",
    "taskmanager.network.netty.sendReceiveBufferSize",
    "taskmanager.network.netty.server.backlog",
    "taskmanager.network.netty.server.numThreads",
    "taskmanager.network.netty.transport",
    "taskmanager.network.numberOfBuffers",
    "taskmanager.network.sort-shuffle.min-parallelism",
    "taskmanager.refused-registration-pause",
    "taskmanager.registration.initial-backoff",
    "taskmanager.registration.max-backoff",
    "taskmanager.registration.refused-backoff",
    "web.address",
    "web.backpressure.cleanup-interval",
    "web.backpressure.delay-between-samples",
    "web.backpressure.num-samples",
    "web.backpressure.refresh-interval",
    "web.port",
    "web.ssl.enabled",
];

/// What replaces the removed options operators set most, where there is a
/// replacement (configuration docs of 1.20 and 2.0).
pub const REPLACED_IN_2_0: &[(&str, &str)] = &[
    (
        "taskmanager.heap.size",
        "taskmanager.memory.process.size (or taskmanager.memory.flink.size)",
    ),
    (
        "jobmanager.heap.size",
        "jobmanager.memory.process.size (or jobmanager.memory.heap.size)",
    ),
    (
        "state.backend.local-recovery",
        "execution.checkpointing.local-backup.enabled",
    ),
    (
        "state.backend.async",
        "nothing: snapshots are always asynchronous",
    ),
    (
        "state.backend.rocksdb.checkpointdir",
        "state.backend.rocksdb.localdir",
    ),
    (
        "taskmanager.network.memory.fraction, .min, .max",
        "taskmanager.memory.network.fraction, .min, .max",
    ),
    ("web.port, web.address", "rest.port, rest.address"),
    (
        "security.ssl.enabled",
        "security.ssl.internal.enabled and security.ssl.rest.enabled",
    ),
    (
        "cluster.evenly-spread-out-slots",
        "taskmanager.load-balance.mode: SLOTS",
    ),
];

/// An awk program that prints a Flink YAML file as flat `key: value` lines,
/// whether it is written flat (`a.b: 1`, as flink-conf.yaml) or nested
/// (`a:` then `  b: 1`, as config.yaml may be). Comments and list items are
/// skipped; quotes around a value are dropped.
const FLATTEN: &str = r#"awk '/^[[:space:]]*(#|$)/ || /^[[:space:]]*-/ { next } { ind = match($0, /[^ ]/) - 1; line = substr($0, ind + 1); c = index(line, ":"); if (!c) next; k = substr(line, 1, c - 1); v = substr(line, c + 1); sub(/^[ \t]+/, "", v); sub(/[ \t]+#.*$/, "", v); sub(/[ \t]+$/, "", v); gsub(/^["'"'"']|["'"'"']$/, "", v); while (n > 0 && ind <= lvl[n]) n--; p = ""; for (i = 1; i <= n; i++) p = p key[i] "."; if (v == "") { n++; lvl[n] = ind; key[n] = k } else print p k ": " v }'"#;

/// The files a version reads, in the order it prefers them: flink-conf.yaml
/// before 1.19; from 1.19 flink-conf.yaml wins when present, else
/// config.yaml; 2.x reads only config.yaml.
pub fn files(v: Version) -> &'static [&'static str] {
    if v.major >= 2 {
        &["config.yaml"]
    } else if v.cmp_line(Version::minor(1, 19)).is_ge() {
        &["flink-conf.yaml", "config.yaml"]
    } else {
        &["flink-conf.yaml"]
    }
}

/// Prints the configuration of the installation in `home` (a variable) as
/// flat `key: value` lines; fails when the installation has no file its
/// version reads.
pub fn read(home: &str, v: Version) -> Command {
    let mut words = vec![Word::Raw("f=; for c in")];
    for file in files(v) {
        words.push(Word::Join(vec![
            var(home.to_owned()),
            lit(format!("/conf/{file}")),
        ]));
    }
    words.push(Word::Raw(
        "; do if [ -f \"$c\" ]; then f=$c; break; fi; done; [ -n \"$f\" ] || { echo 'no configuration file' >&2; exit 1; };",
    ));
    words.push(Word::Raw(FLATTEN));
    words.push(Word::Raw("\"$f\""));
    Command::local(words)
}

/// A regex that matches a flat line setting any option removed in 2.0.
pub fn removed_pattern() -> String {
    let keys: Vec<String> = REMOVED_IN_2_0
        .iter()
        .map(|k| k.replace('.', "\\."))
        .collect();
    format!("^({}):", keys.join("|"))
}

/// Checks that the new installation's HA identity differs from the running
/// cluster's: `high-availability.cluster-id` (default `/default`) must not be
/// the same when the old cluster runs with high availability. Prints what it
/// found; exit 1 when they clash.
pub fn identity_differs(old_rest: &str, new_home: &str, new: Version) -> Command {
    let mut words = vec![
        Word::Raw("old=$(curl -fsS"),
        Word::Join(vec![
            lit("http://"),
            var(old_rest.to_owned()),
            lit("/jobmanager/config"),
        ]),
        Word::Raw(
            ") || exit 1; get() { printf '%s' \"$old\" | grep -oE \"\\\"key\\\":\\\"$1\\\",\\\"value\\\":\\\"[^\\\"]*\\\"\" | sed 's/.*\"value\":\"//; s/\"$//' | head -n 1; }; ha=$(get 'high-availability(\\.type)?'); case $ha in '' | NONE | none) echo 'the old cluster runs without high availability'; exit 0 ;; esac; new=$(",
        ),
    ];
    words.extend(read(new_home, new).words);
    words.push(Word::Raw(
        ") || exit 1; o=$(get 'high-availability\\.cluster-id'); n=$(printf '%s\\n' \"$new\" | sed -n 's/^high-availability\\.cluster-id: *//p' | tail -n 1); o=${o:-/default}; n=${n:-/default}; echo \"high availability: $ha; cluster-id old: $o, new: $n\"; [ \"$o\" != \"$n\" ]",
    ));
    Command::local(words)
}
