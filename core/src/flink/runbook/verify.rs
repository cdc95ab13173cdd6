//! Verify: every job runs on the new version, restored from its own
//! savepoint, and checkpoints again; then a person judges the output.

use crate::plan::{step, Check, Step};

use super::super::cli::Cluster;

use super::super::sources;
use super::{id_var, savepoint_var, Context};

pub fn steps(c: &Context<'_>) -> Vec<Step> {
    let last = c.path.len() - 1;
    let new = c.cluster(last);
    let name = c.name(last);
    let ids: Vec<String> = (1..=c.s.jobs.len())
        .map(|n| id_var(n, last, last))
        .collect();
    let mut steps = vec![step(
        "verify.running".into(),
        format!("Check that exactly the planned jobs run on Flink {}", c.path[last]),
        String::new(),
    )
    .check(new.jobs_check(ids, format!("{name} runs exactly the moved jobs")))
    .verify("Every moved job is listed as RUNNING, and no other.")
    .rollback("If a job is missing or restarting, read its exceptions in the web UI; if it cannot be fixed quickly, run the rollback phase.")
    .source(sources::CLI)
    .done()];
    for (i, job) in c.s.jobs.iter().enumerate() {
        let n = i + 1;
        let id = id_var(n, last, last);
        steps.push(restored_step(
            n,
            job.label(),
            &new,
            &id,
            &savepoint_var(n, last),
            Vec::new(),
        ));
    }
    steps.push(observe());
    steps
}

/// `verify.restored.<n>`: the job `id` on `cl` runs, restored `savepoint`
/// and checkpoints; `first` are the target's own checks before those.
pub(in crate::flink) fn restored_step(
    n: usize,
    who: &str,
    cl: &Cluster,
    id: &str,
    savepoint: &str,
    first: Vec<Check>,
) -> Step {
    // Restore modes (the resume passes no_claim) exist from 1.15 on.
    let no_claim = if cl.claim_mode_flag().is_some() {
        " Under NO_CLAIM the first checkpoint after a restore is a full one; from then on the job no longer needs the savepoint."
    } else {
        ""
    };
    let mut st = step(
        format!("verify.restored.{n}"),
        format!("Check that {who} restored and checkpoints"),
        format!("Its checkpoint statistics name the savepoint it restored from (latest.restored.external_path) and count a completed checkpoint since.{no_claim}"),
    );
    for check in first {
        st = st.check(check);
    }
    st.check(cl.running_check(id, who).waiting(60))
        .check(cl.restored_check(id, savepoint, who))
        .check(cl.checkpoint_check(id, who))
        .verify(format!("The REST API reports {savepoint} as the restored savepoint and at least one completed checkpoint."))
        .rollback("If the job started without state, stop it at once and run the rollback phase; if it does not checkpoint, read the JobManager log.")
        .source(sources::REST)
        .source(sources::SAVEPOINTS)
        .done()
}

/// A person watches the moved jobs for a few checkpoint intervals.
pub(in crate::flink) fn observe() -> Step {
    step(
        "verify.observe".into(),
        "Watch the jobs".into(),
        "Watch back pressure, consumer lag and the output for a few checkpoint intervals.".into(),
    )
    .manual()
    .verify("Lag falls back to normal, nothing restarts and the output is correct.")
    .rollback("If not, run the rollback phase: the sooner, the less output is produced twice.")
    .source(sources::UPGRADING)
    .done()
}
