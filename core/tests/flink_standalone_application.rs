//! The standalone application target: each job's own cluster, what each
//! phase does, resume and rollback properties, and goldens in
//! golden/flink-standalone-application.

mod common;

use common::*;
use waymark_core::plan::{Host, PhaseId, Plan, Severity, Verdict};

const JOB: &str = "&job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.name=orders&job1.jar=/apps/orders.jar&job1.class=com.acme.Orders&job1.parallelism=4";

pub const SCENARIOS: [(&str, &str); 4] = [
    (
        "local-1.19-1.20",
        "platform=flink&from=1.19&to=1.20&deployment=standalone-application&uids=all\
         &savepoint-dir=s3://flink-state/savepoints\
         &job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.name=orders&job1.jar=/apps/orders.jar\
         &job1.class=com.acme.Orders&job1.args=--env%20prod&job1.parallelism=4",
    ),
    (
        "two-hosts-1.18-2.0",
        "platform=flink&from=1.18&to=2.0&deployment=standalone-application&uids=all\
         &savepoint-dir=hdfs:///flink/savepoints\
         &job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.name=orders&job1.jar=/apps/orders.jar\
         &job1.jobmanager=orders-jm.internal:8081\
         &job2.id=0f9e8d7c6b5a49382716051423324150&job2.name=payments&job2.jar=/apps/payments.jar\
         &job2.old-jar=/apps/payments-1.18.jar&job2.jobmanager=payments-jm.internal:8081",
    ),
    (
        "stops-1.12-1.20",
        "platform=flink&from=1.12&to=1.20&via=1.16&deployment=standalone-application&uids=all\
         &job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.name=orders&job1.jar=/apps/orders.jar\
         &job1.stop1-jar=/apps/orders-1.16.jar&job1.parallelism=2",
    ),
    (
        "blocked-shared-host",
        "platform=flink&from=1.19&to=1.20&deployment=standalone-application\
         &job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.jar=/apps/a.jar&job1.jobmanager=jm.internal:8081\
         &job2.id=0f9e8d7c6b5a49382716051423324150&job2.jar=/apps/b.jar&job2.jobmanager=jm.internal:8082",
    ),
];

#[test]
fn runbooks_match_the_golden_files() {
    common::golden::check("flink-standalone-application", &SCENARIOS);
}

fn app_plan(from: &str, to: &str, extra: &str) -> Plan {
    plan(&link(
        from,
        to,
        &format!("&deployment=standalone-application&uids=all{JOB}{extra}"),
    ))
}

fn cmds(p: &Plan, id: &str) -> Vec<String> {
    p.steps()
        .filter(|(_, s)| s.id == id)
        .flat_map(|(_, s)| s.commands.iter().map(|c| p.show(c)))
        .collect()
}

#[test]
fn a_hop_stops_through_the_jobmanager_waits_for_it_to_exit_and_starts_the_new_job_cluster_from_the_savepoint(
) {
    let p = app_plan("1.19", "1.20", "");
    assert_eq!(p.verdict, Verdict::Direct);
    let stop = cmds(&p, "cutover.1.stop.1");
    assert_eq!(
        stop,
        ["/opt/flink-1.19/bin/flink stop -m localhost:8081 a1b2c3d4e5f60718293a4b5c6d7e8f90"]
    );
    let step = p
        .steps()
        .find(|(_, s)| s.id == "cutover.1.stop.1")
        .unwrap()
        .1;
    assert!(
        step.checks
            .iter()
            .any(|k| k.holds.contains("no longer answers")),
        "waits for the JobManager to exit"
    );
    assert_eq!(
        cmds(&p, "cutover.1.stop-taskmanagers.1"),
        ["/opt/flink-1.19/bin/taskmanager.sh stop-all"]
    );
    assert_eq!(
        cmds(&p, "cutover.1.usrlib.1")[1],
        "cp -f -- /apps/orders.jar /opt/flink-1.20/usrlib/"
    );
    let resume = cmds(&p, "cutover.1.resume.1");
    assert!(
        resume[0].starts_with("printf 'job id: %s\\n' "),
        "{resume:?}"
    );
    assert_eq!(
        resume[1],
        "/opt/flink-1.20/bin/standalone-job.sh start --job-classname com.acme.Orders --job-id \"$JOB1_NEW_ID\" --fromSavepoint \"$JOB1_SAVEPOINT\" -Dexecution.state-recovery.claim-mode=NO_CLAIM -Dparallelism.default=4"
    );
    assert_eq!(resume[2], "/opt/flink-1.20/bin/taskmanager.sh start");
}

