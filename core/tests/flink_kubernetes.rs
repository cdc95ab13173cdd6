//! Native Kubernetes targets (kubernetes-session, kubernetes-application):
//! goldens, the rules (fresh cluster ids, the image key and the run action
//! of each version, blockers), what each phase does, rollback guards and
//! hostile values.

mod common;

use common::*;
use waymark_core::plan::{Expect, PhaseId, Plan, Severity, Verdict};

const JOB: &str = "&job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.name=orders&job1.jar=/apps/orders.jar&job1.class=com.acme.Orders&job1.parallelism=4";
const APP_JOB: &str = "&job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.name=orders&job1.jar=local:///opt/flink/usrlib/orders.jar&job1.cluster-id=orders&job1.args=--env%20prod\
&job2.id=0f9e8d7c6b5a49382716051423324150&job2.name=payments&job2.jar=local:///opt/flink/usrlib/payments.jar&job2.cluster-id=payments-v1-16";

pub const SCENARIOS: [(&str, &str); 5] = [
    (
        "session-1.18-1.20",
        "platform=flink&from=1.18&to=1.20&deployment=kubernetes-session&uids=all&namespace=flink&cluster-id=analytics\
         &image=registry.example/flink:1.20.1-java17&savepoint-dir=s3://flink-state/savepoints\
         &job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.name=orders&job1.jar=/apps/orders.jar&job1.class=com.acme.Orders&job1.parallelism=4\
         &job2.id=0f9e8d7c6b5a49382716051423324150&job2.name=payments&job2.jar=/apps/payments.jar",
    ),
    (
        "session-stop-1.18-1.20",
        "platform=flink&from=1.18&to=1.20&via=1.19&deployment=kubernetes-session&uids=all&namespace=flink&cluster-id=analytics\
         &new-cluster-id=analytics-next&image=flink:1.20.1-java17&savepoint-dir=s3://flink-state/savepoints\
         &job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.name=orders&job1.jar=/apps/orders.jar",
    ),
    (
        "application-1.16-2.0",
        "platform=flink&from=1.16&to=2.0&deployment=kubernetes-application&uids=all&namespace=streaming\
         &image=registry.example/jobs:2.0.0&old-image=registry.example/jobs:1.16.3&savepoint-dir=s3://flink-state/savepoints\
         &job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.name=orders&job1.jar=local:///opt/flink/usrlib/orders.jar&job1.cluster-id=orders&job1.args=--env%20prod\
         &job2.id=0f9e8d7c6b5a49382716051423324150&job2.name=payments&job2.jar=local:///opt/flink/usrlib/payments.jar&job2.cluster-id=payments-v1-16",
    ),
    (
        "application-1.19-1.20",
        "platform=flink&from=1.19&to=1.20&deployment=kubernetes-application&uids=all\
         &image=registry.example/jobs:1.20&old-image=registry.example/jobs:1.19\
         &job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.name=it's%20%22prod%22%20$HOME&job1.jar=local:///opt/flink/usrlib/my%2520job.jar&job1.cluster-id=orders",
    ),
    (
        "blocked-session-1.10-1.12",
        "platform=flink&from=1.10&to=1.12&deployment=kubernetes-session&cluster-id=analytics&image=flink:1.12.7\
         &job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.jar=/apps/orders.jar",
    ),
];

#[test]
fn golden_plans_match() {
    common::golden::check("flink-kubernetes", &SCENARIOS);
}

fn session(from: &str, to: &str, extra: &str) -> Plan {
    plan(&link(
        from,
        to,
        &format!("&deployment=kubernetes-session&namespace=flink&cluster-id=analytics&image=flink:{to}&savepoint-dir=s3://sp{extra}{JOB}"),
    ))
}

fn application(from: &str, to: &str, extra: &str) -> Plan {
    plan(&link(
        from,
        to,
        &format!("&deployment=kubernetes-application&namespace=flink&image=reg/jobs:{to}&old-image=reg/jobs:{from}&savepoint-dir=s3://sp{extra}{APP_JOB}"),
    ))
}

