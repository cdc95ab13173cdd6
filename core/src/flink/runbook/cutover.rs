//! Cutover: in the change window, hop by hop. Each job is stopped with a
//! savepoint and resumed from it on the next version, and each resume waits
//! until the job runs and has restored its own savepoint.

use crate::plan::{step, Command, Step};
use crate::version::Version;

use super::super::cli::{Cluster, SUBMITTED_AFTER};
use super::super::scenario::{Job, Strategy};
use super::super::sources;
use super::{id_var, jar_var, savepoint_var, Context, RunVars};

pub fn intro(c: &Context<'_>) -> String {
    let hops = c.path.len() - 1;
    let how = match c.s.strategy {
        Strategy::InPlace => "stop each job with a savepoint, replace the cluster, then resume each job",
        Strategy::ShadowCopy => "for each job, stop it with a savepoint on the old cluster and resume it on the new one beside it",
    };
    if hops == 1 {
        format!("In the change window: {how}.")
    } else {
        format!(
            "In the change window, {hops} hops ({}): in each, {how}.",
            c.path
                .iter()
                .map(|v| v.to_string())
                .collect::<Vec<_>>()
                .join(" → ")
        )
    }
}

/// The commands that stop job `n` of the link (`job`, whose id is in the
/// variable `id`) on `cluster` with a savepoint, before hop `hop`: the first
/// prints the savepoint path, kept in the returned variable for the resume
/// and the rollback, and when the CLI gave up while the stop went on the
/// script reads the path from the REST API instead. Every target stops its
/// jobs through these.
pub(in crate::flink) fn savepoint_stop(
    c: &Context<'_>,
    cluster: &Cluster,
    id: &str,
    hop: usize,
    n: usize,
    job: &Job,
) -> (Vec<Command>, String) {
    let dir = (!c.s.savepoint_dir.is_empty()).then_some("SAVEPOINT_DIR");
    let (mut cmds, out) = cluster.stop_with_savepoint(id, dir);
    let target = savepoint_var(n, hop);
    if let Some(first) = cmds.first_mut() {
        *first = first
            .clone()
            .capturing(
                target.clone(),
                out.after,
                format!("the savepoint path of {}", job.label()),
            )
            .recovering_with(cluster.savepoint_recovery(id));
    }
    (cmds, target)
}

fn stop_job_step(c: &Context<'_>, hop: usize, n: usize, job: &Job) -> Step {
    let cl = c.cluster(hop - 1);
    let (cmds, target) = savepoint_stop(c, &cl, &id_var(n, hop - 1, c.path.len() - 1), hop, n, job);
    let how = if cl.has_stop_with_savepoint() {
        "`flink stop` takes a savepoint and then stops the job gracefully (never add --drain: that is for jobs you will not resume)."
    } else if cl.has_cancel_with_savepoint() {
        "Before 1.9 `stop` cannot take a savepoint, so this uses `flink cancel -s`, which takes a savepoint and then cancels."
    } else {
        "Flink 1.0 and 1.1 cannot stop with a savepoint: take one, then cancel the job straight away."
    };
    step(format!("cutover.{hop}.stop.{n}"), format!("Stop {} with a savepoint", job.label()),
        format!("On {}. {how}", c.name(hop - 1)))
        .cmds(cmds)
        .verify(format!("The output names the savepoint path; it is kept as {target} for the resume and the rollback."))
        .rollback("If the savepoint fails, the job keeps running on the old version: read the JobManager log, fix the cause and run again. If the CLI gave up while the stop went on (a large state outlasts its timeout), the script reads the savepoint path from the REST API instead; never continue without a savepoint.")
        .source(sources::CLI)
        .source(sources::SAVEPOINTS)
        .done()
}

fn resume_job_step(c: &Context<'_>, hop: usize, n: usize, job: &Job) -> Step {
    let cl = c.cluster(hop);
    let from_1_2 = c.path[hop - 1].same_line(Version::minor(1, 2));
    let sp = savepoint_var(n, hop);
    let run = RunVars::new(n, sp.clone(), jar_var(c, n, hop));
    let spec = run.spec(job);
    let new_id = id_var(n, hop, c.path.len() - 1);
    let cmd = cl
        .run_from_savepoint(&spec)
        .capturing(
            new_id.clone(),
            SUBMITTED_AFTER,
            format!("the job id of {} on Flink {}", job.label(), c.path[hop]),
        )
        .recovering_with(cl.submitted_recovery());
    let mut detail = format!(
        "On {}: submit the job detached, restoring from the savepoint.",
        c.name(hop)
    );
    if cl.claim_mode_flag().is_some() {
        detail.push_str(
            " NO_CLAIM leaves the savepoint untouched, so it stays usable for a rollback.",
        );
    }
    if from_1_2 {
        detail.push_str(" The parallelism must be the one the job has on 1.2: a 1.2 savepoint cannot rescale in the same step.");
    }
    let stop = hop < c.path.len() - 1;
    if stop {
        detail.push_str(" This is a stop: the next hop takes a savepoint of it, which needs every task running and a completed checkpoint here first, so the step waits for both.");
    }
    let mut st = step(
        format!("cutover.{hop}.resume.{n}"),
        format!("Resume {} on Flink {}", job.label(), c.path[hop]),
        detail,
    )
    .cmd(cmd)
    .check(cl.running_check(&new_id, job.label()))
    .check(cl.tasks_check(&new_id, job.label()))
    .check(cl.restored_check(&new_id, &sp, job.label()));
    if stop {
        st = st.check(cl.checkpoint_check(&new_id, job.label()));
    }
    st.verify(format!("The output says the job was submitted (its id is kept as {new_id}); the job is RUNNING and restored from {sp}{}.", if stop { ", and has completed a checkpoint" } else { "" }))
        .rollback("If the restore fails, read the JobManager log. If it names state of an operator that no longer exists, resubmitting with --allowNonRestoredState (-n) drops that state; otherwise run the rollback phase.")
        .source(sources::CLI)
        .source(sources::SAVEPOINTS)
        .done()
}

