//! `FlinkDeployment` per job: a pre-upgrade savepoint, then one patch per
//! hop (image, flinkVersion, jarURI, savepoint mode), each awaited on the
//! resource's status and checked on the job's REST API.

use crate::plan::{phase, step, Check, Expect, Phase, PhaseId, Step};

use super::super::super::runbook::{self as rb, id_var, rollback_id_var, savepoint_var, Context};
use super::super::super::sources;
use super::super::kube::{self, lit};
use super::manifests::{self, JobSpec};
use super::{
    delete_snapshots, preflight_access, read_status, ready_checks, resource_var, rest,
    savepoint_dir_check, snapshot_step, snapshot_var, status_check, upgrade_savepoint_var,
};

const KIND: &str = "flinkdeployment";

pub fn phases(c: &Context<'_>) -> Vec<Phase> {
    vec![
        phase(PhaseId::Prepare, "Before the change window: check the preconditions, build each version's image with the job jars, and rehearse.".into(), prepare(c)),
        phase(PhaseId::Preflight, "Right before the cutover, reading only: Kubernetes access, each FlinkDeployment running the old version with a savepoint directory, free snapshot names. Nothing changes here.".into(), preflight(c)),
        phase(PhaseId::Cutover, "In the change window, job by job: a savepoint on the old version for the rollback, then one patch per hop; the operator stops the job with a savepoint and starts the new version from it.".into(), cutover(c)),
        phase(PhaseId::Verify, "Confirm that every job runs on the new version, restored from the operator's upgrade savepoint, and checkpoints again.".into(), verify(c)),
        phase(PhaseId::Rollback, format!("Only if the new version misbehaves: patch each job back to Flink {} and its image, redeploying from the savepoint taken before the change (initialSavepointPath and a new savepointRedeployNonce). Output since that savepoint is produced again.", c.path[0]), rollback(c)),
        phase(PhaseId::Decommission, format!("After the soak ({} days without a rollback): delete what only the rollback needed. This cannot be undone.", rb::frame(c).soak_days), decommission(c)),
    ]
}

pub fn prepare(c: &Context<'_>) -> Vec<Step> {
    let mut steps = vec![rb::preconditions(c)];
    for i in 1..c.path.len() {
        let v = c.path[i];
        steps.push(
            step(
                format!("prepare.image.{v}"),
                format!("Build the image for Flink {v}"),
                format!("Image {}: Flink {v}, each job's jar at its jarURI, the file system plugins the state needs. Check the Flink configuration in the resources against the release notes: Flink ignores keys it does not know.", kube::image_for(c, i).unwrap_or_default()),
            )
            .manual()
            .verify("The image is pushed where the cluster pulls from.")
            .rollback("Nothing has changed yet.")
            .source(sources::OP_REFERENCE)
            .done(),
        );
    }
    steps.push(rb::rehearse(c));
    steps
}

fn preflight(c: &Context<'_>) -> Vec<Step> {
    let mut steps = preflight_access(c);
    let mut jobs = step(
        "preflight.resources".into(),
        "Check each FlinkDeployment".into(),
        "Each runs the old version, STABLE with its job RUNNING, and its configuration sets a savepoint directory.".into(),
    );
    for (k, job) in c.s.jobs.iter().enumerate() {
        let n = k + 1;
        let who = format!("FlinkDeployment {}", job.target);
        for check in ready_checks(KIND, &resource_var(n), &who) {
            jobs = jobs.check(check.waiting(0));
        }
        jobs = jobs
            .check(Check::new(
                kube::jsonpath(KIND, &resource_var(n), "{.spec.flinkVersion}"),
                Expect::Output(manifests::flink_version(c.path[0])),
                format!(
                    "{who} says flinkVersion {}",
                    manifests::flink_version(c.path[0])
                ),
            ))
            .check(rest(c, 0, &resource_var(n)).version_check(&who).waiting(0))
            .check(savepoint_dir_check(c, &resource_var(n), &who));
        if let Some(check) = super::removed_keys_check(c, KIND, &resource_var(n), &who) {
            jobs = jobs.check(check);
        }
    }
    if !c.s.jobs.is_empty() {
        steps.push(jobs.verify("Every FlinkDeployment is as planned.").rollback("Check the resource names and namespace; resume a suspended job first. Nothing has changed.").source(sources::OP_REFERENCE).done());
    }
    steps.push(rb::go(c));
    steps
}