/// Every command of `phase`, as shown to people.
fn commands(p: &Plan, phase: PhaseId) -> Vec<String> {
    p.steps()
        .filter(|(ph, _)| ph.id == phase)
        .flat_map(|(_, s)| s.commands.iter().map(|c| p.show(c)))
        .collect()
}

fn check_commands(p: &Plan, phase: PhaseId) -> Vec<String> {
    p.steps()
        .filter(|(ph, _)| ph.id == phase)
        .flat_map(|(_, s)| s.checks.iter().map(|c| p.show(&c.command)))
        .collect()
}

#[test]
fn every_new_cluster_id_is_checked_unused_in_the_preflight_and_none_is_reused() {
    for p in [
        session("1.18", "1.20", "&via=1.19"),
        application("1.16", "2.0", ""),
        application("1.18", "1.20", "&via=1.19"),
    ] {
        let pre = check_commands(&p, PhaseId::Preflight).join("\n");
        let mut started = Vec::new();
        for c in commands(&p, PhaseId::Cutover)
            .iter()
            .chain(&commands(&p, PhaseId::Rollback))
        {
            let deploys = (c.contains("kubernetes-session.sh -D") && !c.starts_with("echo stop"))
                || c.contains("run-application")
                || c.contains("run --target kubernetes-application");
            if !deploys {
                continue;
            }
            let id = c
                .split_whitespace()
                .find_map(|w| w.strip_prefix("-Dkubernetes.cluster-id="))
                .expect("a deploy names its cluster id")
                .to_string();
            assert!(
                pre.contains(&format!("-l app={id} -o name")),
                "{}: {id} is not checked in the pre-flight",
                p.link
            );
            assert!(!started.contains(&id), "{}: {id} is deployed twice", p.link);
            started.push(id);
        }
        assert!(!started.is_empty(), "{}", p.link);
        // The old ids are never deployed again.
        assert!(
            !started.iter().any(|id| id == "analytics" || id == "orders"),
            "{}: {started:?}",
            p.link
        );
    }
}

#[test]
fn the_run_action_and_the_image_key_follow_the_version_that_runs_them() {
    let p = application("1.16", "2.0", "");
    let cut = commands(&p, PhaseId::Cutover).join("\n");
    let back = commands(&p, PhaseId::Rollback).join("\n");
    // 2.0 removed run-application; the 1.20.1 CLI does not deploy with run.
    assert!(
        cut.contains("/opt/flink-2.0/bin/flink run --target kubernetes-application"),
        "{cut}"
    );
    assert!(
        cut.contains("-Dkubernetes.container.image.ref=reg/jobs:2.0"),
        "{cut}"
    );
    assert!(!cut.contains("run-application"), "{cut}");
    assert!(
        back.contains("/opt/flink-1.16/bin/flink run-application --target kubernetes-application"),
        "{back}"
    );
    assert!(
        back.contains("-Dkubernetes.container.image=reg/jobs:1.16"),
        "{back}"
    );
    assert!(!back.contains("image.ref"), "{back}");
    let p = application("1.19", "1.20", "");
    assert!(commands(&p, PhaseId::Cutover)
        .join("\n")
        .contains("/opt/flink-1.20/bin/flink run-application"));
    // Restore mode: --restoreMode on 1.15–1.19, --claimMode from 1.20.
    assert!(back.contains("--restoreMode no_claim"), "{back}");
    assert!(cut.contains("--claimMode no_claim"), "{cut}");
}

#[test]
fn every_flink_command_names_target_cluster_and_namespace() {
    for p in [
        session("1.18", "1.20", "&via=1.19"),
        application("1.16", "2.0", ""),
    ] {
        for (_, s) in p.steps() {
            let cmds = s.commands.iter().chain(s.checks.iter().map(|c| &c.command));
            for c in cmds {
                let t = p.show(c);
                if t.contains("/bin/flink ") {
                    assert!(t.contains("--target kubernetes-"), "{}: {t}", s.id);
                    assert!(t.contains("-Dkubernetes.cluster-id="), "{}: {t}", s.id);
                    assert!(t.contains("-Dkubernetes.namespace=flink"), "{}: {t}", s.id);
                }
            }
        }
    }
}

