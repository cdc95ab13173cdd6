//! Verify, rollback and decommission on YARN. The rollback goes back to the
//! old version from the savepoints the old version took, from wherever the
//! cutover stopped: the new jobs are cancelled and their sessions or
//! applications stopped; each stopped job is resubmitted into the old
//! session (kept running for this) or as a new old-version application.
//! The decommission stops the old session, the one irreversible YARN step.

use crate::plan::{step, Step};

use super::super::super::cli::{YarnApp, SUBMITTED_AFTER};
use super::super::super::runbook::{
    self, id_var, rollback_id_var, savepoint_var, Context, RunVars,
};
use super::super::super::sources;
use super::{app_vars, cluster, commands, is_session, running_cluster, session_vars};

pub fn intro(c: &Context<'_>) -> String {
    format!(
        "Only if the new version misbehaves: back to Flink {} from the savepoints taken at the start of the cutover, from wherever it stopped{}. What it cannot undo: writes the new version made to external systems (output since the savepoints is produced again), and state the jobs built since the cutover.",
        c.path[0],
        if is_session(c) { ", into the old session" } else { ", as new old-version YARN applications" }
    )
}

pub fn verify(c: &Context<'_>) -> Vec<Step> {
    let last = c.path.len() - 1;
    let mut steps = Vec::new();
    if is_session(c) {
        let ids = (1..=c.s.jobs.len())
            .map(|n| id_var(n, last, last))
            .collect();
        steps.push(
            step("verify.running".into(), format!("Check that exactly the planned jobs run in the Flink {} session", c.path[last]), String::new())
                .check(running_cluster(c, 1, last).jobs_check(ids, "the new session runs exactly the moved jobs".into()))
                .verify("Every moved job is listed as RUNNING, and no other.")
                .rollback("If a job is missing or restarting, read its exceptions in the web UI; if it cannot be fixed quickly, run the rollback phase.")
                .source(sources::CLI)
                .done(),
        );
    }
    for (i, job) in c.s.jobs.iter().enumerate() {
        let n = i + 1;
        let new = running_cluster(c, n, last);
        let id = id_var(n, last, last);
        let sp = savepoint_var(n, last);
        let mut first = Vec::new();
        if !is_session(c) {
            first.push(new.jobs_check(
                vec![id.clone()],
                format!(
                    "the new application of {} runs exactly its job",
                    job.label()
                ),
            ));
        }
        steps.push(runbook::restored_step(
            n,
            job.label(),
            &new,
            &id,
            &sp,
            first,
        ));
    }
    steps.push(runbook::observe());
    steps
}

