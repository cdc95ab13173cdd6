//! Decommission: after the soak, what the rollback needed goes: the
//! snapshots the cutover took and the old code objects. Also the change
//! frame.

use crate::plan::{step, Command, Estimate, Frame, PhaseId, Step};

use super::super::super::runbook::{lit, var};
use super::{aws, key_var, runtime, snapshot_var, value, Context};
use crate::flink::sources as src;

/// Days to run on the new runtime before the rollback's snapshots go (AWS
/// asks for 24 hours or more; a few business days of real traffic).
pub const SOAK_DAYS: u32 = 3;

pub fn bucket_var(n: usize) -> String {
    format!("JOB{n}_BUCKET")
}

pub fn time_var(n: usize, hop: usize) -> String {
    format!("JOB{n}_SNAPSHOT_HOP{hop}_TIME")
}

pub fn steps(c: &Context<'_>) -> Vec<Step> {
    let last = c.path.len() - 1;
    let new = runtime(c.path[last]);
    let mut steps = Vec::new();
    for (i, job) in c.s.jobs.iter().enumerate() {
        let n = i + 1;
        let app = job.target.as_str();
        let key = value(c, &key_var(c, n, last));
        steps.push(
            step(format!("decommission.in-use.{n}"), format!("Check that {app} still runs {new}"), "Nothing the application runs on may go: it must still run the new runtime and code.".into())
                .check(aws::running_on(n, &new, None, 0, format!("{app} is RUNNING on {new}")))
                .check(aws::runs_code(n, &key, format!("{app} runs the code at {key}")))
                .verify("describe-application shows the new runtime and key.")
                .rollback("If it does not, something changed since the verify: find out before deleting anything.")
                .source(src::MSF_UPGRADING)
                .done(),
        );

        let mut snaps = step(
            format!("decommission.snapshots.{n}"),
            format!("Delete the snapshots the cutover took of {app}"),
            "They were the rollback's way back; the application's own snapshots (taken at each update and by its schedule) are left alone. Each delete runs only for a snapshot the cutover took.".into(),
        );
        for hop in 1..=last {
            let snap = snapshot_var(n, hop);
            let time = time_var(n, hop);
            let mut read = aws::app("describe-application-snapshot", n);
            read.extend([
                lit("--snapshot-name"),
                var(snap.clone()),
                lit("--query"),
                lit(
                    "join(' ', ['Created:', to_string(SnapshotDetails.SnapshotCreationTimestamp)])",
                ),
                lit("--output"),
                lit("text"),
            ]);
            let read = Command::local(read)
                .capturing(
                    time.clone(),
                    "Created: ",
                    format!("the creation time of {snap}"),
                )
                .only_if_set(snap.clone());
            let read = read.clone().recovering_with(read);
            let mut delete = aws::app("delete-application-snapshot", n);
            delete.extend([
                lit("--snapshot-name"),
                var(snap.clone()),
                lit("--snapshot-creation-timestamp"),
                var(time.clone()),
            ]);
            snaps = snaps
                .cmd(read)
                .cmd(Command::local(delete).only_if_set(snap).irreversible());
        }
        steps.push(
            snaps
                .verify("list-application-snapshots no longer shows them.")
                .rollback("None: a deleted snapshot is gone.")
                .source(src::MSF_SNAPSHOTS)
                .done(),
        );

        // The old code and each stop's code that the final hop does not use.
        let mut old_keys = vec![format!("JOB{n}_OLD_JAR")];
        for hop in 1..last {
            let k = key_var(c, n, hop);
            if value(c, &k) != key && !old_keys.contains(&k) {
                old_keys.push(k);
            }
        }
        let names: Vec<String> = old_keys.iter().map(|k| value(c, k)).collect();
        let bucket = bucket_var(n);
        let mut code = step(
            format!("decommission.code.{n}"),
            format!("Delete the old code of {app}"),
            format!("The objects {} in the application's bucket: the rollback's code. In a versioned bucket a delete leaves a delete marker, and the older versions stay until their lifecycle rule removes them.", names.join(", ")),
        )
        .cmd(
            Command::local(aws::describe(n, &aws::bucket_arn(), "text"))
                .capturing(bucket.clone(), ":s3:::", format!("the bucket of {app}")),
        );
        for k in &old_keys {
            let mut w = aws::words("s3api", "delete-object");
            w.extend([
                lit("--bucket"),
                var(bucket.clone()),
                lit("--key"),
                var(k.clone()),
            ]);
            code = code.cmd(Command::local(w).irreversible());
        }
        steps.push(
            code.verify("aws s3api head-object no longer finds them.")
                .rollback("None, unless the bucket keeps versions: then the previous version can be restored.")
                .source(src::MSF_UPGRADING)
                .done(),
        );
    }
    steps
}

fn count(n: usize, thing: &str) -> String {
    format!("{n} {thing}{}", if n == 1 { "" } else { "s" })
}

/// The change frame of an MSF plan.
pub fn frame(c: &Context<'_>) -> Frame {
    let jobs = c.s.jobs.len();
    let hops = c.path.len() - 1;
    let old = runtime(c.path[0]);
    let estimate = |phase, time: String, longer: &str| Estimate {
        phase,
        time,
        longer: longer.into(),
    };
    Frame {
        go_no_go: format!(
            "Go only if the rehearsal on a copy passed, the pre-flight checks hold, the approver agrees, system rollback is on or deliberately off, and the people who depend on these applications know the window. A rollback replays from the cutover's snapshots, so also only if every source keeps its data for the cutover plus the {SOAK_DAYS}-day soak and the downstream systems can take that output a second time. After this, the cutover updates {} on {old}.",
            count(jobs, "application")
        ),
        abort: vec![
            "A snapshot FAILED twice, or takes so long that the updates no longer fit the window.".into(),
            "An update operation ends FAILED, or the application comes back on the old runtime (the system rollback ran): the script stops there; find the reason before trying again.".into(),
            "numRestarts counts restarts after an update, or checkpoints fail for longer than you agreed beforehand: roll back.".into(),
        ],
        estimates: vec![
            estimate(PhaseId::Prepare, "a few days (build for each runtime, rehearse)".into(), "every stop on the route needs its own build and test"),
            estimate(PhaseId::Preflight, "a minute".into(), "nothing: it only reads"),
            estimate(PhaseId::Cutover, format!("one snapshot and one update per application and hop ({}, {}), minutes each; the rehearsal gives the real figure", count(jobs, "application"), count(hops, "hop")), "large state (snapshots and restores grow with it), busy jobs (back pressure slows the snapshot)"),
            estimate(PhaseId::Verify, format!("{} minutes of restart metrics per application, then watching", 5), "metrics that arrive late"),
            estimate(PhaseId::Rollback, "about one update per application".into(), "the same as the cutover"),
            estimate(PhaseId::Decommission, "minutes".into(), "many applications"),
        ],
        soak_days: SOAK_DAYS,
        watch: "numRestarts, uptime, lastCheckpointDuration and numberOfFailedCheckpoints in CloudWatch, consumer lag and the correctness of the output.".into(),
        decommission_confirm: Some(("OLD_RUNTIME".into(), "the old runtime".into())),
    }
}
