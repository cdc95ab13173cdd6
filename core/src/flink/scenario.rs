//! The Flink scenario and its link keys.
//!
//! `platform=flink&from=1.17&to=1.20&strategy=in-place&old-home=…&new-home=…`
//! `&savepoint-dir=…&uses=cep,broadcast-state&uids=all&job1.id=…&job1.name=…`
//! The README documents every key; [`KEYS`] is the list this code accepts.

use crate::link::{LinkWriter, Problem, Reader};
use crate::scenario::LINK_VERSION;
use crate::shell;
use crate::version::Version;

use super::deployment::{self, Deployment, Target};
use super::versions;

/// The most jobs one scenario may list.
pub const MAX_JOBS: u32 = 500;

/// Every top-level key (jobs are `job<N>.<field>`), for error messages.
pub const KEYS: &str =
    "v, platform, from, to, via, deployment, strategy, uids, uses, old-home, new-home, stop<N>-home, \
old-jobmanager, new-jobmanager, savepoint-dir, yarn-application, provided-lib-dirs, namespace, \
cluster-id, new-cluster-id, image, old-image, session-resource, operator-version, aws-region, \
job<N>.id, job<N>.name, job<N>.jar, job<N>.stop<K>-jar, job<N>.class, job<N>.args, \
job<N>.parallelism, job<N>.old-jar, job<N>.jobmanager, job<N>.yarn-application, \
job<N>.cluster-id, job<N>.resource, job<N>.application";

/// The most stops a route may have (`stop<N>-home`, `job<N>.stop<K>-jar`).
pub const MAX_STOPS: u32 = 9;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Strategy {
    /// Stop the jobs, replace the cluster's Flink, resume on the same hosts.
    InPlace,
    /// Start a new cluster beside the old one, resume there, then retire the old.
    ShadowCopy,
}

pub const STRATEGIES: [(&str, Strategy); 2] = [
    ("in-place", Strategy::InPlace),
    ("shadow-copy", Strategy::ShadowCopy),
];

impl Strategy {
    pub fn name(self) -> &'static str {
        match self {
            Strategy::InPlace => "in-place",
            Strategy::ShadowCopy => "shadow-copy",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Strategy::InPlace => "In-place upgrade",
            Strategy::ShadowCopy => "Shadow copy",
        }
    }
}

/// How many operators carry an explicit `uid(...)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Uids {
    All,
    Some,
    None,
}

pub const UIDS: [(&str, Uids); 3] = [
    ("all", Uids::All),
    ("some", Uids::Some),
    ("none", Uids::None),
];

impl Uids {
    pub fn name(self) -> &'static str {
        match self {
            Uids::All => "all",
            Uids::Some => "some",
            Uids::None => "none",
        }
    }
}

/// What the jobs use that the rules care about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Feature {
    Cep,
    SemiAsyncRocksdb,
    ScalaCaseClasses,
    ScalaCollections,
    BroadcastState,
    UnalignedCheckpoints,
    TableSql,
    LegacyKafka,
    DataSet,
    ScalaApi,
    SourceSinkFunction,
    CustomSerializers,
}

/// Link spelling, label, and a one-line hint for each feature.
pub const FEATURES: [(&str, Feature, &str, &str); 12] = [
    (
        "cep",
        Feature::Cep,
        "CEP library",
        "Pattern matching with flink-cep",
    ),
    (
        "semi-async-rocksdb",
        Feature::SemiAsyncRocksdb,
        "Semi-asynchronous RocksDB snapshots",
        "RocksDB state backend in semi-async snapshot mode (very old releases)",
    ),
    (
        "scala-case-classes",
        Feature::ScalaCaseClasses,
        "Scala case classes in state",
        "State typed with Scala case classes",
    ),
    (
        "scala-collections",
        Feature::ScalaCollections,
        "Scala collections in state",
        "State serialized by TraversableSerializer (Scala List, Map, …)",
    ),
    (
        "broadcast-state",
        Feature::BroadcastState,
        "Broadcast state",
        "The broadcast state pattern",
    ),
    (
        "unaligned-checkpoints",
        Feature::UnalignedCheckpoints,
        "Unaligned checkpoints",
        "execution.checkpointing.unaligned enabled",
    ),
    (
        "table-sql",
        Feature::TableSql,
        "Table API or SQL",
        "Jobs built with the Table API or SQL",
    ),
    (
        "legacy-kafka",
        Feature::LegacyKafka,
        "Legacy Kafka connectors",
        "FlinkKafkaConsumer / FlinkKafkaProducer",
    ),
    (
        "dataset",
        Feature::DataSet,
        "DataSet API",
        "Batch jobs on the DataSet API",
    ),
    (
        "scala-api",
        Feature::ScalaApi,
        "Scala API",
        "The flink-scala / flink-streaming-scala APIs",
    ),
    (
        "source-sink-function",
        Feature::SourceSinkFunction,
        "SourceFunction / SinkFunction",
        "Sources or sinks on the legacy function interfaces (or Sink V1)",
    ),
    (
        "custom-serializers",
        Feature::CustomSerializers,
        "Custom serializers",
        "Own TypeSerializer implementations for state",
    ),
];

