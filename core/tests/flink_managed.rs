//! Amazon Managed Service for Apache Flink (`deployment=amazon-managed-flink`):
//! the rules of the target (runtimes, routes, keys, AWS's incompatibilities),
//! the goldens in golden/flink-managed, and the generated scripts run against
//! a fake `aws` that keeps applications, snapshots, operations and S3 objects
//! as files (tests/fixtures/fake_aws.sh): a successful upgrade, a system
//! rollback that stops the run, an update whose answer was lost and is never
//! sent twice, and the rollback from every point the cutover can stop at.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use common::{fixture, text, write_executable, TempDir};
use waymark_core::plan::{Plan, Severity, Value, Verdict};

const BASE: &str = "platform=flink&deployment=amazon-managed-flink&aws-region=eu-west-1&uids=all";

/// One application `orders-app`, from `from` to `to`, with `extra` keys.
fn link(from: &str, to: &str, extra: &str) -> String {
    format!("{BASE}&from={from}&to={to}&job1.name=orders&job1.application=orders-app&job1.jar=flink/orders-{to}.jar&job1.old-jar=flink/orders-{from}.jar{extra}")
}

/// (name, link) of the goldens.
const SCENARIOS: [(&str, &str); 5] = [
    (
        "direct-1.15-1.20",
        "platform=flink&deployment=amazon-managed-flink&aws-region=eu-west-1&from=1.15&to=1.20&uids=all\
         &job1.name=orders&job1.application=orders-app&job1.jar=flink/orders-1.20.jar&job1.old-jar=flink/orders-1.15.jar&job1.parallelism=4\
         &job2.name=payments&job2.application=payments-app&job2.jar=flink/payments-1.20.jar&job2.old-jar=flink/payments-1.15.jar",
    ),
    (
        "stops-1.6-1.20",
        "platform=flink&deployment=amazon-managed-flink&aws-region=us-east-1&from=1.6&to=1.20&uids=all&uses=scala-api\
         &job1.name=clicks&job1.application=clicks&job1.jar=apps/clicks-1.20.jar&job1.stop1-jar=apps/clicks-1.15.jar&job1.old-jar=apps/clicks-1.6.jar",
    ),
    (
        "major-1.20-2.2-kryo",
        "platform=flink&deployment=amazon-managed-flink&aws-region=eu-central-1&from=1.20&to=2.2&uids=all&uses=custom-serializers,table-sql\
         &job1.name=orders&job1.application=orders-app&job1.jar=flink/orders-2.2.jar&job1.old-jar=flink/orders-1.20.jar",
    ),
    (
        "blocked-1.17-scala-2.2",
        "platform=flink&deployment=amazon-managed-flink&aws-region=eu-west-1&from=1.17&to=2.2&uses=scala-case-classes\
         &job1.application=orders-app&job1.jar=flink/orders-2.2.jar&job1.old-jar=flink/orders-1.17.jar",
    ),
    (
        "nasty-key",
        "platform=flink&deployment=amazon-managed-flink&aws-region=eu-west-1&from=1.19&to=1.20&uids=all\
         &job1.name=it's%20%22prod%22&job1.application=orders.v2_app&job1.jar=jobs/it's%20%22new%22%20$HOME%20%5C%60id%60.jar&job1.old-jar=jobs/old%20one.jar",
    ),
];

#[test]
fn goldens() {
    common::golden::check("flink-managed", &SCENARIOS);
}

fn plan(link: &str) -> Plan {
    common::plan(link)
}

fn codes(p: &Plan) -> Vec<(&'static str, Severity)> {
    p.findings.iter().map(|f| (f.code, f.severity)).collect()
}

fn problems(link: &str) -> Vec<(String, String)> {
    match waymark_core::Scenario::from_link(link) {
        Ok(_) => Vec::new(),
        Err(ps) => ps
            .into_iter()
            .map(|p| (p.key.unwrap_or_default(), p.message))
            .collect(),
    }
}

// ------------------------------------------------------------------ rules