#[test]
fn rest_checks_go_through_the_api_server_proxy_never_curl() {
    for p in [session("1.18", "1.20", ""), application("1.16", "2.0", "")] {
        for (_, s) in p.steps() {
            for c in s
                .commands
                .iter()
                .chain(s.checks.iter().map(|c| &c.command))
                .chain(s.commands.iter().filter_map(|c| c.recover.as_deref()))
            {
                let t = p.show(c);
                assert!(!t.contains("curl"), "{}: {t}", s.id);
                if t.contains("--raw") {
                    assert!(t.contains("/api/v1/namespaces/flink/services/"), "{t}");
                    assert!(t.contains("-rest:rest/proxy/"), "{t}");
                }
            }
        }
        assert!(
            !p.variables
                .iter()
                .any(|v| v.name == "OLD_REST" || v.name == "NEW_REST"),
            "{}",
            p.link
        );
    }
}

#[test]
fn deletes_and_ha_configmaps_live_only_in_the_decommission() {
    for p in [
        session("1.18", "1.20", "&via=1.19"),
        application("1.16", "2.0", ""),
    ] {
        for (ph, s) in p.steps() {
            for c in &s.commands {
                let t = p.show(c);
                if t.starts_with("kubectl delete") {
                    assert_eq!(ph.id, PhaseId::Decommission, "{}: {t}", s.id);
                    assert!(c.irreversible, "{}: {t}", s.id);
                }
            }
        }
        let dec = commands(&p, PhaseId::Decommission).join("\n");
        assert!(dec.contains("configmap-type=high-availability"), "{dec}");
    }
}

#[test]
fn the_session_rollback_resumes_in_the_old_session_only_what_the_cutover_stopped() {
    let p = session("1.18", "1.20", "");
    let resume = p
        .steps()
        .find(|(_, s)| s.id == "rollback.resume.1")
        .unwrap()
        .1;
    let run = &resume.commands[0];
    assert_eq!(run.only_if_set.as_deref(), Some("JOB1_SAVEPOINT"));
    let t = p.show(run);
    assert!(t.contains("/opt/flink-1.18/bin/flink run --target kubernetes-session -Dkubernetes.cluster-id=analytics "), "{t}");
    assert!(resume
        .checks
        .iter()
        .all(|k| k.command.only_if_set.as_deref() == Some("JOB1_SAVEPOINT")));
    // The cancels run only for ids the cutover captured.
    let cancel = p
        .steps()
        .find(|(_, s)| s.id == "rollback.cancel")
        .unwrap()
        .1;
    assert!(cancel
        .commands
        .iter()
        .all(|c| c.only_if_set.is_some() && c.may_fail));
}

#[test]
fn the_application_rollback_checks_its_fresh_id_then_deploys_the_old_image() {
    let p = application("1.16", "2.0", "");
    let ids: Vec<&str> = p
        .steps()
        .filter(|(ph, _)| ph.id == PhaseId::Rollback)
        .map(|(_, s)| s.id.as_str())
        .collect();
    let fresh = ids
        .iter()
        .position(|i| *i == "rollback.fresh-id.1")
        .unwrap();
    let deploy = ids.iter().position(|i| *i == "rollback.resume.1").unwrap();
    assert!(fresh < deploy, "{ids:?}");
    let step = p
        .steps()
        .find(|(_, s)| s.id == "rollback.resume.1")
        .unwrap()
        .1;
    let t = p.show(&step.commands[0]);
    assert!(t.contains("-Dkubernetes.cluster-id=orders-rollback"), "{t}");
    assert!(
        t.contains("-Dkubernetes.container.image=reg/jobs:1.16"),
        "{t}"
    );
    assert!(t.contains("-s \"$JOB1_SAVEPOINT\""), "{t}");
    assert!(step
        .commands
        .iter()
        .all(|c| c.only_if_set.as_deref() == Some("JOB1_SAVEPOINT")));
    // The job id is read from the new cluster: application mode prints none.
    assert_eq!(
        step.commands[1].capture.as_ref().unwrap().var,
        "JOB1_ROLLBACK_ID"
    );
}

