//! Native Kubernetes application mode: each job has its own cluster. The
//! stop with a savepoint ends it; the next version's cluster is deployed
//! from the next image under a fresh cluster id, restoring the savepoint.
//! The rollback deploys the old image again, under a rollback id of its own.

use crate::plan::{phase, step, Phase, PhaseId, Step};

use super::super::super::cli::Cluster;
use super::super::super::runbook::{
    self as rb, id_var as job_id_var, rollback_id_var, savepoint_var, Context,
};
use super::super::super::sources;
use super::super::kube;
use super::{
    access_step, cluster, fresh_ids_step, image_option, prepare_installs, read_job_id,
    savepoint_dir_step,
};

const TARGET: &str = "kubernetes-application";

/// The cluster id variable of job `n` at path index `i` (`last` is the
/// final index).
pub fn id_var(n: usize, i: usize, last: usize) -> String {
    if i == 0 {
        format!("JOB{n}_CLUSTER_ID")
    } else if i == last {
        format!("JOB{n}_NEW_CLUSTER_ID")
    } else {
        format!("JOB{n}_STOP{i}_CLUSTER_ID")
    }
}

fn rollback_cluster_var(n: usize) -> String {
    format!("JOB{n}_ROLLBACK_CLUSTER_ID")
}

/// A rollback id: the old id with `-rollback`, cut to 45 characters.
fn rollback_id(old: &str) -> String {
    let suffix = "-rollback";
    let stem = &old[..old.len().min(45 - suffix.len())];
    format!("{}{suffix}", stem.trim_end_matches('-'))
}

pub fn variables(c: &mut Context<'_>) {
    let last = c.path.len() - 1;
    let jobs = c.s.jobs.clone();
    for (k, job) in jobs.iter().enumerate() {
        let n = k + 1;
        let who = job.label().to_string();
        c.text(
            &id_var(n, 0, last),
            format!(
                "kubernetes.cluster-id of the Flink {} cluster of {who}",
                c.path[0]
            ),
            &job.target,
        );
        for i in 1..=last {
            c.text(
                &id_var(n, i, last),
                format!(
                    "kubernetes.cluster-id of the Flink {} cluster of {who}{}",
                    c.path[i],
                    if i == last { "" } else { " (stop)" }
                ),
                &kube::derived_id(&job.target, c.path[i]),
            );
        }
        c.text(
            &rollback_cluster_var(n),
            format!(
                "kubernetes.cluster-id of the Flink {} cluster of {who} after a rollback",
                c.path[0]
            ),
            &rollback_id(&job.target),
        );
    }
}

fn app(c: &Context<'_>, i: usize, id: &str) -> Cluster {
    cluster(c, i, TARGET, id)
}

fn text_of(c: &Context<'_>, name: &str) -> String {
    c.vars
        .iter()
        .find(|v| v.name == name)
        .and_then(|v| match &v.value {
            crate::plan::Value::Text(t) => Some(t.clone()),
            _ => None,
        })
        .unwrap_or_else(|| name.to_string())
}

pub fn phases(c: &Context<'_>) -> Vec<Phase> {
    vec![
        phase(
            PhaseId::Prepare,
            "Before the change window: check the preconditions, install each new version's Flink client here, build its image with the job jars, and rehearse.".into(),
            prepare(c),
        ),
        phase(
            PhaseId::Preflight,
            "Right before the cutover, reading only: Kubernetes access, the installations, each job's cluster, the new ids. Nothing changes here.".into(),
            preflight(c),
        ),
        phase(
            PhaseId::Cutover,
            "In the change window, job by job: stop it with a savepoint, which ends its cluster, then deploy the next version's cluster from the next image under a fresh id, restoring the savepoint.".into(),
            cutover(c),
        ),
        phase(
            PhaseId::Verify,
            "Confirm that every job runs on the new version, restored from its own savepoint, and checkpoints again.".into(),
            verify(c),
        ),
        phase(
            PhaseId::Rollback,
            format!("Only if the new version misbehaves: cancel the moved jobs and deploy each again on Flink {} from the old image and the savepoint taken at the start of the cutover, under a rollback id no HA metadata knows. Output since the savepoints is produced again.", c.path[0]),
            rollback(c),
        ),
        phase(
            PhaseId::Decommission,
            format!(
                "After the soak ({} days without a rollback): delete what is left of the old clusters (a deployment that did not end, HA ConfigMaps) and what else only the rollback needed. This cannot be undone.",
                rb::frame(c).soak_days
            ),
            decommission(c),
        ),
    ]
}

