//! The Flink Kubernetes Operator: a `FlinkDeployment` per job (`operator`)
//! or `FlinkSessionJob`s in a session `FlinkDeployment`
//! (`operator-session`). Each hop is one manifest change (`image` and
//! `flinkVersion` together, `upgradeMode: savepoint`), applied as a
//! `kubectl patch --type merge` and shown as a full manifest; the script
//! waits on the resource's status and reads the REST API through the API
//! server's service proxy. Before anything changes, a `FlinkStateSnapshot`
//! takes a savepoint on the old version: the rollback redeploys from it.
//!
//! - `support.rs`: the Flink versions of each operator release.
//! - `manifests.rs`: patches and full manifests.
//! - `application.rs`: `FlinkDeployment` per job.
//! - `session.rs`: `FlinkSessionJob`s in a session.

mod application;
pub mod manifests;
mod session;
pub mod support;

use crate::plan::{finding, step, Check, Command, Expect, Finding, Frame, Phase, Severity, Step};
use crate::version::Version;

use super::super::cli::{Cluster, KubeRest};
use super::super::deployment::Deployment;
use super::super::runbook::Context;
use super::super::scenario::Scenario;
use super::super::sources;
use super::kube::{self, lit, var, NS};

pub fn phases(c: &Context<'_>) -> Vec<Phase> {
    match c.s.deployment {
        Deployment::OperatorSession => session::phases(c),
        _ => application::phases(c),
    }
}

pub fn variables(c: &mut Context<'_>) {
    // No Flink distribution of yours and no REST address of this host: the
    // operator runs Flink, the checks go through the API server.
    c.vars
        .retain(|v| !(v.name.ends_with("_HOME") || v.name == "OLD_REST" || v.name == "NEW_REST"));
    let ns = c.s.target.namespace_or_default().to_string();
    c.text(NS, "Kubernetes namespace of the resources".into(), &ns);
    kube::image_variables(c);
    if c.s.deployment == Deployment::OperatorSession {
        let name = c.s.target.session_resource.clone();
        c.text(
            "SESSION_RESOURCE",
            "The session FlinkDeployment".into(),
            &name,
        );
    }
    let jobs = c.s.jobs.clone();
    for (k, job) in jobs.iter().enumerate() {
        let n = k + 1;
        let kind = kind_of(c.s.deployment);
        c.text(
            &resource_var(n),
            format!("The {kind} of {}", job.label()),
            &job.target,
        );
        c.text(
            &snapshot_var(n),
            format!(
                "The FlinkStateSnapshot of {} taken before the change",
                job.label()
            ),
            &snapshot_name(&job.target, c.path[c.path.len() - 1]),
        );
        c.captured(
            &upgrade_savepoint_var(n, 1),
            format!(
                "Savepoint the operator took of {} on Flink {} for the first upgrade",
                job.label(),
                c.path[0]
            ),
        );
    }
}

