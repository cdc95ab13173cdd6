//! The Flink Kubernetes Operator targets (operator, operator-session):
//! goldens, the operator's version support row by row, what the patches
//! change and what comes before them (the upgrade-mode rules), the session
//! jobs' order, the snapshot and the rollback.

mod common;

use common::*;
use waymark_core::plan::{PhaseId, Plan, Severity, Verdict};

pub const SCENARIOS: [(&str, &str); 6] = [
    (
        "operator-1.10-1.17-1.19",
        "platform=flink&from=1.17&to=1.19&deployment=operator&uids=all&namespace=streaming&operator-version=1.10.0\
         &image=registry.example/jobs:1.19.3&old-image=registry.example/jobs:1.17.2&savepoint-dir=s3://flink-state/savepoints\
         &job1.name=orders&job1.jar=local:///opt/flink/usrlib/orders.jar&job1.resource=orders&job1.parallelism=2",
    ),
    (
        "operator-1.13-1.18-1.20",
        "platform=flink&from=1.18&to=1.20&deployment=operator&uids=all&namespace=streaming&operator-version=1.13.0\
         &image=registry.example/jobs:1.20.1&old-image=registry.example/jobs:1.18.1\
         &job1.name=orders&job1.jar=local:///opt/flink/usrlib/orders.jar&job1.resource=orders&job1.class=com.acme.Orders&job1.args=--env%20prod&job1.parallelism=4\
         &job2.name=payments&job2.jar=local:///opt/flink/usrlib/payments.jar&job2.resource=payments",
    ),
    (
        "operator-stop-1.13-1.18-1.20",
        "platform=flink&from=1.18&to=1.20&via=1.19&deployment=operator&uids=all&operator-version=1.13.0\
         &image=registry.example/jobs:1.20&old-image=registry.example/jobs:1.18\
         &savepoint-dir=s3://flink-state/savepoints\
         &job1.name=orders&job1.jar=local:///opt/flink/usrlib/orders.jar&job1.resource=orders",
    ),
    (
        "operator-session-1.13-1.19-2.0",
        "platform=flink&from=1.19&to=2.0&deployment=operator-session&uids=all&namespace=streaming&operator-version=1.13.0\
         &session-resource=analytics&image=flink:2.0.0-java17&old-image=flink:1.19.3-java17\
         &job1.name=orders&job1.jar=local:///opt/flink/usrlib/orders-2.0.jar&job1.old-jar=local:///opt/flink/usrlib/orders-1.19.jar&job1.resource=orders\
         &job2.name=payments&job2.jar=local:///opt/flink/usrlib/payments.jar&job2.resource=payments",
    ),
    (
        "blocked-operator-1.10-2.0",
        "platform=flink&from=1.19&to=2.0&deployment=operator&uids=all&operator-version=1.10.0\
         &image=registry.example/jobs:2.0.0&old-image=registry.example/jobs:1.19\
         &job1.name=orders&job1.jar=local:///opt/flink/usrlib/orders.jar&job1.resource=orders",
    ),
    (
        "blocked-operator-1.9-1.18",
        "platform=flink&from=1.17&to=1.18&deployment=operator&uids=all&operator-version=1.9.0\
         &image=registry.example/jobs:1.18&old-image=registry.example/jobs:1.17\
         &job1.name=orders&job1.jar=local:///opt/flink/usrlib/orders.jar&job1.resource=orders",
    ),
];

#[test]
fn golden_plans_match() {
    common::golden::check("flink-operator", &SCENARIOS);
}

fn op(from: &str, to: &str, operator: &str, extra: &str) -> Plan {
    plan(&link(
        from,
        to,
        &format!("&deployment=operator&namespace=flink&operator-version={operator}&image=reg/jobs:{to}&old-image=reg/jobs:{from}&job1.name=orders&job1.jar=local:///opt/flink/usrlib/orders.jar&job1.resource=orders{extra}"),
    ))
}

fn session(from: &str, to: &str, operator: &str, extra: &str) -> Plan {
    plan(&link(
        from,
        to,
        &format!("&deployment=operator-session&namespace=flink&session-resource=analytics&operator-version={operator}&image=flink:{to}&old-image=flink:{from}&job1.name=orders&job1.jar=local:///opt/flink/usrlib/orders.jar&job1.resource=orders&job2.name=payments&job2.jar=local:///opt/flink/usrlib/payments.jar&job2.resource=payments{extra}"),
    ))
}