fn prepare(c: &Context<'_>) -> Vec<Step> {
    let mut steps = vec![rb::preconditions(c)];
    steps.extend(prepare_installs(
        c,
        ", with each job's jar at the path its jar key names (such as local:///opt/flink/usrlib/orders.jar) and the file system plugins the state needs",
    ));
    steps.push(rb::rehearse(c));
    steps
}

fn preflight(c: &Context<'_>) -> Vec<Step> {
    let last = c.path.len() - 1;
    let mut steps = vec![access_step(c), rb::installations(c)];
    steps.extend(super::config_step(c));
    let mut jobs = step(
        "preflight.jobs".into(),
        "Check each job's cluster".into(),
        "The flink CLI reaches each job's cluster from here and finds exactly the planned job in it, and so does the REST API through the API server's proxy; each cluster runs the old version.".into(),
    );
    for (k, job) in c.s.jobs.iter().enumerate() {
        let n = k + 1;
        let old = app(c, 0, &id_var(n, 0, last));
        let who = format!("cluster {} ({})", job.target, job.label());
        jobs = jobs
            .check(old.version_check(&who).waiting(0))
            .check(old.jobs_check(
                vec![job_id_var(n, 0, last)],
                format!("{who} runs exactly the planned job (the flink CLI reaches it from here)"),
            ))
            .check(old.rest_jobs_check(
                vec![job_id_var(n, 0, last)],
                format!("{who} lists the same job through the API server's proxy"),
            ));
    }
    if !c.s.jobs.is_empty() {
        steps.push(
            jobs.verify("Each cluster answers as the old version and runs its planned job.")
                .rollback("If flink list cannot connect, run the script inside the cluster network or expose REST (see the findings); check job<N>.cluster-id. Nothing has changed.")
                .source(sources::NATIVE_K8S)
                .done(),
        );
    }
    let mut fresh = Vec::new();
    for n in 1..=c.s.jobs.len() {
        for i in 1..=last {
            let v = id_var(n, i, last);
            fresh.push((v.clone(), text_of(c, &v)));
        }
        let r = rollback_cluster_var(n);
        fresh.push((r.clone(), text_of(c, &r)));
    }
    steps.push(fresh_ids_step(&fresh));
    steps.push(savepoint_dir_step(c, &app(c, 0, &id_var(1, 0, last))));
    steps.push(rb::go(c));
    steps
}

/// Deploys job `n`'s cluster at path index `i` under `id`, restoring
/// `savepoint`, from the image of that index (the old image at 0), with `jar`; then reads its
/// job id into `capture`. One step: `cutover.<hop>.resume.<n>` or
/// `rollback.resume.<n>`.
fn deploy(
    c: &Context<'_>,
    i: usize,
    n: usize,
    id: &str,
    savepoint: &str,
    jar: String,
    capture: &str,
) -> Vec<crate::plan::Command> {
    let job = &c.s.jobs[n - 1];
    let cl = app(c, i, id);
    let run = rb::RunVars::new(n, savepoint.to_string(), jar);
    let deploy = cl.run_application(
        &run.spec(job),
        vec![image_option(c.path[i], &kube::image_var(c, i))],
    );
    let read = read_job_id(
        &cl,
        capture,
        format!("the job id of {} on Flink {}", job.label(), c.path[i]),
    );
    vec![deploy, read]
}