pub fn findings(s: &Scenario, path: &[Version]) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some(op) = s.target.operator_version {
        out.extend(support::findings(op, path));
    }
    out.extend(kube::image_findings(s, path));
    out.extend(kube::jar_uri_findings(s, "operator.jar-uri"));
    let session = s.deployment == Deployment::OperatorSession;
    let same_line = path.windows(2).any(|w| w[0].same_line(w[1]));
    out.push(finding(
        Severity::Info,
        "operator.differs",
        "How the operator differs from the standalone procedure",
        format!(
            "The operator stops, savepoints and restarts the jobs; the runbook changes manifests and waits on their status. {} A change of image alone is no version change to the operator: it compares flinkVersion, so every patch sets both. The operator never rolls a Flink version change back by itself (its automatic rollback relies on HA metadata, which is not compatible across versions); the rollback phase redeploys from the savepoint taken before the change with initialSavepointPath and a new savepointRedeployNonce.{}",
            if session {
                "For session jobs it suspends each FlinkSessionJob with a savepoint first, because a change of the session FlinkDeployment redeploys the session cluster without savepointing the jobs in it; then it upgrades the session and resumes the jobs, which restore their suspend savepoints. This order follows from the operator's session reconciler; no operator page describes it as a procedure, so the script checks each job's restored savepoint on the REST API."
            } else {
                "Each hop is one patch of the job's FlinkDeployment; the operator takes the upgrade savepoint (status.jobStatus.upgradeSavepointPath) and starts the new version from it."
            },
            if same_line { " Within one release line the flinkVersion value stays the same: the operator treats the change like any spec change, which in savepoint mode still takes a savepoint." } else { "" }
        ),
        "Apply the patches as the script does, or put the full manifests shown with each step into your Git repository and let your deployment tool apply them (keep the fields the runbook does not touch).",
        &[sources::OP_JOB_MANAGEMENT, sources::OP_RECONCILER, sources::OP_PR_294, sources::OP_SESSION_RECONCILER],
    ));
    if path.windows(2).any(|w| w[0].major < 2 && w[1].major >= 2) {
        out.push(finding(
            Severity::Info,
            "operator.config",
            "The operator writes each cluster's configuration",
            "The operator builds the configuration of every cluster it deploys from the resource's spec.flinkConfiguration (and its own defaults), in the file the Flink version reads; the findings on conf/config.yaml and bin/migrate-config-file.sh concern images that carry their own configuration. The options Flink 2.0 removed still matter: a removed key in flinkConfiguration is ignored.",
            "Replace removed keys in spec.flinkConfiguration (the pre-flight checks its flat keys) and in any configuration your images ship.",
            &[sources::OP_REFERENCE, sources::release_notes(2, 0)],
        ));
    }
    out.push(finding(
        Severity::Warning,
        "operator.upgrade-modes",
        "Each patch sets upgradeMode: savepoint",
        "What the operator does on a flinkVersion change depends on the upgrade mode. stateless cancels the job and starts it without state. last-state uses a savepoint if the job runs and a savepoint directory is set, otherwise (since operator 1.10) cancels it and restores the last checkpoint, which is not supported across minor versions for unaligned checkpoints. savepoint stops the job with a savepoint, but falls back to the last checkpoint when the job is not running. And a job suspended in last-state mode refuses a flinkVersion change (FLINK-30527). So the patch sets savepoint mode, and the script checks right before each patch that the job is RUNNING and its resource STABLE and running.",
        "Keep a savepoint directory in the configuration (the operator refuses savepoint mode without one; the pre-flight checks it). After the soak, set upgradeMode back to last-state if you used it.",
        &[sources::OP_RECONCILER, sources::OP_VALIDATOR, sources::FLINK_30527, sources::OP_JOB_MANAGEMENT],
    ));
    out
}

pub fn frame(c: &Context<'_>) -> Option<Frame> {
    let mut f = super::super::runbook::standalone_frame(c);
    f.decommission_confirm = Some(if c.s.deployment == Deployment::OperatorSession {
        (
            "SESSION_RESOURCE".into(),
            "the session FlinkDeployment's name".into(),
        )
    } else if c.s.jobs.is_empty() {
        (NS.into(), "the namespace".into())
    } else {
        (
            resource_var(1),
            "the first job's FlinkDeployment name".into(),
        )
    });
    f.abort.push("A resource turns FAILED, or its JobManager does not become ready: the script stops there; roll back unless the cause is clear within minutes.".into());
    for e in &mut f.estimates {
        match e.phase {
            crate::plan::PhaseId::Prepare => e.time = "a few days (images, rehearse)".into(),
            crate::plan::PhaseId::Cutover => {
                e.time = format!("per job and hop a savepoint, a new JobManager and a restore; {} jobs, {} hops; the rehearsal gives the real figure", c.s.jobs.len(), c.path.len() - 1);
                e.longer =
                    "large state, slow savepoint storage, image pulls, pods waiting for nodes"
                        .into();
            }
            _ => {}
        }
    }
    Some(f)
}

pub fn kind_of(d: Deployment) -> &'static str {
    if d == Deployment::OperatorSession {
        "FlinkSessionJob"
    } else {
        "FlinkDeployment"
    }
}