#[test]
fn derived_and_given_cluster_ids() {
    let p = session("1.18", "1.20", "&via=1.19");
    let val = |n: &str| {
        p.variables
            .iter()
            .find(|v| v.name == n)
            .map(|v| format!("{:?}", v.value))
            .unwrap_or_default()
    };
    assert!(val("STOP1_CLUSTER_ID").contains("analytics-v1-19"));
    assert!(val("NEW_CLUSTER_ID").contains("analytics-v1-20"));
    assert!(
        val("STOP1_IMAGE").contains("flink:1.19.3"),
        "{}",
        val("STOP1_IMAGE")
    );
    let p = session("1.18", "1.20", "&new-cluster-id=next");
    assert!(format!("{:?}", p.variables).contains("\"next\""));
    // payments-v1-16 becomes payments-v2-0, not payments-v1-16-v2-0.
    let p = application("1.16", "2.0", "");
    assert!(format!("{:?}", p.variables).contains("payments-v2-0"));
}

#[test]
fn before_1_11_and_stops_without_an_image_are_blocked() {
    let p = session("1.10", "1.12", "");
    assert_eq!(p.verdict, Verdict::Blocked);
    assert!(p.findings.iter().any(|f| f.code == "kubernetes.too-old"));
    let p = plan(&link(
        "1.18",
        "1.20",
        &format!("&via=1.19&deployment=kubernetes-session&cluster-id=a&image=flink:latest{JOB}"),
    ));
    assert_eq!(p.verdict, Verdict::Blocked);
    assert!(p
        .findings
        .iter()
        .any(|f| f.code == "kubernetes.stop-image" && f.severity == Severity::Blocker));
}

#[test]
fn every_plan_says_how_it_differs_and_how_rest_is_reached() {
    for p in [session("1.18", "1.20", ""), application("1.19", "1.20", "")] {
        for code in ["kubernetes.differs", "kubernetes.rest-access"] {
            let f = p
                .findings
                .iter()
                .find(|f| f.code == code)
                .unwrap_or_else(|| panic!("{code}"));
            assert!(!f.sources.is_empty());
        }
    }
}

#[test]
fn the_preflight_proves_the_cli_reaches_the_cluster_before_anything_changes() {
    let p = session("1.18", "1.20", "");
    let jobs = p.steps().find(|(_, s)| s.id == "preflight.jobs").unwrap().1;
    let texts: Vec<String> = jobs.checks.iter().map(|c| p.show(&c.command)).collect();
    assert!(
        texts
            .iter()
            .any(|t| t.contains("bin/flink list --target kubernetes-session") && t.ends_with("-r")),
        "{texts:?}"
    );
    assert!(jobs
        .checks
        .iter()
        .all(|c| matches!(c.expect, Expect::Ids(_))));
}

#[test]
fn hostile_values_are_refused_or_quoted() {
    for bad in [
        "&cluster-id=Analytics",
        "&cluster-id=a_b",
        "&namespace=Flink",
        "&image=flink%201.20",
    ] {
        let l = link(
            "1.18",
            "1.20",
            &format!(
                "&deployment=kubernetes-session&cluster-id=analytics&image=flink:1.20{bad}{JOB}"
            ),
        );
        assert!(waymark_core::plan_link(&l).is_err(), "{l}");
    }
    let p = plan(SCENARIOS[3].1);
    let sh = waymark_core::render::Format::Script.render(&p);
    assert!(
        sh.contains("JOB1_JAR=local:///opt/flink/usrlib/my%20job.jar"),
        "the jar is a value"
    );
    // A jar that is no URI (a space) is blocked: Flink reads it as a URI.
    let p = plan(&link("1.19", "1.20", "&deployment=kubernetes-application&image=reg/jobs:1.20&old-image=reg/jobs:1.19&job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.jar=local:///opt/my%20job.jar&job1.cluster-id=orders"));
    assert!(p
        .findings
        .iter()
        .any(|f| f.code == "kubernetes.jar-uri" && f.severity == Severity::Blocker));
    assert!(!sh.contains("$HOME/") || sh.contains("'it'\\''s \"prod\" $HOME'"));
}
