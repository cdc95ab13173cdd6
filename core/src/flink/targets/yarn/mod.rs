//! Flink on YARN: a session (`yarn-session.sh`), per-job clusters (removed in
//! 2.0) and application clusters. Every `flink` command names its YARN
//! application explicitly (`-t … -Dyarn.application.id=…`, before 1.11
//! `-m yarn-cluster -yid …`) and runs with `HADOOP_CLASSPATH` from `hadoop
//! classpath`. A hop stops each job with a savepoint against its
//! application and submits the next version from the new distribution:
//! into a new session, or as a new YARN application with a unique name that
//! the script looks up (`yarn application -list`), so a submission whose
//! client gave up is found, never repeated. Checks read the REST API
//! through the application's web proxy URL (`yarn application -status`).
//!
//! - [`commands`]: the YARN reads and the session's start and stop.
//! - [`preflight`], [`cutover`], [`rollback`] (with verify and decommission).

mod commands;
mod cutover;
mod preflight;
mod rollback;

use crate::plan::{finding, phase, Finding, Frame, Phase, PhaseId, Severity};
use crate::version::Version;

use super::super::cli::{Cluster, Yarn, YarnApp, YarnMode};
use super::super::deployment::Deployment;
use super::super::runbook::{self, Context};
use super::super::scenario::Scenario;
use super::super::sources;

/// The mode a job runs in on version `v`: per-job ends in 2.0 (its
/// replacement, application mode, takes over), application mode starts in
/// 1.11 (per-job before).
pub(crate) fn mode(d: Deployment, v: Version) -> YarnMode {
    match d {
        Deployment::YarnSession => YarnMode::Session,
        Deployment::YarnPerJob if v >= Version::minor(2, 0) => YarnMode::Application,
        Deployment::YarnApplication if v < Version::minor(1, 11) => YarnMode::PerJob,
        Deployment::YarnPerJob => YarnMode::PerJob,
        _ => YarnMode::Application,
    }
}

pub(crate) fn is_session(c: &Context<'_>) -> bool {
    c.s.deployment == Deployment::YarnSession
}

/// A per-path-index suffix: "" for the old side, `_STOP<i>`, `_NEW`.
fn at(c: &Context<'_>, i: usize) -> String {
    if i == 0 {
        String::new()
    } else if i == c.path.len() - 1 {
        "_NEW".into()
    } else {
        format!("_STOP{i}")
    }
}

/// The session at path index `i`: its application id and proxy URL
/// variables.
pub(crate) fn session_vars(c: &Context<'_>, i: usize) -> (String, String) {
    let s = if i == 0 {
        "OLD".to_string()
    } else {
        at(c, i).trim_start_matches('_').to_string()
    };
    (format!("{s}_SESSION"), format!("{s}_SESSION_URL"))
}

/// Job `n`'s application at path index `i` (or the rollback's): its id,
/// proxy URL and name variables.
pub(crate) fn app_vars(c: &Context<'_>, n: usize, i: Option<usize>) -> (String, String, String) {
    let s = match i {
        Some(i) => at(c, i),
        None => "_ROLLBACK".into(),
    };
    (
        format!("JOB{n}_APP{s}"),
        format!("JOB{n}_URL{s}"),
        format!("JOB{n}_APP_NAME{s}"),
    )
}

/// The cluster job `n` (for a session: any job) runs on at path index `i`;
/// `app` says which application the commands name.
pub(crate) fn cluster(c: &Context<'_>, i: usize, app: YarnApp, url: &str) -> Cluster {
    let mut cl = c.cluster(i);
    let last = c.path.len() - 1;
    cl.jobmanager = None;
    cl.rest = url.to_string();
    cl.yarn = Some(Yarn {
        mode: mode(c.s.deployment, c.path[i]),
        app,
        provided_lib_dirs: (i == last && !c.s.target.provided_lib_dirs.is_empty())
            .then(|| "PROVIDED_LIB_DIRS".to_string()),
    });
    cl
}

/// The running cluster of job `n` at path index `i` (a session: the
/// session at `i`).
pub(crate) fn running_cluster(c: &Context<'_>, n: usize, i: usize) -> Cluster {
    if is_session(c) {
        let (s, url) = session_vars(c, i);
        cluster(c, i, YarnApp::Id(s), &url)
    } else {
        let (app, url, _) = app_vars(c, n, Some(i));
        cluster(c, i, YarnApp::Id(app), &url)
    }
}

