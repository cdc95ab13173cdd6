//! Standalone application clusters: each job has its own cluster, whose
//! JobManager `bin/standalone-job.sh` starts with the job's `main()` in it
//! and whose TaskManagers `bin/taskmanager.sh` starts. A hop stops the job
//! with a savepoint through its JobManager (which then exits, its
//! application finished), stops the old TaskManagers, puts the jar into the
//! next installation's `usrlib/` and starts that version's job cluster from
//! the savepoint, under a job id the plan fixes (`--job-id`).
//!
//! - [`cutover`]: the hops; [`rollback`]: back from wherever it stopped.
//! - Prepare and decommission are the standalone session's (install the
//!   releases, rehearse; delete the savepoints, remove the old installation).

mod cutover;
mod rollback;

use crate::plan::{
    finding, phase, step, Check, Command, Expect, Finding, Frame, Host, Phase, PhaseId, Severity,
    Step, Word,
};
use crate::version::Version;

use super::super::cli::Cluster;
use super::super::runbook::{self, id_var, lit, var, Context};
use super::super::scenario::Scenario;
use super::super::sources;

/// The variable holding job `n`'s JobManager REST address.
pub(crate) fn jm_var(n: usize) -> String {
    format!("JOB{n}_JOBMANAGER")
}

fn host_var(n: usize) -> String {
    format!("JOB{n}_HOST")
}

/// The JobManager address of job `n` (1-based): its key, or the default.
fn address(s: &Scenario, n: usize) -> String {
    let t = &s.jobs[n - 1].target;
    if t.is_empty() {
        "localhost:8081".into()
    } else {
        t.clone()
    }
}

fn host_of(address: &str) -> &str {
    address.rsplit_once(':').map_or(address, |(h, _)| h)
}

fn is_local(host: &str) -> bool {
    matches!(host, "localhost" | "::1" | "[::1]") || host.starts_with("127.")
}

/// Where the daemons of job `n`'s cluster are started and stopped: this
/// host, or its JobManager host over SSH (the same directory layout, as
/// start-cluster.sh assumes).
pub(crate) fn jm_host(c: &Context<'_>, n: usize) -> Host {
    if is_local(host_of(&address(c.s, n))) {
        Host::Local
    } else {
        Host::Ssh {
            target: host_var(n),
            description: format!("the JobManager host of {}", c.s.jobs[n - 1].label()),
        }
    }
}

/// Job `n`'s cluster at path index `i`: the CLI and the checks reach it at
/// its JobManager address.
pub(crate) fn cluster(c: &Context<'_>, n: usize, i: usize) -> Cluster {
    let mut cl = c.cluster(i);
    cl.jobmanager = Some(jm_var(n));
    cl.rest = jm_var(n);
    cl
}

/// `words` run on job `n`'s JobManager host.
pub(crate) fn on_jm(c: &Context<'_>, n: usize, words: Vec<Word>) -> Command {
    Command::on(jm_host(c, n), words)
}

