//! Native Kubernetes: a session (`kubernetes-session.sh`, jobs submitted
//! with `flink run --target kubernetes-session`) or one application cluster
//! per job (`--target kubernetes-application`). Every new version runs
//! under a fresh `kubernetes.cluster-id`, so it recovers no HA metadata of
//! the old cluster; the old cluster and its HA ConfigMaps go only in the
//! decommission. The `flink` CLI runs from this host's Flink distribution of
//! each version; the script's REST checks go through the Kubernetes API
//! server's service proxy.
//!
//! - `session.rs`: the session runbook.
//! - `application.rs`: the application runbook.

mod application;
mod session;

use crate::plan::{
    finding, step, Check, Command, Expect, Finding, Frame, Phase, Severity, Step, Word,
};
use crate::version::Version;

use super::super::cli::{Cluster, KubeRest};
use super::super::deployment::Deployment;
use super::super::runbook::Context;
use super::super::scenario::Scenario;
use super::super::sources;
use super::kube::{self, lit, var, NS};

pub fn phases(c: &Context<'_>) -> Vec<Phase> {
    match c.s.deployment {
        Deployment::KubernetesApplication => application::phases(c),
        _ => session::phases(c),
    }
}

pub fn variables(c: &mut Context<'_>) {
    // The REST checks reach each cluster through the API server, never at
    // a host:port of this machine.
    c.vars
        .retain(|v| v.name != "OLD_REST" && v.name != "NEW_REST");
    let ns = c.s.target.namespace_or_default().to_string();
    c.text(NS, "Kubernetes namespace of the clusters".into(), &ns);
    kube::image_variables(c);
    match c.s.deployment {
        Deployment::KubernetesApplication => application::variables(c),
        _ => session::variables(c),
    }
}

pub fn findings(s: &Scenario, path: &[Version]) -> Vec<Finding> {
    let mut out = Vec::new();
    let first = Version::minor(1, 11);
    if let Some(v) = path.iter().find(|v| v.cmp_line(first).is_lt()) {
        out.push(finding(
            Severity::Blocker,
            "kubernetes.too-old",
            format!("Native Kubernetes before Flink {first} is not planned"),
            format!("The route runs Flink {v} on native Kubernetes. Waymark builds the commands with --target and -D options, which came in Flink 1.11 (1.10's native Kubernetes was a beta session driven with -e)."),
            "Move the jobs to Flink 1.11 or later another way first (for instance as a standalone session plan), or run this plan from a version that has --target.",
            &[sources::CLI, sources::NATIVE_K8S, sources::release_notes(1, 11)],
        ));
    }
    out.extend(kube::image_findings(s, path));
    if s.deployment == Deployment::KubernetesApplication {
        out.extend(kube::jar_uri_findings(s, "kubernetes.jar-uri"));
    }
    out.push(finding(
        Severity::Info,
        "kubernetes.differs",
        "How native Kubernetes differs from the standalone procedure",
        format!(
            "{} Each new version runs under a fresh kubernetes.cluster-id: Flink's HA ConfigMaps do not go with the deployment, and a cluster started under an id whose ConfigMaps survive recovers the old job graph and its latest checkpoint, ignoring the savepoint given with -s. The pre-flight checks that nothing carries a new id's app label yet. The old cluster stays until the decommission, which deletes it and its HA ConfigMaps.",
            match s.deployment {
                Deployment::KubernetesApplication => "Each job has its own application cluster: the stop with a savepoint ends it, and run-application (run from Flink 2.0, which removed run-application) deploys the new version's cluster from the new image, restoring the savepoint.",
                _ => "The new version gets a session of its own, started with the new distribution's kubernetes-session.sh and the new image; each job is stopped with a savepoint in the old session and submitted to the new one, which keeps the old session as the rollback target.",
            }
        ),
        "Update dashboards and scripts that name the cluster id: the new one is in the variables of the runbook. Run the script where the flink CLI reaches the clusters' REST service (see the finding on REST access).",
        &[sources::NATIVE_K8S, sources::K8S_HA, sources::HA_LIFECYCLE],
    ));
    out.push(finding(
        Severity::Warning,
        "kubernetes.rest-access",
        "The flink CLI must reach each cluster's REST service from here",
        "The flink CLI finds a cluster by its id through the Kubernetes API and then talks to its REST service (the 1.20.1 CLI reads Service <cluster-id>-rest before it connects). With the default exposure, ClusterIP, that service answers only inside the cluster network; kubectl port-forward serves a browser, not the CLI, which connects to the address it looked up itself. The script's own checks read the REST API through the Kubernetes API server's service proxy (kubectl get --raw …/services/<cluster-id>-rest:rest/proxy/…), which works wherever kubectl does and needs the right to get services/proxy.",
        "Run the script from a pod or host in the cluster network, or expose REST with kubernetes.rest-service.exposed.type (NodePort or LoadBalancer). The pre-flight lists the old cluster's jobs with the flink CLI and through the proxy, and stops if either fails.",
        &[sources::NATIVE_K8S, sources::K8S_API_PROXY],
    ));
    if path
        .iter()
        .any(|v| v.cmp_line(Version::minor(1, 17)).is_lt())
        && path
            .iter()
            .any(|v| v.cmp_line(Version::minor(1, 17)).is_ge())
    {
        out.push(finding(
            Severity::Info,
            "kubernetes.image-key",
            "The image option was renamed in 1.17",
            "Flink 1.17 renamed kubernetes.container.image to kubernetes.container.image.ref (the old key still works, deprecated). Each command here uses the key of the version that runs it; check the configuration you carry over for the old key, and high-availability, renamed high-availability.type in the same release.",
            "Nothing to do for the commands; review the carried-over configuration.",
            &[sources::FLINK_29372, sources::release_notes(1, 17)],
        ));
    }
    out
}

