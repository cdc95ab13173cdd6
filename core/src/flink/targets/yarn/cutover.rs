//! The YARN cutover, hop by hop. Session: start the next version's session,
//! stop each job with a savepoint in the current session and submit it to
//! the new one; a stop's session goes once its jobs moved on (the old
//! session stays for the rollback). Per-job and application: per job, stop
//! it with a savepoint (its application then ends) and submit the next
//! version as a new application from the savepoint.

use crate::plan::{step, Step};

use super::super::super::cli::{YarnApp, SUBMITTED_AFTER};
use super::super::super::runbook::{self as rb, id_var, jar_var, savepoint_var, Context, RunVars};
use super::super::super::scenario::Job;
use super::super::super::sources;
use super::{app_vars, cluster, commands, is_session, running_cluster, session_vars};

pub fn intro(c: &Context<'_>) -> String {
    let hops = c.path.len() - 1;
    let how = if is_session(c) {
        "start the next version's YARN session, then for each job stop it with a savepoint and submit it to the new session"
    } else {
        "for each job, stop it with a savepoint (its YARN application then ends) and submit the next version as a new YARN application from that savepoint"
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

fn stop_step(c: &Context<'_>, hop: usize, n: usize, job: &Job) -> Step {
    let last = c.path.len() - 1;
    let old = running_cluster(c, n, hop - 1);
    let id = id_var(n, hop - 1, last);
    let (cmds, target) = rb::savepoint_stop(c, &old, &id, hop, n, job);
    let mut st = step(
        format!("cutover.{hop}.stop.{n}"),
        format!("Stop {} with a savepoint", job.label()),
        format!(
            "On Flink {}, against its YARN application: `flink stop` takes a savepoint and then stops the job gracefully (never --drain). If the CLI gives up while the stop goes on, the script reads the savepoint from the REST API through the web proxy.{}",
            c.path[hop - 1],
            if is_session(c) { "" } else { " The job was the application's only job, so the application ends next (application mode: execution.shutdown-on-application-finish, default true); the step waits for YARN to report it ended." }
        ),
    )
    .cmds(cmds);
    if !is_session(c) {
        let (app, _, _) = app_vars(c, n, Some(hop - 1));
        st = st.check(commands::ended(
            &app,
            format!(
                "the Flink {} application of {} has ended",
                c.path[hop - 1],
                job.label()
            ),
        ));
    }
    st.verify(format!("The output names the savepoint path; it is kept as {target} for the resume and the rollback."))
        .rollback("If the savepoint fails, the job keeps running on the old version: read the JobManager log (yarn logs -applicationId …), fix the cause and run again. If the application stays up after its job finished, end it with yarn application -kill once the savepoint is kept.")
        .source(sources::CLI)
        .source(sources::YARN)
        .done()
}

fn resume_step(c: &Context<'_>, hop: usize, n: usize, job: &Job) -> Step {
    let last = c.path.len() - 1;
    let sp = savepoint_var(n, hop);
    let new_id = id_var(n, hop, last);
    let run = RunVars::new(n, sp.clone(), jar_var(c, n, hop));
    let spec = run.spec(job);
    let stop = hop < last;
    let mut st;
    let new;
    if is_session(c) {
        new = running_cluster(c, n, hop);
        st = step(
            format!("cutover.{hop}.resume.{n}"),
            format!("Resume {} in the Flink {} session", job.label(), c.path[hop]),
            "Submitted detached to the new session, restoring from the savepoint (NO_CLAIM where the version has it, so the savepoint stays usable for a rollback).".into(),
        )
        .cmd(
            new.run_from_savepoint(&spec)
                .capturing(new_id.clone(), SUBMITTED_AFTER, format!("the job id of {} on Flink {}", job.label(), c.path[hop]))
                .recovering_with(new.submitted_recovery()),
        );
    } else {
        let (app, url, name) = app_vars(c, n, Some(hop));
        let submit = cluster(c, hop, YarnApp::New(name.clone()), &url);
        new = running_cluster(c, n, hop);
        let how = submit.submit_action();
        st = step(
            format!("cutover.{hop}.resume.{n}"),
            format!("Submit {} as a Flink {} YARN application", job.label(), c.path[hop]),
            format!(
                "`{how} -t {}` from the new distribution, restoring from the savepoint, under the unique name in {name}; the script finds the new application by that name (so a submission whose client gave up is not repeated), then its web proxy URL and the job's id.",
                super::mode(c.s.deployment, c.path[hop]).target()
            ),
        )
        .cmd(commands::submit(submit.run_from_savepoint(&spec).words, &name, &app, format!("the YARN application of {} on Flink {}", job.label(), c.path[hop])))
        .cmd(commands::tracking_url(&app, &url))
        .cmd(commands::one_job(&url, &new_id));
    }
    st = st
        .check(new.version_check(&format!(
            "the Flink {} cluster of {}",
            c.path[hop],
            job.label()
        )))
        .check(new.running_check(&new_id, job.label()))
        .check(new.tasks_check(&new_id, job.label()))
        .check(new.restored_check(&new_id, &sp, job.label()));
    if stop {
        st = st.check(new.checkpoint_check(&new_id, job.label()));
    }
    st.verify(format!("The job ({new_id}) is RUNNING on Flink {}, restored from {sp}.", c.path[hop]))
        .rollback("If the restore fails, read the JobManager log (yarn logs -applicationId …). If it names state of an operator that no longer exists, --allowNonRestoredState (-n) drops that state; otherwise run the rollback phase.")
        .source(sources::YARN)
        .source(sources::SAVEPOINTS)
        .done()
}

/// Starts the session at path index `i` and reads its id and proxy URL.
fn start_session(c: &Context<'_>, i: usize, prefix: &str) -> Step {
    let (s, url) = session_vars(c, i);
    let last = c.path.len() - 1;
    let provided =
        (i == last && !c.s.target.provided_lib_dirs.is_empty()).then_some("PROVIDED_LIB_DIRS");
    let home = c.cluster(i).home;
    let name = format!("{s}_NAME");
    let new = cluster(c, i, YarnApp::Id(s.clone()), &url);
    step(
        format!("cutover.{i}.start-session"),
        format!("{prefix}Start the Flink {} YARN session", c.path[i]),
        format!("yarn-session.sh of the new distribution, detached, under the unique name in {name}; the script finds its application id by that name and its web proxy URL. TaskManagers are allocated once jobs arrive."),
    )
    .cmd(commands::submit(commands::start_session(&home, &name, provided), &name, &s, format!("the YARN application id of the Flink {} session", c.path[i])))
    .cmd(commands::tracking_url(&s, &url))
    .check(new.version_check(&format!("the Flink {} session", c.path[i])))
    .verify("The session's REST API answers through the proxy as the new version.")
    .rollback(format!("Read the session's log (yarn logs -applicationId …); if it cannot start, stop it with echo stop | {}/bin/yarn-session.sh -id <id> and run the rollback phase.", c.home_path(i)))
    .source(sources::YARN)
    .done()
}

pub fn steps(c: &Context<'_>) -> Vec<Step> {
    let hops = c.path.len() - 1;
    let mut out = Vec::new();
    let session = is_session(c);
    if session {
        let (s, url) = session_vars(c, 0);
        out.push(
            step("cutover.1.locate".into(), "Find the old session's web proxy URL".into(), "The checks and a stop whose client gave up read the session's REST API through the YARN web proxy.".into())
                .cmd(commands::tracking_url(&s, &url))
                .verify(format!("The URL is kept as {url}."))
                .rollback("Nothing has changed; check that the session runs (yarn application -status).")
                .source(sources::YARN)
                .done(),
        );
    } else {
        for (i, job) in c.s.jobs.iter().enumerate() {
            let (app, url, _) = app_vars(c, i + 1, Some(0));
            out.push(
                step(format!("cutover.1.locate.{}", i + 1), format!("Find the web proxy URL of {}", job.label()), "The checks and a stop whose client gave up read the application's REST API through the YARN web proxy.".into())
                    .cmd(commands::tracking_url(&app, &url))
                    .verify(format!("The URL is kept as {url}."))
                    .rollback("Nothing has changed; check that the application runs (yarn application -status).")
                    .source(sources::YARN)
                    .done(),
            );
        }
    }
    for hop in 1..=hops {
        let prefix = if hops > 1 {
            format!("Hop {hop} ({} → {}): ", c.path[hop - 1], c.path[hop])
        } else {
            String::new()
        };
        if session {
            out.push(start_session(c, hop, &prefix));
        }
        for (i, job) in c.s.jobs.iter().enumerate() {
            for mut st in [
                stop_step(c, hop, i + 1, job),
                resume_step(c, hop, i + 1, job),
            ] {
                st.title = format!("{prefix}{}", st.title);
                out.push(st);
            }
        }
        if session && hop > 1 {
            let (s, _) = session_vars(c, hop - 1);
            let old = running_cluster(c, 1, hop - 1);
            out.push(
                step(
                    format!("cutover.{hop}.no-jobs-left"),
                    format!(
                        "{prefix}Check that no job is left in the Flink {} session",
                        c.path[hop - 1]
                    ),
                    "Stopping a session kills every job still in it, without a savepoint.".into(),
                )
                .check(old.jobs_check(
                    Vec::new(),
                    format!("the Flink {} session runs no job any more", c.path[hop - 1]),
                ))
                .verify("flink list -r shows no running job.")
                .rollback("Stop the extra job with a savepoint by hand, then run again.")
                .source(sources::YARN)
                .done(),
            );
            out.push(
                step(format!("cutover.{hop}.stop-session"), format!("{prefix}Stop the Flink {} session", c.path[hop - 1]), "Its jobs moved on; a stop's session is not needed for the rollback, which goes back to the old session.".into())
                    .cmd(commands::stop_session(&c.cluster(hop - 1).home, &s))
                    .check(commands::ended(&s, format!("the Flink {} session has ended", c.path[hop - 1])))
                    .verify("yarn application -status reports the session FINISHED.")
                    .rollback("It holds no jobs; stop it later with yarn application -kill.")
                    .source(sources::YARN)
                    .done(),
            );
        }
    }
    out
}
