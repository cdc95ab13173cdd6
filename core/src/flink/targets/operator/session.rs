//! `FlinkSessionJob`s in a session `FlinkDeployment`: per hop, suspend each
//! job with a savepoint, upgrade the session (a session change savepoints
//! no job), then resume each job, which restores its suspend savepoint.

use crate::plan::{phase, step, Check, Expect, Phase, PhaseId, Step};

use super::super::super::runbook::{self as rb, id_var, rollback_id_var, savepoint_var, Context};
use super::super::super::sources;
use super::super::kube::{self, lit, var};
use super::manifests::{self, JobSpec};
use super::{
    delete_snapshots, preflight_access, read_status, ready_checks, resource_var, rest,
    savepoint_dir_check, snapshot_step, snapshot_var, status_check, upgrade_savepoint_var,
};

const JOB: &str = "flinksessionjob";
const SESSION: &str = "flinkdeployment";

pub fn phases(c: &Context<'_>) -> Vec<Phase> {
    vec![
        phase(PhaseId::Prepare, "Before the change window: check the preconditions, build each version's session image, and rehearse.".into(), super::application::prepare(c)),
        phase(PhaseId::Preflight, "Right before the cutover, reading only: Kubernetes access, the session on the old version, each session job running with a savepoint directory, free snapshot names. Nothing changes here.".into(), preflight(c)),
        phase(PhaseId::Cutover, "In the change window, per hop: suspend each session job with a savepoint, upgrade the session FlinkDeployment, resume each job from its savepoint.".into(), cutover(c)),
        phase(PhaseId::Verify, "Confirm that every job runs on the new version, restored from its suspend savepoint, and checkpoints again.".into(), verify(c)),
        phase(PhaseId::Rollback, format!("Only if the new version misbehaves: suspend the jobs without a savepoint, put the session back on Flink {} and its image, and redeploy each job from the savepoint taken before the change. Output since then is produced again.", c.path[0]), rollback(c)),
        phase(PhaseId::Decommission, format!("After the soak ({} days without a rollback): delete what only the rollback needed. This cannot be undone.", rb::frame(c).soak_days), vec![delete_snapshots(c), rb::savepoints_step(c)]),
    ]
}

fn session_name(c: &Context<'_>) -> String {
    format!("session FlinkDeployment {}", c.s.target.session_resource)
}

fn jar_text(c: &Context<'_>, n: usize, i: usize) -> (String, String) {
    let job = &c.s.jobs[n - 1];
    if i == 0 {
        if job.old_jar.is_empty() {
            (format!("JOB{n}_JAR"), job.jar.clone())
        } else {
            (format!("JOB{n}_OLD_JAR"), job.old_jar.clone())
        }
    } else {
        let v = rb::jar_var(c, n, i);
        let text = if v == format!("JOB{n}_JAR") {
            job.jar.clone()
        } else {
            job.stop_jars[i - 1].clone()
        };
        (v, text)
    }
}

fn preflight(c: &Context<'_>) -> Vec<Step> {
    let mut steps = preflight_access(c);
    let who = session_name(c);
    let mut st = step(
        "preflight.resources".into(),
        "Check the session and its jobs".into(),
        "The session runs the old version; each session job is STABLE with its job RUNNING, and the session's configuration sets a savepoint directory. The session runs exactly the planned jobs: any other would be lost when the session is redeployed.".into(),
    )
    .check(Check::new(kube::jsonpath(SESSION, "SESSION_RESOURCE", "{.spec.flinkVersion}"), Expect::Output(manifests::flink_version(c.path[0])), format!("the {who} says flinkVersion {}", manifests::flink_version(c.path[0]))))
    .check(rest(c, 0, "SESSION_RESOURCE").version_check(&who).waiting(0))
    .check(savepoint_dir_check(c, "SESSION_RESOURCE", &who));
    if let Some(check) = super::removed_keys_check(c, SESSION, "SESSION_RESOURCE", &who) {
        st = st.check(check);
    }
    for (k, job) in c.s.jobs.iter().enumerate() {
        for check in ready_checks(
            JOB,
            &resource_var(k + 1),
            &format!("FlinkSessionJob {}", job.target),
        ) {
            st = st.check(check.waiting(0));
        }
        let who = format!("FlinkSessionJob {}", job.target);
        if let Some(check) = super::removed_keys_check(c, JOB, &resource_var(k + 1), &who) {
            st = st.check(check);
        }
    }
    steps.push(
        st.verify("The session and every job are as planned.")
            .rollback(
                "Check the names and namespace; resume a suspended job first. Nothing has changed.",
            )
            .source(sources::OP_REFERENCE)
            .done(),
    );
    steps.push(rb::go(c));
    steps
}

