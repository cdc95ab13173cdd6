//! The YARN targets (session, per-job, application): the CLI forms per
//! version, what each phase does, resume and rollback properties, and the
//! goldens in golden/flink-yarn.

mod common;

use common::*;
use waymark_core::plan::{PhaseId, Plan};

pub const SCENARIOS: [(&str, &str); 5] = [
    (
        "session-1.18-1.20",
        "platform=flink&from=1.18&to=1.20&deployment=yarn-session&uids=all\
         &yarn-application=application_1700000000000_0001&savepoint-dir=hdfs:///flink/savepoints\
         &job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.name=orders&job1.jar=/apps/orders.jar\
         &job1.class=com.acme.Orders&job1.args=--env%20prod&job1.parallelism=4\
         &job2.id=0f9e8d7c6b5a49382716051423324150&job2.name=payments&job2.jar=/apps/payments.jar",
    ),
    (
        "per-job-1.19-2.0",
        "platform=flink&from=1.19&to=2.0&deployment=yarn-per-job&uids=all\
         &savepoint-dir=hdfs:///flink/savepoints\
         &job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.name=orders&job1.jar=/apps/orders-2.0.jar\
         &job1.old-jar=/apps/orders-1.19.jar&job1.class=com.acme.Orders\
         &job1.yarn-application=application_1700000000000_0002",
    ),
    (
        "application-1.10-1.20",
        "platform=flink&from=1.10&to=1.20&deployment=yarn-application&uids=all\
         &savepoint-dir=hdfs:///flink/savepoints\
         &job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.name=orders&job1.jar=/apps/orders.jar\
         &job1.class=com.acme.Orders&job1.parallelism=2\
         &job1.yarn-application=application_1700000000000_0002",
    ),
    (
        "application-stops-1.12-1.20-provided-lib-dirs",
        "platform=flink&from=1.12&to=1.20&via=1.16&deployment=yarn-application&uids=all\
         &provided-lib-dirs=hdfs:///flink/dist/1.20.1/lib;hdfs:///flink/dist/1.20.1/plugins\
         &job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.name=orders&job1.jar=/apps/orders.jar\
         &job1.yarn-application=application_1700000000000_0002",
    ),
    (
        "session-stops-1.9-1.20",
        "platform=flink&from=1.9&to=1.20&via=1.13&deployment=yarn-session&uids=all\
         &yarn-application=application_1700000000000_0001&savepoint-dir=hdfs:///flink/savepoints\
         &job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.name=orders&job1.jar=/apps/orders.jar",
    ),
];

#[test]
fn runbooks_match_the_golden_files() {
    common::golden::check("flink-yarn", &SCENARIOS);
}

fn by_name(name: &str) -> Plan {
    plan(SCENARIOS.iter().find(|s| s.0 == name).unwrap().1)
}

fn cmds(p: &Plan, id: &str) -> Vec<String> {
    p.steps()
        .filter(|(_, s)| s.id == id)
        .flat_map(|(_, s)| s.commands.iter().map(|c| p.show(c)))
        .collect()
}

/// Every flink command line of the plan.
fn flink_lines(p: &Plan) -> Vec<String> {
    let mut out = Vec::new();
    for (_, s) in p.steps() {
        for c in s
            .commands
            .iter()
            .chain(s.checks.iter().map(|k| &k.command))
            .chain(s.commands.iter().filter_map(|c| c.recover.as_deref()))
        {
            let t = p.show(c);
            if t.contains("/bin/flink ") {
                out.push(t);
            }
        }
    }
    out
}

#[test]
fn every_flink_command_names_its_application_and_sets_the_hadoop_classpath() {
    for (name, _) in SCENARIOS {
        let p = by_name(name);
        let lines = flink_lines(&p);
        assert!(!lines.is_empty(), "{name}");
        for l in lines {
            assert!(
                l.contains("HADOOP_CLASSPATH=\"$(hadoop classpath)\""),
                "{name}: {l}"
            );
            let named = l.contains("-Dyarn.application.id=")
                || l.contains("-yid ")
                || l.contains("-Dyarn.application.name=")
                || l.contains("-ynm ");
            assert!(
                named,
                "{name}: a command that could fall back to the yarn-properties file: {l}"
            );
        }
    }
}

