//! The cutover of standalone application clusters: per hop and job, stop
//! the job with a savepoint through its JobManager (which then exits), stop
//! the old TaskManagers, put the jar into the next installation's `usrlib/`
//! and start that version's job cluster from the savepoint.

use crate::plan::{step, Command, Step, Word};
use crate::version::Version;

use super::super::super::runbook::{self as rb, id_var, jar_var, lit, savepoint_var, var, Context};
use super::super::super::scenario::Job;
use super::super::super::sources;
use super::super::derived_job_id;
use super::{cluster, daemon, on_jm};

pub fn intro(c: &Context<'_>) -> String {
    let hops = c.path.len() - 1;
    let how = "for each job, stop it with a savepoint (its cluster then shuts down), stop its old TaskManagers, and start its cluster on the next version from that savepoint";
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

/// The `-D` that keeps a restore from claiming the savepoint's files (the
/// default, said explicitly as the session runbook does), if the version
/// has one: renamed in 1.20.
pub(crate) fn claim_mode(v: Version) -> Option<&'static str> {
    if v >= Version::minor(1, 20) {
        Some("-Dexecution.state-recovery.claim-mode=NO_CLAIM")
    } else if v >= Version::minor(1, 15) {
        Some("-Dexecution.savepoint-restore-mode=NO_CLAIM")
    } else {
        None
    }
}

/// `printf 'job id: %s\n' <id>`: fixes the job id this start gives the job
/// (captured, so later steps and a rerun know it once the start began).
pub(crate) fn fix_id(job: &Job, var_name: &str, tag: &str) -> Command {
    Command::local(vec![
        lit("printf"),
        lit("job id: %s\\n"),
        lit(derived_job_id(&job.id, tag)),
    ])
    .capturing(
        var_name.to_string(),
        "job id:",
        format!("the job id {} gets ({tag})", job.label()),
    )
}

/// `standalone-job.sh start …` of the installation at path index `i`,
/// restoring job `n` from `sp` under the job id in `id`.
pub(crate) fn start_job(
    c: &Context<'_>,
    n: usize,
    i: usize,
    job: &Job,
    sp: &str,
    id: &str,
) -> Command {
    let mut words = vec![
        Word::Join(vec![var(c.cluster(i).home), lit("/bin/standalone-job.sh")]),
        lit("start"),
    ];
    if !job.class.is_empty() {
        words.extend([lit("--job-classname"), var(format!("JOB{n}_CLASS"))]);
    }
    words.extend([
        lit("--job-id"),
        var(id.to_owned()),
        lit("--fromSavepoint"),
        var(sp.to_owned()),
    ]);
    if let Some(d) = claim_mode(c.path[i]) {
        words.push(lit(d));
    }
    if job.parallelism.is_some() {
        words.push(Word::Join(vec![
            lit("-Dparallelism.default="),
            var(format!("JOB{n}_PARALLELISM")),
        ]));
    }
    if !job.args.is_empty() {
        words.push(Word::Array(format!("JOB{n}_ARGS").into()));
    }
    on_jm(c, n, words)
}

fn stop_step(c: &Context<'_>, hop: usize, n: usize, job: &Job) -> Step {
    let last = c.path.len() - 1;
    let old = cluster(c, n, hop - 1);
    let id = id_var(n, hop - 1, last);
    let (cmds, target) = rb::savepoint_stop(c, &old, &id, hop, n, job);
    let name = format!(
        "the Flink {} job cluster of {}",
        c.path[hop - 1],
        job.label()
    );
    step(
        format!("cutover.{hop}.stop.{n}"),
        format!("Stop {} with a savepoint", job.label()),
        format!("Through its JobManager: `flink stop` takes a savepoint and then stops the job gracefully (never --drain: that is for jobs you will not resume). The job was the cluster's application, so its JobManager exits next; the step waits until it no longer answers. If the CLI gives up while the stop goes on, the script reads the savepoint from the REST API while the JobManager still answers; once it has exited, give the path from the JobManager log or the savepoint directory with --set {target}=<path>."),
    )
    .cmds(cmds)
    .check(old.down_check(&name))
    .verify(format!("The output names the savepoint path (kept as {target}), and the old JobManager is gone."))
    .rollback("If the savepoint fails, the job keeps running on the old version: read the JobManager log, fix the cause and run again. If the JobManager stays up after the job finished (execution.shutdown-on-application-finish: false), stop it with its standalone-job.sh stop.")
    .source(sources::CLI)
    .source(sources::STANDALONE)
    .done()
}

