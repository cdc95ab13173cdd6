//! Decommission: after the soak, what the rollback needed goes (the old
//! cluster, its installation, the upgrade's savepoints). Also the change
//! frame: who decides, when to stop, how long each phase takes.

use crate::plan::{step, Command, Estimate, Frame, Host, PhaseId, Step};

use super::super::scenario::Strategy;
use super::super::sources;
use super::{lit, savepoint_var, var, Context};

/// Days to run on the new version before the rollback's savepoints go: a
/// few business days of real traffic, checkpoints and restarts.
const SOAK_DAYS: u32 = 3;

pub fn steps(c: &Context<'_>) -> Vec<Step> {
    let mut steps = Vec::new();
    if c.s.strategy == Strategy::ShadowCopy {
        let old = c.cluster(0);
        let name = c.name(0);
        steps.push(
            step(
                "decommission.no-jobs-left".into(),
                format!("Check that no job runs on {name}"),
                "Stopping it kills every job still on it, without a savepoint: one started there since the cutover must move or stop first.".into(),
            )
            .check(old.jobs_check(Vec::new(), format!("{name} runs no job")))
            .verify("flink list -r shows no running job.")
            .rollback("Move or stop the job deliberately, then run again.")
            .source(sources::UPGRADING)
            .done(),
        );
        steps.push(
            step(
                "decommission.stop-old".into(),
                format!("Stop {name}"),
                "It has waited, without jobs, as the rollback target; after this a rollback must start it again first.".into(),
            )
            .cmd(old.stop_cluster())
            .check(old.down_check(&name))
            .verify("The old cluster's processes are gone.")
            .rollback("Start it again with its start-cluster.sh; it holds no jobs.")
            .source(sources::UPGRADING)
            .done(),
        );
    }
    steps.push(savepoints(c));
    steps.push(old_installations(c, &|i| {
        format!("each host of {}", c.name(i))
    }));
    steps
}

/// The upgrade's savepoints, deleted or archived by a person.
pub(in crate::flink) fn savepoints(c: &Context<'_>) -> Step {
    let savepoints: Vec<String> = (1..=c.s.jobs.len()).map(|n| savepoint_var(n, 1)).collect();
    step(
            "decommission.savepoints".into(),
            "Delete the upgrade's savepoints".into(),
            format!(
                "Once every job has completed a checkpoint on the new version (under NO_CLAIM the first one is full), the savepoints are needed only for a rollback, which ends here. Their paths are in the state file ({}). Delete them with the tools of their file system, or keep them as an archive.",
                if savepoints.is_empty() { "none in this plan".to_string() } else { savepoints.join(", ") }
            ),
        )
    .manual()
    .verify("The savepoint directories are gone, or archived on purpose.")
    .rollback("None: a deleted savepoint is gone. When in doubt, archive instead.")
    .source(sources::SAVEPOINTS)
    .done()
}

/// The old Flink installations, removed by a person on each host (`host`
/// names where the one at path index `i` is installed).
pub(in crate::flink) fn old_installations(c: &Context<'_>, host: &dyn Fn(usize) -> String) -> Step {
    let mut remove = step(
        "decommission.old-installations".into(),
        "Remove the old installations".into(),
        "On each host that ran them, once nothing refers to them (service units, cron jobs, scripts).".into(),
    );
    for i in 0..c.path.len() - 1 {
        remove = remove.cmd(
            Command::on(
                Host::Elsewhere {
                    description: host(i),
                },
                vec![lit("rm"), lit("-rf"), lit("--"), var(c.cluster(i).home)],
            )
            .irreversible(),
        );
    }
    remove
        .manual()
        .verify("Only the new installation is left.")
        .rollback("None: unpack the old release again from the Flink archive if it is ever needed.")
        .source(sources::UPGRADING)
        .done()
}

/// "1 job", "3 jobs".
fn count(n: usize, thing: &str) -> String {
    format!("{n} {thing}{}", if n == 1 { "" } else { "s" })
}

/// The change frame of a Flink plan.
pub fn frame(c: &Context<'_>) -> Frame {
    let jobs = c.s.jobs.len();
    let hops = c.path.len() - 1;
    let estimate = |phase, time: String, longer: &str| Estimate {
        phase,
        time,
        longer: longer.into(),
    };
    let restarts = match c.s.strategy {
        Strategy::InPlace => format!(
            ", plus {} of a minute or two",
            count(hops, "cluster restart")
        ),
        Strategy::ShadowCopy => String::new(),
    };
    Frame {
        go_no_go: format!(
            "Go only if the rehearsal passed, the pre-flight checks hold, the approver agrees and the people who depend on these jobs know the window{}. After this, the cutover stops {} on {}.",
            if jobs == 0 {
                String::new()
            } else {
                format!(
                    ". A rollback replays from the cutover's savepoints, so also only if every source keeps its data for the cutover plus the {SOAK_DAYS}-day soak (Kafka retention, for one) and the downstream systems can take that output a second time"
                )
            },
            count(jobs, "job"),
            c.name(0)
        ),
        abort: vec![
            "A savepoint fails twice, or takes so long that the rest no longer fits the window: roll back the jobs already moved.".into(),
            "A resumed job does not reach RUNNING, or does not restore its own savepoint: the script stops there; roll back unless the cause is clear within minutes.".into(),
            "After the resume, checkpoints fail or lag keeps growing for longer than you agreed beforehand.".into(),
        ],
        estimates: vec![
            estimate(PhaseId::Prepare, "a few days (install, rehearse)".into(), "rebuilding jars for the new version, every stop on the route"),
            estimate(PhaseId::Preflight, "a minute".into(), "nothing: it only reads"),
            estimate(
                PhaseId::Cutover,
                format!("one savepoint and one restore per job and hop ({}, {}){restarts}; the rehearsal gives the real figure", count(jobs, "job"), count(hops, "hop")),
                "large state (savepoints and restores grow with it), slow savepoint storage, busy jobs (back pressure slows the savepoint)",
            ),
            estimate(PhaseId::Verify, "up to one checkpoint interval per job, then watching".into(), "long checkpoint intervals"),
            estimate(PhaseId::Rollback, "about as long as the cutover".into(), "the same as the cutover"),
            estimate(PhaseId::Decommission, "minutes".into(), "many hosts to clean"),
        ],
        soak_days: SOAK_DAYS,
        watch: "Checkpoints completing, restarts, back pressure, consumer lag and the correctness of the output.".into(),
        decommission_confirm: Some(("OLD_HOME".into(), "the old installation directory".into())),
    }
}