pub fn frame(c: &Context<'_>) -> Option<Frame> {
    let mut f = super::super::runbook::standalone_frame(c);
    let (var, what) = match c.s.deployment {
        Deployment::KubernetesApplication if !c.s.jobs.is_empty() => (
            application::id_var(1, 0, c.path.len() - 1),
            "the first job's old cluster id",
        ),
        Deployment::KubernetesApplication => (NS.to_string(), "the namespace"),
        _ => ("OLD_CLUSTER_ID".to_string(), "the old session's cluster id"),
    };
    f.decommission_confirm = Some((var, what.into()));
    f.abort.push("A new cluster does not start (pods pending, image pull errors): the old one is untouched until its jobs stop; roll back the jobs already moved.".into());
    if let Some(e) = f
        .estimates
        .iter_mut()
        .find(|e| e.phase == crate::plan::PhaseId::Cutover)
    {
        e.time = format!(
            "one savepoint and one restore per job and hop ({} jobs, {} hops), plus a few minutes per new cluster for its pods to be scheduled and pull the image; the rehearsal gives the real figure",
            c.s.jobs.len(),
            c.path.len() - 1
        );
        e.longer = "large state, slow savepoint storage, busy jobs, image pulls and pods waiting for nodes".into();
    }
    Some(f)
}

/// The `-D` option that names the image, in the syntax of `v`.
fn image_option(v: Version, image: &str) -> Word {
    let key = if v.cmp_line(Version::minor(1, 17)).is_ge() {
        "-Dkubernetes.container.image.ref="
    } else {
        "-Dkubernetes.container.image="
    };
    Word::Join(vec![lit(key), var(image.to_owned())])
}

/// The cluster `id` (a variable) at path index `i`, driven through the
/// `flink` CLI of that version with `--target <target>`.
fn cluster(c: &Context<'_>, i: usize, target: &str, id: &str) -> Cluster {
    let mut cl = c.cluster(i);
    cl.target = vec![
        lit("--target"),
        lit(target.to_owned()),
        Word::Join(vec![lit("-Dkubernetes.cluster-id="), var(id.to_owned())]),
        Word::Join(vec![lit("-Dkubernetes.namespace="), var(NS)]),
    ];
    cl.kube_rest = Some(KubeRest {
        namespace: NS.into(),
        cluster_id: id.into(),
    });
    cl
}