fn taskmanagers_step(c: &Context<'_>, hop: usize, n: usize, job: &Job) -> Step {
    step(
        format!("cutover.{hop}.stop-taskmanagers.{n}"),
        format!("Stop the old TaskManagers of {}", job.label()),
        format!("Its Flink {} TaskManagers have no JobManager any more; stop them before the new cluster takes the same address, so they cannot register with it.", c.path[hop - 1]),
    )
    .cmd(daemon(c, n, hop - 1, "taskmanager.sh", &["stop-all"]))
    .verify("taskmanager.sh reports the TaskManagers stopped (or none left to stop); jps shows no TaskExecutor of the old version.")
    .rollback(format!("Stop them by hand (jps, kill) before the next step; the rollback starts the old cluster again with {}/bin/taskmanager.sh start.", c.home_path(hop - 1)))
    .source(sources::STANDALONE)
    .done()
}

fn usrlib_step(c: &Context<'_>, hop: usize, n: usize, job: &Job) -> Step {
    let home = c.cluster(hop).home;
    let usrlib = Word::Join(vec![var(home.clone()), lit("/usrlib")]);
    let jar = jar_var(c, n, hop);
    step(
        format!("cutover.{hop}.usrlib.{n}"),
        format!("Put the jar of {} into the Flink {} usrlib/", job.label(), c.path[hop]),
        format!("In application mode the JobManager loads the job from the jars in its installation's usrlib/ (with the user class loader). It must hold this job's jar and no other job's: {jar} goes there."),
    )
    .cmd(on_jm(c, n, vec![lit("mkdir"), lit("-p"), lit("--"), usrlib.clone()]))
    .cmd(on_jm(c, n, vec![lit("cp"), lit("-f"), lit("--"), var(jar.clone()), Word::Join(vec![var(home.clone()), lit("/usrlib/")])]))
    .verify(format!("{}/usrlib holds the jar.", c.home_path(hop)))
    .rollback("Nothing runs yet; fix the path and run again.")
    .source(sources::STANDALONE)
    .done()
}

fn resume_step(c: &Context<'_>, hop: usize, n: usize, job: &Job) -> Step {
    let last = c.path.len() - 1;
    let new = cluster(c, n, hop);
    let sp = savepoint_var(n, hop);
    let id = id_var(n, hop, last);
    let stop = hop < last;
    let name = format!("the Flink {} job cluster of {}", c.path[hop], job.label());
    let mut st = step(
        format!("cutover.{hop}.resume.{n}"),
        format!("Start the Flink {} job cluster of {} from its savepoint", c.path[hop], job.label()),
        format!(
            "Its JobManager (standalone-job.sh start) runs the job's main() restored from {sp}, under the job id the plan fixes for it; then a TaskManager joins. The JobManager must come up at the same REST address (the installation's configuration).{}",
            if stop { " This is a stop: the next hop takes a savepoint of it, which needs every task running and a completed checkpoint here first, so the step waits for both." } else { "" }
        ),
    )
    .cmd(fix_id(job, &id, &format!("hop{hop}")))
    .cmd(start_job(c, n, hop, job, &sp, &id))
    .cmd(daemon(c, n, hop, "taskmanager.sh", &["start"]))
    .check(new.up_check(&name))
    .check(new.version_check(&name))
    .check(new.running_check(&id, job.label()))
    .check(new.tasks_check(&id, job.label()))
    .check(new.restored_check(&id, &sp, job.label()));
    if stop {
        st = st.check(new.checkpoint_check(&id, job.label()));
    }
    st.verify(format!("The cluster answers as Flink {}, and the job ({id}) is RUNNING, restored from {sp}.", c.path[hop]))
        .rollback("If the restore fails, read the JobManager log (log/ of the installation). If it names state of an operator that no longer exists, --allowNonRestoredState drops that state; otherwise run the rollback phase.")
        .source(sources::STANDALONE)
        .source(sources::SAVEPOINTS)
        .done()
}

pub fn steps(c: &Context<'_>) -> Vec<Step> {
    let hops = c.path.len() - 1;
    let mut out = Vec::new();
    for hop in 1..=hops {
        let prefix = if hops > 1 {
            format!("Hop {hop} ({} → {}): ", c.path[hop - 1], c.path[hop])
        } else {
            String::new()
        };
        for (i, job) in c.s.jobs.iter().enumerate() {
            for mut st in [
                stop_step(c, hop, i + 1, job),
                taskmanagers_step(c, hop, i + 1, job),
                usrlib_step(c, hop, i + 1, job),
                resume_step(c, hop, i + 1, job),
            ] {
                st.title = format!("{prefix}{}", st.title);
                out.push(st);
            }
        }
    }
    out
}
