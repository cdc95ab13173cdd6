//! Cutover: hop by hop, application by application. A snapshot on the
//! version the application runs, then the update to the next runtime with
//! the code built for it; each update waits for its operation and for the
//! application to run the new runtime before the next step.

use crate::plan::{step, Check, Command, Expect, Step, Word};

use super::super::super::runbook::{lit, var};
use super::{
    aws, code_var, key_var, operation_var, runtime, snapshot_var, value, version_var, Context,
};
use crate::flink::sources as src;

pub fn intro(c: &Context<'_>) -> String {
    let hops = c.path.len() - 1;
    let route: Vec<String> = c.path.iter().map(|v| runtime(*v)).collect();
    format!(
        "In the change window{}: for each application, take a snapshot on the runtime it runs, then update it in place to the next runtime and its new code, restoring from the snapshot MSF takes as it stops the application. The application keeps its ARN, logs, metrics and configuration.",
        if hops == 1 {
            String::new()
        } else {
            format!(", {hops} hops ({})", route.join(" → "))
        }
    )
}

pub fn steps(c: &Context<'_>) -> Vec<Step> {
    let last = c.path.len() - 1;
    let mut steps = Vec::new();
    for hop in 1..=last {
        let prefix = if last > 1 {
            format!(
                "Hop {hop} ({} → {}): ",
                runtime(c.path[hop - 1]),
                runtime(c.path[hop])
            )
        } else {
            String::new()
        };
        for (i, job) in c.s.jobs.iter().enumerate() {
            let n = i + 1;
            let app = job.target.as_str();
            let mut st = snapshot_step(c, hop, n, app);
            st.title = format!("{prefix}{}", st.title);
            steps.push(st);
            let mut st = update_step(c, hop, n, app);
            st.title = format!("{prefix}{}", st.title);
            steps.push(st);
        }
    }
    steps
}

/// `aws kinesisanalyticsv2 <op> … --snapshot-name "$S"`.
fn snapshot_words(op: &str, n: usize, snapshot: &str) -> Vec<Word> {
    let mut w = aws::app(op, n);
    w.extend([lit("--snapshot-name"), var(snapshot.to_owned())]);
    w
}

/// The snapshot `snapshot` of job `n` is READY and was taken on `on`.
pub fn snapshot_ready(n: usize, snapshot: &str, on: &str, holds: String) -> Check {
    let mut w = snapshot_words("describe-application-snapshot", n, snapshot);
    w.extend([
        lit("--query"),
        lit("SnapshotDetails.[SnapshotStatus, RuntimeEnvironment]"),
        lit("--output"),
        lit("text"),
    ]);
    Check::new(
        Command::local(w),
        Expect::Matches(format!("^READY[[:space:]]+{on}$")),
        holds,
    )
    .waiting(3600)
    .failing_on("FAILED")
}

fn snapshot_step(c: &Context<'_>, hop: usize, n: usize, app: &str) -> Step {
    let on = runtime(c.path[hop - 1]);
    let next = runtime(c.path[hop]);
    let snap = snapshot_var(n, hop);
    // A fresh name per run: a rerun after a rollback, with a new state
    // file, never reuses an old snapshot's name.
    let name = Command::local(vec![
        lit("date"),
        lit("-u"),
        lit(format!(
            "+Snapshot name: waymark-%Y%m%d-%H%M%S-before-{next}"
        )),
    ])
    .capturing(
        snap.clone(),
        "Snapshot name: ",
        format!("the name of the snapshot of {app} on {on}"),
    )
    // Naming changes nothing: a name that was never read is made anew.
    .recovering_with(Command::local(vec![Word::Raw("exit 3")]));
    // Created only if it does not exist yet, so a rerun never asks twice.
    let mut create = snapshot_words("describe-application-snapshot", n, &snap);
    create.push(Word::Raw(">/dev/null 2>&1 ||"));
    create.extend(snapshot_words("create-application-snapshot", n, &snap));
    let what = if hop == 1 {
        format!("It is the state the rollback returns {app} to: taken on {on}, the only runtime that can restore it once the application has moved on (snapshots never restore on an older Flink).")
    } else {
        format!("It is the state this hop starts from, taken at the stop on {on}, and proves the application runs there before it moves on.")
    };
    step(
        format!("cutover.{hop}.snapshot.{n}"),
        format!("Take a snapshot of {app} on {on}"),
        format!("{what} MSF also takes one as the update stops the application; this one is named and kept."),
    )
    .cmd(name)
    .cmd(Command::local(create))
    .check(snapshot_ready(n, &snap, &on, format!("the snapshot ({snap}) of {app} is READY, taken on {on}")))
    .verify(format!("describe-application-snapshot shows it READY on {on}; its name is kept as {snap}."))
    .rollback(format!("If it FAILED, the application still runs unchanged on {on}: read its logs, fix the cause, and take a new one with --redo cutover.{hop}.snapshot.{n}."))
    .source(src::MSF_CREATE_SNAPSHOT)
    .source(src::MSF_UPGRADING)
    .done()
}