#[test]
fn routes_stop_only_at_msf_runtimes_and_respect_the_1_6_rule() {
    let p = plan(&link("1.6", "1.20", ""));
    assert_eq!(p.path, ["1.6", "1.15", "1.20"], "{:?}", codes(&p));
    assert_eq!(p.verdict, Verdict::Stops);
    let stops = p
        .findings
        .iter()
        .find(|f| f.code == "flink.msf-stops")
        .unwrap();
    assert!(stops.detail.contains("1.6 to 1.18"), "{}", stops.detail);
    assert!(!p.findings.iter().any(|f| f.code == "flink.stops"));
    // Stops are lines, never patches: MSF picks the patch.
    for from in ["1.8", "1.11", "1.13"] {
        let p = plan(&link(from, "2.2", ""));
        assert!(
            p.path.iter().all(|v| v.matches('.').count() == 1),
            "{:?}",
            p.path
        );
    }
    // A stop chosen off the runtimes blocks with a clear message.
    let p = plan(&link("1.15", "1.20", "&via=1.17"));
    assert_eq!(p.verdict, Verdict::Blocked);
    let f = p
        .findings
        .iter()
        .find(|f| f.code == "flink.msf-runtime")
        .unwrap();
    assert!(
        f.title.contains("1.17") && f.detail.contains("1.6, 1.8"),
        "{f:?}"
    );
}

#[test]
fn versions_managed_flink_does_not_run_are_blockers() {
    for (from, to, code) in [
        ("1.17", "1.20", "flink.msf-runtime"),
        ("1.15", "2.0", "flink.msf-runtime"),
        ("1.15.4", "1.20", "flink.msf-patch"),
        ("1.15", "1.20.1", "flink.msf-patch"),
        ("1.20", "1.20", "flink.msf-same-runtime"),
    ] {
        let p = plan(&link(from, to, "").replace(
            "jar=flink/orders-1.20.jar&job1.old-jar=flink/orders-1.20.jar",
            "jar=flink/orders-1.20b.jar&job1.old-jar=flink/orders-1.20.jar",
        ));
        assert_eq!(p.verdict, Verdict::Blocked, "{from} → {to}");
        assert!(
            codes(&p).contains(&(code, Severity::Blocker)),
            "{from} → {to}: {:?}",
            codes(&p)
        );
    }
    // 2.3's runtime string is in the API model but not the guide's text: said so.
    let p = plan(&link("2.2", "2.3", ""));
    assert!(codes(&p).contains(&("flink.msf-runtime-unverified", Severity::Info)));
}

#[test]
fn the_2_2_state_guide_applies_to_the_jobs_uses() {
    let p = plan(&link("1.20", "2.2", "&uses=scala-case-classes"));
    assert!(codes(&p).contains(&("flink.msf-2x-scala-state", Severity::Blocker)));
    let p = plan(&link("1.20", "2.2", "&uses=custom-serializers"));
    assert_eq!(p.verdict, Verdict::Direct);
    for code in [
        "flink.msf-kryo",
        "flink.msf-2x-custom-serializers",
        "flink.msf-one-way",
        "flink.msf-kinesis-5",
    ] {
        assert!(codes(&p).contains(&(code, Severity::Warning)), "{code}");
    }
    // No 2.x caveat on a 1.x route.
    let p = plan(&link("1.15", "1.20", "&uses=scala-case-classes"));
    assert!(!codes(&p)
        .iter()
        .any(|(c, _)| c.starts_with("flink.msf-2x") || *c == "flink.msf-kryo"));
    // Every finding cites a source.
    for f in &plan(&link("1.6", "2.2", "&uses=scala-api,table-sql")).findings {
        assert!(!f.sources.is_empty(), "{}", f.code);
    }
}

#[test]
fn aws_precautions_follow_the_route() {
    let has = |l: &str, code: &str| codes(&plan(l)).iter().any(|(c, _)| *c == code);
    assert!(has(&link("1.13", "1.20", ""), "flink.msf-kinesis-producer"));
    assert!(!has(
        &link("1.15", "1.20", ""),
        "flink.msf-kinesis-producer"
    ));
    assert!(has(
        &link("1.11", "1.13", ""),
        "flink.msf-kinesis-connector"
    ));
    assert!(has(&link("1.11", "1.13", ""), "flink.msf-rollback-hashmap"));
    assert!(has(&link("1.13", "1.15", ""), "flink.msf-kafka-1.15"));
    assert!(!has(&link("1.18", "1.20", ""), "flink.msf-kafka-1.15"));
    assert!(has(
        &link("1.13", "1.18", "&uses=scala-api"),
        "flink.msf-scala"
    ));
    // Advice for one's own installation is replaced, not shown.
    let p = plan(&link("1.19", "2.2", ""));
    for gone in [
        "flink.config-yaml-2.0",
        "flink.java",
        "flink.savepoint-dir-default",
        "flink.job-ids-change",
        "flink.rollback-jar-2.0",
    ] {
        assert!(!codes(&p).iter().any(|(c, _)| *c == gone), "{gone}");
    }
}