fn jar_for(c: &Context<'_>, n: usize, i: usize) -> String {
    if i == 0 {
        if c.s.jobs[n - 1].old_jar.is_empty() {
            format!("JOB{n}_JAR")
        } else {
            format!("JOB{n}_OLD_JAR")
        }
    } else {
        rb::jar_var(c, n, i)
    }
}

fn jar_text(c: &Context<'_>, n: usize, i: usize) -> String {
    let job = &c.s.jobs[n - 1];
    if i == 0 {
        if job.old_jar.is_empty() {
            job.jar.clone()
        } else {
            job.old_jar.clone()
        }
    } else if i < c.path.len() - 1 {
        job.stop_jars
            .get(i - 1)
            .filter(|j| !j.is_empty())
            .cloned()
            .unwrap_or_else(|| job.jar.clone())
    } else {
        job.jar.clone()
    }
}

/// The full manifest of job `n`'s FlinkDeployment at path index `i`.
fn manifest(
    c: &Context<'_>,
    n: usize,
    i: usize,
    extra: &[(&str, String)],
) -> crate::plan::Document {
    let job = &c.s.jobs[n - 1];
    let jar = jar_text(c, n, i);
    manifests::deployment(
        &job.target,
        c.s.target.namespace_or_default(),
        &kube::image_for(c, i).unwrap_or_default(),
        c.path[i],
        Some(&JobSpec {
            job,
            jar: &jar,
            extra,
        }),
    )
}

