//! Rollback: back to the old version from wherever the cutover stopped.
//! Only what the cutover changed is undone: upgraded jobs whose ids are
//! known are cancelled, the old cluster is started only if the old version
//! does not answer, and each job the cutover stopped resumes from its own
//! savepoint; jobs the cutover never reached keep running untouched.

use crate::plan::{step, Command, Step, Word};

use super::super::scenario::Strategy;
use super::super::sources;
use super::{id_var, lit, rollback_id_var, savepoint_var, var, Context, RunVars};

pub fn intro(c: &Context<'_>) -> String {
    format!(
        "Only if the new version misbehaves: back to Flink {} from the savepoints taken at the start of the cutover, from wherever it stopped. What it cannot undo: writes the new version made to external systems (output since the savepoints is produced again), and state the jobs built since the cutover.",
        c.path[0]
    )
}

pub fn steps(c: &Context<'_>) -> Vec<Step> {
    let last = c.path.len() - 1;
    let old = c.cluster(0);
    let old_name = c.name(0);
    let mut steps = Vec::new();

    steps.push(cancel_step(
        c,
        "Cancel the upgraded jobs",
        format!(
            "Their state after the cutover cannot be read by Flink {}, so they are cancelled, not savepointed. Each cancel runs only if the cutover got that far.",
            c.path[0]
        ),
        "No upgraded job is left RUNNING.",
        "If a cancel hangs, the next step stops that cluster.",
        &|_, hop| c.cluster(hop),
    ));

    steps.push(switch_back(c));

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
        let jar_note = if job.old_jar.is_empty() {
            " It uses the same jar as the cutover; if that jar was rebuilt for the new version, give the old one as old-jar."
        } else {
            " It uses the old jar."
        };
        let rid = rollback_id_var(n);
        let mut running = old.running_check(&rid, job.label());
        running.command = running.command.only_if_set(sp.clone());
        let mut tasks = old.tasks_check(&rid, job.label());
        tasks.command = tasks.command.only_if_set(sp.clone());
        let mut restored = old.restored_check(&rid, &sp, job.label());
        restored.command = restored.command.only_if_set(sp.clone());
        steps.push(
            step(
                format!("rollback.resume.{n}"),
                format!("Resume {} on Flink {}", job.label(), c.path[0]),
                format!("From the savepoint taken on Flink {} at the start of the cutover, only if the cutover stopped it (otherwise it still runs there).{jar_note}", c.path[0]),
            )
            .cmd(
                old.run_from_savepoint(&spec)
                    .capturing(rid.clone(), super::super::cli::SUBMITTED_AFTER, format!("the job id of {} after the rollback", job.label()))
                    .recovering_with(old.submitted_recovery())
                    .only_if_set(sp.clone()),
            )
            .check(running)
            .check(tasks)
            .check(restored)
            .verify("The job is RUNNING on the old cluster, restored from its savepoint.")
            .rollback("If even this fails, keep the savepoint and escalate: it is the last consistent state.")
            .source(sources::CLI)
            .source(sources::SAVEPOINTS)
            .done(),
        );
    }

    // Each job runs on the old version: resumed by the rollback, or never moved.
    let ids: Vec<String> = (1..=c.s.jobs.len())
        .map(|n| format!("{}/{}", rollback_id_var(n), id_var(n, 0, last)))
        .collect();
    steps.push(
        step(
            "rollback.jobs".into(),
            format!("Check that exactly the planned jobs run on Flink {}", c.path[0]),
            "Each job is back, under its new id if the rollback resumed it, and nothing else runs.".into(),
        )
        .check(old.jobs_check(ids, format!("{old_name} runs exactly the planned jobs")))
        .verify("flink list -r shows each planned job and no other.")
        .confirm("Sources still hold the data since the savepoints (Kafka retention covers the cutover and the time since), and the output the jobs produce again is acceptable downstream.")
        .rollback("Read the JobManager log of the old cluster; the savepoints in the state file are the last consistent state.")
        .source(sources::UPGRADING)
        .done(),
    );
    steps
}

