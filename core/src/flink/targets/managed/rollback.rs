//! Rollback: each application back to the old runtime and code, from the
//! snapshot taken on the old runtime at the start of the cutover, from
//! wherever the cutover stopped. An update still in progress is reverted
//! first (RollbackApplication, which MSF allows while UPDATING); an
//! application that never left the old runtime is left alone.
//!
//! Why not RollbackApplication alone: it returns to the previous
//! application version only (one hop of a route with stops), and its
//! reference says it restores "the last successful snapshot", which after
//! the soak is one the new runtime wrote. Naming the first snapshot
//! removes the doubt and works from any hop.

use crate::plan::{step, Command, Step, Word};

use super::super::super::runbook::{lit, var};
use super::{aws, runtime, snapshot_var, value, Context};
use crate::flink::sources as src;

pub fn intro(c: &Context<'_>) -> String {
    let old = runtime(c.path[0]);
    let mut text = format!(
        "Only if the new version misbehaves: each application back to {old} and its old code, restoring the snapshot taken on {old} at the start of the cutover, from wherever the cutover stopped. What it cannot undo: the output the new version wrote (the sources replay from that snapshot, so output since then is produced again), and state built since."
    );
    if c.path[0].major < 2 && c.path[c.path.len() - 1].major >= 2 {
        text.push_str(" Snapshots taken on Flink 2 never restore on 1.x: whatever the jobs did on 2.x is lost to the rollback, which only ever returns to the 1.x snapshot.");
    }
    text
}