pub fn resource_var(n: usize) -> String {
    format!("JOB{n}_RESOURCE")
}

pub fn snapshot_var(n: usize) -> String {
    format!("JOB{n}_SNAPSHOT")
}

/// `orders-before-v2-0`.
pub fn snapshot_name(resource: &str, to: Version) -> String {
    format!("{resource}-before-v{}-{}", to.major, to.minor)
}

/// The savepoint the operator takes of job `n` at the start of hop `hop`:
/// the first has a name of its own (`JOB<n>_SAVEPOINT` is the pre-upgrade
/// snapshot the rollback uses), the later ones are the stops' savepoints.
pub fn upgrade_savepoint_var(n: usize, hop: usize) -> String {
    if hop == 1 {
        format!("JOB{n}_UPGRADE_SAVEPOINT")
    } else {
        super::super::runbook::savepoint_var(n, hop)
    }
}

/// The REST API of the Flink cluster the operator runs for resource
/// variable `resource` (service `<name>-rest`), read through the proxy, of
/// Flink version at path index `i`.
pub fn rest(c: &Context<'_>, i: usize, resource: &str) -> Cluster {
    let mut cl = c.cluster(i);
    cl.kube_rest = Some(KubeRest {
        namespace: NS.into(),
        cluster_id: resource.into(),
    });
    cl
}

/// The status of `kind` `name` printed as `<paths>`, expected to be `want`.
pub fn status_check(kind: &str, name: &str, paths: &str, want: &str, holds: String) -> Check {
    Check::new(
        kube::jsonpath(kind, name, paths),
        Expect::Output(want.into()),
        holds,
    )
    .waiting(900)
    .failing_on("FAILED")
}

/// After a version patch of FlinkDeployment `name`: STABLE, then `second`
/// (`{.status.jobStatus.state}` or `{.status.jobManagerDeploymentStatus}`)
/// as in `want`, with flinkVersion `v` in its last stable spec, so that the
/// status read is the new deployment's and not the old one's before the
/// operator reconciled. A FAILED resource ends the wait at once.
pub fn upgraded_check(name: &str, second: &str, want: &str, v: Version, holds: String) -> Check {
    let paths = format!(
        "{{.status.lifecycleState}} {second} {{.status.reconciliationStatus.lastStableSpec}}"
    );
    Check::new(
        kube::jsonpath("flinkdeployment", name, &paths),
        Expect::Matches(format!(
            "^{want} .*flinkVersion[^,]*{}",
            manifests::flink_version(v)
        )),
        holds,
    )
    .waiting(900)
    .failing_on("FAILED")
}

/// Right before a change: the resource is STABLE, its job RUNNING and its
/// spec says running (a suspended last-state job refuses a version change;
/// a job that does not run would be restored from its last checkpoint).
pub fn ready_checks(kind: &str, name: &str, who: &str) -> Vec<Check> {
    vec![
        status_check(
            kind,
            name,
            "{.status.lifecycleState} {.status.jobStatus.state}",
            "STABLE RUNNING",
            format!("{who} is STABLE and its job RUNNING"),
        )
        .waiting(60),
        Check::new(
            kube::jsonpath(kind, name, "{.spec.job.state}"),
            Expect::Output("running".into()),
            format!("the spec of {who} says state: running"),
        ),
    ]
}

/// `cutover.<hop>.ready.<n>`: the [`ready_checks`] right before a change.
pub fn ready_step(
    id: String,
    title: String,
    detail: &str,
    kind: &str,
    name: &str,
    who: &str,
) -> Step {
    let mut st = step(id, title, detail.into());
    for check in ready_checks(kind, name, who) {
        st = st.check(check);
    }
    st.verify("STABLE, RUNNING, state: running.")
        .rollback("Wait for the resource to settle or fix the job, then run again.")
        .source(sources::OP_RECONCILER)
        .done()
}

/// A read of a status value into `capture`: `kubectl get … -o
/// jsonpath=value={…}`, recovered by the same read.
pub fn read_status(kind: &str, name: &str, path: &str, capture: &str, what: String) -> Command {
    let read = kube::jsonpath(kind, name, &format!("value={path}"));
    read.clone()
        .capturing(capture.to_string(), "value=", what.clone())
        .recovering_with(read.capturing(capture.to_string(), "value=", what))
}

