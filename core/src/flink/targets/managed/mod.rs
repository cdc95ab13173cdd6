//! Amazon Managed Service for Apache Flink: the in-place version upgrade of
//! each job's application with `aws kinesisanalyticsv2`.
//!
//! Per hop of the route and per application: an explicit snapshot on the
//! version it runs (the rollback's anchor), then `update-application` with
//! the next runtime and the code key built for it, restoring from the
//! snapshot MSF takes as it stops the application; the run waits for the
//! operation and for the application to run the new runtime. The rollback
//! updates back to the old runtime and code from the first hop's snapshot.
//!
//! - [`aws`]: the command words and the application's reads;
//! - [`prepare`], [`preflight`], [`cutover`], [`verify`], [`rollback`],
//!   [`decommission`]: the phases (the frame lives with the decommission);
//! - [`findings`]: what differs from the standalone procedure, the runtimes
//!   MSF has, and AWS's documented incompatibilities.

mod aws;
mod cutover;
mod decommission;
mod findings;
mod preflight;
mod prepare;
mod rollback;
mod verify;

use crate::link::Reader;
use crate::plan::{phase, Frame, Phase, PhaseId, Value, Variable};
use crate::version::Version;

use super::super::runbook::{jar_var, Context};
use super::super::scenario::Job;

pub use findings::{findings, REPLACED};

/// The Flink lines MSF offers as a runtime, and whether the developer
/// guide's text spells the runtime value out. `FLINK-2_3` is in the API
/// model of awscli 1.46.3 (tests/e2e/aws_accepts.sh checks every value
/// here against it) but not in the guide pages read (reference §10, 7).
pub const RUNTIMES: [(u16, u16, bool); 10] = [
    (1, 6, true),
    (1, 8, true),
    (1, 11, true),
    (1, 13, true),
    (1, 15, true),
    (1, 18, true),
    (1, 19, true),
    (1, 20, true),
    (2, 2, true),
    (2, 3, false),
];

/// Whether MSF has a runtime for `v`'s line.
pub fn is_runtime(v: Version) -> bool {
    RUNTIMES
        .iter()
        .any(|&(a, b, _)| (a, b) == (v.major, v.minor))
}

/// The API's runtime string for `v`'s line: `FLINK-1_20`.
pub fn runtime(v: Version) -> String {
    format!("FLINK-{}_{}", v.major, v.minor)
}

/// The runtimes, for messages: "1.6, 1.8, … 2.2 and 2.3".
pub fn runtime_list() -> String {
    let all: Vec<String> = RUNTIMES
        .iter()
        .map(|&(a, b, _)| format!("{a}.{b}"))
        .collect();
    format!(
        "{} and {}",
        all[..all.len() - 1].join(", "),
        all[all.len() - 1]
    )
}

/// The application of job `n` (1-based).
pub(super) fn app_var(n: usize) -> String {
    format!("JOB{n}_APPLICATION")
}

/// The code update (JSON) of the key in jar variable `jar`: `JOB1_JAR` →
/// `JOB1_CODE`, `JOB1_STOP1_JAR` → `JOB1_STOP1_CODE`.
fn code_of(jar: &str) -> String {
    format!("{}_CODE", jar.trim_end_matches("_JAR"))
}

/// The code update that hop `hop` (1-based) sends for job `n`.
pub(super) fn code_var(c: &Context<'_>, n: usize, hop: usize) -> String {
    code_of(&jar_var(c, n, hop))
}

/// The S3 key job `n` runs from after hop `hop`.
pub(super) fn key_var(c: &Context<'_>, n: usize, hop: usize) -> String {
    jar_var(c, n, hop)
}

/// The snapshot taken at the start of hop `hop`, on the version before it.
pub(super) fn snapshot_var(n: usize, hop: usize) -> String {
    format!("JOB{n}_SNAPSHOT_HOP{hop}")
}

/// The application version before hop `hop`'s update.
pub(super) fn version_var(n: usize, hop: usize) -> String {
    format!("JOB{n}_VERSION_HOP{hop}")
}

/// The operation of hop `hop`'s update.
pub(super) fn operation_var(n: usize, hop: usize) -> String {
    format!("JOB{n}_OPERATION_HOP{hop}")
}