impl Feature {
    pub fn name(self) -> &'static str {
        FEATURES.iter().find(|f| f.1 == self).map_or("", |f| f.0)
    }
    pub fn label(self) -> &'static str {
        FEATURES.iter().find(|f| f.1 == self).map_or("", |f| f.2)
    }
}

/// One running job to carry across.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Job {
    /// The Flink job id: 32 hex digits.
    pub id: String,
    pub name: String,
    pub jar: String,
    /// The entry class (`-c`); empty when the jar's manifest names it.
    pub class: String,
    /// Program arguments, as typed on a shell line.
    pub args: String,
    pub parallelism: Option<u32>,
    /// The jar the job runs from on the old version, for a rollback; empty
    /// when `jar` runs on both.
    pub old_jar: String,
    /// The jar for each stop of the route, by position; empty where `jar`
    /// serves that stop too.
    pub stop_jars: Vec<String>,
    /// The job's own cluster, application or resource in its deployment:
    /// the value of `job<N>.<Deployment::job_key>` (a standalone application
    /// job's JobManager address, a YARN application id, a Kubernetes cluster
    /// id, an operator resource, a Managed Flink application); empty when the
    /// deployment has no per-job key.
    pub target: String,
}

impl Job {
    /// The arguments as words (validated when the scenario was read).
    pub fn arg_words(&self) -> Vec<String> {
        shell::split_words(&self.args).unwrap_or_default()
    }

