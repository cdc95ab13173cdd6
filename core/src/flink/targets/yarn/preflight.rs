//! The YARN pre-flight, reading only: the Hadoop client, each distribution
//! (its version, a lib/ of one Flink version), the configuration (no pinned
//! HA cluster-id, no stale provided lib dirs), the upload of the new lib/,
//! the savepoint directory, the jars, and the running applications with
//! exactly the planned jobs; then the go/no-go.

use crate::plan::{step, Check, Command, Expect, Step, Word};

use super::super::super::config_file;
use super::super::super::runbook::{self, id_var, lit, var, Context};
use super::super::super::sources;
use super::{commands, is_session, running_cluster, session_vars};

pub fn steps(c: &Context<'_>) -> Vec<Step> {
    let last = c.path.len() - 1;
    let mut steps = vec![step(
        "preflight.hadoop".into(),
        "Check the Hadoop client".into(),
        "Every flink command runs with HADOOP_CLASSPATH=\"$(hadoop classpath)\", and the script reads YARN with the yarn command.".into(),
    )
    .check(Check::new(Command::local(vec![lit("hadoop"), lit("classpath")]), Expect::Matches("yarn".into()), "hadoop classpath names the YARN client jars"))
    .check(Check::new(Command::local(vec![lit("yarn"), lit("version")]), Expect::Success, "the yarn command runs"))
    .verify("Both commands work on this host.")
    .rollback("Install or configure the Hadoop client on this edge node (HADOOP_CONF_DIR pointing at the cluster's configuration); nothing has changed.")
    .source(sources::YARN)
    .done()];

    let mut installs = step(
        "preflight.installations".into(),
        "Check the installations".into(),
        "Each distribution is the Flink version the plan expects, and its lib/ holds no Flink jar of another version: the client ships lib/ to YARN.".into(),
    );
    for i in 0..=last {
        let v = c.path[i];
        let home = c.cluster(i).home;
        let lib = Word::Join(vec![var(home.clone()), lit("/lib")]);
        let ver = v.to_string().replace('.', "\\.");
        let own = if v.patch.is_some() {
            format!("-{ver}\\.jar$")
        } else {
            format!("-{ver}\\.[0-9]+\\.jar$")
        };
        installs = installs
            .check(Check::new(
                Command::local(vec![lit("ls"), lib.clone()]),
                Expect::Matches(format!("^flink-dist[_0-9.]*{own}")),
                format!(
                    "{} holds Flink {v} (lib/flink-dist-{v}…jar)",
                    c.home_path(i)
                ),
            ))
            .check(Check::new(
                Command::local(vec![
                    lit("ls"),
                    lib,
                    Word::Raw(
                        "| grep -E '^flink-.*-[0-9]+\\.[0-9]+\\.[0-9]+\\.jar$' | grep -vE --",
                    ),
                    lit(own.clone()),
                    Word::Raw("|| true"),
                ]),
                Expect::Output(String::new()),
                format!(
                    "{}/lib holds no Flink jar of another version",
                    c.home_path(i)
                ),
            ));
    }
    steps.push(
        installs
            .verify("Every distribution is in place, each lib/ of one Flink version.")
            .rollback("Install the missing release (prepare phase), or remove the jars of the other version from lib/; nothing has changed.")
            .source(sources::YARN)
            .source(sources::STREAMPARK_3397)
            .done(),
    );

    let mut config = runbook::preflight::config_step(c).unwrap_or_else(|| {
        step(
            "preflight.config".into(),
            "Check the new installations' configuration".into(),
            String::new(),
        )
        .verify("Each new installation's configuration is fit for YARN.")
        .rollback("Fix the configuration, then run again; nothing has changed.")
        .source(sources::YARN_HA)
        .done()
    });
    config.detail.push_str(" On YARN, Flink sets high-availability.cluster-id to the application id; a pinned one would share the old application's HA data. A carried-over yarn.provided.lib.dirs would keep the old version's jars.");
    for i in 1..=last {
        let cl = c.cluster(i);
        let home = c.home_path(i);
        let v = c.path[i];
        config.checks.push(Check::new(
            config_file::read(&cl.home, v),
            Expect::LacksMatch("^high-availability\\.cluster-id:".into()),
            format!("the configuration of {home} does not pin high-availability.cluster-id"),
        ));
        if i != last || c.s.target.provided_lib_dirs.is_empty() {
            config.checks.push(Check::new(
                config_file::read(&cl.home, v),
                Expect::LacksMatch("^yarn\\.provided\\.lib\\.dirs:".into()),
                format!("the configuration of {home} sets no yarn.provided.lib.dirs (it would ship another version's jars)"),
            ));
        }
    }
    config.sources.push(sources::YARN_HA);
    steps.push(config);

    if !c.s.target.provided_lib_dirs.is_empty() {
        let v = c.path[last];
        let mut words = vec![lit("hadoop"), lit("fs"), lit("-ls"), lit("-R")];
        words.extend(
            c.s.target
                .provided_lib_dirs
                .split(';')
                .filter(|d| !d.is_empty())
                .map(|d| lit(d.to_owned())),
        );
        steps.push(
            step(
                "preflight.provided-lib-dirs".into(),
                format!("Check the upload of the Flink {v} jars"),
                "The submissions of the new version pass yarn.provided.lib.dirs: YARN takes Flink's jars from there instead of the client's lib/.".into(),
            )
            .check(Check::new(
                Command::local(words),
                Expect::Matches(format!("flink-dist[_0-9.]*-{}", v.to_string().replace('.', "\\."))),
                format!("{} holds flink-dist of {v}", c.s.target.provided_lib_dirs),
            ))
            .verify(format!("The provided lib dirs hold the lib/ and plugins/ of Flink {v}."))
            .rollback(format!("Upload lib/ and plugins/ of {} there (hadoop fs -put), then run again.", c.home_path(last)))
            .source(sources::YARN_CONFIG)
            .done(),
        );
    }

    steps.push(runbook::preflight::savepoint_dir_with(
        c,
        Check::new(
            config_file::read(&c.cluster(0).home, c.path[0]),
            Expect::Matches(
                "^(state\\.savepoints\\.dir|execution\\.checkpointing\\.savepoint-dir):".into(),
            ),
            format!(
                "the configuration of {} sets a savepoint directory",
                c.home_path(0)
            ),
        ),
    ));

    let mut jars = step(
        "preflight.jars".into(),
        "Check the job jars".into(),
        "The jars the cutover and the rollback submit exist on this host.".into(),
    );
    for (k, job) in c.s.jobs.iter().enumerate() {
        let n = k + 1;
        let mut names = vec![format!("JOB{n}_JAR")];
        for i in 1..last {
            let j = runbook::jar_var(c, n, i);
            if !names.contains(&j) {
                names.push(j);
            }
        }
        if !job.old_jar.is_empty() {
            names.push(format!("JOB{n}_OLD_JAR"));
        }
        for j in names {
            jars = jars.check(Check::new(
                Command::local(vec![lit("test"), lit("-f"), var(j.clone())]),
                Expect::Success,
                format!("{j} of {} is a file here", job.label()),
            ));
        }
    }
    if !c.s.jobs.is_empty() {
        steps.push(
            jars.verify("Every jar of the plan is a file on this host.")
                .rollback("Fix the jar path or copy the jar here, and run again.")
                .source(sources::CLI)
                .done(),
        );
    }

    let mut apps = step(
        "preflight.applications".into(),
        "Check the running YARN applications".into(),
        if is_session(c) {
            "The old session runs, with exactly the planned jobs: a job the plan does not know would stay behind on it.".into()
        } else {
            "Each job's YARN application runs, with exactly that job.".into()
        },
    );
    if is_session(c) {
        let (s, _) = session_vars(c, 0);
        apps = apps
            .check(commands::running(
                &s,
                format!(
                    "the Flink {} session ({}) runs",
                    c.path[0], c.s.target.yarn_application
                ),
            ))
            .check(running_cluster(c, 1, 0).jobs_check(
                (1..=c.s.jobs.len()).map(|n| id_var(n, 0, last)).collect(),
                "the old session runs exactly the planned jobs".into(),
            ));
    } else {
        for (k, job) in c.s.jobs.iter().enumerate() {
            let n = k + 1;
            let (app, _, _) = super::app_vars(c, n, Some(0));
            apps = apps
                .check(commands::running(
                    &app,
                    format!(
                        "the YARN application of {} ({}) runs",
                        job.label(),
                        job.target
                    ),
                ))
                .check(running_cluster(c, n, 0).jobs_check(
                    vec![id_var(n, 0, last)],
                    format!("the application of {} runs exactly its job", job.label()),
                ));
        }
    }
    steps.push(
        apps.verify("flink list shows each planned job id in its application, and no other.")
            .rollback("Fix the application ids (yarn-application, job<N>.yarn-application) or the job ids in the plan, and run again.")
            .source(sources::YARN)
            .done(),
    );

    steps.push(
        step(
            "preflight.go".into(),
            "Go or no-go".into(),
            "The last point where stopping costs nothing.".into(),
        )
        .confirm(super::frame_of(c).go_no_go)
        .verify("The approver said go.")
        .rollback("No-go: nothing has changed. Reschedule the window.")
        .source(sources::UPGRADING)
        .done(),
    );
    steps
}