pub fn steps(c: &Context<'_>) -> Vec<Step> {
    let mut steps = Vec::new();
    let hops = c.path.len() - 1;
    for hop in 1..=hops {
        let (a, b) = (c.cluster(hop - 1), c.cluster(hop));
        let prefix = if hops > 1 {
            format!("Hop {hop} ({} → {}): ", c.path[hop - 1], c.path[hop])
        } else {
            String::new()
        };
        match c.s.strategy {
            Strategy::InPlace => {
                for (i, job) in c.s.jobs.iter().enumerate() {
                    let mut st = stop_job_step(c, hop, i + 1, job);
                    st.title = format!("{prefix}{}", st.title);
                    steps.push(st);
                }
                let name = c.name(hop - 1);
                steps.push(
                    step(format!("cutover.{hop}.no-jobs-left"), format!("{prefix}Check that no job is left on {name}"),
                        "Stopping the cluster kills every job still on it, without a savepoint: a job started since the pre-flight must be stopped or added to the plan first.".into())
                        .check(a.jobs_check(Vec::new(), format!("{name} runs no job any more")))
                        .verify("flink list -r shows no running job.")
                        .rollback("Stop the extra job with a savepoint by hand (or add it to the plan), then run again.")
                        .source(sources::UPGRADING)
                        .done(),
                );
                steps.push(
                    step(format!("cutover.{hop}.stop-cluster"), format!("{prefix}Stop {name}"),
                        "All jobs are stopped with savepoints; shut the old daemons down.".into())
                        .cmd(a.stop_cluster())
                        .check(a.down_check(&name))
                        .verify("The old cluster's REST API no longer answers, so its ports are free; jps shows no Flink process of the old version.")
                        .rollback(format!("Start it again with {}/bin/start-cluster.sh and resume the jobs from their savepoints (the rollback phase does this).", c.home_path(hop - 1)))
                        .source(sources::UPGRADING)
                        .done(),
                );
                steps.push(
                    step(format!("cutover.{hop}.start-cluster"), format!("{prefix}Start {}", c.name(hop)),
                        "Start the upgraded cluster on the same hosts.".into())
                        .cmd(b.start_cluster())
                        .check(b.up_check(&c.name(hop)))
                        .check(b.version_check(&c.name(hop)))
                        .verify("The REST API reports at least one TaskManager and the new version.")
                        .rollback("Read the new cluster's logs under its log directory; if it cannot start, run the rollback phase.")
                        .source(sources::UPGRADING)
                        .done(),
                );
                for (i, job) in c.s.jobs.iter().enumerate() {
                    let mut st = resume_job_step(c, hop, i + 1, job);
                    st.title = format!("{prefix}{}", st.title);
                    steps.push(st);
                }
            }
            Strategy::ShadowCopy => {
                if hop > 1 {
                    steps.push(
                        step(
                            format!("cutover.{hop}.start-cluster"),
                            format!("{prefix}Start {}", c.name(hop)),
                            "Start the next cluster beside the current one.".into(),
                        )
                        .cmd(b.start_cluster())
                        .check(b.up_check(&c.name(hop)))
                        .check(b.version_check(&c.name(hop)))
                        .verify(
                            "The REST API reports at least one TaskManager and the new version.",
                        )
                        .rollback("Read its logs; if it cannot start, run the rollback phase.")
                        .source(sources::UPGRADING)
                        .done(),
                    );
                }
                for (i, job) in c.s.jobs.iter().enumerate() {
                    let mut st = stop_job_step(c, hop, i + 1, job);
                    st.title = format!("{prefix}{}", st.title);
                    steps.push(st);
                    let mut st = resume_job_step(c, hop, i + 1, job);
                    st.title = format!("{prefix}{}", st.title);
                    steps.push(st);
                }
                if hop > 1 {
                    steps.push(
                        step(
                            format!("cutover.{hop}.stop-cluster"),
                            format!("{prefix}Stop {}", c.name(hop - 1)),
                            "Its jobs have moved on.".into(),
                        )
                        .cmd(a.stop_cluster())
                        .check(a.down_check(&c.name(hop - 1)))
                        .verify("Its processes are gone.")
                        .rollback("It holds no jobs any more; nothing to undo.")
                        .source(sources::UPGRADING)
                        .done(),
                    );
                }
            }
        }
    }
    steps
}