#[test]
fn the_fixed_job_ids_differ_per_start_and_from_the_old_id() {
    let p = app_plan("1.15", "1.20", "&via=1.17");
    let ids: Vec<String> = [
        "cutover.1.resume.1",
        "cutover.2.resume.1",
        "rollback.resume.1",
    ]
    .iter()
    .map(|s| cmds(&p, s)[0].rsplit(' ').next().unwrap().to_string())
    .collect();
    assert_eq!(ids.len(), 3);
    for id in &ids {
        assert_eq!(id.len(), 32, "{id}");
        assert_ne!(id, JOB_ID);
    }
    assert!(
        ids[0] != ids[1] && ids[1] != ids[2] && ids[0] != ids[2],
        "{ids:?}"
    );
    // The claim-mode key of each version.
    assert!(
        cmds(&p, "cutover.1.resume.1")[1].contains("-Dexecution.savepoint-restore-mode=NO_CLAIM")
    );
    assert!(cmds(&p, "cutover.2.resume.1")[1]
        .contains("-Dexecution.state-recovery.claim-mode=NO_CLAIM"));
}

#[test]
fn a_remote_jobmanager_host_runs_the_daemons_over_ssh_and_the_cli_locally() {
    let p = plan(&link("1.19", "1.20", "&deployment=standalone-application&job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.jar=/j.jar&job1.jobmanager=jm1.internal:8081"));
    for (_, s) in p.steps().filter(|(ph, _)| ph.id == PhaseId::Cutover) {
        for c in &s.commands {
            let text = p.show(c);
            if text.contains("standalone-job.sh")
                || text.contains("taskmanager.sh")
                || text.starts_with("cp ")
            {
                assert!(
                    matches!(&c.host, Host::Ssh { target, .. } if target == "JOB1_HOST"),
                    "{}: {text}",
                    s.id
                );
            }
            if text.contains("bin/flink ") {
                assert_eq!(c.host, Host::Local, "{text}");
            }
        }
    }
    assert!(p.variables.iter().any(|v| v.name == "JOB1_HOST"));
}

#[test]
fn the_rollback_undoes_only_what_happened_and_restarts_from_the_old_savepoint() {
    let p = app_plan("1.19", "1.20", "");
    let stop = p
        .steps()
        .find(|(_, s)| s.id == "rollback.stop-new.1")
        .unwrap()
        .1;
    assert!(stop
        .commands
        .iter()
        .all(|c| c.only_if_set.as_deref() == Some("JOB1_NEW_ID") && c.may_fail));
    let resume = p
        .steps()
        .find(|(_, s)| s.id == "rollback.resume.1")
        .unwrap()
        .1;
    assert!(resume
        .commands
        .iter()
        .all(|c| c.only_if_set.as_deref() == Some("JOB1_SAVEPOINT")));
    assert!(p
        .show(&resume.commands[1])
        .starts_with("/opt/flink-1.19/bin/standalone-job.sh start"));
    assert!(p
        .show(&resume.commands[1])
        .contains("--fromSavepoint \"$JOB1_SAVEPOINT\""));
    assert!(resume
        .checks
        .iter()
        .all(|k| k.command.only_if_set.is_some()));
    // The decommission is the only place the old installation goes.
    let irreversible: Vec<_> = p
        .steps()
        .filter(|(_, s)| s.commands.iter().any(|c| c.irreversible))
        .map(|(ph, _)| ph.id)
        .collect();
    assert!(!irreversible.is_empty() && irreversible.iter().all(|id| *id == PhaseId::Decommission));
}

#[test]
fn routes_before_1_11_and_shared_hosts_are_blocked_with_a_reason() {
    let p = app_plan("1.10", "1.20", "");
    assert!(
        p.blockers()
            .any(|f| f.code == "flink.standalone-application.before-1.11"),
        "{:?}",
        p.findings
    );
    let p = plan(&link("1.19", "1.20", "&deployment=standalone-application&job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.jar=/a.jar&job1.jobmanager=h:8081&job2.id=0f9e8d7c6b5a49382716051423324150&job2.jar=/b.jar&job2.jobmanager=h:8082"));
    assert!(p
        .blockers()
        .any(|f| f.code == "flink.standalone-application.shared-host"));
    let ok = app_plan("1.19", "1.20", "");
    assert!(ok
        .findings
        .iter()
        .any(|f| f.code == "flink.standalone-application.procedure"
            && f.severity == Severity::Info
            && !f.sources.is_empty()));
}

#[test]
fn hostile_values_stay_data() {
    let p = plan(&link(
        "1.19",
        "1.20",
        "&deployment=standalone-application&old-home=/opt/it's%20old&job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.jar=/apps/$(rm%20-rf)%60x%60.jar&job1.args=--a%20'$HOME'%20%22;%22",
    ));
    let script = waymark_core::render::script::render(&p);
    assert!(
        script.contains("JOB1_JAR='/apps/$(rm -rf)`x`.jar'"),
        "the jar is a quoted value"
    );
    assert!(
        !script.contains("rm -rf)`x`.jar\"/"),
        "never spliced into a command"
    );
    for (_, s) in p.steps() {
        for c in &s.commands {
            let text = p.show(c);
            assert!(
                !text.contains("$(rm -rf)`x`") || text.contains("'/apps/$(rm -rf)`x`.jar'"),
                "{text}"
            );
        }
    }
}