fn cutover(c: &Context<'_>) -> Vec<Step> {
    let last = c.path.len() - 1;
    let mut steps = Vec::new();
    for hop in 1..=last {
        let prefix = if last > 1 {
            format!("Hop {hop} ({} → {}): ", c.path[hop - 1], c.path[hop])
        } else {
            String::new()
        };
        for (k, job) in c.s.jobs.iter().enumerate() {
            let n = k + 1;
            let from = app(c, hop - 1, &id_var(n, hop - 1, last));
            let old_id = job_id_var(n, hop - 1, last);
            let (cmds, sp) = rb::savepoint_stop(c, &from, &old_id, hop, n, job);
            steps.push(
                step(
                    format!("cutover.{hop}.stop.{n}"),
                    format!("{prefix}Stop {} with a savepoint", job.label()),
                    format!("Against its cluster {}: flink stop takes a savepoint, then ends the job (never --drain), and the application cluster shuts down with it.", text_of(c, &id_var(n, hop - 1, last))),
                )
                .cmds(cmds)
                .verify(format!("The output names the savepoint path; it is kept as {sp}."))
                .rollback("If the savepoint fails, the job keeps running: read the JobManager log (kubectl logs deployment/<cluster id>), fix the cause and run again.")
                .source(sources::CLI)
                .source(sources::NATIVE_K8S)
                .done(),
            );
            let new_id = job_id_var(n, hop, last);
            let to = app(c, hop, &id_var(n, hop, last));
            let stop = hop < last;
            let mut st = step(
                format!("cutover.{hop}.resume.{n}"),
                format!("{prefix}Deploy {} on Flink {}", job.label(), c.path[hop]),
                format!(
                    "{} deploys a new application cluster {} from image {}, restoring the savepoint; its output names no job id, so the next command reads it from the cluster's REST API.{}",
                    if c.path[hop].major >= 2 { "flink run --target kubernetes-application (2.0 removed run-application)" } else { "flink run-application" },
                    text_of(c, &id_var(n, hop, last)),
                    kube::image_for(c, hop).unwrap_or_default(),
                    if stop { " This is a stop: the next hop needs every task running and a completed checkpoint here first." } else { "" }
                ),
            )
            .cmds(deploy(c, hop, n, &id_var(n, hop, last), &sp, rb::jar_var(c, n, hop), &new_id))
            .check(to.running_check(&new_id, job.label()))
            .check(to.tasks_check(&new_id, job.label()))
            .check(to.restored_check(&new_id, &sp, job.label()));
            if stop {
                st = st.check(to.checkpoint_check(&new_id, job.label()));
            }
            steps.push(
                st.verify(format!("The new cluster runs the job, restored from {sp}."))
                    .rollback("If the pods do not start or the restore fails, read kubectl describe deployment/<id> and its logs; run the rollback phase unless the cause is clear within minutes.")
                    .source(sources::NATIVE_K8S)
                    .source(sources::release_notes(2, 0))
                    .done(),
            );
        }
    }
    steps
}

fn verify(c: &Context<'_>) -> Vec<Step> {
    let last = c.path.len() - 1;
    let mut steps = Vec::new();
    for (k, job) in c.s.jobs.iter().enumerate() {
        let n = k + 1;
        let new = app(c, last, &id_var(n, last, last));
        let id = job_id_var(n, last, last);
        let sp = savepoint_var(n, last);
        let listed = new.jobs_check(
            vec![id.clone()],
            format!(
                "the new cluster of {} runs exactly the moved job",
                job.label()
            ),
        );
        steps.push(rb::restored_step(
            n,
            job.label(),
            &new,
            &id,
            &sp,
            vec![listed],
        ));
    }
    steps.push(rb::observe());
    steps
}