/// `{"ApplicationCodeConfigurationUpdate": … "FileKeyUpdate": "<key>" …}`:
/// the key JSON-escaped, so any key the link holds is one JSON string.
fn code_update(key: &str) -> String {
    let key = serde_json::to_string(key).unwrap_or_else(|_| "\"\"".into());
    format!(
        "{{\"ApplicationCodeConfigurationUpdate\":{{\"CodeContentUpdate\":{{\"S3ContentLocationUpdate\":{{\"FileKeyUpdate\":{key}}}}}}}}}"
    )
}

/// The scenario values of this target: the region, the runtimes, each
/// application with its code keys and code updates, and what the run
/// captures. The standalone session's values (installations, REST
/// addresses, job ids, savepoints) do not apply and are dropped.
pub fn variables(c: &mut Context<'_>) {
    let (s, path) = (c.s, c.path);
    let last = path.len() - 1;
    let jars: Vec<Variable> = c.vars.drain(..).filter(|v| is_key_var(&v.name)).collect();
    let text = |c: &mut Context<'_>, name: &str, what: String, value: &str| {
        c.vars.push(Variable {
            name: name.into(),
            description: what,
            value: Value::Text(value.into()),
        })
    };
    text(
        c,
        "AWS_REGION",
        "AWS region of the applications".into(),
        &s.target.aws_region,
    );
    text(c, "AWS_PAGER", "Empty, so that AWS CLI v2 prints its output instead of opening a pager the script would wait on".into(), "");
    text(
        c,
        "OLD_RUNTIME",
        format!("The runtime the applications run now (Flink {})", path[0]),
        &runtime(path[0]),
    );
    text(
        c,
        "NEW_RUNTIME",
        format!("The runtime they move to (Flink {})", path[last]),
        &runtime(path[last]),
    );
    for (i, job) in s.jobs.iter().enumerate() {
        let n = i + 1;
        let who = job.label().to_string();
        text(
            c,
            &app_var(n),
            format!("Managed Flink application of {who}"),
            &job.target,
        );
        for jar in jars.iter().filter(|v| owner(&v.name) == Some(n)) {
            let Value::Text(key) = &jar.value else {
                continue;
            };
            let what = jar
                .description
                .replacen("Jar of", "S3 key of the code of", 1);
            c.vars.push(Variable {
                name: jar.name.clone(),
                description: what.clone(),
                value: jar.value.clone(),
            });
            text(
                c,
                &code_of(&jar.name),
                format!(
                    "{} as an update of the application's code (JSON)",
                    what.replacen("S3 key of the code", "The code", 1)
                ),
                &code_update(key),
            );
        }
        for hop in 1..=last {
            captured(
                c,
                &snapshot_var(n, hop),
                format!("Snapshot of {who} taken on Flink {}", path[hop - 1]),
            );
            captured(
                c,
                &version_var(n, hop),
                format!(
                    "Application version of {who} before the update to Flink {}",
                    path[hop]
                ),
            );
            captured(
                c,
                &operation_var(n, hop),
                format!("Operation of the update of {who} to Flink {}", path[hop]),
            );
        }
        captured(
            c,
            &verify::since_var(n),
            format!("When {who} was checked running on Flink {}", path[last]),
        );
        captured(
            c,
            &decommission::bucket_var(n),
            format!("S3 bucket of the code of {who}"),
        );
        for hop in 1..=last {
            captured(
                c,
                &decommission::time_var(n, hop),
                format!(
                    "Creation time of the snapshot of {who} taken on Flink {}",
                    path[hop - 1]
                ),
            );
        }
    }
}

fn captured(c: &mut Context<'_>, name: &str, description: String) {
    c.vars.push(Variable {
        name: name.into(),
        description,
        value: Value::Captured,
    });
}

/// `JOB<N>_JAR`, `JOB<N>_OLD_JAR`, `JOB<N>_STOP<K>_JAR`: the S3 keys.
fn is_key_var(name: &str) -> bool {
    owner(name).is_some() && name.ends_with("_JAR")
}