fn update_step(c: &Context<'_>, hop: usize, n: usize, app: &str) -> Step {
    let from = runtime(c.path[hop - 1]);
    let to = runtime(c.path[hop]);
    let version = version_var(n, hop);
    let op = operation_var(n, hop);
    let key = value(c, &key_var(c, n, hop));
    let read_version = Command::local(aws::describe(
        n,
        "join(' ', ['VersionId:', to_string(ApplicationDetail.ApplicationVersionId)])",
        "text",
    ))
    .capturing(
        version.clone(),
        "VersionId: ",
        format!("the application version of {app}"),
    );
    let read_version = read_version.clone().recovering_with(read_version);
    let mut update = aws::app("update-application", n);
    update.extend([
        lit("--current-application-version-id"),
        var(version.clone()),
        lit("--runtime-environment-update"),
        lit(to.clone()),
        lit("--application-configuration-update"),
        var(code_var(c, n, hop)),
        lit("--run-configuration-update"),
        lit(aws::RESTORE_LATEST),
        lit("--query"),
        lit("{OperationId: OperationId}"),
    ]);
    let update = Command::local(update)
        .capturing(
            op.clone(),
            "\"OperationId\": \"",
            format!("the update operation of {app}"),
        )
        .until("\"")
        .recovering_with(update_recovery(n, &version, &op));
    step(
        format!("cutover.{hop}.update.{n}"),
        format!("Update {app} to {to}"),
        format!(
            "UpdateApplication with the new runtime and code, against the version just read (a change made since makes it fail instead of being overwritten). MSF checks that the snapshot's Flink version may move to {to}, stops the application with a snapshot, and starts it on {to} restoring that snapshot: RESTORE_FROM_LATEST_SNAPSHOT is AWS's flow for a running application, and the latest snapshot is the one taken at the stop, so nothing is processed twice. The script waits for the operation and for the application to run {to}; RUNNING on {from} means MSF rolled it back."
        ),
    )
    .cmd(read_version)
    .cmd(update)
    .check(aws::operation_succeeded(n, &op, 3600, format!("the update of {app} to {to} succeeded (FAILED: MSF rejected it or, with system rollback on, put the application back on {from}; the reason follows)")))
    .check(aws::running_on(n, &to, Some(&from), 900, format!("{app} is RUNNING on {to} (RUNNING on {from} means the system rollback ran: the update did not take)")))
    .check(aws::runs_code(n, &key, format!("{app} runs the code at {key}")))
    .verify(format!("The operation is SUCCESSFUL and describe-application shows RUNNING on {to} with the key {key}."))
    .rollback(format!("If the operation FAILED, the reason is printed: an incompatible snapshot or code that does not start. The application runs {from} again if system rollback is on; otherwise run the rollback phase."))
    .source(src::MSF_UPGRADING)
    .source(src::MSF_UPDATE_APPLICATION)
    .source(src::MSF_OPERATIONS)
    .done()
}

/// Finds the update's operation when the CLI gave up after sending it: the
/// application version moved on from the one read before, so the update
/// took effect; exit 3 when it did not.
fn update_recovery(n: usize, version: &str, op: &str) -> Command {
    let mut w = vec![Word::Raw("v=$(")];
    w.extend(aws::describe(n, aws::VERSION, "text"));
    w.extend([
        Word::Raw(") || exit 1; [ \"$v\" !="),
        var(version.to_owned()),
        Word::Raw("] || exit 3; o=$("),
    ]);
    w.extend(aws::app("list-application-operations", n));
    w.extend([
        lit("--operation"),
        lit("UpdateApplication"),
        lit("--query"),
        lit("sort_by(ApplicationOperationInfoList, &StartTime)[-1].OperationId"),
        lit("--output"),
        lit("text"),
        Word::Raw(") && [ \"$o\" != None ] && echo \"OperationId: $o\""),
    ]);
    Command::local(w).capturing(op.to_string(), "OperationId: ", "the update operation")
}