#[test]
fn the_cli_form_follows_the_version_that_runs_it() {
    let p = by_name("application-1.10-1.20");
    // 1.10 has no -t and no application mode: per-job forms.
    assert!(cmds(&p, "cutover.1.stop.1")[0].contains("/opt/flink-1.10/bin/flink stop -m yarn-cluster -yid application_1700000000000_0002 --savepointPath"));
    let resume = &cmds(&p, "cutover.1.resume.1")[0];
    assert!(resume.contains("/opt/flink-1.20/bin/flink run-application -t yarn-application -Dyarn.application.name=waymark-job1-flink-1.20 -s \"$JOB1_SAVEPOINT\" --claimMode no_claim"), "{resume}");
    let back = &cmds(&p, "rollback.resume.1")[0];
    assert!(back.contains("/opt/flink-1.10/bin/flink run -m yarn-cluster -ynm waymark-job1-rollback-flink-1.10 -d -s \"$JOB1_SAVEPOINT\""), "{back}");
    assert!(p
        .findings
        .iter()
        .any(|f| f.code == "flink.yarn.application-before-1.11"));

    let p = by_name("per-job-1.19-2.0");
    let stop = &cmds(&p, "cutover.1.stop.1")[0];
    assert!(
        stop.contains(
            "flink stop -t yarn-per-job -Dyarn.application.id=application_1700000000000_0002"
        ),
        "{stop}"
    );
    let resume = &cmds(&p, "cutover.1.resume.1")[0];
    assert!(
        resume.contains("/opt/flink-2.0/bin/flink run -t yarn-application"),
        "per-job resumes in application mode on 2.x: {resume}"
    );
    assert!(!resume.contains(" -d "), "{resume}");
    let back = &cmds(&p, "rollback.resume.1")[0];
    assert!(
        back.contains("/opt/flink-1.19/bin/flink run -t yarn-per-job")
            && back.contains("/apps/orders-1.19.jar"),
        "{back}"
    );
    assert!(p
        .findings
        .iter()
        .any(|f| f.code == "flink.yarn.per-job-removed"));
}

#[test]
fn submissions_are_found_by_their_unique_name_so_nothing_is_submitted_twice() {
    let p = by_name("per-job-1.19-2.0");
    let step = p
        .steps()
        .find(|(_, s)| s.id == "cutover.1.resume.1")
        .unwrap()
        .1;
    let submit = &step.commands[0];
    assert_eq!(submit.capture.as_ref().unwrap().var, "JOB1_APP_NEW");
    let read = submit
        .recover
        .as_deref()
        .expect("the lookup recovers the application id");
    assert!(p
        .show(read)
        .contains("yarn application -list -appStates RUNNING,ACCEPTED"));
    assert!(
        p.show(read).contains("0) exit 3"),
        "none found: safe to submit again"
    );
    assert!(
        step.commands.iter().all(|c| c.recover.is_some()),
        "url and job id reads recover too"
    );
    // Sessions: the new session's id likewise.
    let p = by_name("session-1.18-1.20");
    let start = &cmds(&p, "cutover.1.start-session")[0];
    assert!(
        start.contains(
            "/opt/flink-1.20/bin/yarn-session.sh --detached -nm waymark-session-flink-1.20"
        ),
        "{start}"
    );
    assert!(cmds(&p, "cutover.1.resume.1")[0]
        .contains("flink run -t yarn-session -Dyarn.application.id=\"${NEW_SESSION}\" -d -s"));
}