pub fn variables(c: &mut Context<'_>) {
    let last = c.path.len() - 1;
    if !c.s.target.provided_lib_dirs.is_empty() {
        c.text(
            "PROVIDED_LIB_DIRS",
            format!(
                "yarn.provided.lib.dirs of Flink {}: where its lib/ and plugins/ were uploaded",
                c.path[last]
            ),
            &c.s.target.provided_lib_dirs.clone(),
        );
    }
    if is_session(c) {
        let (s, url) = session_vars(c, 0);
        c.text(
            &s,
            format!("YARN application id of the Flink {} session", c.path[0]),
            &c.s.target.yarn_application.clone(),
        );
        c.captured(
            &url,
            format!("Web proxy URL of the Flink {} session", c.path[0]),
        );
        for i in 1..=last {
            let (s, url) = session_vars(c, i);
            c.text(
                &format!("{s}_NAME"),
                format!("YARN application name of the Flink {} session", c.path[i]),
                &format!("waymark-session-flink-{}", c.path[i]),
            );
            c.captured(
                &s,
                format!("YARN application id of the Flink {} session", c.path[i]),
            );
            c.captured(
                &url,
                format!("Web proxy URL of the Flink {} session", c.path[i]),
            );
        }
        return;
    }
    for n in 1..=c.s.jobs.len() {
        let who = c.s.jobs[n - 1].label().to_string();
        let (app, url, _) = app_vars(c, n, Some(0));
        c.text(
            &app,
            format!("YARN application id of {who} on Flink {}", c.path[0]),
            &c.s.jobs[n - 1].target.clone(),
        );
        c.captured(
            &url,
            format!("Web proxy URL of {who} on Flink {}", c.path[0]),
        );
        for (i, tag) in (1..=last)
            .map(|i| (Some(i), c.path[i].to_string()))
            .chain([(None, format!("rollback-flink-{}", c.path[0]))])
        {
            let v = i.map_or(c.path[0], |i| c.path[i]);
            let (app, url, name) = app_vars(c, n, i);
            let tag = if i.is_some() {
                format!("flink-{tag}")
            } else {
                tag
            };
            c.text(
                &name,
                format!("YARN application name of {who} on Flink {v}"),
                &format!("waymark-job{n}-{tag}"),
            );
            c.captured(&app, format!("YARN application id of {who} on Flink {v}"));
            c.captured(&url, format!("Web proxy URL of {who} on Flink {v}"));
        }
    }
}