#[test]
fn keys_this_target_reads_differently_are_problems() {
    let found = problems(&link(
        "1.15",
        "1.20",
        "&savepoint-dir=s3://b/sp&job1.class=com.Acme&job1.args=--x",
    ));
    for key in ["savepoint-dir", "job1.class", "job1.args"] {
        assert!(
            found
                .iter()
                .any(|(k, m)| k == key && m.contains("amazon-managed-flink")),
            "{key}: {found:?}"
        );
    }
    let no_old = format!("{BASE}&from=1.15&to=1.20&job1.application=a&job1.jar=k.jar");
    assert!(problems(&no_old)
        .iter()
        .any(|(k, m)| k == "job1.old-jar" && m.contains("is missing")));
    let same = format!("{no_old}&job1.old-jar=k.jar");
    assert!(problems(&same)
        .iter()
        .any(|(k, m)| k == "job1.jar" && m.contains("new key")));
    let url = format!("{BASE}&from=1.15&to=1.20&job1.application=a&job1.jar=s3://bucket/k.jar&job1.old-jar=k0.jar");
    assert!(problems(&url)
        .iter()
        .any(|(k, m)| k == "job1.jar" && m.contains("not an object key")));
    assert!(problems(&format!(
        "{no_old}&job1.old-jar=o.jar&job1.application=no%20spaces"
    ))
    .iter()
    .any(|(k, _)| k == "job1.application"));
}

#[test]
fn a_hostile_key_is_one_json_string_and_no_value_is_raw() {
    let p = plan(SCENARIOS[4].1);
    let code = p.variables.iter().find(|v| v.name == "JOB1_CODE").unwrap();
    let Value::Text(json) = &code.value else {
        panic!()
    };
    let parsed: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(
        parsed["ApplicationCodeConfigurationUpdate"]["CodeContentUpdate"]
            ["S3ContentLocationUpdate"]["FileKeyUpdate"],
        "jobs/it's \"new\" $HOME \\`id`.jar"
    );
    // User values reach commands only as variables.
    for (_, st) in p.steps() {
        for c in st
            .commands
            .iter()
            .chain(st.checks.iter().map(|k| &k.command))
        {
            let shown = format!("{:?}", c.words);
            assert!(!shown.contains("it's"), "{}: {shown}", st.id);
        }
    }
}

// ------------------------------------------------------------- the world

/// A temp dir with the fake `aws` first on PATH, the plan's script, and one
/// application per job on the plan's old runtime with its code in S3.
struct World {
    dir: TempDir,
    plan: Plan,
}