/// `rollback.cancel`: every job id the cutover captured, on every hop's
/// cluster (`cluster(n, i)` is job `n`'s at path index `i`), newest first;
/// each cancel runs only if its id is known, and may fail.
pub(in crate::flink) fn cancel_step(
    c: &Context<'_>,
    title: &str,
    detail: String,
    verify: &str,
    rollback: &str,
    cluster: &dyn Fn(usize, usize) -> super::super::cli::Cluster,
) -> Step {
    let last = c.path.len() - 1;
    let mut cancel = step("rollback.cancel".into(), title.into(), detail);
    for n in 1..=c.s.jobs.len() {
        for hop in (1..=last).rev() {
            let id = id_var(n, hop, last);
            cancel = cancel.cmd(cluster(n, hop).cancel(&id).only_if_set(id).may_fail());
        }
    }
    cancel
        .verify(verify)
        .rollback(rollback)
        .source(sources::CLI)
        .done()
}

/// Stops every newer cluster and starts the old one, unless the old version
/// already answers (a cutover that stopped before the cluster switch).
fn switch_back(c: &Context<'_>) -> Step {
    let last = c.path.len() - 1;
    let old = c.cluster(0);
    let answers = vec![
        Word::Raw("curl -fsS"),
        Word::Join(vec![lit("http://"), var(old.rest.clone()), lit("/config")]),
        Word::Raw("2>/dev/null | grep -qF --"),
        lit(old.version_marker()),
    ];
    let mut stop_newer = Vec::new();
    for i in (1..=last).rev() {
        stop_newer.push(Word::Join(vec![
            var(c.cluster(i).home),
            lit("/bin/stop-cluster.sh"),
        ]));
        stop_newer.push(Word::Raw("|| true;"));
    }
    let start_old = Word::Join(vec![var(old.home.clone()), lit("/bin/start-cluster.sh")]);
    let mut words = Vec::new();
    match c.s.strategy {
        Strategy::InPlace => {
            // Newer clusters hold the old one's ports: stop them and wait
            // until the ports are free, unless the old version still runs.
            words.push(Word::Raw("if"));
            words.extend(answers);
            words.extend([
                Word::Raw("; then echo"),
                lit(format!("Flink {} answers; it is left running.", c.path[0])),
                Word::Raw("; else"),
            ]);
            words.extend(stop_newer);
            words.extend([
                Word::Raw("for _ in $(seq 1 60); do curl -fsS -o /dev/null"),
                Word::Join(vec![
                    lit("http://"),
                    var(old.rest.clone()),
                    lit("/overview"),
                ]),
                Word::Raw("2>/dev/null || break; sleep 2; done;"),
                start_old,
                Word::Raw("; fi"),
            ]);
        }
        Strategy::ShadowCopy => {
            // The newer clusters go in any case: a job submitted there whose
            // id was never read would otherwise run twice.
            words.extend(stop_newer);
            words.extend(answers);
            words.push(Word::Raw("||"));
            words.push(start_old);
        }
    }
    step(
        "rollback.switch".into(),
        format!("Put Flink {} back", c.path[0]),
        match c.s.strategy {
            Strategy::InPlace => "Unless the old version still answers (the cutover stopped before the cluster switch), stop every newer cluster on these hosts and start the old one.".to_string(),
            Strategy::ShadowCopy => "Stop the newer clusters, and start the old one if it no longer answers.".to_string(),
        },
    )
    .cmd(Command::local(words))
    .check(old.up_check(&c.name(0)))
    .check(old.version_check(&c.name(0)))
    .verify("The old cluster's REST API answers with its TaskManagers registered, as the old version.")
    .rollback("Read the old cluster's logs under its log directory.")
    .source(sources::UPGRADING)
    .done()
}