fn rollback(c: &Context<'_>) -> Vec<Step> {
    let last = c.path.len() - 1;
    let mut steps = Vec::new();
    steps.push(rb::cancel_step(
        c,
        "Cancel the moved jobs",
        format!("Their state since the cutover cannot be read by Flink {}, so they are cancelled, not savepointed; an application cluster ends with its job. Each cancel runs only if the cutover got that far.", c.path[0]),
        "No moved job is left RUNNING.",
        "If a cancel hangs, delete that cluster's deployment by hand (kubectl delete deployment/<id>).",
        &|n, hop| app(c, hop, &id_var(n, hop, last)),
    ));
    for (k, job) in c.s.jobs.iter().enumerate() {
        let n = k + 1;
        let sp = savepoint_var(n, 1);
        let rid = rollback_id_var(n);
        let rcl = rollback_cluster_var(n);
        let old = app(c, 0, &rcl);
        let jar = if job.old_jar.is_empty() {
            format!("JOB{n}_JAR")
        } else {
            format!("JOB{n}_OLD_JAR")
        };
        let cmds: Vec<_> = deploy(c, 0, n, &rcl, &sp, jar, &rid)
            .into_iter()
            .map(|cmd| cmd.only_if_set(sp.clone()))
            .collect();
        let mut fresh = kube::nothing_left(
            &rcl,
            format!("nothing carries app={} yet", text_of(c, &rcl)),
        );
        fresh.command = fresh.command.only_if_set(sp.clone());
        steps.push(
            step(
                format!("rollback.fresh-id.{n}"),
                format!("Check that the rollback id of {} is unused", job.label()),
                "Right before the deploy: HA ConfigMaps under the id would make the cluster recover their job graph instead of the savepoint.".into(),
            )
            .check(fresh)
            .verify("kubectl lists nothing for the rollback id.")
            .rollback("Delete what is left under it once you know nothing needs it, or give the job another rollback id with --set, then run again.")
            .source(sources::K8S_HA)
            .done(),
        );
        steps.push(
            step(
                format!("rollback.resume.{n}"),
                format!("Deploy {} on Flink {} again", job.label(), c.path[0]),
                format!("From the old image {} and the savepoint taken on Flink {} at the start of the cutover, under the rollback id {} (checked unused in the pre-flight, so no HA metadata can replace the savepoint); only if the cutover stopped the job.{}", c.s.target.old_image, c.path[0], text_of(c, &rcl), if job.old_jar.is_empty() { " It uses the same jar path as the cutover; give old-jar if the old image has the jar elsewhere." } else { " It uses the old jar." }),
            )
            .cmds(cmds)
            .check(old.running_check(&rid, job.label()).only_if_set(sp.clone()))
            .check(old.tasks_check(&rid, job.label()).only_if_set(sp.clone()))
            .check(old.restored_check(&rid, &sp, job.label()).only_if_set(sp.clone()))
            .verify("The job runs on the old version, restored from its savepoint.")
            .rollback("If even this fails, keep the savepoint and escalate: it is the last consistent state.")
            .source(sources::NATIVE_K8S)
            .source(sources::SAVEPOINTS)
            .done(),
        );
        let mut back = old.jobs_check(
            vec![rid.clone()],
            format!("the rollback cluster of {} runs the job", job.label()),
        );
        back.command = back.command.only_if_set(sp.clone());
        steps.push(
            step(
                format!("rollback.jobs.{n}"),
                format!("Check that {} runs on Flink {}", job.label(), c.path[0]),
                "Listed by the flink CLI in its rollback cluster (if the rollback deployed it).".into(),
            )
            .check(back)
            .verify("flink list -r shows the job.")
            .confirm(format!("{} runs on Flink {}: in its rollback cluster, or in its old cluster if the cutover never stopped it. Sources still hold the data since the savepoint, and the output produced again is acceptable downstream.", job.label(), c.path[0]))
            .rollback("Read the JobManager log; the savepoints in the state file are the last consistent state.")
            .source(sources::UPGRADING)
            .done(),
        );
    }
    steps
}

fn decommission(c: &Context<'_>) -> Vec<Step> {
    let last = c.path.len() - 1;
    let mut steps = Vec::new();
    for n in 1..=c.s.jobs.len() {
        let old = id_var(n, 0, last);
        let ha: Vec<String> = (0..last).map(|i| id_var(n, i, last)).collect();
        steps.push(super::delete_cluster_step(
            format!("decommission.old-cluster.{n}"),
            format!("Delete what is left of the old cluster of {}", c.s.jobs[n - 1].label()),
            "An application cluster normally ends with its job, and a clean end removes its HA data; this deletes a deployment that did not end, and the HA ConfigMaps of the old id and the stops' ids.",
            &old,
            &text_of(c, &old),
            &ha,
            "None: a rollback from here deploys the old version under a fresh id.",
        ));
    }
    steps.extend(super::cleanup_steps(c));
    steps
}