fn cutover(c: &Context<'_>) -> Vec<Step> {
    let last = c.path.len() - 1;
    let mut steps = Vec::new();
    for n in 1..=c.s.jobs.len() {
        steps.push(snapshot_step(c, n));
    }
    for hop in 1..=last {
        let prefix = if last > 1 {
            format!("Hop {hop} ({} → {}): ", c.path[hop - 1], c.path[hop])
        } else {
            String::new()
        };
        for (k, job) in c.s.jobs.iter().enumerate() {
            let n = k + 1;
            let res = resource_var(n);
            let who = format!("FlinkSessionJob {}", job.target);
            steps.push(super::ready_step(
                format!("cutover.{hop}.ready.{n}"),
                format!("{prefix}Check that {} runs", job.label()),
                "Right before the suspend: only a running job is suspended with a savepoint.",
                JOB,
                &res,
                &who,
            ));
            let stop = step(
                format!("cutover.{hop}.stop.{n}"),
                format!("{prefix}Suspend {} with a savepoint", job.label()),
                "The operator stops the job with a savepoint and records it as status.jobStatus.upgradeSavepointPath.".into(),
            );
            // Read after the patch: a rollback redeploys from it only if the patch ran.
            let pre = (hop == 1).then(|| {
                read_status(
                    "flinkstatesnapshot",
                    &snapshot_var(n),
                    "{.status.path}",
                    &savepoint_var(n, 1),
                    format!(
                        "the savepoint of {} taken on Flink {} before the change",
                        job.label(),
                        c.path[0]
                    ),
                )
            });
            steps.push(
                stop.cmd(manifests::patch(JOB, &res, manifests::json(vec![lit("{\"spec\":{\"job\":{\"state\":\"suspended\",\"upgradeMode\":\"savepoint\"}}}")])))
                    .cmds(pre.into_iter().collect())
                    .check(status_check(JOB, &res, "{.status.lifecycleState}", "SUSPENDED", format!("{who} is SUSPENDED")))
                    .verify("The job is suspended.")
                    .rollback("If the savepoint fails, the job keeps running: read the operator's events (kubectl describe) and run again.")
                    .source(sources::OP_JOB_MANAGEMENT)
                    .done(),
            );
            steps.push(
                step(format!("cutover.{hop}.savepoint.{n}"), format!("{prefix}Read the suspend savepoint of {}", job.label()), String::new())
                    .cmd(read_status(JOB, &res, "{.status.jobStatus.upgradeSavepointPath}", &upgrade_savepoint_var(n, hop), format!("the savepoint the operator took of {} on Flink {}", job.label(), c.path[hop - 1])))
                    .verify("The path is kept for the restore check.")
                    .rollback("If it is empty, read kubectl describe flinksessionjob/<name>; give the path with --set if you find it.")
                    .source(sources::OP_REFERENCE)
                    .done(),
            );
        }
        let session = rest(c, hop, "SESSION_RESOURCE");
        let who = session_name(c);
        steps.push(
            step(format!("cutover.{hop}.no-jobs-left"), format!("{prefix}Check that no job runs in the session"), "The session change redeploys the session cluster: a job still in it would end without a savepoint.".into())
                .check(rest(c, hop - 1, "SESSION_RESOURCE").rest_jobs_check(Vec::new(), format!("the {who} runs no job")))
                .verify("The REST API lists no running job.")
                .rollback("Suspend the extra job (or add it to the plan), then run again.")
                .source(sources::OP_SESSION_RECONCILER)
                .done(),
        );
        let doc = manifests::deployment(
            &c.s.target.session_resource,
            c.s.target.namespace_or_default(),
            &kube::image_for(c, hop).unwrap_or_default(),
            c.path[hop],
            None,
        );
        steps.push(
            step(format!("cutover.{hop}.session"), format!("{prefix}Upgrade the session to Flink {}", c.path[hop]), "One merge patch sets image and flinkVersion together; the operator redeploys the session cluster.".into())
                .document(doc)
                .cmd(manifests::patch(SESSION, "SESSION_RESOURCE", manifests::version_patch(&kube::image_var(c, hop), c.path[hop], vec![lit("}}")])))
                .check(super::upgraded_check("SESSION_RESOURCE", "{.status.jobManagerDeploymentStatus}", "STABLE READY", c.path[hop], format!("the {who} is STABLE and its JobManager READY on Flink {}", c.path[hop])))
                .check(session.version_check(&who).waiting(120))
                .verify("The session reports the new version.")
                .rollback("If it does not become ready, read kubectl describe flinkdeployment/<session>; run the rollback phase: the jobs are suspended with their savepoints.")
                .source(sources::OP_SESSION_RECONCILER)
                .done(),
        );
        for (k, job) in c.s.jobs.iter().enumerate() {
            let n = k + 1;
            let res = resource_var(n);
            let who = format!("FlinkSessionJob {}", job.target);
            let (jar_var, jar) = jar_text(c, n, hop);
            let doc = manifests::session_job(
                &job.target,
                c.s.target.namespace_or_default(),
                &c.s.target.session_resource,
                &JobSpec {
                    job,
                    jar: &jar,
                    extra: &[],
                },
                c.path[hop],
            );
            steps.push(
                step(format!("cutover.{hop}.resume.{n}"), format!("{prefix}Resume {} on Flink {}", job.label(), c.path[hop]), "state: running again, with the jar for this version: the operator submits the job to the upgraded session, restoring the savepoint it suspended with.".into())
                    .document(doc)
                    .cmd(manifests::patch(JOB, &res, manifests::json(vec![lit("{\"spec\":{\"job\":{\"jarURI\":\""), var(jar_var.clone()), lit("\",\"upgradeMode\":\"savepoint\",\"state\":\"running\"}}}")])))
                    .check(status_check(JOB, &res, "{.status.lifecycleState} {.status.jobStatus.state}", "STABLE RUNNING", format!("{who} is STABLE with its job RUNNING")))
                    .verify("The job runs again.")
                    .rollback("If it does not start, read kubectl describe flinksessionjob/<name>; run the rollback phase.")
                    .source(sources::OP_JOB_MANAGEMENT)
                    .done(),
            );
            let new_id = id_var(n, hop, last);
            let usp = upgrade_savepoint_var(n, hop);
            let mut restored = step(format!("cutover.{hop}.restored.{n}"), format!("{prefix}Check that {} restored", job.label()), "Reads its job id and checks on the session's REST API that it restored its suspend savepoint.".into())
                .cmd(read_status(JOB, &res, "{.status.jobStatus.jobId}", &new_id, format!("the job id of {} on Flink {}", job.label(), c.path[hop])))
                .check(session.running_check(&new_id, job.label()))
                .check(session.tasks_check(&new_id, job.label()))
                .check(session.restored_check(&new_id, &usp, job.label()));
            if hop < last {
                restored = restored.check(session.checkpoint_check(&new_id, job.label()));
            }
            steps.push(
                restored
                    .verify(format!("The job restored {usp}."))
                    .rollback("If it restored nothing, run the rollback phase.")
                    .source(sources::REST)
                    .done(),
            );
        }
    }
    steps
}