fn cutover(c: &Context<'_>) -> Vec<Step> {
    let last = c.path.len() - 1;
    let mut steps = Vec::new();
    for (k, job) in c.s.jobs.iter().enumerate() {
        let n = k + 1;
        let res = resource_var(n);
        steps.push(snapshot_step(c, n));
        for hop in 1..=last {
            let prefix = if last > 1 {
                format!("Hop {hop} ({} → {}): ", c.path[hop - 1], c.path[hop])
            } else {
                String::new()
            };
            let who = format!("FlinkDeployment {}", job.target);
            steps.push(super::ready_step(
                format!("cutover.{hop}.ready.{n}"),
                format!("{prefix}Check that {} runs", job.label()),
                "Right before the patch: a job that does not run would be restored from its last checkpoint instead of a savepoint.",
                KIND,
                &res,
                &who,
            ));
            let upgrade = step(
                format!("cutover.{hop}.stop.{n}"),
                format!("{prefix}Upgrade {} to Flink {}", job.label(), c.path[hop]),
                format!("One merge patch sets image, flinkVersion {} and jarURI together, in savepoint mode: the operator stops the job with a savepoint and deploys Flink {} from it. The full manifest below is the resource after the change.", manifests::flink_version(c.path[hop]), c.path[hop]),
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
            let patch = manifests::version_patch(
                &kube::image_var(c, hop),
                c.path[hop],
                manifests::job_tail(&jar_for(c, n, hop)),
            );
            let new = rest(c, hop, &res);
            steps.push(
                upgrade
                    .document(manifest(c, n, hop, &[]))
                    .cmd(manifests::patch(KIND, &res, patch))
                    .cmds(pre.into_iter().collect())
                    .check(super::upgraded_check(&res, "{.status.jobStatus.state}", "STABLE RUNNING", c.path[hop], format!("{who} is STABLE with its job RUNNING on Flink {}", c.path[hop])))
                    .check(new.version_check(&who).waiting(120))
                    .verify("The JobManager reports the new version and the resource is STABLE.")
                    .rollback("If the resource turns FAILED or the job does not start, read kubectl describe flinkdeployment/<name> and the JobManager log; run the rollback phase unless the cause is clear within minutes. If the wait ran out while a large savepoint was still being taken, run the script again: it waits again and does not patch twice.")
                    .source(sources::OP_JOB_MANAGEMENT)
                    .source(sources::OP_RECONCILER)
                    .done(),
            );
            let usp = upgrade_savepoint_var(n, hop);
            let new_id = id_var(n, hop, last);
            let stop = hop < last;
            let mut resume = step(
                format!("cutover.{hop}.resume.{n}"),
                format!("{prefix}Check that {} restored on Flink {}", job.label(), c.path[hop]),
                format!("Reads the savepoint the operator took (status.jobStatus.upgradeSavepointPath) and the new job id, then checks on the REST API that the job restored that savepoint.{}", if stop { " This is a stop: the next hop needs every task running and a completed checkpoint first." } else { "" }),
            )
            .cmd(read_status(KIND, &res, "{.status.jobStatus.upgradeSavepointPath}", &usp, format!("the savepoint the operator took of {} on Flink {}", job.label(), c.path[hop - 1])))
            .cmd(read_status(KIND, &res, "{.status.jobStatus.jobId}", &new_id, format!("the job id of {} on Flink {}", job.label(), c.path[hop])))
            .check(new.running_check(&new_id, job.label()))
            .check(new.tasks_check(&new_id, job.label()))
            .check(new.restored_check(&new_id, &usp, job.label()));
            if stop {
                resume = resume.check(new.checkpoint_check(&new_id, job.label()));
            }
            steps.push(
                resume
                    .verify(format!("The job restored {usp}."))
                    .rollback("If it restored nothing, stop it and run the rollback phase.")
                    .source(sources::OP_REFERENCE)
                    .source(sources::REST)
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
        let new = rest(c, last, &resource_var(n));
        let id = id_var(n, last, last);
        let stable = status_check(
            KIND,
            &resource_var(n),
            "{.status.lifecycleState} {.status.jobStatus.state}",
            "STABLE RUNNING",
            format!(
                "FlinkDeployment {} is STABLE with its job RUNNING",
                job.target
            ),
        )
        .waiting(60);
        steps.push(rb::restored_step(
            n,
            job.label(),
            &new,
            &id,
            &upgrade_savepoint_var(n, last),
            vec![stable],
        ));
    }
    steps.push(rb::observe());
    steps
}

fn rollback(c: &Context<'_>) -> Vec<Step> {
    let mut steps = Vec::new();
    for (k, job) in c.s.jobs.iter().enumerate() {
        let n = k + 1;
        let res = resource_var(n);
        let sp = savepoint_var(n, 1);
        let who = format!("FlinkDeployment {}", job.target);
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
        let patch = manifests::version_patch("OLD_IMAGE", c.path[0], {
            let mut t = vec![lit(",")];
            t.extend(manifests::redeploy_tail(&jar_for(c, n, 0), &sp));
            t
        });
        let old = rest(c, 0, &res);
        steps.push(
            step(
                format!("rollback.redeploy.{n}"),
                format!("Redeploy {} on Flink {}", job.label(), c.path[0]),
                format!("Only if the cutover patched the resource (it reads the pre-upgrade savepoint right after its patch). One patch reverts image and flinkVersion and redeploys from that savepoint: a changed savepointRedeployNonce makes the operator cancel the job without a savepoint and deploy from initialSavepointPath, whatever else changed (the operator's manual recovery; that it also takes the older flinkVersion back is Waymark's reading of it, which the next step's restore check verifies). The new version's state cannot be read by Flink {}.", c.path[0]),
            )
            .document(manifest(c, n, 0, &[("initialSavepointPath", manifests::yaml_str(&format!("<the path in {sp}>"))), ("savepointRedeployNonce", "1700000000  # a number this resource never had: the script uses the time".into())]))
            .cmd(manifests::patch(KIND, &res, patch).only_if_set(sp.clone()))
            .check(super::upgraded_check(&res, "{.status.jobStatus.state}", "STABLE RUNNING", c.path[0], format!("{who} is STABLE with its job RUNNING on Flink {}", c.path[0])).only_if_set(sp.clone()))
            .check(old.version_check(&who).waiting(120).only_if_set(sp.clone()))
            .verify("The JobManager reports the old version and the resource is STABLE.")
            .rollback("If it fails too, keep the savepoint and escalate: delete and recreate the resource with job.initialSavepointPath set to it (its status history is lost).")
            .source(sources::OP_JOB_MANAGEMENT)
            .done(),
        );
        let rid = rollback_id_var(n);
        steps.push(
            step(format!("rollback.resume.{n}"), format!("Check that {} restored on Flink {}", job.label(), c.path[0]), "Reads the new job id and checks that the job restored the pre-upgrade savepoint.".into())
                .cmd(read_status(KIND, &res, "{.status.jobStatus.jobId}", &rid, format!("the job id of {} after the rollback", job.label())).only_if_set(sp.clone()))
                .check(old.running_check(&rid, job.label()).only_if_set(sp.clone()))
                .check(old.restored_check(&rid, &sp, job.label()).only_if_set(sp.clone()))
                .verify("Running on the old version from the pre-upgrade savepoint.")
                .rollback("If even this fails, keep the savepoint and escalate: it is the last consistent state.")
                .source(sources::REST)
                .done(),
        );
    }
    steps.push(super::rollback_done(c, KIND));
    steps
}

fn decommission(c: &Context<'_>) -> Vec<Step> {
    vec![delete_snapshots(c), rb::savepoints_step(c)]
}