impl World {
    fn new(link: &str) -> World {
        let dir = TempDir::new("msf-world");
        let plan = plan(link);
        let w = World { dir, plan };
        for sub in [
            "bin",
            "world/calls",
            "world/apps",
            "world/objects/code-bucket",
        ] {
            fs::create_dir_all(w.path().join(sub)).unwrap();
        }
        write_executable(
            &w.path().join("bin/aws"),
            &format!(
                "#!/usr/bin/env bash\nexec bash {} \"$@\"\n",
                waymark_core::shell::quote(&fixture("fake_aws.sh").to_string_lossy())
            ),
        );
        fs::write(
            w.path().join("runbook.sh"),
            waymark_core::render::script::render(&w.plan),
        )
        .unwrap();
        let old = w.value("OLD_RUNTIME");
        for (i, job) in w.plan_jobs().into_iter().enumerate() {
            let a = w.app_dir(&job);
            fs::create_dir_all(a.join("snapshots")).unwrap();
            fs::create_dir_all(a.join("ops")).unwrap();
            for (f, v) in [
                ("status", "RUNNING"),
                ("runtime", old.as_str()),
                ("version", "3"),
                ("bucket", "code-bucket"),
            ] {
                fs::write(a.join(f), format!("{v}\n")).unwrap();
            }
            fs::write(
                a.join("key"),
                format!("{}\n", w.value(&format!("JOB{}_OLD_JAR", i + 1))),
            )
            .unwrap();
        }
        for v in &w.plan.variables {
            if let (true, Value::Text(key)) = (v.name.ends_with("_JAR"), &v.value) {
                let f = w.path().join("world/objects/code-bucket").join(key);
                fs::create_dir_all(f.parent().unwrap()).unwrap();
                fs::write(f, "jar").unwrap();
            }
        }
        w
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn value(&self, name: &str) -> String {
        match self
            .plan
            .variables
            .iter()
            .find(|v| v.name == name)
            .map(|v| &v.value)
        {
            Some(Value::Text(t)) => t.clone(),
            other => panic!("{name}: {other:?}"),
        }
    }

    fn plan_jobs(&self) -> Vec<String> {
        (1..)
            .map_while(|n| {
                self.plan
                    .variables
                    .iter()
                    .find(|v| v.name == format!("JOB{n}_APPLICATION"))
                    .map(|_| self.value(&format!("JOB{n}_APPLICATION")))
            })
            .collect()
    }

    fn app_dir(&self, app: &str) -> PathBuf {
        self.path().join("world/apps").join(app)
    }

    /// An application's file (`runtime`, `key`, `status`), trimmed.
    fn app(&self, app: &str, file: &str) -> String {
        fs::read_to_string(self.app_dir(app).join(file))
            .unwrap()
            .trim()
            .to_string()
    }

    fn set(&self, app: &str, file: &str, value: &str) {
        fs::write(self.app_dir(app).join(file), format!("{value}\n")).unwrap();
    }

    fn run(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let state = self.path().join("runbook.state");
        let world = self.path().join("world");
        let mut all: Vec<(&str, &str)> = vec![
            ("FAKE_WORLD", world.to_str().unwrap()),
            ("WAYMARK_STATE_FILE", state.to_str().unwrap()),
            ("WAYMARK_POLL_SECONDS", "0"),
        ];
        all.extend_from_slice(env);
        common::run_script(
            &self.path().join("runbook.sh"),
            args,
            self.path(),
            &all,
            Some(&self.path().join("bin")),
        )
    }

    /// The fake's calls of `aws kinesisanalyticsv2 <op>`, each as its words.
    fn calls(&self, op: &str) -> Vec<Vec<String>> {
        let mut files: Vec<PathBuf> = fs::read_dir(self.path().join("world/calls"))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        files.sort();
        files
            .iter()
            .map(|f| {
                fs::read_to_string(f)
                    .unwrap()
                    .lines()
                    .map(String::from)
                    .collect::<Vec<_>>()
            })
            .filter(|c| c.get(2).map(String::as_str) == Some(op))
            .collect()
    }

    fn restores(&self) -> Vec<String> {
        fs::read_to_string(self.path().join("world/restores"))
            .unwrap_or_default()
            .lines()
            .map(String::from)
            .collect()
    }

    /// A captured value from the state file.
    fn captured(&self, name: &str) -> Option<String> {
        let state = fs::read_to_string(self.path().join("runbook.state")).unwrap_or_default();
        state
            .lines()
            .filter_map(|l| l.strip_prefix(&format!("value\t{name}\t")))
            .next_back()
            .map(String::from)
    }
}

fn both(out: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        out.status.code(),
        text(&out.stdout),
        text(&out.stderr)
    )
}

/// cutover and verify with --yes, and the people's answers given.
const GO: [&str; 7] = [
    "cutover",
    "verify",
    "--yes",
    "--done",
    "preflight.go",
    "--done",
    "verify.observe",
];

fn arg<'a>(call: &'a [String], flag: &str) -> &'a str {
    call.iter()
        .position(|a| a == flag)
        .map(|i| call[i + 1].as_str())
        .unwrap_or("")
}