#[test]
fn the_old_session_stays_for_the_rollback_and_goes_only_in_the_decommission() {
    let p = by_name("session-stops-1.9-1.20");
    for (phase, s) in p.steps() {
        for c in &s.commands {
            let t = p.show(c);
            if t.contains("yarn-session.sh -id application_1700000000000_0001") {
                assert_eq!(phase.id, PhaseId::Decommission, "{}: {t}", s.id);
                assert!(c.irreversible);
            }
        }
    }
    // The stop's session goes once its jobs moved on; the rollback stops only what exists.
    assert!(
        cmds(&p, "cutover.2.stop-session")[0].contains("yarn-session.sh -id \"$STOP1_SESSION\"")
    );
    let cancel = p
        .steps()
        .find(|(_, s)| s.id == "rollback.cancel")
        .unwrap()
        .1;
    assert!(cancel
        .commands
        .iter()
        .all(|c| c.only_if_set.is_some() && c.may_fail));
    let resume = &cmds(&p, "rollback.resume.1")[0];
    assert!(resume.contains("/opt/flink-1.9/bin/flink run -m yarn-cluster -yid application_1700000000000_0001 -d -s \"$JOB1_SAVEPOINT\""), "{resume}");
}

#[test]
fn the_preflight_checks_the_hadoop_client_lib_ha_id_and_provided_lib_dirs() {
    let p = by_name("application-stops-1.12-1.20-provided-lib-dirs");
    let ids: Vec<&str> = p
        .phases
        .iter()
        .find(|ph| ph.id == PhaseId::Preflight)
        .unwrap()
        .steps
        .iter()
        .map(|s| s.id.as_str())
        .collect();
    for want in [
        "preflight.hadoop",
        "preflight.installations",
        "preflight.config",
        "preflight.provided-lib-dirs",
        "preflight.applications",
        "preflight.go",
    ] {
        assert!(ids.contains(&want), "{ids:?}");
    }
    let config = p
        .steps()
        .find(|(_, s)| s.id == "preflight.config")
        .unwrap()
        .1;
    let holds: Vec<&str> = config.checks.iter().map(|k| k.holds.as_str()).collect();
    assert!(
        holds
            .iter()
            .any(|h| h.contains("high-availability.cluster-id")),
        "{holds:?}"
    );
    // The stop ships its own jars: no provided lib dirs may linger in its configuration.
    assert!(
        holds
            .iter()
            .any(|h| h.contains("flink-1.16") && h.contains("yarn.provided.lib.dirs")),
        "{holds:?}"
    );
    let resume = &cmds(&p, "cutover.2.resume.1")[0];
    assert!(resume.contains("-Dyarn.provided.lib.dirs='hdfs:///flink/dist/1.20.1/lib;hdfs:///flink/dist/1.20.1/plugins'"), "{resume}");
    assert!(
        !cmds(&p, "cutover.1.resume.1")[0].contains("provided.lib.dirs"),
        "the stop ships its local jars"
    );
    let upload = p
        .steps()
        .find(|(_, s)| s.id == "preflight.provided-lib-dirs")
        .unwrap()
        .1;
    assert_eq!(
        p.show(&upload.checks[0].command),
        "hadoop fs -ls -R hdfs:///flink/dist/1.20.1/lib hdfs:///flink/dist/1.20.1/plugins"
    );
}

#[test]
fn rest_checks_read_through_the_web_proxy_url_captured_from_yarn() {
    let p = by_name("per-job-1.19-2.0");
    let step = p
        .steps()
        .find(|(_, s)| s.id == "cutover.1.resume.1")
        .unwrap()
        .1;
    assert!(p
        .show(&step.commands[1])
        .contains("yarn application -status \"$JOB1_APP_NEW\""));
    for k in step
        .checks
        .iter()
        .filter(|k| p.show(&k.command).starts_with("curl"))
    {
        assert!(
            p.show(&k.command).contains("\"${JOB1_URL_NEW}\"/"),
            "{}",
            p.show(&k.command)
        );
    }
}
