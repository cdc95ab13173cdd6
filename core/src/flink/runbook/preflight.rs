//! Pre-flight: reads only, right before the cutover. Each installation is
//! there and is the planned version, the jars exist, the savepoint directory
//! is set, the clusters answer and exactly the planned jobs run; then the
//! go/no-go, a person's decision.

use crate::plan::{step, Check, Command, Expect, Step};

use super::super::scenario::Strategy;
use super::super::sources;
use super::{frame, id_var, lit, var, Context};

pub fn steps(c: &Context<'_>) -> Vec<Step> {
    let s = c.s;
    let mut steps = Vec::new();

    let mut clusters = step(
        "preflight.clusters".into(),
        "Check the running clusters".into(),
        "The old cluster answers as the planned version".to_string()
            + if s.strategy == Strategy::ShadowCopy {
                ", and so does the new one started in prepare."
            } else {
                "."
            },
    );
    let old = c.cluster(0);
    clusters = clusters
        .check(old.up_check(&c.name(0)).waiting(0))
        .check(old.version_check(&c.name(0)).waiting(0));
    if s.strategy == Strategy::ShadowCopy {
        let new = c.cluster(1);
        clusters = clusters
            .check(new.up_check(&c.name(1)).waiting(0))
            .check(new.version_check(&c.name(1)).waiting(0));
        // Each job counts its parallelism; one without counts one slot.
        let needed: u32 = s.jobs.iter().map(|j| j.parallelism.unwrap_or(1)).sum();
        if needed > 0 {
            clusters = clusters.check(new.slots_check(needed, &c.name(1)).waiting(0));
        }
    }
    steps.push(
        clusters
            .verify("Each cluster's REST API answers as its planned version.")
            .rollback("Check the REST addresses (old-jobmanager, new-jobmanager) and that the clusters run; nothing has changed.")
            .source(sources::REST)
            .done(),
    );

    steps.push(installations(c));

    if let Some(config) = config_step(c) {
        steps.push(config);
    }
    steps.extend(rest(c));
    steps
}

/// Each installation directory holds the Flink version the plan expects.
pub(in crate::flink) fn installations(c: &Context<'_>) -> Step {
    let last = c.path.len() - 1;
    let mut installs = step(
        "preflight.installations".into(),
        "Check the installations".into(),
        "Each installation directory holds the Flink version the plan expects.".into(),
    );
    for i in 0..=last {
        let cl = c.cluster(i);
        let v = c.path[i];
        let dist = match v.patch {
            Some(_) => format!(
                "^flink-dist[_0-9.]*-{}\\.jar$",
                v.to_string().replace('.', "\\.")
            ),
            None => format!(
                "^flink-dist[_0-9.]*-{}\\.[0-9]+\\.jar$",
                v.to_string().replace('.', "\\.")
            ),
        };
        installs = installs.check(Check::new(
            Command::local(vec![
                lit("ls"),
                crate::plan::Word::Join(vec![var(cl.home.clone()), lit("/lib")]),
            ]),
            Expect::Matches(dist),
            format!(
                "{} holds Flink {v} (lib/flink-dist-{v}…jar)",
                c.home_path(i)
            ),
        ));
    }
    installs
        .verify("Every installation is in place on this host.")
        .rollback("Install the missing release (prepare phase) and run again; nothing has changed.")
        .source(sources::UPGRADING)
        .done()
}

/// The jars, the savepoint directory, the planned jobs and the go/no-go.
fn rest(c: &Context<'_>) -> Vec<Step> {
    let s = c.s;
    let last = c.path.len() - 1;
    let mut steps = Vec::new();
    let mut jars = step(
        "preflight.jars".into(),
        "Check the job jars".into(),
        "The jars the cutover and the rollback submit exist on this host.".into(),
    );
    for (i, job) in s.jobs.iter().enumerate() {
        let n = i + 1;
        let mut names = vec![(format!("JOB{n}_JAR"), job.jar.clone())];
        for i in 1..last {
            let name = super::jar_var(c, n, i);
            if name != names[0].0 {
                names.push((name, job.stop_jars[i - 1].clone()));
            }
        }
        if !job.old_jar.is_empty() {
            names.push((format!("JOB{n}_OLD_JAR"), job.old_jar.clone()));
        }
        for (name, path) in names {
            jars = jars.check(Check::new(
                Command::local(vec![lit("test"), lit("-f"), var(name.clone())]),
                Expect::Success,
                format!("{path} exists ({} of {})", name, job.label()),
            ));
        }
    }
    if !s.jobs.is_empty() {
        steps.push(
            jars.verify("Every jar of the plan is a file on this host.")
                .rollback("Fix the jar path in the scenario, or copy the jar here, and run again.")
                .source(sources::CLI)
                .done(),
        );
    }

    steps.push(savepoint_dir(c));

    let ids: Vec<String> = (1..=s.jobs.len()).map(|n| id_var(n, 0, last)).collect();
    let old = c.cluster(0);
    steps.push(
        step(
            "preflight.jobs".into(),
            "Check that exactly the planned jobs run".into(),
            format!(
                "The old cluster runs the {} of this plan and nothing else: a job the plan does not know would be killed without a savepoint when the cluster stops.",
                if s.jobs.len() == 1 { "job".to_string() } else { format!("{} jobs", s.jobs.len()) }
            ),
        )
        .check(old.jobs_check(
            ids.clone(),
            format!("{} runs exactly the planned jobs", c.name(0)),
        ))
        .check(old.rest_jobs_check(
            ids,
            format!("the REST API at {} lists the same jobs, so the checks read the cluster the commands change", c.rest_text(0)),
        ))
        .verify("flink list -r shows each planned job id and no other, and so does the REST API the checks read.")
        .rollback("Add the missing jobs to the plan (job<N>.id), or stop the extra ones deliberately, then run again.")
        .source(sources::UPGRADING)
        .done(),
    );

    steps.push(go(c));
    steps
}