#[test]
fn a_successful_upgrade_through_a_stop_snapshots_and_updates_each_hop_once() {
    let w = World::new(&link(
        "1.6",
        "1.20",
        "&job1.stop1-jar=flink/orders-1.15.jar",
    ));
    let out = w.run(&GO, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    assert_eq!(w.app("orders-app", "runtime"), "FLINK-1_20");
    assert_eq!(w.app("orders-app", "key"), "flink/orders-1.20.jar");
    let updates = w.calls("update-application");
    assert_eq!(updates.len(), 2, "{updates:?}");
    assert_eq!(
        arg(&updates[0], "--runtime-environment-update"),
        "FLINK-1_15"
    );
    assert!(arg(&updates[0], "--application-configuration-update")
        .contains("\"flink/orders-1.15.jar\""));
    assert_eq!(
        arg(&updates[1], "--runtime-environment-update"),
        "FLINK-1_20"
    );
    assert_eq!(arg(&updates[0], "--current-application-version-id"), "3");
    assert_eq!(
        w.restores(),
        [
            "orders-app RESTORE_FROM_LATEST_SNAPSHOT -",
            "orders-app RESTORE_FROM_LATEST_SNAPSHOT -"
        ]
    );
    // One named snapshot per hop, each on the runtime the hop left.
    let snaps: Vec<String> = fs::read_dir(w.app_dir("orders-app").join("snapshots"))
        .unwrap()
        .flatten()
        .map(|e| fs::read_to_string(e.path()).unwrap())
        .collect();
    assert_eq!(snaps.len(), 2);
    assert!(
        snaps.iter().any(|s| s.contains("FLINK-1_6"))
            && snaps.iter().any(|s| s.contains("FLINK-1_15"))
    );
    assert!(w
        .captured("JOB1_SNAPSHOT_HOP1")
        .unwrap()
        .ends_with("-before-FLINK-1_15"));
    // A rerun carries on: nothing is sent again.
    let out = w.run(&GO, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    assert_eq!(w.calls("update-application").len(), 2);
    assert_eq!(w.calls("create-application-snapshot").len(), 2);
}

#[test]
fn a_system_rollback_stops_the_cutover_with_the_reason() {
    let w = World::new(&link("1.15", "1.20", ""));
    let out = w.run(&GO, &[("FAKE_SYSTEM_ROLLBACK_ON", "FLINK-1_20")]);
    assert_eq!(out.status.code(), Some(1), "{}", both(&out));
    let err = text(&out.stderr);
    assert!(
        err.contains("Stopped at 3.2 Update orders-app to FLINK-1_20"),
        "{err}"
    );
    assert!(
        err.contains("put the application back on FLINK-1_15"),
        "{err}"
    );
    assert!(
        err.contains("The snapshot is not compatible with FLINK-1_20"),
        "{err}"
    );
    assert_eq!(w.app("orders-app", "runtime"), "FLINK-1_15");
    // Running again does not send the update a second time.
    let out = w.run(&GO, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", both(&out));
    assert_eq!(w.calls("update-application").len(), 1);
    assert!(w.calls("describe-application").len() > 3);
}

#[test]
fn an_update_whose_answer_was_lost_is_read_back_never_sent_twice() {
    let w = World::new(&link("1.15", "1.20", ""));
    // The CLI fails after the update took effect, and reading it back fails too.
    let out = w.run(
        &GO,
        &[("FAKE_UPDATE_DROPS", "1"), ("FAKE_LIST_OPS_FAILS", "1")],
    );
    assert_eq!(out.status.code(), Some(1), "{}", both(&out));
    assert!(
        text(&out.stderr).contains("JOB1_OPERATION_HOP1 could not be read from the system"),
        "{}",
        both(&out)
    );
    assert_eq!(w.calls("update-application").len(), 1);
    let out = w.run(&GO, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    assert!(
        text(&out.stdout).contains("Read JOB1_OPERATION_HOP1 from the system"),
        "{}",
        both(&out)
    );
    assert_eq!(
        w.calls("update-application").len(),
        1,
        "the update was sent twice"
    );
    assert_eq!(w.app("orders-app", "runtime"), "FLINK-1_20");
}

/// After a rollback the application runs the old runtime and code.
fn assert_back(w: &World, out: &Output) {
    assert_eq!(out.status.code(), Some(0), "{}", both(out));
    assert_eq!(w.app("orders-app", "runtime"), "FLINK-1_6");
    assert_eq!(w.app("orders-app", "key"), "flink/orders-1.6.jar");
    assert_eq!(w.app("orders-app", "status"), "RUNNING");
}

const ROLLBACK: [&str; 4] = ["rollback", "--yes", "--done", "rollback.done"];

#[test]
fn the_rollback_works_from_every_point_the_cutover_stops_at() {
    let l = link("1.6", "1.20", "&job1.stop1-jar=flink/orders-1.15.jar");
    let custom = |w: &World| {
        format!(
            "orders-app RESTORE_FROM_CUSTOM_SNAPSHOT {}",
            w.captured("JOB1_SNAPSHOT_HOP1").unwrap()
        )
    };

    // The first snapshot failed: nothing changed, nothing is updated back.
    let w = World::new(&l);
    let out = w.run(&GO, &[("FAKE_SNAPSHOT_FAILS_ON", "FLINK-1_6")]);
    assert_eq!(out.status.code(), Some(1), "{}", both(&out));
    assert_back(&w, &w.run(&ROLLBACK, &[]));
    assert!(w.calls("update-application").is_empty());

    // Stopped at the stop (the second snapshot failed): back from 1.15.
    let w = World::new(&l);
    let out = w.run(&GO, &[("FAKE_SNAPSHOT_FAILS_ON", "FLINK-1_15")]);
    assert_eq!(out.status.code(), Some(1), "{}", both(&out));
    assert_eq!(w.app("orders-app", "runtime"), "FLINK-1_15");
    assert_back(&w, &w.run(&ROLLBACK, &[]));
    assert_eq!(w.restores().last().unwrap(), &custom(&w));
    let back = w.calls("update-application");
    assert_eq!(
        arg(back.last().unwrap(), "--runtime-environment-update"),
        "FLINK-1_6"
    );

    // The system rollback put it back on the stop: back from there.
    let w = World::new(&l);
    let out = w.run(&GO, &[("FAKE_SYSTEM_ROLLBACK_ON", "FLINK-1_20")]);
    assert_eq!(out.status.code(), Some(1), "{}", both(&out));
    assert_back(&w, &w.run(&ROLLBACK, &[]));
    assert_eq!(w.restores().last().unwrap(), &custom(&w));

    // Interrupted while an update ran: RollbackApplication first, then back.
    let w = World::new(&l);
    let out = w.run(&GO, &[("FAKE_SNAPSHOT_FAILS_ON", "FLINK-1_15")]);
    assert_eq!(out.status.code(), Some(1), "{}", both(&out));
    w.set("orders-app", "status", "UPDATING");
    assert_back(&w, &w.run(&ROLLBACK, &[]));
    assert!(
        w.restores()
            .iter()
            .any(|r| r.contains("ROLLBACK_APPLICATION")),
        "{:?}",
        w.restores()
    );
    assert_eq!(w.calls("rollback-application").len(), 1);

    // After the whole cutover and verify; a READY application is started.
    let w = World::new(&l);
    let out = w.run(&GO, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    w.set("orders-app", "status", "READY");
    let out = w.run(&ROLLBACK, &[]);
    assert_back(&w, &out);
    assert!(
        w.restores()
            .iter()
            .any(|r| r.starts_with("orders-app START RESTORE_FROM_CUSTOM_SNAPSHOT")),
        "{:?}",
        w.restores()
    );
    // A second rollback run changes nothing more.
    let n = w.calls("update-application").len();
    assert_back(&w, &w.run(&ROLLBACK, &[]));
    assert_eq!(w.calls("update-application").len(), n);
}

#[test]
fn the_decommission_deletes_the_snapshots_and_old_code_after_the_soak_only() {
    let w = World::new(&link("1.15", "1.20", ""));
    assert_eq!(w.run(&GO, &[]).status.code(), Some(0));
    let out = w.run(&["decommission"], &[]);
    assert_eq!(out.status.code(), Some(1), "{}", both(&out));
    assert!(
        text(&out.stderr).contains("The soak lasts 3 days"),
        "{}",
        both(&out)
    );
    // The soak passed: verify finished four days ago.
    let state = w.path().join("runbook.state");
    let old = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        - 4 * 86_400;
    let mut s = fs::read_to_string(&state).unwrap();
    s.push_str(&format!("finished\tverify\t{old}\n"));
    fs::write(&state, s).unwrap();
    let snap = w.captured("JOB1_SNAPSHOT_HOP1").unwrap();
    let snapshot = w.app_dir("orders-app").join("snapshots").join(&snap);
    assert!(snapshot.exists());
    let mut cmd = std::process::Command::new("bash");
    cmd.arg(w.path().join("runbook.sh"))
        .args(["decommission", "--yes"])
        .current_dir(w.path())
        .env("FAKE_WORLD", w.path().join("world"))
        .env("WAYMARK_STATE_FILE", &state)
        .env("WAYMARK_POLL_SECONDS", "0")
        .env(
            "PATH",
            format!(
                "{}:{}",
                w.path().join("bin").display(),
                std::env::var("PATH").unwrap()
            ),
        )
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(b"FLINK-1_15\n")
            .unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    assert!(!snapshot.exists(), "the snapshot is still there");
    assert!(!w
        .path()
        .join("world/objects/code-bucket/flink/orders-1.15.jar")
        .exists());
    assert!(w
        .path()
        .join("world/objects/code-bucket/flink/orders-1.20.jar")
        .exists());
}