pub fn findings(s: &Scenario, path: &[Version]) -> Vec<Finding> {
    let d = s.deployment;
    let mut out = vec![
        finding(
            Severity::Info,
            "flink.yarn.procedure",
            "On YARN the new version is a new YARN application, submitted from the new distribution",
            format!(
                "YARN runs whatever Flink distribution the client submits from, so each hop submits from the next version's bin/flink with HADOOP_CLASSPATH set from `hadoop classpath` (without Hadoop's classes the CLI finds no YARN executor). {} Every command names its application (-t {} -Dyarn.application.id=…, before 1.11 -m yarn-cluster -yid …), never relying on /tmp/.yarn-properties-<user>, which a session leaves behind and which would point a bare command at the old session. Each submission gets a unique yarn.application.name, which the script looks up with `yarn application -list`, so a submission whose client gave up is found rather than repeated. The checks read each application's REST API through its web proxy URL (Tracking-URL of `yarn application -status`); `flink list` cannot show what a job restored from.",
                match d {
                    Deployment::YarnSession => "The jobs move from the old session to a new session started with the new yarn-session.sh; the old session stays, without jobs, as the rollback's target until the decommission.",
                    _ => "A stop with a savepoint ends the job's application (its cluster lives as long as its job); the next version runs as a new application from the savepoint.",
                },
                mode(d, path[path.len() - 1]).target()
            ),
            "Run the script on an edge node with the Hadoop client (hadoop, yarn) and each Flink distribution of the route. Where the ResourceManager's web proxy needs Kerberos (SPNEGO), the REST checks fail: run them with a ticket and curl --negotiate, or check in the Flink web UI by hand.",
            &[sources::YARN, sources::CLI, sources::CLI_1_10],
        ),
        finding(
            Severity::Warning,
            "flink.yarn.cluster-id",
            "Never pin high-availability.cluster-id on YARN",
            "Flink sets high-availability.cluster-id to the YARN application id unless it is set, so each new application gets its own HA namespace and never recovers the old job graph. A pinned id makes the new application share the old one's ZooKeeper or Kubernetes HA data (\"multiple YARN clusters affecting each other\").",
            "Remove high-availability.cluster-id from the new installations' configuration; the pre-flight checks it.",
            &[sources::YARN_HA, sources::HA],
        ),
        finding(
            Severity::Warning,
            "flink.yarn.lib",
            "The new distribution's lib/ must hold only its own Flink jars",
            "The client ships lib/ (or points YARN at yarn.provided.lib.dirs). A lib/ mixing jars of two Flink versions, left over from copying the old installation, has broken stopping a YARN job. A yarn.provided.lib.dirs carried over from the old configuration silently keeps the old version's jars on the cluster while the client is new.",
            if s.target.provided_lib_dirs.is_empty() {
                "Keep lib/ of each new installation as the release ships it, plus your own connectors built for it. The pre-flight checks lib/ and that no installation of the route sets yarn.provided.lib.dirs (give provided-lib-dirs to use an upload of the new version).".to_string()
            } else {
                format!("Upload the new version's lib/ and plugins/ to {} before the window; the submissions pass it as -Dyarn.provided.lib.dirs and the pre-flight checks it holds flink-dist of {}. Stops on the route ship their local jars (provided-lib-dirs is the final version's).", s.target.provided_lib_dirs, path[path.len() - 1])
            },
            &[sources::YARN_CONFIG, sources::STREAMPARK_3397],
        ),
    ];
    if d == Deployment::YarnPerJob && path.iter().any(|v| *v >= Version::minor(2, 0)) {
        out.push(finding(
            Severity::Warning,
            "flink.yarn.per-job-removed",
            "Per-job mode is gone in Flink 2.0: on 2.x the jobs resume in application mode",
            "Flink 2.0 removed per-job mode and names application mode as its replacement (checked: Flink 2.0.2's `run -t yarn-per-job` finds no executor). Both run one YARN application per job; in application mode the job's main() runs on the JobManager, so the jar must hold everything main() needs and main() must not read files of the client host. The runbook therefore submits the 2.x applications with `run -t yarn-application`; a rollback to the old version resubmits in per-job mode.",
            "Rehearse the job in application mode on 2.x before the window. After the upgrade, plan the next upgrades as deployment=yarn-application.",
            &[sources::release_notes(2, 0), sources::DEPLOYMENT_MODES, sources::YARN],
        ));
    }
    if d == Deployment::YarnApplication && path.iter().any(|v| *v < Version::minor(1, 11)) {
        out.push(finding(
            Severity::Warning,
            "flink.yarn.application-before-1.11",
            format!("Application mode arrived in 1.11: on {} the jobs are per-job applications", path[0]),
            "Before 1.11 one YARN application per job means a per-job cluster (-m yarn-cluster), which this runbook stops with -yid and which the rollback resubmits; from 1.11 the jobs run in application mode (run-application).",
            "Check that each job<N>.yarn-application is the job's own per-job application.",
            &[sources::release_notes(1, 11), sources::CLI_1_10],
        ));
    }
    if path.iter().any(|v| v.same_line(Version::minor(1, 20)))
        && mode(d, Version::minor(1, 20)) == YarnMode::Application
    {
        out.push(finding(
            Severity::Info,
            "flink.yarn.run-application-1.20",
            "Flink 1.20 submits application clusters with run-application",
            "flink run -t yarn-application became application mode with FLINK-35625, which is not in 1.20: checked with the 1.20.1 CLI, `run -t yarn-application` runs main() on the client and finds no executor. So the runbook uses run-application through 1.20 and run -t yarn-application from 2.0, where run-application is gone.",
            "Nothing to do.",
            &[sources::FLINK_35625, sources::release_notes(2, 0)],
        ));
    }
    out
}

pub fn phases(c: &Context<'_>) -> Vec<Phase> {
    vec![
        phase(
            PhaseId::Prepare,
            "Before the change window: check the preconditions, install each release of the route on the edge node and rehearse the upgrade on a test YARN cluster.".into(),
            runbook::prepare::steps(c),
        ),
        phase(
            PhaseId::Preflight,
            "Right before the cutover, reading only: the Hadoop client, the distributions, their configuration and the running YARN applications are as planned. Nothing changes here.".into(),
            preflight::steps(c),
        ),
        phase(PhaseId::Cutover, cutover::intro(c), cutover::steps(c)),
        phase(
            PhaseId::Verify,
            "Confirm that every job runs on the new version, resumed from its own savepoint and checkpoints again.".into(),
            rollback::verify(c),
        ),
        phase(PhaseId::Rollback, rollback::intro(c), rollback::steps(c)),
        phase(
            PhaseId::Decommission,
            format!(
                "After the soak ({} days without a rollback): remove what the rollback needed. This cannot be undone.",
                frame_of(c).soak_days
            ),
            rollback::decommission(c),
        ),
    ]
}

fn frame_of(c: &Context<'_>) -> Frame {
    let what = if is_session(c) {
        "session"
    } else {
        "applications"
    };
    runbook::target_frame(
        c,
        &format!("their Flink {} YARN {what}", c.path[0]),
        "one savepoint and one YARN submission with its restore",
        ", plus container allocation",
    )
}

pub fn frame(c: &Context<'_>) -> Option<Frame> {
    Some(frame_of(c))
}