/// The Flink lines each operator release's docs list (the reference's table,
/// written out again here, independently of the planner's data).
const ROWS: [(&str, &[&str]); 14] = [
    ("1.0.0", &["1.13", "1.14", "1.15"]),
    ("1.3.0", &["1.13", "1.14", "1.15", "1.16"]),
    ("1.4.0", &["1.13", "1.14", "1.15", "1.16"]),
    ("1.5.0", &["1.13", "1.14", "1.15", "1.16"]),
    ("1.6.0", &["1.13", "1.14", "1.15", "1.16", "1.17"]),
    ("1.7.0", &["1.15", "1.16", "1.17", "1.18"]),
    ("1.8.0", &["1.15", "1.16", "1.17", "1.18"]),
    ("1.9.0", &["1.15", "1.16", "1.17", "1.18"]),
    ("1.10.0", &["1.16", "1.17", "1.18", "1.19"]),
    ("1.11.0", &["1.16", "1.17", "1.18", "1.19", "1.20"]),
    ("1.12.1", &["1.16", "1.17", "1.18", "1.19", "1.20"]),
    ("1.13.0", &["1.17", "1.18", "1.19", "1.20", "2.0", "2.1"]),
    ("1.14.0", &["1.17", "1.18", "1.19", "1.20", "2.0", "2.1"]),
    ("1.15.0", &["1.19", "1.20", "2.0", "2.1", "2.2"]),
];

#[test]
fn each_operator_release_supports_exactly_the_flink_versions_its_docs_list() {
    for (operator, listed) in ROWS {
        for line in [
            "1.13", "1.14", "1.15", "1.16", "1.17", "1.18", "1.19", "1.20", "2.0", "2.1", "2.2",
            "2.3",
        ] {
            // A patch move within the line: the route holds that line only.
            let latest = waymark_core::flink::versions::latest(v(line)).to_string();
            let p = op(line, &latest, operator, "");
            let unsupported = p
                .findings
                .iter()
                .any(|f| f.code == "operator.unsupported-version");
            assert_eq!(
                unsupported,
                !listed.contains(&line),
                "operator {operator}, Flink {line}"
            );
            if unsupported {
                assert_eq!(p.verdict, Verdict::Blocked);
            }
            let too_old_for_plan = p
                .findings
                .iter()
                .any(|f| f.code == "operator.too-old-for-plan");
            assert_eq!(
                too_old_for_plan,
                v(operator) < v("1.10.0"),
                "operator {operator}"
            );
        }
    }
}

#[test]
fn deprecated_versions_are_warnings_not_blockers() {
    let p = op("1.17", "1.18", "1.13.0", "");
    let deprecated: Vec<_> = p
        .findings
        .iter()
        .filter(|f| f.code == "operator.deprecated-version")
        .collect();
    assert_eq!(
        deprecated.len(),
        2,
        "1.17 and 1.18 are deprecated since 1.13"
    );
    assert!(deprecated.iter().all(|f| f.severity == Severity::Warning));
    assert_ne!(p.verdict, Verdict::Blocked);
    let p = op("1.19", "1.20", "1.13.0", "");
    assert!(!p
        .findings
        .iter()
        .any(|f| f.code == "operator.deprecated-version"));
}

#[test]
fn every_version_on_the_route_must_be_supported_the_old_one_too() {
    // 1.16 runs now; 1.13.0 no longer supports it.
    let p = op("1.16", "1.20", "1.13.0", "");
    assert_eq!(p.verdict, Verdict::Blocked);
    assert!(p
        .findings
        .iter()
        .any(|f| f.code == "operator.unsupported-version" && f.title.contains("1.16")));
    // A stop the operator does not support blocks too.
    let p = op("1.19", "2.2", "1.13.0", "");
    assert!(p.findings.iter().any(|f| f.title.contains("Flink 2.2")));
    // Flink 2.3: no operator release supports it.
    let p = op("2.2", "2.3", "1.15.0", "");
    assert_eq!(p.verdict, Verdict::Blocked);
    // A release newer than the table: a warning, not a guess.
    let p = op("1.19", "1.20", "1.16.0", "");
    assert!(p
        .findings
        .iter()
        .any(|f| f.code == "operator.unknown-release" && f.severity == Severity::Warning));
    assert_ne!(p.verdict, Verdict::Blocked);
}

/// The patches of a plan's phase, as shown.
fn patches(p: &Plan, phase: PhaseId) -> Vec<(String, String)> {
    p.steps()
        .filter(|(ph, _)| ph.id == phase)
        .flat_map(|(_, s)| s.commands.iter().map(move |c| (s.id.clone(), p.show(c))))
        .filter(|(_, t)| t.starts_with("kubectl patch"))
        .collect()
}