/// `<home>/bin/<script> <args>` of the installation at path index `i`, on
/// job `n`'s JobManager host.
pub(crate) fn daemon(
    c: &Context<'_>,
    n: usize,
    i: usize,
    script: &str,
    args: &[&'static str],
) -> Command {
    let mut words = vec![Word::Join(vec![
        var(c.cluster(i).home),
        lit(format!("/bin/{script}")),
    ])];
    words.extend(args.iter().map(|a| lit(*a)));
    on_jm(c, n, words)
}

pub fn variables(c: &mut Context<'_>) {
    for n in 1..=c.s.jobs.len() {
        let who = c.s.jobs[n - 1].label().to_string();
        let jm = address(c.s, n);
        c.text(
            &jm_var(n),
            format!("JobManager REST address of the job cluster of {who}"),
            &jm,
        );
        let host = host_of(&jm).trim_matches(['[', ']']).to_string();
        if !is_local(host_of(&jm)) {
            c.text(
                &host_var(n),
                format!("Host of the JobManager of {who} (reached over SSH)"),
                &host,
            );
        }
    }
}

pub fn findings(s: &Scenario, path: &[Version]) -> Vec<Finding> {
    let mut out = vec![finding(
        Severity::Info,
        "flink.standalone-application.procedure",
        "Each job has its own cluster: a hop replaces the job's cluster",
        "In application mode the job's main() runs in its JobManager, which bin/standalone-job.sh starts; the cluster lives as long as the job. So a stop with a savepoint also ends the cluster (its JobManager exits once the application finished; execution.shutdown-on-application-finish, default true, from 1.15). The new version is then started as a new job cluster: standalone-job.sh start --fromSavepoint with the job's jar in usrlib/, plus its TaskManagers. There is no running cluster to submit to, so the job id is fixed with --job-id: a new id per start, so the checks know it and it never repeats the old job's id, whose result a high-availability JobResultStore may still hold as finished (the restart would then skip the job). Without high availability and --job-id, Flink gives each start a random id; with high availability it derives the id from high-availability.cluster-id (1.16+).",
        "Run the script on a host that reaches each JobManager's REST address. The daemons run where each JobManager runs: on this host when its address is local, otherwise over SSH with the same directory layout (as start-cluster.sh does). TaskManagers of a job cluster on other hosts must be stopped and started there by hand.",
        &[sources::STANDALONE, sources::DEPLOYMENT_MODES, sources::release_notes(1, 16), sources::CLI],
    )];
    if path.iter().any(|v| *v < Version::minor(1, 11)) {
        out.push(finding(
            Severity::Blocker,
            "flink.standalone-application.before-1.11",
            format!("Application mode arrived in Flink 1.11; this route runs {}", path[0]),
            "Before 1.11, bin/standalone-job.sh started a per-job \"job cluster\" (StandaloneJobClusterEntryPoint) with the job on the classpath, not the application mode this runbook drives; its options and the way it finds the jar were not verified for this plan.",
            "Move the jobs to a standalone session or a 1.11+ application cluster first, or plan from 1.11 on.",
            &[sources::release_notes(1, 11), sources::DEPLOYMENT_MODES],
        ));
    }
    let mut hosts: Vec<String> = (1..=s.jobs.len())
        .map(|n| host_of(&address(s, n)).to_string())
        .collect();
    hosts.sort();
    if hosts.windows(2).any(|w| w[0] == w[1]) {
        out.push(finding(
            Severity::Blocker,
            "flink.standalone-application.shared-host",
            "Two job clusters have their JobManager on the same host",
            "The runbook stops a job cluster's TaskManagers with taskmanager.sh stop-all on its JobManager host, which stops every TaskManager the host's pid file (env.pid.dir) records: those of the other job cluster too.",
            "Give each job its own JobManager host (job<N>.jobmanager), or move the jobs one plan at a time.",
            &[sources::STANDALONE],
        ));
    }
    out
}

pub fn phases(c: &Context<'_>) -> Vec<Phase> {
    vec![
        phase(
            PhaseId::Prepare,
            "Before the change window: check the preconditions, install the new release where each job cluster runs and rehearse the upgrade in a test environment.".into(),
            runbook::prepare::steps(c),
        ),
        phase(
            PhaseId::Preflight,
            "Right before the cutover, reading only: the installations, jars and job clusters are as planned and each runs exactly its job. Nothing changes here.".into(),
            preflight(c),
        ),
        phase(PhaseId::Cutover, cutover::intro(c), cutover::steps(c)),
        phase(
            PhaseId::Verify,
            "Confirm that every job runs in its own cluster of the new version, resumed from its own savepoint and checkpoints again.".into(),
            verify(c),
        ),
        phase(PhaseId::Rollback, rollback::intro(c), rollback::steps(c)),
        phase(
            PhaseId::Decommission,
            format!(
                "After the soak ({} days without a rollback): remove what the rollback needed. This cannot be undone.",
                frame_of(c).soak_days
            ),
            runbook::decommission::steps(c),
        ),
    ]
}

fn preflight(c: &Context<'_>) -> Vec<Step> {
    let last = c.path.len() - 1;
    let mut steps = Vec::new();
    let mut clusters = step(
        "preflight.clusters".into(),
        "Check the job clusters".into(),
        "Each job's cluster answers at its JobManager address as the planned version and runs exactly that job.".into(),
    );
    for (i, job) in c.s.jobs.iter().enumerate() {
        let n = i + 1;
        let old = cluster(c, n, 0);
        let name = format!("the job cluster of {}", job.label());
        clusters = clusters
            .check(old.up_check(&name).waiting(0))
            .check(old.version_check(&name).waiting(0))
            .check(old.jobs_check(vec![id_var(n, 0, last)], format!("{name} runs exactly {} (flink list)", job.label())))
            .check(old.rest_jobs_check(vec![id_var(n, 0, last)], format!("the REST API of {name} lists the same job, so the checks read the cluster the commands change")));
    }
    if !c.s.jobs.is_empty() {
        steps.push(
            clusters
                .verify("Each job cluster answers as its planned version and runs its own job and no other.")
                .rollback("Check job<N>.jobmanager and job<N>.id; nothing has changed.")
                .source(sources::REST)
                .done(),
        );
    }
    let mut installs = step(
        "preflight.installations".into(),
        "Check the installations".into(),
        "On each JobManager host, each installation directory holds the Flink version the plan expects, and the job's jar is there.".into(),
    );
    for (k, job) in c.s.jobs.iter().enumerate() {
        let n = k + 1;
        for i in 0..=last {
            let v = c.path[i];
            let ls = on_jm(
                c,
                n,
                vec![
                    lit("ls"),
                    Word::Join(vec![var(c.cluster(i).home), lit("/lib")]),
                ],
            );
            installs = installs.check(Check::new(
                ls,
                Expect::Matches(format!(
                    "^flink-dist[_0-9.]*-{}{}\\.jar$",
                    v.to_string().replace('.', "\\."),
                    if v.patch.is_some() { "" } else { "\\.[0-9]+" }
                )),
                format!(
                    "{} holds Flink {v} where {} runs",
                    c.home_path(i),
                    job.label()
                ),
            ));
        }
        let mut jars = vec![format!("JOB{n}_JAR")];
        for i in 1..last {
            let j = runbook::jar_var(c, n, i);
            if !jars.contains(&j) {
                jars.push(j);
            }
        }
        for j in jars {
            let t = on_jm(c, n, vec![lit("test"), lit("-f"), var(j.clone())]);
            installs = installs.check(Check::new(
                t,
                Expect::Success,
                format!("{j} of {} is a file on its JobManager host", job.label()),
            ));
        }
    }
    steps.push(
        installs
            .verify("Every installation and jar is in place.")
            .rollback("Install the missing release (prepare phase) or copy the jar, and run again; nothing has changed.")
            .source(sources::STANDALONE)
            .done(),
    );
    if let Some(config) = runbook::preflight::config_step(c) {
        steps.push(config);
    }
    let configured = match c.s.jobs.first() {
        Some(_) => cluster(c, 1, 0).rest_read(&[lit("/jobmanager/config")]),
        None => c.cluster(0).rest_read(&[lit("/jobmanager/config")]),
    };
    steps.push(runbook::preflight::savepoint_dir_with(
        c,
        Check::new(
            configured,
            Expect::Matches(
                "state\\.savepoints\\.dir|execution\\.checkpointing\\.savepoint-dir".into(),
            ),
            "the old job cluster sets a savepoint directory",
        ),
    ));
    steps.push(
        step(
            "preflight.taskmanagers".into(),
            "Check where the TaskManagers run".into(),
            "The script stops and starts each job cluster's TaskManagers on its JobManager host (taskmanager.sh stop-all, then start). TaskManagers on other hosts would keep the old version running and could register with the new JobManager.".into(),
        )
        .confirm("Each job cluster's TaskManagers run on its JobManager host only, or I will stop and start the others by hand at each hop.")
        .verify("The TaskManager hosts are known.")
        .rollback("Nothing has changed.")
        .source(sources::STANDALONE)
        .done(),
    );
    steps.push(
        step(
            "preflight.go".into(),
            "Go or no-go".into(),
            "The last point where stopping costs nothing.".into(),
        )
        .confirm(frame_of(c).go_no_go)
        .verify("The approver said go.")
        .rollback("No-go: nothing has changed. Reschedule the window.")
        .source(sources::UPGRADING)
        .done(),
    );
    steps
}

fn verify(c: &Context<'_>) -> Vec<Step> {
    let last = c.path.len() - 1;
    let mut steps = Vec::new();
    for (i, job) in c.s.jobs.iter().enumerate() {
        let n = i + 1;
        let new = cluster(c, n, last);
        let id = id_var(n, last, last);
        let sp = runbook::savepoint_var(n, last);
        let first = vec![
            new.version_check(&format!("the job cluster of {}", job.label())),
            new.rest_jobs_check(
                vec![id.clone()],
                format!("the job cluster of {} runs exactly this job", job.label()),
            ),
        ];
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

fn frame_of(c: &Context<'_>) -> Frame {
    runbook::target_frame(
        c,
        &format!("their Flink {} job clusters", c.path[0]),
        "one savepoint, its cluster's shutdown and the new cluster's start with the restore",
        "",
    )
}

pub fn frame(c: &Context<'_>) -> Option<Frame> {
    Some(frame_of(c))
}