/// The job number of a `JOB<N>_…` variable.
fn owner(name: &str) -> Option<usize> {
    let rest = name.strip_prefix("JOB")?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

pub fn phases(c: &Context<'_>) -> Vec<Phase> {
    vec![
        phase(PhaseId::Prepare, "Before the change window: the code for each runtime on the route, uploaded under new keys, a rehearsal on a copy of the application, and the choice of system rollback.".into(), prepare::steps(c)),
        phase(PhaseId::Preflight, "Right before the cutover, reading only: the AWS login, each application (running on the planned runtime, with snapshots, on the code the plan names) and the new code in S3. Nothing changes here.".into(), preflight::steps(c)),
        phase(PhaseId::Cutover, cutover::intro(c), cutover::steps(c)),
        phase(PhaseId::Verify, format!("Confirm that every application runs on {} with its new code, that the update operations succeeded and that the jobs do not restart.", runtime(c.path[c.path.len() - 1])), verify::steps(c)),
        phase(PhaseId::Rollback, rollback::intro(c), rollback::steps(c)),
        phase(PhaseId::Decommission, format!("After the soak ({} days without a rollback): delete the upgrade's snapshots and the old code objects. This cannot be undone.", decommission::SOAK_DAYS), decommission::steps(c)),
    ]
}

pub fn frame(c: &Context<'_>) -> Option<Frame> {
    Some(decommission::frame(c))
}

/// The keys this target reads differently: a savepoint directory, entry
/// class and arguments do not apply; each job needs the S3 key of the code
/// it runs now (`old-jar`), and every key is an object key in the
/// application's bucket, the new one different from the old.
pub fn check_keys(r: &mut Reader<'_>, savepoint_dir: bool, jobs: &[Job]) {
    let name = "amazon-managed-flink";
    if savepoint_dir {
        r.report(
            "savepoint-dir",
            format!(
                "does not apply to deployment={name}: the service takes and keeps the snapshots"
            ),
        );
    }
    for (i, job) in jobs.iter().enumerate() {
        let n = i + 1;
        for (field, given, why) in [
            ("class", !job.class.is_empty(), "the service starts the main class the jar's manifest names"),
            ("args", !job.args.is_empty(), "the application reads its settings from its runtime properties, which the upgrade keeps"),
        ] {
            if given {
                r.report(format!("job{n}.{field}"), format!("does not apply to deployment={name}: {why}"));
            }
        }
        if job.old_jar.is_empty() {
            r.report(format!("job{n}.old-jar"), format!("is missing: deployment={name} needs the S3 key of the code the application runs now, for the rollback (the pre-flight checks it against the application)"));
        } else if job.old_jar == job.jar {
            r.report(format!("job{n}.jar"), "is the key the application runs now (old-jar): upload the new code under a new key, so that the old object stays for the rollback");
        }
        let mut keys = vec![
            ("jar".to_string(), &job.jar),
            ("old-jar".to_string(), &job.old_jar),
        ];
        keys.extend(
            job.stop_jars
                .iter()
                .enumerate()
                .map(|(k, j)| (format!("stop{}-jar", k + 1), j)),
        );
        for (field, key) in keys {
            if key.starts_with("s3://") || key.starts_with("arn:") {
                r.report(format!("job{n}.{field}"), format!("`{key}` is a location, not an object key: give the key within the application's bucket (such as flink/orders-1.20.jar); the plan reads the bucket from the application"));
            } else if key.len() > 1024 {
                r.report(
                    format!("job{n}.{field}"),
                    "is longer than an S3 object key can be (1024 bytes)",
                );
            }
        }
    }
}

/// The text value of plan variable `name`, or its name.
pub(super) fn value(c: &Context<'_>, name: &str) -> String {
    c.vars
        .iter()
        .find(|v| v.name == name)
        .and_then(|v| match &v.value {
            Value::Text(t) => Some(t.clone()),
            _ => None,
        })
        .unwrap_or_else(|| name.to_string())
}

/// The plan's summary: a snapshot, then an update in place, per hop.
pub fn summary(verdict: crate::plan::Verdict, path: &[Version]) -> Option<String> {
    use crate::plan::Verdict;
    let (from, to) = (runtime(path[0]), runtime(path[path.len() - 1]));
    match verdict {
        Verdict::Direct => Some(format!("Take a snapshot of each application on {from}, then update it in place to {to} and its new code.")),
        Verdict::Stops => Some(format!(
            "These snapshots cannot move straight from {from} to {to}: update each application through {}, with a snapshot before each update.",
            path[1..path.len() - 1].iter().map(|v| runtime(*v)).collect::<Vec<_>>().join(" and ")
        )),
        Verdict::Blocked => None,
    }
}