#[test]
fn every_version_patch_sets_image_and_flink_version_together_in_savepoint_mode() {
    for p in [
        op("1.18", "1.20", "1.13.0", "&via=1.19"),
        op("1.19", "2.0", "1.13.0", ""),
    ] {
        let cut = patches(&p, PhaseId::Cutover);
        assert_eq!(cut.len(), p.path.len() - 1, "one patch per hop");
        for (i, (_, t)) in cut.iter().enumerate() {
            let to = v(&p.path[i + 1]);
            assert!(
                t.contains(&format!("\"flinkVersion\":\"v{}_{}\"", to.major, to.minor)),
                "{t}"
            );
            assert!(t.contains("\"image\":\""), "{t}");
            assert!(t.contains("\"upgradeMode\":\"savepoint\""), "{t}");
            assert!(t.contains("\"state\":\"running\""), "{t}");
            assert!(!t.contains("last-state") && !t.contains("stateless"), "{t}");
        }
    }
}

#[test]
fn each_patch_waits_on_a_running_stable_job_and_is_awaited_on_the_new_version() {
    let p = op("1.18", "1.20", "1.13.0", "&via=1.19");
    let steps: Vec<_> = p
        .steps()
        .filter(|(ph, _)| ph.id == PhaseId::Cutover)
        .map(|(_, s)| s)
        .collect();
    for (i, s) in steps.iter().enumerate() {
        if !s
            .commands
            .iter()
            .any(|c| p.show(c).starts_with("kubectl patch"))
        {
            continue;
        }
        let ready = steps[i - 1];
        assert!(ready.id.contains(".ready."), "{} before {}", ready.id, s.id);
        let holds: Vec<&str> = ready.checks.iter().map(|k| k.holds.as_str()).collect();
        assert!(
            holds
                .iter()
                .any(|h| h.contains("STABLE and its job RUNNING")),
            "{holds:?}"
        );
        assert!(
            holds.iter().any(|h| h.contains("state: running")),
            "{holds:?}"
        );
        // After the patch: the REST API reports the new version, then the
        // resource is STABLE; the next step reads the upgrade savepoint and
        // checks the job restored it.
        assert!(s
            .checks
            .iter()
            .any(|k| p.show(&k.command).contains("/proxy/config")));
        let next = steps[i + 1];
        assert!(next
            .commands
            .iter()
            .any(|c| p.show(c).contains("upgradeSavepointPath")));
        assert!(next.checks.iter().any(|k| matches!(&k.expect, waymark_core::plan::Expect::Mentions(sp) if sp.contains("SAVEPOINT"))));
    }
}

#[test]
fn a_snapshot_on_the_old_version_comes_first_and_the_rollback_redeploys_from_it() {
    let p = op("1.18", "1.20", "1.13.0", "");
    let first = p
        .phases
        .iter()
        .find(|ph| ph.id == PhaseId::Cutover)
        .unwrap()
        .steps
        .first()
        .unwrap();
    assert_eq!(first.id, "cutover.1.savepoint.1");
    let doc = &first.documents[0];
    assert!(
        doc.written
            && doc.text.contains("kind: FlinkStateSnapshot")
            && doc.text.contains("disposeOnDelete: false")
    );
    assert!(p.show(&first.commands[0]).starts_with("kubectl create -f"));
    let back = patches(&p, PhaseId::Rollback);
    assert_eq!(back.len(), 1);
    let t = &back[0].1;
    // Shown as one shell word: the values sit between the quoted JSON parts.
    for part in [
        "\"image\":\"'reg/jobs:1.18'\"",
        "\"flinkVersion\":\"v1_18\"",
        "\"initialSavepointPath\":\"'\"${JOB1_SAVEPOINT}\"'\"",
        "\"savepointRedeployNonce\":'$(date +%s)'",
    ] {
        assert!(t.contains(part), "{part} in {t}");
    }
    let redeploy = p
        .steps()
        .find(|(_, s)| s.id == "rollback.redeploy.1")
        .unwrap()
        .1;
    assert_eq!(
        redeploy.commands[0].only_if_set.as_deref(),
        Some("JOB1_SAVEPOINT")
    );
    // The pre-upgrade savepoint is read from the snapshot right after the
    // first patch, in the same step: the rollback redeploys from it only if
    // the patch ran.
    let upgrade = p
        .steps()
        .find(|(_, s)| s.id == "cutover.1.stop.1")
        .unwrap()
        .1;
    assert_eq!(
        upgrade.commands[1].capture.as_ref().unwrap().var,
        "JOB1_SAVEPOINT"
    );
    assert!(p.show(&upgrade.commands[0]).starts_with("kubectl patch"));
    // The decommission deletes the snapshots, irreversibly.
    let dec: Vec<_> = p
        .steps()
        .filter(|(ph, _)| ph.id == PhaseId::Decommission)
        .flat_map(|(_, s)| s.commands.iter())
        .collect();
    assert!(dec
        .iter()
        .any(|c| c.irreversible && p.show(c).contains("delete flinkstatesnapshot")));
}