/// The go/no-go, a person's decision that ends every pre-flight.
pub(in crate::flink) fn go(c: &Context<'_>) -> Step {
    step(
        "preflight.go".into(),
        "Go or no-go".into(),
        "The last point where stopping costs nothing.".into(),
    )
    .confirm(frame(c).go_no_go)
    .verify("The approver said go.")
    .rollback("No-go: nothing has changed. Reschedule the window.")
    .source(sources::UPGRADING)
    .done()
}

/// The configuration of each installation the jobs move to: a file its
/// version reads, no option that version removed, and the savepoint
/// directory's file system.
pub(crate) fn config_step(c: &Context<'_>) -> Option<Step> {
    use super::super::{config_file, filesystems};
    let last = c.path.len() - 1;
    let mut st = step(
        "preflight.config".into(),
        "Check the new installations' configuration".into(),
        "Flink ignores options it does not know: a key the new version removed silently falls back to its default. And the savepoints can only be read back if the file system they are on is set up.".into(),
    );
    let mut any = false;
    for i in 1..=last {
        let cl = c.cluster(i);
        let v = c.path[i];
        let home = c.home_path(i);
        if v.major >= 2 && c.path[i - 1].major < 2 {
            any = true;
            st = st.check(Check::new(
                config_file::read(&cl.home, v),
                Expect::LacksMatch(config_file::removed_pattern()),
                format!("the configuration of {home} (conf/config.yaml) sets none of the options Flink 2.0 removed"),
            ));
        }
        if let Some(check) = filesystems::check(&c.s.savepoint_dir, &cl.home, &home, v) {
            any = true;
            st = st.check(check);
        }
    }
    any.then(|| {
        st.verify("Each new installation reads a configuration without removed options and reaches the savepoint directory.")
            .rollback("Fix the configuration (the findings list the replacements) or install the file system plugin, then run again; nothing has changed.")
            .source(super::super::sources::release_notes(2, 0))
            .source(filesystems::FILESYSTEMS)
            .done()
    })
}

/// The savepoint directory is set, and writable when it is a local path.
fn savepoint_dir(c: &Context<'_>) -> Step {
    savepoint_dir_with(
        c,
        Check::new(
            c.cluster(0).rest_read(&[lit("/jobmanager/config")]),
            Expect::Matches(
                "state\\.savepoints\\.dir|execution\\.checkpointing\\.savepoint-dir".into(),
            ),
            format!("{} sets a savepoint directory", c.name(0)),
        ),
    )
}

/// [`savepoint_dir`], reading the old configuration with `configured` when
/// the plan names no directory.
pub(crate) fn savepoint_dir_with(c: &Context<'_>, configured: Check) -> Step {
    let s = c.s;
    let st = step(
        "preflight.savepoint-dir".into(),
        "Check the savepoint directory".into(),
        String::new(),
    )
    .verify("The savepoint directory is set, and reachable by both clusters.")
    .rollback("Set the savepoint directory (savepoint-dir, or state.savepoints.dir in the old cluster's configuration) and run again.")
    .source(sources::SAVEPOINTS);
    if s.savepoint_dir.is_empty() {
        // The old cluster's configuration must name one (the key was renamed in 1.20).
        return st
            .detail("The plan names no savepoint directory, so the old cluster's configuration must.".into())
            .check(configured)
            .confirm("The configured savepoint directory is readable from the new cluster under the same path.")
            .done();
    }
    if s.savepoint_dir.starts_with('/') {
        return st
            .detail(format!("{} is a local path: it must exist and be writable here, and be the same shared directory on every host of both clusters.", s.savepoint_dir))
            .check(Check::new(
                Command::local(vec![lit("test"), lit("-d"), var("SAVEPOINT_DIR"), lit("-a"), lit("-w"), var("SAVEPOINT_DIR")]),
                Expect::Success,
                format!("{} exists and is writable", s.savepoint_dir),
            ))
            .confirm("The directory is shared storage that every JobManager and TaskManager of both versions reaches under the same path.")
            .done();
    }
    st.detail(format!(
        "{} is on a file system the script cannot test from here.",
        s.savepoint_dir
    ))
    .confirm(format!(
        "The old cluster can write to {} and the new one can read it (the file system's plugin or Hadoop classpath is set up in both installations).",
        s.savepoint_dir
    ))
    .done()
}