/// The installations and images to prepare: one step per new version.
fn prepare_installs(c: &Context<'_>, image_holds: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    for i in 1..c.path.len() {
        let v = c.path[i];
        let image = kube::image_for(c, i).unwrap_or_default();
        let mut detail = format!(
            "Unpack Flink {v} on this host: its bin/flink and bin/kubernetes-session.sh talk to the clusters of that version. Carry the old configuration over into its conf directory (state backend, checkpoint and savepoint directories, high availability, kubernetes.* options, memory): the new clusters start from it. Build or pick the image {image} for Flink {v}{image_holds}."
        );
        detail.push_str(" Flink ignores options it does not know, so a key this version removed or renamed silently falls back to its default: check each carried-over key against the release notes.");
        if let Some(fs) = super::super::filesystems::setup(&c.s.savepoint_dir, v) {
            detail.push(' ');
            detail.push_str(&fs);
            detail.push_str(" In the image, the plugin goes under /opt/flink/plugins.");
        }
        let mut st = step(
            format!("prepare.install.{v}"),
            format!("Install Flink {v} here and prepare its image"),
            String::new(),
        );
        if v.major >= 2 && c.path[i - 1].major < 2 {
            detail.push_str(" Flink 2 reads only conf/config.yaml: if the old configuration is a flink-conf.yaml, put it into the new conf directory and run the new bin/migrate-config-file.sh, which writes conf/config.yaml from it; then review the result.");
            st = st
                .cmd(Command::local(vec![Word::Join(vec![
                    var(c.cluster(i).home),
                    lit("/bin/migrate-config-file.sh"),
                ])]))
                .source(sources::release_notes(2, 0));
        }
        steps.push(
            st.detail(detail)
            .cmd(Command::local(vec![
                lit("ls"),
                Word::Join(vec![var(c.cluster(i).home), lit("/lib")]),
            ]))
            .manual()
            .verify(format!(
                "lib/flink-dist-{}*.jar is in the installation, and the image is pushed where the cluster pulls from.",
                v.line()
            ))
            .rollback("Nothing has changed on the running clusters yet.")
            .source(sources::NATIVE_K8S)
            .source(sources::UPGRADING)
            .done(),
        );
    }
    steps
}

/// The configuration each new installation ships to its clusters sets no
/// option its version removed (checked where the route crosses into 2.x).
fn config_step(c: &Context<'_>) -> Option<Step> {
    use super::super::config_file;
    let mut st = step(
        "preflight.config".into(),
        "Check the new installations' configuration".into(),
        "The client ships its conf directory to the clusters it deploys. Flink ignores options it does not know: a key the new version removed silently falls back to its default.".into(),
    );
    let mut any = false;
    for i in 1..c.path.len() {
        let v = c.path[i];
        if v.major >= 2 && c.path[i - 1].major < 2 {
            any = true;
            st = st.check(Check::new(
                config_file::read(&c.cluster(i).home, v),
                Expect::LacksMatch(config_file::removed_pattern()),
                format!("the configuration of {} (conf/config.yaml) sets none of the options Flink 2.0 removed", c.home_path(i)),
            ));
        }
    }
    any.then(|| {
        st.verify("Each new installation's configuration is free of removed options.")
            .rollback("Replace the removed keys (the findings list the replacements), then run again; nothing has changed.")
            .source(sources::release_notes(2, 0))
            .done()
    })
}

/// The pre-flight's Kubernetes access: the namespace and the rights the
/// commands need.
fn access_step(c: &Context<'_>) -> Step {
    let mut st = step(
        "preflight.kubernetes".into(),
        "Check the Kubernetes access".into(),
        "kubectl reaches the cluster with the rights the flink CLI and the checks use: it creates deployments, and the checks read REST through the API server's service proxy.".into(),
    );
    for check in kube::access_checks(c, &[("create", "deployments"), ("delete", "configmaps")]) {
        st = st.check(check);
    }
    st.verify("The namespace exists and the current user has the rights.")
        .rollback(
            "Fix the kubeconfig context or the RBAC role, then run again; nothing has changed.",
        )
        .source(sources::NATIVE_K8S)
        .source(sources::K8S_API_PROXY)
        .done()
}

/// Nothing exists yet under any of the new cluster ids.
fn fresh_ids_step(ids: &[(String, String)]) -> Step {
    let mut st = step(
        "preflight.fresh-ids".into(),
        "Check that the new cluster ids are unused".into(),
        "A new cluster must not find HA ConfigMaps under its id: Flink would recover the job graph they hold instead of restoring the savepoint.".into(),
    );
    for (id, text) in ids {
        st = st.check(kube::nothing_left(
            id,
            format!("no deployment or ConfigMap carries app={text} yet"),
        ));
    }
    st.verify("kubectl lists nothing for any new id.")
        .rollback("Choose another new id (new-cluster-id), or delete what is left under it once you know it is not needed, then run again; nothing has changed.")
        .source(sources::K8S_HA)
        .source(sources::K8S_LABELS_CODE)
        .done()
}