pub fn steps(c: &Context<'_>) -> Vec<Step> {
    let last = c.path.len() - 1;
    let mut steps = Vec::new();
    let mut cancel = step(
        "rollback.cancel".into(),
        "Cancel the upgraded jobs".into(),
        format!("Their state after the cutover cannot be read by Flink {}, so they are cancelled, not savepointed; {}. Each command runs only if the cutover got that far.", c.path[0], if is_session(c) { "then the newer sessions are stopped" } else { "a cancel ends its application, and any application left is killed" }),
    );
    for n in 1..=c.s.jobs.len() {
        for hop in (1..=last).rev() {
            let id = id_var(n, hop, last);
            cancel = cancel.cmd(
                running_cluster(c, n, hop)
                    .cancel(&id)
                    .only_if_set(id)
                    .may_fail(),
            );
            if !is_session(c) {
                let (app, _, _) = app_vars(c, n, Some(hop));
                cancel = cancel.cmd(commands::kill(&app).only_if_set(app).may_fail());
            }
        }
    }
    if is_session(c) {
        for i in (1..=last).rev() {
            let (s, _) = session_vars(c, i);
            cancel = cancel.cmd(
                commands::stop_session(&c.cluster(i).home, &s)
                    .only_if_set(s)
                    .may_fail(),
            );
        }
    }
    steps.push(
        cancel
            .verify("No upgraded job is left RUNNING, and no newer session or application.")
            .rollback("Kill what is left with yarn application -kill <id> (the ids are in the state file).")
            .source(sources::CLI)
            .source(sources::YARN)
            .done(),
    );

    for (i, job) in c.s.jobs.iter().enumerate() {
        let n = i + 1;
        let sp = savepoint_var(n, 1);
        let jar = if job.old_jar.is_empty() {
            format!("JOB{n}_JAR")
        } else {
            format!("JOB{n}_OLD_JAR")
        };
        let run = RunVars::new(n, sp.clone(), jar);
        let spec = run.spec(job);
        let rid = rollback_id_var(n);
        let guard = |mut k: crate::plan::Check| {
            k.command = k.command.only_if_set(sp.clone());
            k
        };
        let mut st;
        let old;
        if is_session(c) {
            old = running_cluster(c, n, 0);
            st = step(
                format!("rollback.resume.{n}"),
                format!("Resume {} in the Flink {} session", job.label(), c.path[0]),
                format!("Only if the cutover stopped it (otherwise it still runs there), from the savepoint taken on Flink {}.", c.path[0]),
            )
            .cmd(
                old.run_from_savepoint(&spec)
                    .capturing(rid.clone(), SUBMITTED_AFTER, format!("the job id of {} after the rollback", job.label()))
                    .recovering_with(old.submitted_recovery())
                    .only_if_set(sp.clone()),
            );
        } else {
            let (app, url, name) = app_vars(c, n, None);
            let submit = cluster(c, 0, YarnApp::New(name.clone()), &url);
            old = cluster(c, 0, YarnApp::Id(app.clone()), &url);
            st = step(
                format!("rollback.resume.{n}"),
                format!("Submit {} as a Flink {} YARN application", job.label(), c.path[0]),
                format!("Only if the cutover stopped it (otherwise its old application still runs), from the savepoint taken on Flink {}, as a new application named by {name}.", c.path[0]),
            )
            .cmd(commands::submit(submit.run_from_savepoint(&spec).words, &name, &app, format!("the rollback's YARN application of {}", job.label())).only_if_set(sp.clone()))
            .cmd(commands::tracking_url(&app, &url).only_if_set(sp.clone()))
            .cmd(commands::one_job(&url, &rid).only_if_set(sp.clone()));
        }
        st = st
            .check(guard(old.running_check(&rid, job.label())))
            .check(guard(old.tasks_check(&rid, job.label())))
            .check(guard(old.restored_check(&rid, &sp, job.label())));
        steps.push(
            st.verify("The job is RUNNING on the old version, restored from its savepoint.")
                .rollback("If even this fails, keep the savepoint and escalate: it is the last consistent state.")
                .source(sources::YARN)
                .source(sources::SAVEPOINTS)
                .done(),
        );
    }

    let mut jobs = step(
        "rollback.jobs".into(),
        format!("Check that every job runs on Flink {}", c.path[0]),
        "Each job is back, under its new id if the rollback resumed it.".into(),
    );
    if is_session(c) {
        let ids = (1..=c.s.jobs.len())
            .map(|n| format!("{}/{}", rollback_id_var(n), id_var(n, 0, last)))
            .collect();
        jobs = jobs.check(
            running_cluster(c, 1, 0)
                .jobs_check(ids, "the old session runs exactly the planned jobs".into()),
        );
    } else {
        for (i, job) in c.s.jobs.iter().enumerate() {
            let (app, _, _) = app_vars(c, i + 1, Some(0));
            let (rapp, _, _) = app_vars(c, i + 1, None);
            jobs = jobs.check(commands::either_running(
                &app,
                &rapp,
                format!(
                    "the Flink {} application of {} runs",
                    c.path[0],
                    job.label()
                ),
            ));
        }
    }
    steps.push(
        jobs.verify("Every job runs on the old version.")
            .confirm("Sources still hold the data since the savepoints (Kafka retention covers the cutover and the time since), and the output the jobs produce again is acceptable downstream.")
            .rollback("Read the JobManager logs (yarn logs -applicationId …); the savepoints in the state file are the last consistent state.")
            .source(sources::UPGRADING)
            .done(),
    );
    steps
}

pub fn decommission(c: &Context<'_>) -> Vec<Step> {
    let mut steps = Vec::new();
    if is_session(c) {
        let (s, _) = session_vars(c, 0);
        let old = running_cluster(c, 1, 0);
        steps.push(
            step(
                "decommission.no-jobs-left".into(),
                format!("Check that no job runs in the Flink {} session", c.path[0]),
                "Stopping it kills every job still in it, without a savepoint.".into(),
            )
            .check(old.jobs_check(Vec::new(), "the old session runs no job".into()))
            .verify("flink list -r shows no running job.")
            .rollback("Move or stop the job deliberately, then run again.")
            .source(sources::YARN)
            .done(),
        );
        steps.push(
            step("decommission.stop-old-session".into(), format!("Stop the Flink {} session", c.path[0]), "It waited, without jobs, as the rollback's target; after this a rollback needs a new session of the old version first.".into())
                .cmd(commands::stop_session(&c.cluster(0).home, &s).irreversible())
                .check(commands::ended(&s, "the old session has ended".into()))
                .verify("yarn application -status reports the session FINISHED.")
                .rollback("None: start a new old-version session with yarn-session.sh if it is ever needed.")
                .source(sources::YARN)
                .done(),
        );
    }
    steps.extend(runbook::decommission::steps(c));
    if !c.s.target.provided_lib_dirs.is_empty() {
        steps.push(
            step("decommission.old-uploads".into(), "Remove the old version's uploaded jars".into(), format!("If the old version's lib/ and plugins/ were uploaded for yarn.provided.lib.dirs, remove that upload once nothing refers to it; keep {} (the new version's).", c.s.target.provided_lib_dirs))
                .manual()
                .verify("Only the new version's upload is left.")
                .rollback("None: upload the old lib/ again from its distribution if it is ever needed.")
                .source(sources::YARN_CONFIG)
                .done(),
        );
    }
    steps
}