#[test]
fn session_jobs_are_suspended_before_the_session_changes_and_resumed_after() {
    let p = session("1.19", "2.0", "1.13.0", "");
    let ids: Vec<String> = p
        .phases
        .iter()
        .find(|ph| ph.id == PhaseId::Cutover)
        .unwrap()
        .steps
        .iter()
        .map(|s| s.id.clone())
        .collect();
    let at = |id: &str| {
        ids.iter()
            .position(|i| i == id)
            .unwrap_or_else(|| panic!("{id} in {ids:?}"))
    };
    let session = at("cutover.1.session");
    for n in 1..=2 {
        assert!(at(&format!("cutover.1.stop.{n}")) < session);
        assert!(at(&format!("cutover.1.savepoint.{n}")) < session);
        assert!(at(&format!("cutover.1.resume.{n}")) > session);
        assert!(at(&format!("cutover.1.restored.{n}")) > at(&format!("cutover.1.resume.{n}")));
    }
    assert!(at("cutover.1.no-jobs-left") < session);
    let cut = patches(&p, PhaseId::Cutover);
    let suspend = cut
        .iter()
        .filter(|(_, t)| t.contains("\"state\":\"suspended\",\"upgradeMode\":\"savepoint\""))
        .count();
    assert_eq!(suspend, 2);
    // The session patch carries image and flinkVersion and no job.
    let s = &cut
        .iter()
        .find(|(id, _)| id == "cutover.1.session")
        .unwrap()
        .1;
    assert!(
        s.contains("flinkdeployment analytics")
            && s.contains("\"flinkVersion\":\"v2_0\"")
            && !s.contains("\"job\""),
        "{s}"
    );
    // The rollback suspends statelessly, reverts the session, redeploys from
    // the pre-upgrade snapshots.
    let back = patches(&p, PhaseId::Rollback);
    assert!(back[0].1.contains("\"upgradeMode\":\"stateless\""));
    assert!(back
        .iter()
        .any(|(_, t)| t.contains("\"flinkVersion\":\"v1_19\"")));
    assert_eq!(
        back.iter()
            .filter(|(_, t)| t.contains("savepointRedeployNonce"))
            .count(),
        2
    );
}

#[test]
fn a_jar_uri_with_a_quote_is_blocked_and_values_are_yaml_quoted() {
    let p = op(
        "1.18",
        "1.20",
        "1.13.0",
        "&job1.class=com.acme.O&job1.args=--name%20'%22x%22'%20'a%5Cb'",
    );
    let doc = p
        .steps()
        .flat_map(|(_, s)| s.documents.iter())
        .find(|d| d.text.contains("kind: FlinkDeployment\nmetadata"))
        .unwrap();
    assert!(
        doc.text.contains(r#"args: ["--name", "\"x\"", "a\\b"]"#),
        "{}",
        doc.text
    );
    let l = link("1.18", "1.20", "&deployment=operator&operator-version=1.13.0&image=reg/jobs:1.20&old-image=reg/jobs:1.18&job1.jar=local:///a%22b.jar&job1.resource=orders");
    let p = plan(&l);
    assert!(p
        .findings
        .iter()
        .any(|f| f.code == "operator.jar-uri" && f.severity == Severity::Blocker));
}

#[test]
fn no_flink_cli_and_no_installation_in_operator_plans() {
    for p in [
        op("1.18", "1.20", "1.13.0", ""),
        session("1.19", "2.0", "1.13.0", ""),
    ] {
        for (_, s) in p.steps() {
            for c in s.commands.iter().chain(s.checks.iter().map(|k| &k.command)) {
                let t = p.show(c);
                assert!(
                    !t.contains("bin/flink") && !t.contains("curl"),
                    "{}: {t}",
                    s.id
                );
            }
        }
        assert!(
            !p.variables.iter().any(|v| v.name.ends_with("_HOME")),
            "{}",
            p.link
        );
    }
}