/// Job `n`'s pre-upgrade savepoint: a `FlinkStateSnapshot` of its resource,
/// created before anything changes, and the wait for it to complete.
pub fn snapshot_step(c: &Context<'_>, n: usize) -> Step {
    let job = &c.s.jobs[n - 1];
    let kind = kind_of(c.s.deployment);
    let name = snapshot_name(&job.target, c.path[c.path.len() - 1]);
    let doc = manifests::snapshot(
        &name,
        c.s.target.namespace_or_default(),
        kind,
        &job.target,
        &c.s.savepoint_dir,
    );
    let file = doc.path();
    step(
        format!("cutover.1.savepoint.{n}"),
        format!("Take a savepoint of {} on Flink {} before the change", job.label(), c.path[0]),
        format!("A FlinkStateSnapshot {name} takes a savepoint of the running job (the operator handles these resources unless kubernetes.operator.snapshot.resource.enabled is false); the rollback redeploys from it, so it must come from the old version. It keeps its files when the resource is deleted (disposeOnDelete: false). kubectl create fails if a snapshot of that name exists (a former attempt): the pre-flight checks it does not."),
    )
    .document(doc)
    .cmd(Command::local(vec![lit("kubectl"), lit("create"), lit("-f"), file]))
    .check(status_check("flinkstatesnapshot", &snapshot_var(n), "{.status.state}", "COMPLETED", format!("the snapshot {name} is COMPLETED")))
    .verify("The snapshot's state is COMPLETED and its status names the savepoint path.")
    .rollback("If it fails (status.error says why), the job still runs on the old version: fix the cause, delete the failed snapshot (kubectl delete flinkstatesnapshot <name>) and run again.")
    .source(sources::OP_SNAPSHOTS)
    .done()
}

/// The pre-flight steps every operator plan shares: access, the CRD and the
/// snapshot names.
pub fn preflight_access(c: &Context<'_>) -> Vec<Step> {
    let mut st = step(
        "preflight.kubernetes".into(),
        "Check the Kubernetes access".into(),
        "kubectl reaches the cluster with the rights the runbook uses: patch the resources, create snapshots, and read REST through the API server's service proxy.".into(),
    );
    let kind = kind_of(c.s.deployment).to_ascii_lowercase();
    for check in kube::access_checks(
        c,
        &[
            ("patch", &format!("{kind}s")),
            ("create", "flinkstatesnapshots"),
        ],
    ) {
        st = st.check(check);
    }
    let mut steps = vec![st
        .verify("The namespace exists and the current user has the rights.")
        .rollback(
            "Fix the kubeconfig context or the RBAC role, then run again; nothing has changed.",
        )
        .source(sources::K8S_API_PROXY)
        .done()];
    let mut names = step(
        "preflight.snapshot-names".into(),
        "Check that the snapshot names are free".into(),
        "The pre-upgrade snapshots get names of their own; one left by a former attempt would hold an older savepoint.".into(),
    );
    for (k, job) in c.s.jobs.iter().enumerate() {
        let name = snapshot_name(&job.target, c.path[c.path.len() - 1]);
        names = names.check(Check::new(
            kube::kubectl(vec![
                lit("get"),
                lit("flinkstatesnapshot"),
                var(snapshot_var(k + 1)),
                lit("--ignore-not-found"),
                lit("-o"),
                lit("name"),
            ]),
            Expect::Output(String::new()),
            format!("no FlinkStateSnapshot {name} exists yet"),
        ));
    }
    if !c.s.jobs.is_empty() {
        steps.push(
            names
                .verify("kubectl finds none of the names.")
                .rollback("Delete the old snapshot once you know nobody needs its savepoint (it keeps its files with disposeOnDelete: false), then run again.")
                .source(sources::OP_SNAPSHOTS)
                .done(),
        );
    }
    steps
}