fn verify(c: &Context<'_>) -> Vec<Step> {
    let last = c.path.len() - 1;
    let session = rest(c, last, "SESSION_RESOURCE");
    let ids: Vec<String> = (1..=c.s.jobs.len())
        .map(|n| id_var(n, last, last))
        .collect();
    let mut steps = vec![step("verify.running".into(), format!("Check that exactly the planned jobs run on Flink {}", c.path[last]), String::new())
        .check(session.rest_jobs_check(ids, format!("the {} runs exactly the moved jobs", session_name(c))))
        .verify("Every moved job is RUNNING, and no other.")
        .rollback("If a job is missing or restarting, read its exceptions; run the rollback phase if it cannot be fixed quickly.")
        .source(sources::REST)
        .done()];
    for (k, job) in c.s.jobs.iter().enumerate() {
        let n = k + 1;
        let id = id_var(n, last, last);
        steps.push(rb::restored_step(
            n,
            job.label(),
            &session,
            &id,
            &upgrade_savepoint_var(n, last),
            Vec::new(),
        ));
    }
    steps.push(rb::observe());
    steps
}

fn rollback(c: &Context<'_>) -> Vec<Step> {
    let mut steps = Vec::new();
    let who = session_name(c);
    let mut suspend = step("rollback.suspend".into(), "Suspend the session jobs without a savepoint".into(), format!("Their state since the cutover cannot be read by Flink {}: stateless mode cancels them. Only jobs whose pre-upgrade savepoint exists are touched.", c.path[0]));
    for n in 1..=c.s.jobs.len() {
        let sp = savepoint_var(n, 1);
        suspend = suspend.cmd(
            manifests::patch(
                JOB,
                &resource_var(n),
                manifests::json(vec![lit(
                    "{\"spec\":{\"job\":{\"state\":\"suspended\",\"upgradeMode\":\"stateless\"}}}",
                )]),
            )
            .only_if_set(sp.clone()),
        );
        let mut k = status_check(
            JOB,
            &resource_var(n),
            "{.status.lifecycleState}",
            "SUSPENDED",
            format!("FlinkSessionJob {} is SUSPENDED", c.s.jobs[n - 1].target),
        );
        k.command = k.command.only_if_set(sp);
        suspend = suspend.check(k);
    }
    steps.push(suspend.verify("No moved job runs.").rollback("If a job does not suspend, delete its FlinkSessionJob's job by hand through the session's REST API or the web UI.").source(sources::OP_JOB_MANAGEMENT).done());
    let old = rest(c, 0, "SESSION_RESOURCE");
    steps.push(
        step("rollback.session".into(), format!("Put the session back on Flink {}", c.path[0]), "One patch reverts image and flinkVersion; if the cutover never changed them, the operator has nothing to do.".into())
            .document(manifests::deployment(&c.s.target.session_resource, c.s.target.namespace_or_default(), &c.s.target.old_image, c.path[0], None))
            .cmd(manifests::patch(SESSION, "SESSION_RESOURCE", manifests::version_patch("OLD_IMAGE", c.path[0], vec![lit("}}")])))
            .check(super::upgraded_check("SESSION_RESOURCE", "{.status.jobManagerDeploymentStatus}", "STABLE READY", c.path[0], format!("the {who} is STABLE and its JobManager READY on Flink {}", c.path[0])))
            .check(old.version_check(&who).waiting(120))
            .verify("The session reports the old version.")
            .rollback("Read kubectl describe flinkdeployment/<session> and the operator log.")
            .source(sources::OP_SESSION_RECONCILER)
            .done(),
    );
    for (k, job) in c.s.jobs.iter().enumerate() {
        let n = k + 1;
        let res = resource_var(n);
        let sp = savepoint_var(n, 1);
        let (jar, _) = jar_text(c, n, 0);
        steps.push(
            step(
                format!("rollback.ready.{n}"),
                format!("Check the savepoint path of {}", job.label()),
                "Before the patch that carries it as a JSON string.".into(),
            )
            .check(super::plain_path_check(&sp))
            .verify("The path holds no quote or backslash.")
            .rollback("Redeploy by hand: put the path into the resource's job.initialSavepointPath with your editor, and raise savepointRedeployNonce.")
            .source(sources::OP_JOB_MANAGEMENT)
            .done(),
        );
        let mut patch = vec![lit("{\"spec\":{")];
        patch.extend(manifests::redeploy_tail(&jar, &sp));
        steps.push(
            step(format!("rollback.redeploy.{n}"), format!("Redeploy {} on Flink {}", job.label(), c.path[0]), "From the savepoint taken before the change: initialSavepointPath and a new savepointRedeployNonce, running again. That a suspended session job resumed this way starts from initialSavepointPath is not stated by the operator's docs (they describe the nonce for running jobs): the next step checks the restored path and stops if it is another.".into())
                .cmd(manifests::patch(JOB, &res, manifests::json(patch)).only_if_set(sp.clone()))
                    .check(status_check(JOB, &res, "{.status.lifecycleState} {.status.jobStatus.state}", "STABLE RUNNING", format!("FlinkSessionJob {} is STABLE with its job RUNNING", job.target)).only_if_set(sp.clone()))
                .verify("The job runs again.")
                .rollback("If it fails, keep the savepoint and escalate: delete and recreate the FlinkSessionJob with job.initialSavepointPath set to it.")
                .source(sources::OP_JOB_MANAGEMENT)
                .done(),
        );
        let rid = rollback_id_var(n);
        steps.push(
            step(
                format!("rollback.resume.{n}"),
                format!("Check that {} restored on Flink {}", job.label(), c.path[0]),
                String::new(),
            )
            .cmd(
                read_status(
                    JOB,
                    &res,
                    "{.status.jobStatus.jobId}",
                    &rid,
                    format!("the job id of {} after the rollback", job.label()),
                )
                .only_if_set(sp.clone()),
            )
            .check(old.running_check(&rid, job.label()).only_if_set(sp.clone()))
            .check(
                old.restored_check(&rid, &sp, job.label())
                    .only_if_set(sp.clone()),
            )
            .verify("Running on the old version from the pre-upgrade savepoint.")
            .rollback("If even this fails, keep the savepoint and escalate.")
            .source(sources::REST)
            .done(),
        );
    }
    steps.push(super::rollback_done(c, JOB));
    steps
}