/// The savepoint directory: the old cluster's configuration names one when
/// the plan does not, and a person confirms both versions reach it.
fn savepoint_dir_step(c: &Context<'_>, old: &Cluster) -> Step {
    let st = step(
        "preflight.savepoint-dir".into(),
        "Check the savepoint directory".into(),
        String::new(),
    )
    .verify("The savepoint directory is set and reachable from both versions' pods.")
    .rollback("Set the savepoint directory (savepoint-dir, or state.savepoints.dir in the configuration) and run again.")
    .source(sources::SAVEPOINTS);
    if c.s.savepoint_dir.is_empty() {
        return st
            .detail("The plan names no savepoint directory, so the old cluster's configuration must.".into())
            .check(Check::new(
                old.rest_read(&[lit("/jobmanager/config")]),
                Expect::Matches("state\\.savepoints\\.dir|execution\\.checkpointing\\.savepoint-dir".into()),
                format!("{} sets a savepoint directory", c.name(0)),
            ))
            .confirm("The configured savepoint directory is on storage the new version's pods reach under the same path.")
            .done();
    }
    st.detail(format!(
        "The JobManager pods write {} and the new ones read it: it must be shared storage (an object store, HDFS or a volume both mount).",
        c.s.savepoint_dir
    ))
    .confirm(format!(
        "The old pods can write to {} and the new image can read it (the file system's plugin is in both images).",
        c.s.savepoint_dir
    ))
    .done()
}

/// A REST read that prints the id of the one job a cluster runs, waiting
/// for the cluster to answer: the job id of a new application cluster,
/// whose deploy prints none.
fn read_job_id(cl: &Cluster, capture: &str, what: String) -> Command {
    let rest = cl.kube_rest.as_ref().map(|k| k.get(&[lit("/jobs")]));
    let mut words = vec![Word::Raw("for _ in $(seq 1 60); do out=$(")];
    words.extend(rest.unwrap_or_default());
    words.push(Word::Raw(
        "2>/dev/null) && case $out in *'\"id\":\"'*) break ;; esac; sleep \"${WAYMARK_POLL_SECONDS:-5}\"; done; printf '%s\\n' \"${out:-}\" | grep -oE '\"id\":\"[0-9a-f]{32}\"' | tail -n 1",
    ));
    let read = Command::local(words);
    read.clone()
        .capturing(capture.to_string(), "\"id\":\"", what.clone())
        .until("\"")
        .recovering_with(
            read.capturing(capture.to_string(), "\"id\":\"", what)
                .until("\""),
        )
}

/// Deletes an old cluster: its deployment `id` (a variable; `shown` is its
/// value) and the HA ConfigMaps of `ha_ids`, which deleting the deployment
/// keeps; then checks that nothing of `id` is left.
fn delete_cluster_step(
    step_id: String,
    title: String,
    detail: &str,
    id: &str,
    shown: &str,
    ha_ids: &[String],
    after: &str,
) -> Step {
    let mut st = step(step_id, title, format!("{detail} The HA ConfigMaps have no owner reference to the deployment and stay, so they are deleted by their labels (app=<cluster id>, configmap-type=high-availability: the labels Flink sets; no Flink page shows this command)."))
        .cmd(kube::kubectl(vec![lit("delete"), lit("deployment"), var(id.to_owned()), lit("--ignore-not-found")]).irreversible());
    for ha in ha_ids {
        st = st.cmd(kube::delete_ha_configmaps(ha).irreversible());
    }
    st.check(kube::nothing_left(id, format!("nothing carries app={shown} any more")).waiting(300))
        .verify("kubectl lists nothing for the old id.")
        .rollback(after)
        .source(sources::NATIVE_K8S)
        .source(sources::K8S_HA)
        .source(sources::K8S_LABELS_CODE)
        .done()
}

/// The decommission's last steps: the savepoints, and the old Flink
/// clients on this host.
fn cleanup_steps(c: &Context<'_>) -> [Step; 2] {
    [
        super::super::runbook::savepoints_step(c),
        super::super::runbook::old_installations(c, &|i| {
            format!("this host (the Flink {} client)", c.path[i])
        }),
    ]
}