    /// A label for people: the name, or the id.
    pub fn label(&self) -> &str {
        if self.name.is_empty() {
            &self.id
        } else {
            &self.name
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub from: Version,
    pub to: Version,
    /// Where the jobs run; the standalone session when the link omits it.
    pub deployment: Deployment,
    /// The deployment's own values (application ids, namespace, images, …).
    pub target: Target,
    /// In-place or shadow copy; a choice only for a standalone session
    /// ([`Deployment::has_strategy`]), in-place elsewhere.
    pub strategy: Strategy,
    /// Stops the operator chose (`via`), in order; empty when the planner
    /// picks them.
    pub via: Vec<Version>,
    /// `None` when the link does not say.
    pub uids: Option<Uids>,
    pub uses: Vec<Feature>,
    pub old_home: String,
    pub new_home: String,
    /// Installation directories for intermediate versions, in path order.
    pub stop_homes: Vec<String>,
    pub old_jobmanager: String,
    pub new_jobmanager: String,
    pub savepoint_dir: String,
    pub jobs: Vec<Job>,
}

impl Scenario {
    pub fn uses(&self, feature: Feature) -> bool {
        self.uses.contains(&feature)
    }

    /// The example a first visit opens on.
    pub fn example() -> Scenario {
        Scenario {
            from: Version::minor(1, 17),
            to: Version::minor(1, 20),
            deployment: Deployment::StandaloneSession,
            target: Target::default(),
            strategy: Strategy::InPlace,
            via: Vec::new(),
            uids: Some(Uids::All),
            uses: vec![Feature::BroadcastState],
            old_home: "/opt/flink-1.17".into(),
            new_home: "/opt/flink-1.20".into(),
            stop_homes: Vec::new(),
            old_jobmanager: String::new(),
            new_jobmanager: String::new(),
            savepoint_dir: "s3://flink-state/savepoints".into(),
            jobs: vec![
                Job {
                    id: "a1b2c3d4e5f60718293a4b5c6d7e8f90".into(),
                    name: "orders".into(),
                    jar: "/apps/orders.jar".into(),
                    class: "com.acme.Orders".into(),
                    args: "--env prod".into(),
                    parallelism: Some(4),
                    old_jar: String::new(),
                    stop_jars: Vec::new(),
                    target: String::new(),
                },
                Job {
                    id: "0f9e8d7c6b5a49382716051423324150".into(),
                    name: "payments".into(),
                    jar: "/apps/payments.jar".into(),
                    class: "com.acme.Payments".into(),
                    args: String::new(),
                    parallelism: Some(2),
                    old_jar: String::new(),
                    stop_jars: Vec::new(),
                    target: String::new(),
                },
            ],
        }
    }

    /// Reads the Flink keys; `platform` and `v` were read by the caller.
    pub fn read(mut r: Reader<'_>) -> Result<Scenario, Vec<Problem>> {
        let from = version_key(&mut r, "from");
        let to = version_key(&mut r, "to");
        let via = via_key(&mut r);
        let deployment_options: Vec<(&str, Deployment)> =
            deployment::DEPLOYMENTS.iter().map(|d| (d.0, d.1)).collect();
        let deployment = r
            .choice("deployment", &deployment_options)
            .unwrap_or_default();
        if !deployment.planned() {
            r.report(
                "deployment",
                format!(
                    "`{}` is not planned by this build yet; the targets it plans: {}",
                    deployment.name(),
                    deployment::DEPLOYMENTS
                        .iter()
                        .filter(|d| d.1.planned())
                        .map(|d| d.0)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
        let target = Target::read(&mut r, deployment);
        let strategy = if deployment.has_strategy() {
            r.choice("strategy", &STRATEGIES)
                .unwrap_or(Strategy::InPlace)
        } else {
            only_for(&mut r, "strategy", deployment, "every other target starts the new version in a new cluster, application or resource of its own");
            Strategy::InPlace
        };
        let uids = r.choice("uids", &UIDS);
        let feature_options: Vec<(&str, Feature)> = FEATURES.iter().map(|f| (f.0, f.1)).collect();
        let uses = r.set("uses", &feature_options);
        let savepoint_dir = path_key(&mut r, "savepoint-dir");
        let (old_home, new_home) = if deployment.uses_homes() {
            (path_key(&mut r, "old-home"), path_key(&mut r, "new-home"))
        } else {
            for key in ["old-home", "new-home"] {
                only_for(
                    &mut r,
                    key,
                    deployment,
                    "this target runs no Flink distribution of yours",
                );
            }
            (None, None)
        };
        let (old_jobmanager, new_jobmanager) = if deployment.uses_jobmanagers() {
            (
                address_key(&mut r, "old-jobmanager"),
                address_key(&mut r, "new-jobmanager"),
            )
        } else {
            for key in ["old-jobmanager", "new-jobmanager"] {
                only_for(
                    &mut r,
                    key,
                    deployment,
                    "this target finds each cluster by its own id",
                );
            }
            (None, None)
        };

        // stop<N>-home, by position; a gap means "derive from old-home".
        let last_stop = r
            .groups_flat("stop", "-home", MAX_STOPS)
            .last()
            .copied()
            .unwrap_or(0);
        let stop_homes: Vec<String> = (1..=last_stop)
            .map(|n| path_key(&mut r, &format!("stop{n}-home")).unwrap_or_default())
            .collect();

        let mut jobs = Vec::new();
        for n in r.groups("job", MAX_JOBS) {
            jobs.push(read_job(&mut r, n, deployment));
        }
        if deployment == Deployment::StandaloneApplication && jobs.len() > 1 {
            for (i, job) in jobs.iter().enumerate() {
                if job.target.is_empty() {
                    r.report(format!("job{}.jobmanager", i + 1), "is missing: with more than one job, each job cluster needs its own JobManager address (host:port)");
                }
            }
        }
        super::targets::check_keys(&mut r, deployment, savepoint_dir.is_some(), &jobs);
        let mut ids: Vec<&str> = Vec::new();
        let mut repeated = false;
        for id in jobs
            .iter()
            .map(|j| j.id.as_str())
            .filter(|id| !id.is_empty())
        {
            repeated |= !crate::link::insert_sorted(&mut ids, id);
        }
        if repeated {
            r.report("job", "two jobs have the same id; each job needs its own");
        }

        let problems = r.finish(KEYS);
        let (Some(from), Some(to)) = (from, to) else {
            return Err(problems);
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        let problems = parallelism_required(from, &jobs);
        if !problems.is_empty() {
            return Err(problems);
        }
        let old_home = old_home.unwrap_or_else(|| default_old_home(from));
        let new_home = new_home.unwrap_or_else(|| default_new_home(to));
        Ok(Scenario {
            from,
            to,
            deployment,
            target,
            strategy,
            via,
            uids,
            uses,
            old_home,
            new_home,
            stop_homes,
            old_jobmanager: old_jobmanager.unwrap_or_default(),
            new_jobmanager: new_jobmanager.unwrap_or_default(),
            savepoint_dir: savepoint_dir.unwrap_or_default(),
            jobs,
        })
    }

    /// The canonical link query string.
    pub fn to_link(&self) -> String {
        let mut w = LinkWriter::default();
        w.put("v", LINK_VERSION);
        w.put("platform", "flink");
        w.put("from", &self.from.to_string());
        w.put("to", &self.to.to_string());
        let via: Vec<String> = self.via.iter().map(|v| v.to_string()).collect();
        w.put("via", &via.join(","));
        if self.deployment != Deployment::StandaloneSession {
            w.put("deployment", self.deployment.name());
        }
        if self.deployment.has_strategy() {
            w.put("strategy", self.strategy.name());
        }
        if let Some(u) = self.uids {
            w.put("uids", u.name());
        }
        let uses: Vec<&str> = self.uses.iter().map(|f| f.name()).collect();
        w.put("uses", &uses.join(","));
        if self.deployment.uses_homes() {
            // A home that is the default is left out, so it keeps following
            // the versions when they change (web review C2).
            if self.old_home != default_old_home(self.from) {
                w.put("old-home", &self.old_home);
            }
            if self.new_home != default_new_home(self.to) {
                w.put("new-home", &self.new_home);
            }
            for (i, home) in self.stop_homes.iter().enumerate() {
                w.put(&format!("stop{}-home", i + 1), home);
            }
        }
        if self.deployment.uses_jobmanagers() {
            w.put("old-jobmanager", &self.old_jobmanager);
            w.put("new-jobmanager", &self.new_jobmanager);
        }
        w.put("savepoint-dir", &self.savepoint_dir);
        for key in deployment::TARGET_KEYS {
            if self.deployment.takes(key).is_some() {
                w.put(key, &self.target.get(key));
            }
        }
        for (i, job) in self.jobs.iter().enumerate() {
            let n = i + 1;
            w.put(&format!("job{n}.id"), &job.id);
            w.put(&format!("job{n}.name"), &job.name);
            w.put(&format!("job{n}.jar"), &job.jar);
            for (k, jar) in job.stop_jars.iter().enumerate() {
                w.put(&format!("job{n}.stop{}-jar", k + 1), jar);
            }
            w.put(&format!("job{n}.class"), &job.class);
            w.put(&format!("job{n}.args"), &job.args);
            if let Some(p) = job.parallelism {
                w.put(&format!("job{n}.parallelism"), &p.to_string());
            }
            w.put(&format!("job{n}.old-jar"), &job.old_jar);
            if let Some(key) = self.deployment.job_key() {
                w.put(&format!("job{n}.{key}"), &job.target);
            }
        }
        w.finish()
    }
}

/// The old installation directory when the link does not say.
pub fn default_old_home(from: Version) -> String {
    format!("/opt/flink-{from}")
}

/// The new installation directory when the link does not say.
pub fn default_new_home(to: Version) -> String {
    format!("/opt/flink-{to}")
}

/// `via=1.19,1.20`: stops the operator chooses, oldest first.
fn via_key(r: &mut Reader<'_>) -> Vec<Version> {
    let Some(text) = r.text("via") else {
        return Vec::new();
    };
    let mut out: Vec<Version> = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match Version::parse(part).and_then(versions::check_known) {
            Ok(v) if out.last().is_some_and(|last| *last >= v) => {
                r.report("via", format!("`{part}` is not newer than the stop before it: list the stops oldest first, each once"));
                return Vec::new();
            }
            Ok(v) => out.push(v),
            Err(message) => {
                r.report("via", message);
                return Vec::new();
            }
        }
    }
    if out.len() > MAX_STOPS as usize {
        r.report(
            "via",
            format!("has {} stops; at most {MAX_STOPS} are supported", out.len()),
        );
        return Vec::new();
    }
    out
}

/// A 1.2 savepoint resumes only at the parallelism it was taken with, and
/// without `-p` the job's own or the cluster's default would apply.
fn parallelism_required(from: Version, jobs: &[Job]) -> Vec<Problem> {
    if !from.same_line(Version::minor(1, 2)) {
        return Vec::new();
    }
    jobs.iter()
        .enumerate()
        .filter(|(_, j)| j.parallelism.is_none())
        .map(|(i, _)| {
            Problem::at(
                format!("job{}.parallelism", i + 1),
                "is required when moving from 1.2: a 1.2 savepoint resumes only at the parallelism the job runs with now, and without -p the job's own or the cluster's default parallelism would apply",
            )
        })
        .collect()
}

fn version_key(r: &mut Reader<'_>, key: &str) -> Option<Version> {
    let text = r.required(key, "a Flink version such as 1.17 or 1.17.2")?;
    match Version::parse(&text).and_then(versions::check_known) {
        Ok(v) => Some(v),
        Err(message) => {
            r.report(key, message);
            None
        }
    }
}

/// A path or URI: no control characters.
fn path_key(r: &mut Reader<'_>, key: &str) -> Option<String> {
    let value = r.text(key)?;
    if value.chars().any(|c| c.is_control()) {
        r.report(
            key,
            "contains a line break or control character; give a single-line path",
        );
        return None;
    }
    Some(value)
}

/// `host:port`.
pub fn is_address(value: &str) -> bool {
    match value.rsplit_once(':') {
        Some((host, port)) => {
            !host.is_empty()
                && host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-._[]:".contains(c))
                && port.parse::<u16>().is_ok_and(|p| p > 0)
        }
        None => false,
    }
}

/// A key that only some deployments take: given for another, it is a
/// problem that says why.
fn only_for(r: &mut Reader<'_>, key: &str, d: Deployment, why: &str) {
    if r.text(key).is_some() {
        r.report(
            key,
            format!("does not apply to deployment={}: {why}", d.name()),
        );
    }
}

/// `host:port`.
fn address_key(r: &mut Reader<'_>, key: &str) -> Option<String> {
    let value = r.text(key)?;
    if !is_address(&value) {
        r.report(
            key,
            format!("`{value}` is not host:port (for example jobmanager.internal:8081)"),
        );
        return None;
    }
    Some(value)
}

fn read_job(r: &mut Reader<'_>, n: u32, d: Deployment) -> Job {
    let key = |field: &str| format!("job{n}.{field}");
    let id = r.text(&key("id")).unwrap_or_default();
    if id.is_empty() && !d.needs_job_ids() {
        // The platform knows the job: nothing to check.
    } else if id.is_empty() {
        r.report(
            key("id"),
            "is missing: give the running job's id (32 hex digits, shown by `flink list`)",
        );
    } else if id.len() != 32 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        r.report(
            key("id"),
            format!("`{id}` is not a Flink job id: it must be 32 hex digits"),
        );
    }
    let name = r.text(&key("name")).unwrap_or_default();
    if name.chars().any(|c| c.is_control()) {
        r.report(key("name"), "contains a line break or control character");
    }
    let jar = path_key(r, &key("jar")).unwrap_or_default();
    if jar.is_empty() {
        r.report(
            key("jar"),
            "is missing: give the path of the job's jar, needed to resume it",
        );
    }
    let class = r.text(&key("class")).unwrap_or_default();
    if !class.is_empty()
        && !class
            .chars()
            .all(|c| c.is_alphanumeric() || "._$".contains(c))
    {
        r.report(
            key("class"),
            format!("`{class}` is not a Java class name (like com.acme.Orders)"),
        );
    }
    let args = r.text(&key("args")).unwrap_or_default();
    if let Err(e) = shell::split_words(&args) {
        r.report(
            key("args"),
            format!("{e}; quote arguments as on a shell line"),
        );
    }
    let parallelism = r.number(&key("parallelism"), 1..=32768);
    let old_jar = path_key(r, &key("old-jar")).unwrap_or_default();
    // The job's keys, read once: which stops have a jar, and which other
    // targets' keys are here.
    let prefix = format!("job{n}.");
    let fields: Vec<&str> = r
        .keys_under(&prefix)
        .into_iter()
        .map(|k| &k[prefix.len()..])
        .collect();
    let last_stop = fields
        .iter()
        .filter_map(|f| f.strip_prefix("stop")?.strip_suffix("-jar"))
        .filter(|k| !k.starts_with('0') && k.bytes().all(|b| b.is_ascii_digit()))
        .filter_map(|k| k.parse::<u32>().ok())
        .filter(|k| (1..=MAX_STOPS).contains(k))
        .max()
        .unwrap_or(0);
    let stop_jars = (1..=last_stop)
        .map(|k| path_key(r, &key(&format!("stop{k}-jar"))).unwrap_or_default())
        .collect();
    Job {
        id: id.to_ascii_lowercase(),
        name,
        jar,
        class,
        args,
        parallelism,
        old_jar,
        stop_jars,
        target: deployment::read_job_target(r, d, n, &fields),
    }
}