pub fn steps(c: &Context<'_>) -> Vec<Step> {
    let old = runtime(c.path[0]);
    let mut steps = Vec::new();
    for (i, job) in c.s.jobs.iter().enumerate() {
        let n = i + 1;
        let app = job.target.as_str();
        let snap = snapshot_var(n, 1);
        let old_code = format!("JOB{n}_OLD_CODE");

        // 1. An update in progress is reverted by MSF's own rollback.
        let mut settle = vec![Word::Raw("s=$(")];
        settle.extend(aws::describe(n, aws::STATUS, "text"));
        settle.push(Word::Raw(") || exit 1; if [ \"$s\" = UPDATING ]; then"));
        settle.extend(aws::app("rollback-application", n));
        settle.extend(aws::current_version_words(n));
        settle.extend([
            Word::Raw("; else echo"),
            lit("No update in progress; status:"),
            Word::Raw("\"$s\"; fi"),
        ]);
        let mut settled = aws::reads(
            n,
            aws::STATUS,
            crate::plan::Expect::Matches("^(RUNNING|READY)$".into()),
            format!("{app} is RUNNING or READY: no update or rollback is in progress"),
        )
        .waiting(3600);
        settled.fails_on = None;
        steps.push(
            step(
                format!("rollback.settle.{n}"),
                format!("Let {app} settle"),
                "If an update is still in progress (the cutover was stopped while it ran), RollbackApplication reverts it, as MSF allows in UPDATING; then the step waits until the application is RUNNING or READY.".into(),
            )
            .cmd(Command::local(settle))
            .check(settled)
            .verify("describe-application shows RUNNING or READY.")
            .rollback("If it stays in a transient status, look at list-application-operations and the application's logs; contact AWS support if an operation hangs.")
            .source(src::MSF_ROLLBACK_APPLICATION)
            .done(),
        );

        // 2. Back to the old runtime and code, unless it runs there already.
        let mut back = aws::snapshot_name_guard(&snap);
        back.push(Word::Raw("read -r s r <<<\"$("));
        back.extend(aws::describe(n, aws::STATUS_RUNTIME, "text"));
        back.extend([
            Word::Raw(")\"; if [ \"$r\" ="),
            lit(old.clone()),
            Word::Raw("]; then echo"),
        ]);
        back.push(lit(format!("On {old} already: no update needed.")));
        let update = |with_restore: bool| {
            let mut w = aws::app("update-application", n);
            w.extend(aws::current_version_words(n));
            w.extend([
                lit("--runtime-environment-update"),
                lit(old.clone()),
                lit("--application-configuration-update"),
                var(old_code.clone()),
            ]);
            if with_restore {
                w.extend([
                    lit("--run-configuration-update"),
                    aws::restore_custom(&snap),
                ]);
            }
            w
        };
        back.push(Word::Raw("; elif [ \"$s\" = RUNNING ]; then"));
        back.extend(update(true));
        back.push(Word::Raw("; else"));
        back.extend(update(false));
        back.push(Word::Raw("; fi"));
        steps.push(
            step(
                format!("rollback.restore.{n}"),
                format!("Put {app} back on {old}"),
                format!("Only if the cutover took the snapshot on {old}. An application on another runtime is updated back to {old} and its old code ({}), restoring that snapshot (MSF downgrades only to a runtime the application ran before, from a snapshot of that runtime or older: this is both). One already on {old} (the update never ran, or the system rollback put it back) is left as it is.", job.old_jar),
            )
            .cmd(Command::local(back).only_if_set(snap.clone()))
            .check(aws::reads(n, aws::STATUS_RUNTIME, crate::plan::Expect::Matches(format!("^(RUNNING|READY)[[:space:]]+{old}$")), format!("{app} is on {old}")).waiting(3600))
            .verify(format!("describe-application shows {old}."))
            .rollback("If the update back fails, its error names the cause; the snapshot stays, so fix it and run the rollback again.")
            .source(src::MSF_PRECAUTIONS)
            .source(src::MSF_UPDATE_APPLICATION)
            .source(src::MSF_SNAPSHOTS)
            .done(),
        );

        // 3. A READY application starts from the same snapshot.
        let mut start = aws::snapshot_name_guard(&snap);
        start.push(Word::Raw("s=$("));
        start.extend(aws::describe(n, aws::STATUS, "text"));
        start.push(Word::Raw(") || exit 1; if [ \"$s\" = READY ]; then"));
        start.extend(aws::app("start-application", n));
        start.extend([lit("--run-configuration"), aws::restore_custom(&snap)]);
        start.extend([
            Word::Raw("; else echo"),
            lit("Already running:"),
            Word::Raw("\"$s\"; fi"),
        ]);
        steps.push(
            step(
                format!("rollback.start.{n}"),
                format!("Run {app} on {old} with its old code"),
                format!("A READY application (a failed system rollback leaves it there) starts restoring the snapshot taken on {old}; then the step checks that it runs {old} with the old code."),
            )
            .cmd(Command::local(start).only_if_set(snap.clone()))
            .check(aws::running_on(n, &old, None, 1800, format!("{app} is RUNNING on {old}")))
            .check(aws::runs_code(n, &job.old_jar, format!("{app} runs its old code at {}", job.old_jar)))
            .verify(format!("describe-application shows RUNNING on {old} with the key {}.", job.old_jar))
            .rollback("If it does not start, read its logs; the snapshot and the old code object are kept until the decommission.")
            .source(src::MSF_SNAPSHOTS)
            .done(),
        );
    }
    let snaps: Vec<String> = (1..=c.s.jobs.len())
        .map(|n| value(c, &snapshot_var(n, 1)))
        .collect();
    steps.push(
        step("rollback.done".into(), format!("Confirm the applications are back on {old}"), format!("Each application restored its snapshot taken on {old} ({}).", if snaps.is_empty() { "none".to_string() } else { snaps.join(", ") }))
            .confirm("Sources still hold the data since the snapshots (Kafka or Kinesis retention covers the cutover and the time since), and the output the jobs produce again is acceptable downstream.")
            .verify("The jobs run and catch up from the snapshot's position.")
            .rollback("If even this fails, keep the snapshots and the old code object and escalate: they are the last consistent state.")
            .source(src::MSF_PRECAUTIONS)
            .done(),
    );
    steps
}