/// The savepoint directory the operator's savepoint mode needs, read from
/// the running JobManager's configuration.
pub fn savepoint_dir_check(c: &Context<'_>, resource: &str, who: &str) -> Check {
    Check::new(
        rest(c, 0, resource).rest_read(&[lit("/jobmanager/config")]),
        Expect::Matches(
            "state\\.savepoints\\.dir|execution\\.checkpointing\\.savepoint-dir".into(),
        ),
        format!("the configuration of {who} sets a savepoint directory (savepoint mode needs one)"),
    )
}

/// Deletes the pre-upgrade snapshots (their files stay).
pub fn delete_snapshots(c: &Context<'_>) -> Step {
    let mut words = vec![lit("delete"), lit("flinkstatesnapshot")];
    for n in 1..=c.s.jobs.len() {
        words.push(var(snapshot_var(n)));
    }
    words.push(lit("--ignore-not-found"));
    let mut st = step(
        "decommission.snapshots".into(),
        "Delete the pre-upgrade snapshots".into(),
        "Only the rollback needed them. With disposeOnDelete: false the savepoint files stay: the next step deletes or archives them.".into(),
    );
    if !c.s.jobs.is_empty() {
        st = st.cmd(kube::kubectl(words).irreversible());
    }
    st.verify("kubectl get flinkstatesnapshot no longer lists them.")
        .rollback("None: the snapshot records are gone (their files are not).")
        .source(sources::OP_SNAPSHOTS)
        .done()
}

/// The captured savepoint path `sp` holds no quote or backslash, so it goes
/// into a JSON patch as written (checked only when it is known).
pub fn plain_path_check(sp: &str) -> Check {
    Check::new(
        Command::local(vec![lit("printf"), lit("%s\\n"), var(sp.to_owned())]),
        Expect::LacksMatch("[\"\\\\]".into()),
        "the savepoint path holds no quote or backslash, so it goes into the patch as written",
    )
    .only_if_set(sp)
}

/// `rollback.jobs`: every job's resource of `kind` is STABLE with its job
/// RUNNING, and a person confirms what the replay means downstream.
pub fn rollback_done(c: &Context<'_>, kind: &str) -> Step {
    let mut st = step(
        "rollback.jobs".into(),
        format!("Check that the jobs run on Flink {}", c.path[0]),
        "Each resource is STABLE with its job RUNNING: redeployed by the rollback, or never changed by the cutover.".into(),
    );
    for (k, job) in c.s.jobs.iter().enumerate() {
        st = st.check(status_check(
            kind,
            &resource_var(k + 1),
            "{.status.lifecycleState} {.status.jobStatus.state}",
            "STABLE RUNNING",
            format!(
                "{} {} is STABLE with its job RUNNING",
                kind_of(c.s.deployment),
                job.target
            ),
        ));
    }
    st.confirm("Sources still hold the data since the savepoints, and the output the jobs produce again is acceptable downstream.")
        .verify("Every job runs on the old version.")
        .rollback("Read kubectl describe and the JobManager log; the pre-upgrade snapshots are the last consistent state.")
        .source(sources::OP_JOB_MANAGEMENT)
        .done()
}

/// Where the route crosses into Flink 2.x: the resource's
/// `spec.flinkConfiguration` (the configuration the operator writes for
/// the new version) sets none of the keys 2.0 removed, as flat keys (a
/// nested map from operator 1.13 on is not read key by key).
pub fn removed_keys_check(c: &Context<'_>, kind: &str, name: &str, who: &str) -> Option<Check> {
    let crosses = c.path.windows(2).any(|w| w[0].major < 2 && w[1].major >= 2);
    crosses.then(|| {
        let keys: Vec<String> = super::super::config_file::REMOVED_IN_2_0
            .iter()
            .map(|k| k.replace('.', "\\."))
            .collect();
        Check::new(
            kube::jsonpath(kind, name, "{.spec.flinkConfiguration}"),
            Expect::LacksMatch(format!("\"({})\":", keys.join("|"))),
            format!("the flinkConfiguration of {who} sets none of the options Flink 2.0 removed (flat keys)"),
        )
    })
}
