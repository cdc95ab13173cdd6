//! The rollback of standalone application clusters, from wherever the
//! cutover stopped: each job's newer clusters go (their job cancelled, so
//! no high-availability data of it survives), and each job the cutover
//! stopped starts again in an old-version job cluster from the savepoint
//! its old version took. Jobs the cutover never reached keep running.

use crate::plan::{step, Check, Command, Expect, Step, Word};

use super::super::super::runbook::{id_var, lit, rollback_id_var, savepoint_var, var, Context};
use super::super::super::sources;
use super::cutover::{fix_id, start_job};
use super::{cluster, daemon, jm_var};

pub fn intro(c: &Context<'_>) -> String {
    format!(
        "Only if the new version misbehaves: each job back to a Flink {} job cluster from the savepoint taken at the start of the cutover, from wherever it stopped. What it cannot undo: writes the new version made to external systems (output since the savepoints is produced again), and state the jobs built since the cutover.",
        c.path[0]
    )
}

pub fn steps(c: &Context<'_>) -> Vec<Step> {
    let last = c.path.len() - 1;
    let mut steps = Vec::new();
    for (i, job) in c.s.jobs.iter().enumerate() {
        let n = i + 1;
        let old = cluster(c, n, 0);
        let mut stop = step(
            format!("rollback.stop-new.{n}"),
            format!("Stop the newer job clusters of {}", job.label()),
            format!("Each runs only if the cutover got that far: the job is cancelled (its state after the cutover cannot be read by Flink {}; a cancel also ends the application and its high-availability data), then the cluster's TaskManagers and JobManager are stopped.", c.path[0]),
        );
        for hop in (1..=last).rev() {
            let id = id_var(n, hop, last);
            stop = stop
                .cmd(
                    cluster(c, n, hop)
                        .cancel(&id)
                        .only_if_set(id.clone())
                        .may_fail(),
                )
                .cmd(
                    daemon(c, n, hop, "taskmanager.sh", &["stop-all"])
                        .only_if_set(id.clone())
                        .may_fail(),
                )
                .cmd(
                    daemon(c, n, hop, "standalone-job.sh", &["stop"])
                        .only_if_set(id)
                        .may_fail(),
                );
        }
        let url =
            |path: &str| Word::Join(vec![lit("http://"), var(jm_var(n)), lit(path.to_owned())]);
        stop = stop.check(
            Check::new(
                Command::local(vec![
                    Word::Raw("! curl -fsS -o /dev/null"),
                    url("/overview"),
                    Word::Raw("2>/dev/null || curl -fsS"),
                    url("/config"),
                    Word::Raw("| grep -qF --"),
                    lit(old.version_marker()),
                ]),
                Expect::Success,
                format!(
                    "nothing but Flink {} answers at the JobManager address of {}",
                    c.path[0],
                    job.label()
                ),
            )
            .waiting(120),
        );
        steps.push(
            stop.verify("The address no longer answers, or answers as the old version (the cutover never moved this job).")
                .rollback("Stop what is left by hand (jps, then standalone-job.sh stop and taskmanager.sh stop-all of the newer installation).")
                .source(sources::CLI)
                .source(sources::STANDALONE)
                .done(),
        );

        let sp = savepoint_var(n, 1);
        let rid = rollback_id_var(n);
        let name = format!("the Flink {} job cluster of {}", c.path[0], job.label());
        let guard = |mut k: Check| {
            k.command = k.command.only_if_set(sp.clone());
            k
        };
        steps.push(
            step(
                format!("rollback.resume.{n}"),
                format!("Start the Flink {} job cluster of {} from its savepoint", c.path[0], job.label()),
                format!("Only if the cutover stopped it (otherwise it still runs there), from the savepoint Flink {} took, under a job id of its own. The old installation's usrlib/ (or lib/) still holds the jar the job ran from.", c.path[0]),
            )
            .cmd(fix_id(job, &rid, "rollback").only_if_set(sp.clone()))
            .cmd(start_job(c, n, 0, job, &sp, &rid).only_if_set(sp.clone()))
            .cmd(daemon(c, n, 0, "taskmanager.sh", &["start"]).only_if_set(sp.clone()))
            .check(guard(old.up_check(&name)))
            .check(guard(old.version_check(&name)))
            .check(guard(old.running_check(&rid, job.label())))
            .check(guard(old.tasks_check(&rid, job.label())))
            .check(guard(old.restored_check(&rid, &sp, job.label())))
            .verify("The job is RUNNING in its old-version cluster, restored from its savepoint.")
            .rollback("If even this fails, keep the savepoint and escalate: it is the last consistent state.")
            .source(sources::STANDALONE)
            .source(sources::SAVEPOINTS)
            .done(),
        );
    }
    let mut jobs = step(
        "rollback.jobs".into(),
        format!("Check that every job runs on Flink {}", c.path[0]),
        "Each job's cluster runs exactly that job again, under its new id if the rollback restarted it.".into(),
    );
    for n in 1..=c.s.jobs.len() {
        let old = cluster(c, n, 0);
        let label = c.s.jobs[n - 1].label();
        jobs = jobs
            .check(old.version_check(&format!("the job cluster of {label}")))
            .check(old.rest_jobs_check(
                vec![format!("{}/{}", rollback_id_var(n), id_var(n, 0, last))],
                format!("the job cluster of {label} runs exactly its job"),
            ));
    }
    steps.push(
        jobs.verify("Every job cluster answers as the old version with its one job RUNNING.")
            .confirm("Sources still hold the data since the savepoints (Kafka retention covers the cutover and the time since), and the output the jobs produce again is acceptable downstream.")
            .rollback("Read the JobManager logs of the old clusters; the savepoints in the state file are the last consistent state.")
            .source(sources::UPGRADING)
            .done(),
    );
    steps
}
