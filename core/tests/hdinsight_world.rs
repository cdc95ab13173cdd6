//! The HDInsight scripts in a fake world: stub `az` and `ssh` on PATH that
//! log every call and keep the clusters' states in a temp dir (see
//! `hdinsight_common::World`). These tests run the generated scripts under
//! bash and show that the execution model holds for HDInsight: checks gate,
//! people are never pretended, a rerun never creates twice, the old cluster
//! goes only in the decommission, and secrets stay in the private directory.
//! The last tests check the same rules on every golden plan without running
//! anything.

mod hdinsight_common;

use hdinsight_common::{args, both, link, World, SECRETS};
use waymark_core::plan::{Expect, Host, PhaseId, Plan, Value, Verdict, Word};

fn code(out: &std::process::Output) -> Option<i32> {
    out.status.code()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Records that verify finished `days` ago, as if the soak had passed.
fn verified_days_ago(w: &World, days: u64) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let mut state = std::fs::read_to_string(w.state_file()).unwrap();
    state.push_str(&format!("finished\tverify\t{}\n", now - days * 86_400));
    std::fs::write(w.state_file(), state).unwrap();
}

/// `--yes` plus a `--done` for every person's step of `phases`.
fn yes_done(w: &World, phases: &[&str]) -> Vec<String> {
    let mut a = args(&["--yes"]);
    a.extend(w.people(phases));
    a
}

#[test]
fn a_cluster_state_other_than_running_stops_the_run_naming_step_expected_and_seen() {
    let w = World::new(&link("kafka", "4.0", "5.1"));
    let (old, new) = (w.value("OLD_CLUSTER"), w.value("NEW_CLUSTER"));
    w.cluster(&old, "InProgress");
    w.cluster(&new, "Running");
    let out = w.run(&args(&["preflight", "--yes"]), &[], "");
    assert_eq!(code(&out), Some(1), "{}", both(&out));
    let err = stderr(&out);
    assert!(
        err.contains("Stopped at 2.2 Check that the old cluster is running"),
        "{err}"
    );
    assert!(err.contains("Expected: the output is Running"), "{err}");
    assert!(err.contains("Seen (exit 0): InProgress"), "{err}");
    assert!(err.contains("Nothing in production has changed"), "{err}");
    assert_eq!(w.az(&["hdinsight", "create"], &new), 0);
    assert_eq!(w.az(&["hdinsight", "delete"], &old), 0);

    // A create that ends in Error stops at once, although the wait is an hour.
    let w = World::new(&link("kafka", "4.0", "5.1"));
    let new = w.value("NEW_CLUSTER");
    let out = w.run(
        &args(&["prepare", "--yes"]),
        &[("FAKE_CREATE_STATE", "Error")],
        "",
    );
    assert_eq!(code(&out), Some(1), "{}", both(&out));
    let err = stderr(&out);
    assert!(
        err.contains("Stopped at 1.2 Create the new Kafka cluster"),
        "{err}"
    );
    assert!(err.contains("Seen (exit 0): Error"), "{err}");
    assert_eq!(
        w.az(&["hdinsight", "show"], &new),
        1,
        "the Error state did not end the wait"
    );
}

#[test]
fn yes_stops_at_a_manual_step_and_done_carries_on() {
    let w = World::new(&link("kafka", "4.0", "5.1"));
    let new = w.value("NEW_CLUSTER");
    // The create is reported in progress twice before it runs: the check waits.
    let env = [("FAKE_CREATE_STATE", "Accepted InProgress Running")];
    let out = w.run(&args(&["prepare", "--yes"]), &env, "");
    assert_eq!(code(&out), Some(3), "{}", both(&out));
    let err = stderr(&out);
    assert!(err.contains("This step needs a person"), "{err}");
    assert!(err.contains("--done prepare.carry-over"), "{err}");
    assert_eq!(w.cluster_state(&new).as_deref(), Some("Running"));
    assert_eq!(w.az(&["hdinsight", "create"], &new), 1);
    assert!(
        w.az(&["hdinsight", "show"], &new) >= 3,
        "the check did not wait"
    );

    // --yes alone never answers for the person, however often it runs.
    let out = w.run(&args(&["prepare", "--yes"]), &env, "");
    assert_eq!(code(&out), Some(3), "{}", both(&out));
    assert!(stderr(&out).contains("--done prepare.carry-over"));

    let out = w.run(
        &args(&["prepare", "--yes", "--done", "prepare.carry-over"]),
        &env,
        "",
    );
    assert_eq!(code(&out), Some(3), "{}", both(&out));
    assert!(stderr(&out).contains("--done prepare.topics"));

    let out = w.run(
        &args(&[
            "prepare",
            "--yes",
            "--done",
            "prepare.topics",
            "--done",
            "prepare.rebalance",
            "--done",
            "prepare.acls",
        ]),
        &env,
        "",
    );
    assert_eq!(code(&out), Some(3), "{}", both(&out));
    assert!(
        stderr(&out).contains("--done prepare.test-clients"),
        "{}",
        both(&out)
    );

    let out = w.run(
        &args(&["prepare", "--yes", "--done", "prepare.test-clients"]),
        &env,
        "",
    );
    assert_eq!(code(&out), Some(0), "{}", both(&out));
    assert_eq!(
        w.az(&["hdinsight", "create"], &new),
        1,
        "a rerun created again"
    );
    let record = std::fs::read_to_string(w.record_file()).unwrap();
    assert!(
        record.contains("confirmed by a person with --done"),
        "{record}"
    );
    let state = std::fs::read_to_string(w.state_file()).unwrap();
    assert!(state.contains("finished\tprepare\t"), "{state}");
}

#[test]
fn a_failed_create_leaves_the_old_cluster_and_a_rerun_does_not_create_twice() {
    let w = World::new(&link("spark", "4.0", "5.1"));
    let (old, new, test) = (
        w.value("OLD_CLUSTER"),
        w.value("NEW_CLUSTER"),
        w.value("TEST_CLUSTER"),
    );
    let all = yes_done(&w, &["prepare", "preflight", "cutover", "verify"]);
    let quota = [
        ("FAKE_FAIL", "hdinsight create"),
        ("FAKE_FAIL_NAME", new.as_str()),
    ];
    let out = w.run(&all, &quota, "");
    assert_eq!(code(&out), Some(1), "{}", both(&out));
    let err = stderr(&out);
    assert!(err.contains("Create the new cluster"), "{err}");
    assert!(err.contains("did not take effect"), "{err}");
    // The create is before the downtime: the old cluster's Hive still runs.
    assert!(!w.dir.join("world/ambari").exists(), "Hive was touched");
    // Production is whole: the old cluster was never deleted, stopped or changed.
    assert_eq!(w.cluster_state(&old).as_deref(), Some("Running"));
    assert_eq!(w.az(&["hdinsight", "delete"], &old), 0);
    // The test cluster went before the create, for its cores.
    let calls = w.calls();
    let pos = |verb: &str, name: &str| {
        calls.iter().position(|c| {
            c[0] == "az" && c[2] == verb && c.windows(2).any(|x| x[0] == "--name" && x[1] == name)
        })
    };
    assert!(pos("delete", &test).unwrap() < pos("create", &new).unwrap());
    assert!(
        w.leftovers().is_empty(),
        "left in TMPDIR: {:?}",
        w.leftovers()
    );

    // The rerun carries on at the create; what finished is not repeated.
    let out = w.run(&all, &[], "");
    assert_eq!(code(&out), Some(0), "{}", both(&out));
    assert_eq!(
        w.az(&["hdinsight", "create"], &new),
        2,
        "one failed create, one that worked"
    );
    assert_eq!(w.az(&["hdinsight", "create"], &test), 1);
    assert_eq!(w.az(&["hdinsight", "delete"], &test), 1);
    // The first copy before the create, a fresh one in the downtime.
    assert_eq!(w.az(&["sql", "db", "copy"], &w.value("METASTORE_DB")), 2);
    assert_eq!(w.az(&["hdinsight", "delete"], &old), 0);
    assert_eq!(w.cluster_state(&new).as_deref(), Some("Running"));

    // A create whose client fails after Azure made the cluster: the script
    // asks Azure, keeps the cluster, and never creates it again.
    let w = World::new(&link("spark", "4.0", "5.1"));
    let all = yes_done(&w, &["prepare", "preflight", "cutover", "verify"]);
    let gave_up = [
        ("FAKE_FAIL", "hdinsight create"),
        ("FAKE_FAIL_NAME", new.as_str()),
        ("FAKE_FAIL_LEAVES", "1"),
        ("FAKE_FAIL_STATE", "Error"),
    ];
    let out = w.run(&all, &gave_up, "");
    assert_eq!(code(&out), Some(1), "{}", both(&out));
    assert!(
        stderr(&out).contains("Seen (exit 0): Error"),
        "{}",
        both(&out)
    );
    let out = w.run(&all, &[], "");
    assert_eq!(
        code(&out),
        Some(1),
        "the cluster is still in Error: {}",
        both(&out)
    );
    // Someone repairs it in the portal; the rerun goes on.
    w.cluster(&new, "Running");
    let out = w.run(&all, &[], "");
    assert_eq!(code(&out), Some(0), "{}", both(&out));
    assert_eq!(w.az(&["hdinsight", "create"], &new), 1, "created twice");
    assert_eq!(w.az(&["hdinsight", "delete"], &old), 0);
}

#[test]
fn decommission_runs_only_by_name_after_the_soak_and_the_typed_name() {
    let w = World::new(&link("kafka", "4.0", "5.1"));
    let old = w.value("OLD_CLUSTER");
    let out = w.run(
        &yes_done(&w, &["prepare", "preflight", "cutover", "verify"]),
        &[],
        "",
    );
    assert_eq!(code(&out), Some(0), "{}", both(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Watch the new system for 7 days"));
    // Neither the cutover nor verify deleted anything.
    assert_eq!(w.az(&["hdinsight", "delete"], &old), 0);
    assert!(w.calls().iter().all(|c| !c.iter().any(|a| a == "delete")));
    // A plain rerun does not decommission.
    let out = w.run(&args(&["--yes"]), &[], &format!("{old}\n"));
    assert_eq!(code(&out), Some(0), "{}", both(&out));
    assert_eq!(w.az(&["hdinsight", "delete"], &old), 0);

    // Named, but the soak is not over.
    let out = w.run(&args(&["decommission", "--yes"]), &[], &format!("{old}\n"));
    assert_eq!(code(&out), Some(1), "{}", both(&out));
    assert!(
        stderr(&out).contains("The soak lasts 7 days"),
        "{}",
        both(&out)
    );
    assert_eq!(w.az(&["hdinsight", "delete"], &old), 0);

    // The soak has passed: verify finished 8 days ago.
    verified_days_ago(&w, 8);

    // --yes does not type the name; a wrong name deletes nothing.
    let out = w.run(&args(&["decommission", "--yes"]), &[], "");
    assert_eq!(code(&out), Some(3), "{}", both(&out));
    let out = w.run(&args(&["decommission", "--yes"]), &[], "events-kf-51\n");
    assert_eq!(code(&out), Some(1), "{}", both(&out));
    assert!(
        stderr(&out).contains("nothing was deleted"),
        "{}",
        both(&out)
    );
    assert_eq!(w.az(&["hdinsight", "delete"], &old), 0);
    assert_eq!(w.cluster_state(&old).as_deref(), Some("Running"));

    let out = w.run(&args(&["decommission", "--yes"]), &[], &format!("{old}\n"));
    assert_eq!(code(&out), Some(0), "{}", both(&out));
    assert_eq!(w.az(&["hdinsight", "delete"], &old), 1);
    assert_eq!(w.cluster_state(&old), None);
    assert!(w.cluster_state(&w.value("NEW_CLUSTER")).is_some());
    // After the decommission there is no way back.
    let out = w.run(&args(&["rollback", "--yes"]), &[], "");
    assert_eq!(code(&out), Some(1), "{}", both(&out));
}

#[test]
fn a_cluster_is_gone_only_when_az_says_not_found_never_on_a_failed_login() {
    let w = World::new(&link("kafka", "4.0", "5.1"));
    let old = w.value("OLD_CLUSTER");
    let out = w.run(
        &yes_done(&w, &["prepare", "preflight", "cutover", "verify"]),
        &[],
        "",
    );
    assert_eq!(code(&out), Some(0), "{}", both(&out));
    verified_days_ago(&w, 8);
    // The delete ran, but the check after it cannot tell: the login expired.
    let out = w.run(
        &args(&["decommission", "--yes"]),
        &[("FAKE_NOT_FOUND_RC", "1")],
        &format!("{old}\n"),
    );
    assert_eq!(code(&out), Some(1), "{}", both(&out));
    assert!(
        stderr(&out).contains("Expected: the command exits with status 3"),
        "{}",
        both(&out)
    );
    // Logged in again, the rerun sees ResourceNotFound and finishes.
    let out = w.run(&args(&["decommission", "--yes"]), &[], &format!("{old}\n"));
    assert_eq!(code(&out), Some(0), "{}", both(&out));
    assert_eq!(w.az(&["hdinsight", "delete"], &old), 1, "deleted twice");
}

#[test]
fn a_metastore_password_with_quotes_and_backslashes_reaches_az_as_valid_json() {
    let w = World::new(&link("hadoop", "4.0", "5.1"));
    let all = yes_done(&w, &["prepare", "preflight", "cutover", "verify"]);
    let password = r#"p"a\s's\"w$rd"#;
    let out = w.run(&all, &[("METASTORE_PASSWORD", password)], "");
    assert_eq!(code(&out), Some(0), "{}", both(&out));
    assert!(
        w.dir.join("world/config-ok").exists(),
        "the configuration az got is not JSON holding the password: {}",
        both(&out)
    );
    assert!(!both(&out).contains(password), "the password was shown");
}

#[test]
fn secrets_stay_in_the_private_directory_and_it_is_gone_after_every_run() {
    let w = World::new(&link("spark", "4.0", "5.1"));
    let new = w.value("NEW_CLUSTER");
    let all = yes_done(&w, &["prepare", "preflight", "cutover", "verify"]);
    let fail = [
        ("FAKE_FAIL", "hdinsight create"),
        ("FAKE_FAIL_NAME", new.as_str()),
    ];
    let failed = w.run(&all, &fail, "");
    assert_eq!(code(&failed), Some(1), "{}", both(&failed));
    assert!(
        w.leftovers().is_empty(),
        "after a failure: {:?}",
        w.leftovers()
    );
    let ok = w.run(&all, &[], "");
    assert_eq!(code(&ok), Some(0), "{}", both(&ok));
    assert!(
        w.leftovers().is_empty(),
        "after success: {:?}",
        w.leftovers()
    );
    // The metastore configuration reached az, with the password, as a file.
    assert!(
        w.dir.join("world/config-ok").exists(),
        "az never saw the metastore configuration"
    );
    let files = std::fs::read_to_string(w.dir.join("world/secret-files")).unwrap();
    let tmp = w.dir.join("tmp");
    for f in files.lines() {
        let f = std::path::Path::new(f);
        assert!(
            f.starts_with(&tmp),
            "{} is not in the private directory",
            f.display()
        );
        assert!(!f.exists(), "{} survived the run", f.display());
    }
    assert!(
        files.contains("/hdi-metastore.json") && files.contains("/HTTP_PASSWORD"),
        "{files}"
    );
    // No secret in what was shown, recorded or kept, nor in any file left.
    let mut texts = vec![both(&failed), both(&ok)];
    let mut stack = vec![w.dir.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                texts.push(format!(
                    "{}: {}",
                    p.display(),
                    String::from_utf8_lossy(&std::fs::read(&p).unwrap())
                ));
            }
        }
    }
    assert!(texts.iter().any(|t| t.contains("runbook.record")));
    for (name, value) in SECRETS {
        for t in &texts {
            assert!(
                !t.contains(value),
                "{name} leaked: {}",
                &t[..t.len().min(200)]
            );
        }
    }
    let record = std::fs::read_to_string(w.record_file()).unwrap();
    assert!(
        record.contains("<private-secret-dir>/HTTP_PASSWORD"),
        "{record}"
    );
}

#[test]
fn hbase_checks_gate_before_anything_is_removed() {
    let w = World::new(&link("hbase", "4.0", "5.1"));
    let new = w.value("NEW_CLUSTER");
    w.cluster(&new, "Running");
    let own_fs = format!(
        "wasbs://{}@{}.blob.core.windows.net",
        w.value("NEW_CONTAINER"),
        w.value("STORAGE_ACCOUNT")
    );
    let all = yes_done(&w, &["prepare", "preflight", "cutover", "verify"]);
    let removes = |w: &World| {
        w.calls()
            .iter()
            .filter(|c| c[0] == "ssh" && c.iter().any(|a| a.contains(" -rm ")))
            .count()
    };
    // An unhealthy old cluster stops the pre-flight.
    let out = w.run(
        &all,
        &[
            ("FAKE_HBCK", "Status: INCONSISTENT"),
            ("FAKE_DEFAULT_FS", &own_fs),
        ],
        "",
    );
    assert_eq!(code(&out), Some(1), "{}", both(&out));
    assert!(
        stderr(&out).contains("Expected: the output contains Status: OK"),
        "{}",
        both(&out)
    );
    // The new cluster's WAL directory is not the one the rm removes.
    let env = [
        ("FAKE_WAL_DIR", "hdfs://mycluster/hbase-other"),
        ("FAKE_DEFAULT_FS", own_fs.as_str()),
    ];
    let out = w.run(&all, &env, "");
    assert_eq!(code(&out), Some(1), "{}", both(&out));
    let err = stderr(&out);
    assert!(
        err.contains("hbase.wal.dir is hdfs://mycluster/hbasewal"),
        "{err}"
    );
    assert!(
        err.contains("Seen (exit 0): hdfs://mycluster/hbase-other"),
        "{err}"
    );
    // The new cluster already points at another container.
    let out = w.run(
        &all,
        &[(
            "FAKE_DEFAULT_FS",
            "wasbs://sales-hb-40@salesdata.blob.core.windows.net",
        )],
        "",
    );
    assert_eq!(code(&out), Some(1), "{}", both(&out));
    assert!(
        stderr(&out).contains("default file system is its own container"),
        "{}",
        both(&out)
    );
    assert_eq!(
        removes(&w),
        0,
        "something was removed before the checks held"
    );

    // With everything as expected, the run goes through to verify.
    let out = w.run(&all, &[("FAKE_DEFAULT_FS", own_fs.as_str())], "");
    assert_eq!(code(&out), Some(0), "{}", both(&out));
    let calls = w.calls();
    let first_rm = calls
        .iter()
        .position(|c| c[0] == "ssh" && c.iter().any(|a| a.contains(" -rm ")))
        .unwrap();
    let last_wal_check = calls
        .iter()
        .rposition(|c| c[0] == "ssh" && c.iter().any(|a| a.contains("HBaseConfTool")))
        .unwrap();
    assert!(
        last_wal_check < first_rm,
        "the WAL directory was not checked right before the rm"
    );
    assert_eq!(w.az(&["hdinsight", "delete"], &w.value("OLD_CLUSTER")), 0);
}

/// The ssh calls to the old cluster whose command contains `text`.
fn on_old(w: &World, text: &str) -> Vec<usize> {
    let old_ssh = w.value("OLD_SSH");
    w.calls()
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            c[0] == "ssh" && c.get(2) == Some(&old_ssh) && c.iter().any(|a| a.contains(text))
        })
        .map(|(i, _)| i)
        .collect()
}

/// Same storage account: the new version rewrites the old cluster's root,
/// so a rollback after the cutover restores the copy the cutover took, and
/// never starts the old HBase on the rewritten directories (review H-C3,
/// H-M10).
#[test]
fn hbase_rollback_after_the_cutover_restores_the_backup_on_the_old_cluster() {
    // 4.0 without Accelerated Writes: the root and /hbase-wals are taken over.
    let l = link("hbase", "4.0", "5.1").replace("accelerated-writes=yes", "accelerated-writes=no");
    let w = World::new(&l);
    let new = w.value("NEW_CLUSTER");
    w.cluster(&new, "Running");
    let own_fs = format!(
        "wasbs://{}@{}.blob.core.windows.net",
        w.value("NEW_CONTAINER"),
        w.value("STORAGE_ACCOUNT")
    );
    let env = [("FAKE_DEFAULT_FS", own_fs.as_str())];
    let out = w.run(
        &yes_done(&w, &["prepare", "preflight", "cutover", "verify"]),
        &env,
        "",
    );
    assert_eq!(code(&out), Some(0), "{}", both(&out));
    // The backup was taken on the old cluster, and complete, before the new
    // cluster touched anything in the old container.
    let backup = on_old(&w, "distcp -update /hbase /hbase-pre-upgrade-backup/hbase");
    assert_eq!(backup.len(), 1, "{:?}", w.calls());
    assert_eq!(
        on_old(&w, "hdfs dfs -cp -f /hbase-wals /hbase-pre-upgrade-backup").len(),
        1
    );
    let new_ssh = w.value("NEW_SSH");
    let first_new_change = w
        .calls()
        .iter()
        .position(|c| {
            c[0] == "ssh"
                && c[2] == new_ssh
                && c.iter().any(|a| a.contains(" -cp ") || a.contains(" -rm "))
        })
        .expect("the cutover changed the new cluster");
    assert!(backup[0] < first_new_change);
    let state = std::fs::read_to_string(w.state_file()).unwrap();
    assert!(
        state.contains("value\tHBASE_BACKUP\t[120 files, 4096 bytes]"),
        "{state}"
    );

    // The backup changed since: the rollback stops before it moves anything.
    let mut rb = args(&["rollback", "--yes"]);
    rb.extend(w.people(&["rollback"]));
    let out = w.run(&rb, &[("FAKE_BACKUP_COUNT", "[119 files, 4000 bytes]")], "");
    assert_eq!(code(&out), Some(1), "{}", both(&out));
    let err = stderr(&out);
    assert!(err.contains("Check that the backup is complete"), "{err}");
    assert!(
        err.contains("Expected: the output contains [120 files, 4096 bytes]"),
        "{err}"
    );
    assert!(
        on_old(&w, " -mv ").is_empty(),
        "moved before the check held"
    );
    assert!(on_old(&w, "distcp -update /hbase-pre-upgrade-backup/hbase /hbase").is_empty());

    // With the backup as counted, the rollback moves the rewritten
    // directories aside, copies the backup back, and only then asks for
    // the old HBase to start.
    let out = w.run(&rb, &[], "");
    assert_eq!(code(&out), Some(0), "{}", both(&out));
    let moved = on_old(&w, "hdfs dfs -mv /hbase /hbase-upgrade-rollback");
    let wals_moved = on_old(&w, "hdfs dfs -mv /hbase-wals /hbase-upgrade-rollback");
    let restored = on_old(&w, "distcp -update /hbase-pre-upgrade-backup/hbase /hbase");
    let wals_restored = on_old(&w, "-cp -f /hbase-pre-upgrade-backup/hbase-wals /");
    assert_eq!(
        (
            moved.len(),
            wals_moved.len(),
            restored.len(),
            wals_restored.len()
        ),
        (1, 1, 1, 1)
    );
    assert!(moved[0] < restored[0] && wals_moved[0] < wals_restored[0]);
    let started = on_old(&w, "echo status");
    assert!(
        started.iter().any(|i| *i > restored[0]),
        "the old HBase was not checked after the restore"
    );
    // Nothing was deleted, the backup least of all.
    assert!(w.calls().iter().all(|c| !c
        .iter()
        .any(|a| a.contains(" -rm ") && a.contains("backup"))));
    assert_eq!(w.az(&["hdinsight", "delete"], &w.value("OLD_CLUSTER")), 0);
}

#[test]
fn hbase_cutover_stops_at_an_incomplete_backup_and_the_rollback_then_only_restarts() {
    let w = World::new(&link("hbase", "4.0", "5.1"));
    let new = w.value("NEW_CLUSTER");
    w.cluster(&new, "Running");
    let own_fs = format!(
        "wasbs://{}@{}.blob.core.windows.net",
        w.value("NEW_CONTAINER"),
        w.value("STORAGE_ACCOUNT")
    );
    let env = [
        ("FAKE_DEFAULT_FS", own_fs.as_str()),
        ("FAKE_BACKUP_SHORT", "1"),
    ];
    let out = w.run(
        &yes_done(&w, &["prepare", "preflight", "cutover", "verify"]),
        &env,
        "",
    );
    assert_eq!(code(&out), Some(1), "{}", both(&out));
    let text = both(&out);
    assert!(
        text.contains("Back up the old cluster's HBase directories"),
        "{text}"
    );
    assert!(text.contains("backup: [7 files, 100 bytes]"), "{text}");
    // Nothing of the new cluster ran: it never used the old container.
    let new_ssh = w.value("NEW_SSH");
    assert!(
        w.calls().iter().all(|c| !(c[0] == "ssh"
            && c[2] == new_ssh
            && c.iter().any(|a| a.contains(" -rm ") || a.contains(" -cp ")))),
        "the cutover went past an incomplete backup"
    );
    let state = std::fs::read_to_string(w.state_file()).unwrap();
    assert!(!state.contains("HBASE_BACKUP"), "{state}");

    // The old directories are untouched: the rollback restores nothing and
    // starts the old HBase on them.
    let mut rb = args(&["rollback", "--yes"]);
    rb.extend(w.people(&["rollback"]));
    let out = w.run(&rb, &[], "");
    assert_eq!(code(&out), Some(0), "{}", both(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Skipped: HBASE_BACKUP is not known"));
    assert!(on_old(&w, " -mv ").is_empty());
    assert!(on_old(&w, "distcp -update /hbase-pre-upgrade-backup").is_empty());
    assert!(!on_old(&w, "echo status").is_empty());
}

fn have_jq() -> bool {
    std::process::Command::new("jq")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Enterprise Security Package: the cutover exports the old cluster's
/// Ranger policies, imports them into the new cluster with the services
/// mapped, and counts them there before the jobs move; the decommission
/// deletes nothing while the export is missing (review H-C5).
#[test]
fn esp_cutover_carries_the_ranger_policies_and_the_decommission_checks_the_export() {
    if !have_jq() {
        assert!(
            std::env::var("WAYMARK_REQUIRE_TOOLS").map_or(true, |v| v != "1"),
            "jq is missing and WAYMARK_REQUIRE_TOOLS=1"
        );
        eprintln!("note: jq is not installed; the Ranger world test is skipped");
        return;
    }
    let admin = ("CLUSTER_ADMIN_PASSWORD", "admin-Pw-5e11c0");
    let w = World::new(&(link("spark", "4.0", "5.1") + hdinsight_common::ESP));
    let (old, new) = (w.value("OLD_CLUSTER"), w.value("NEW_CLUSTER"));
    let all = yes_done(&w, &["prepare", "preflight", "cutover", "verify"]);

    // A refused login stops the pre-flight, before the downtime.
    let out = w.run(&all, &[admin, ("FAKE_RANGER_LOGIN_FAIL", "1")], "");
    assert_eq!(code(&out), Some(1), "{}", both(&out));
    assert!(
        stderr(&out).contains("Check the login to the old cluster's Ranger"),
        "{}",
        both(&out)
    );
    assert!(w.calls().iter().all(|c| c
        .last()
        .is_none_or(|u| !u.contains("importPoliciesFromFile"))));
    let state = std::fs::read_to_string(w.state_file()).unwrap();
    assert!(!state.contains("begun\tcutover"), "{state}");

    // The new cluster's Ranger ends up with fewer policies: the run stops
    // at the Ranger step, before the jobs move.
    let out = w.run(&all, &[admin, ("FAKE_RANGER_MISSING", "1")], "");
    assert_eq!(code(&out), Some(1), "{}", both(&out));
    let err = stderr(&out);
    assert!(err.contains("Carry the Ranger policies over"), "{err}");
    assert!(
        err.contains("Expected: the output contains [3 policies]"),
        "{err}"
    );
    assert!(
        err.contains("Seen (exit 0): Ranger policies: [2 policies]"),
        "{err}"
    );
    let state = std::fs::read_to_string(w.state_file()).unwrap();
    assert!(!state.contains("step\tcutover.start-jobs"), "{state}");

    // Fixed: the rerun goes on; the export is not fetched twice.
    let out = w.run(&all, &[admin], "");
    assert_eq!(code(&out), Some(0), "{}", both(&out));
    let curls: Vec<Vec<String>> = w.calls().into_iter().filter(|c| c[0] == "curl").collect();
    let exports = curls
        .iter()
        .filter(|c| c.last().unwrap().ends_with("/exportJson"))
        .count();
    assert_eq!(exports, 1, "{curls:?}");
    assert!(curls.iter().any(|c| c.last().unwrap()
        == &format!(
            "https://{old}.azurehdinsight.net/ranger/service/plugins/policies/exportJson"
        )));
    assert!(curls.iter().any(|c| c.last().unwrap()
        == &format!("https://{new}.azurehdinsight.net/ranger/service/plugins/policies/importPoliciesFromFile?isOverride=true")));
    let map = std::fs::read_to_string(w.dir.join("world/ranger-map")).unwrap();
    assert_eq!(
        map.trim(),
        format!("{{\"{old}_hdfs\":\"{new}_hdfs\",\"{old}_hive\":\"{new}_hive\"}}")
    );
    let export = w.dir.join(w.value("RANGER_EXPORT"));
    assert!(export.exists(), "the export is kept beside the script");
    // The login went to curl as a file in the private directory, gone now;
    // the password is nowhere else.
    assert!(w.leftovers().is_empty(), "{:?}", w.leftovers());
    for c in &curls {
        assert!(!c.iter().any(|a| a.contains(admin.1)), "{c:?}");
    }
    let record = std::fs::read_to_string(w.record_file()).unwrap();
    assert!(!record.contains(admin.1));

    // After the soak, a missing export stops the decommission before the delete.
    verified_days_ago(&w, 8);
    std::fs::rename(&export, w.dir.join("moved.json")).unwrap();
    let out = w.run(&args(&["decommission", "--yes"]), &[], &format!("{old}\n"));
    assert_eq!(code(&out), Some(1), "{}", both(&out));
    assert!(
        stderr(&out).contains("Check that the Ranger policies were exported"),
        "{}",
        both(&out)
    );
    assert_eq!(w.az(&["hdinsight", "delete"], &old), 0);
    std::fs::rename(w.dir.join("moved.json"), &export).unwrap();
    let out = w.run(&args(&["decommission", "--yes"]), &[], &format!("{old}\n"));
    assert_eq!(code(&out), Some(0), "{}", both(&out));
    assert_eq!(w.az(&["hdinsight", "delete"], &old), 1);
}

/// A SAS token pasted in the portal's "SAS URL" form starts with `?`; the
/// URL AzCopy gets has exactly one either way, and a token without a
/// signature stops the run before AzCopy, without showing it (review H-m4).
#[test]
fn sas_tokens_with_or_without_the_leading_question_mark_make_one_url() {
    let w = World::new(&(link("hbase", "4.0", "5.1") + "&new-storage-account=salesdata51"));
    w.cluster(&w.value("NEW_CLUSTER"), "Running");
    let own_fs = format!(
        "wasbs://{}@{}.blob.core.windows.net",
        w.value("NEW_CONTAINER"),
        w.value("NEW_STORAGE_ACCOUNT")
    );
    let mut all = args(&["prepare", "cutover"]);
    all.extend(yes_done(&w, &["prepare", "preflight", "cutover"]));
    let bad = [
        ("FAKE_DEFAULT_FS", own_fs.as_str()),
        ("SOURCE_SAS", "?sv=2024-05-04&sp=rl&sig=bad-paste-41f0"),
        ("DEST_SAS", "oops-no-signature-9d2e"),
    ];
    let out = w.run(&all, &bad, "");
    assert_eq!(code(&out), Some(1), "{}", both(&out));
    assert!(
        stderr(&out).contains("DEST_SAS has no sig="),
        "{}",
        both(&out)
    );
    assert!(
        !both(&out).contains("oops-no-signature-9d2e"),
        "the token was shown"
    );
    assert!(w.calls().iter().all(|c| c[0] != "azcopy"));

    let good = [
        ("FAKE_DEFAULT_FS", own_fs.as_str()),
        ("SOURCE_SAS", "?sv=2024-05-04&sp=rl&sig=src-7a1b"),
        ("DEST_SAS", "sv=2024-05-04&sp=rwl&sig=dst-3c9d"),
    ];
    let out = w.run(&all, &good, "");
    assert_eq!(code(&out), Some(0), "{}", both(&out));
    let copies: Vec<Vec<String>> = w.calls().into_iter().filter(|c| c[0] == "azcopy").collect();
    // The hbase folder, then the WAL backup (review H-M6).
    assert_eq!(copies.len(), 2, "{copies:?}");
    assert_eq!(
        copies[0][1..],
        [
            "copy",
            "https://salesdata.blob.core.windows.net/sales-hb-40/hbase?sv=2024-05-04&sp=rl&sig=src-7a1b",
            "https://salesdata51.blob.core.windows.net/sales-hb-51?sv=2024-05-04&sp=rwl&sig=dst-3c9d",
            "--recursive"
        ]
    );
    let record = std::fs::read_to_string(w.record_file()).unwrap();
    assert!(
        !record.contains("sig=src-7a1b") && !record.contains("sig=dst-3c9d"),
        "{record}"
    );
}

#[test]
fn without_vnet_the_preflight_stops_when_the_old_cluster_is_in_a_virtual_network() {
    let w = World::new(&link("kafka", "4.0", "5.1").replace("&vnet=data-vnet&subnet=hdi", ""));
    w.cluster(&w.value("NEW_CLUSTER"), "Running");
    let out = w.run(
        &args(&["preflight", "--yes"]),
        &[("FAKE_OLD_VNET", "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/data-vnet")],
        "",
    );
    assert_eq!(code(&out), Some(1), "{}", both(&out));
    let err = stderr(&out);
    assert!(
        err.contains("Check that the old cluster is in no virtual network either"),
        "{err}"
    );
    assert!(err.contains("virtualNetworks/data-vnet"), "{err}");
    assert!(w.calls().iter().all(|c| !c.iter().any(|a| a == "create")));
    // An old cluster outside any network: the pre-flight goes on to the go/no-go.
    let mut a = args(&["preflight", "--yes"]);
    a.extend(w.people(&["preflight"]));
    let out = w.run(&a, &[], "");
    assert_eq!(code(&out), Some(0), "{}", both(&out));
}

/// On Data Lake Storage Gen2 the new cluster's own file system is an
/// abfs:// URL: the check accepts it and still refuses another one.
#[test]
fn hbase_on_adls_gen2_checks_the_abfs_default_file_system() {
    let w = World::new(&(link("hbase", "4.0", "5.1") + hdinsight_common::GEN2));
    w.cluster(&w.value("NEW_CLUSTER"), "Running");
    let all = yes_done(&w, &["prepare", "preflight", "cutover", "verify"]);
    let wasb = format!(
        "wasbs://{}@salesdata.blob.core.windows.net",
        w.value("NEW_CONTAINER")
    );
    let out = w.run(&all, &[("FAKE_DEFAULT_FS", wasb.as_str())], "");
    assert_eq!(code(&out), Some(1), "{}", both(&out));
    assert!(
        stderr(&out).contains("default file system is its own container"),
        "{}",
        both(&out)
    );
    let abfs = format!(
        "abfs://{}@salesdata.dfs.core.windows.net",
        w.value("NEW_CONTAINER")
    );
    let out = w.run(&all, &[("FAKE_DEFAULT_FS", abfs.as_str())], "");
    assert_eq!(code(&out), Some(0), "{}", both(&out));
    // The stack apps are copied from the new cluster's own file system.
    assert!(w.calls().iter().any(|c| c[0] == "ssh"
        && c.iter()
            .any(|a| a.contains(&format!("-cp -f {abfs}/hdp/apps/")))));
}

// ------------------------------------------------------------ invariants

/// Every non-blocked plan of the golden scenarios and a few variants.
fn plans() -> Vec<(String, Plan)> {
    let mut links = hdinsight_common::scenarios();
    links.push((
        "spark-no-location".into(),
        link("spark", "4.0", "5.1").replace("location=westeurope&", ""),
    ));
    links.push((
        "hadoop-new-container".into(),
        link("hadoop", "4.0", "5.1") + "&new-container=etl-hadoop-next",
    ));
    links
        .into_iter()
        .map(|(n, l)| (n, waymark_core::plan_link(&l).unwrap()))
        .filter(|(_, p)| p.verdict != Verdict::Blocked)
        .collect()
}

/// The words of a command, split where shell text has spaces.
fn tokens(words: &[Word]) -> Vec<String> {
    let mut out = Vec::new();
    for w in words {
        match w {
            Word::Lit(t) | Word::Var(t) | Word::Array(t) => out.push(t.to_string()),
            Word::Raw(t) => out.extend(t.split_whitespace().map(String::from)),
            Word::Join(parts) => out.extend(tokens(parts)),
        }
    }
    out
}

fn read_only(words: &[Word]) -> bool {
    const CHANGES: [&str; 6] = ["create", "delete", "start", "stop", "rm", "-rm"];
    tokens(words).iter().all(|t| !CHANGES.contains(&t.as_str()))
}

#[test]
fn irreversible_commands_live_only_in_the_decommission() {
    let plans = plans();
    assert!(plans.len() >= 20, "{}", plans.len());
    for (name, plan) in &plans {
        let ids: Vec<PhaseId> = plan.phases.iter().map(|p| p.id).collect();
        assert_eq!(
            ids,
            [
                PhaseId::Prepare,
                PhaseId::Preflight,
                PhaseId::Cutover,
                PhaseId::Verify,
                PhaseId::Rollback,
                PhaseId::Decommission
            ],
            "{name}"
        );
        let mut deletes_old = 0;
        for (phase, step) in plan.steps() {
            for c in &step.commands {
                let t = tokens(&c.words);
                let deletes = t.iter().any(|w| w == "delete");
                if c.irreversible {
                    assert_eq!(
                        phase.id,
                        PhaseId::Decommission,
                        "{name}: {} is irreversible",
                        step.id
                    );
                }
                if deletes && t.iter().any(|w| w == "OLD_CLUSTER") {
                    assert!(
                        c.irreversible && phase.id == PhaseId::Decommission,
                        "{name}: {}",
                        step.id
                    );
                    deletes_old += 1;
                }
                if deletes && phase.id != PhaseId::Decommission {
                    // Only the throwaway test cluster goes earlier, and the
                    // new cluster's first metastore copy, replaced at once
                    // by a fresh copy of the untouched original.
                    assert!(
                        t.iter().any(|w| w == "TEST_CLUSTER")
                            || (step.id == "cutover.copy-metastore"
                                && t.iter().any(|w| w == "NEW_METASTORE_DB")
                                && !t.iter().any(|w| w == "METASTORE_DB")),
                        "{name}: {} deletes {t:?}",
                        step.id
                    );
                }
            }
        }
        assert_eq!(
            deletes_old, 1,
            "{name}: the old cluster is deleted once, in the decommission"
        );
    }
}

#[test]
fn preflight_and_checks_only_read() {
    for (name, plan) in plans() {
        for (phase, step) in plan.steps() {
            for k in &step.checks {
                assert!(
                    read_only(&k.command.words),
                    "{name}: check of {} changes: {}",
                    step.id,
                    plan.show(&k.command)
                );
            }
            if phase.id == PhaseId::Preflight {
                for c in &step.commands {
                    assert!(
                        read_only(&c.words),
                        "{name}: {} changes: {}",
                        step.id,
                        plan.show(c)
                    );
                }
            }
        }
    }
}

#[test]
fn every_plan_has_a_frame_and_ends_its_preflight_with_the_go_no_go() {
    for (name, plan) in plans() {
        let f = &plan.frame;
        assert!(
            !f.go_no_go.is_empty() && !f.abort.is_empty() && !f.watch.is_empty(),
            "{name}"
        );
        for p in &plan.phases {
            assert!(
                f.estimates
                    .iter()
                    .any(|e| e.phase == p.id && !e.time.is_empty() && !e.longer.is_empty()),
                "{name}: no estimate for {:?}",
                p.id
            );
        }
        let hbase = name.starts_with("hbase");
        assert_eq!(f.soak_days, if hbase { 14 } else { 7 }, "{name}");
        assert_eq!(
            f.decommission_confirm,
            Some((
                "OLD_CLUSTER".to_string(),
                "the old cluster's name".to_string()
            )),
            "{name}"
        );
        let pre = plan
            .phases
            .iter()
            .find(|p| p.id == PhaseId::Preflight)
            .unwrap();
        assert_eq!(pre.steps.last().unwrap().confirm, f.go_no_go, "{name}");
        // The pre-flight asserts the old cluster Running and the login.
        let checks: Vec<String> = pre
            .steps
            .iter()
            .flat_map(|s| &s.checks)
            .map(|k| plan.show(&k.command))
            .collect();
        assert!(
            checks.iter().any(|c| c.starts_with("az account show")),
            "{name}"
        );
        assert!(
            checks.iter().any(|c| c.contains("properties.clusterState")),
            "{name}"
        );
    }
}

#[test]
fn creates_are_resumable_side_by_side_and_wait_for_running() {
    for (name, plan) in plans() {
        let mut new_creates = 0;
        for (phase, step) in plan.steps() {
            for c in &step.commands {
                let t = tokens(&c.words);
                if !(t.len() > 2 && t[1] == "hdinsight" && t[2] == "create") {
                    continue;
                }
                assert!(
                    c.capture.is_some() && c.recover.is_some(),
                    "{name}: {} cannot resume",
                    step.id
                );
                assert!(
                    step.checks
                        .iter()
                        .any(|k| k.expect == Expect::Output("Running".into())
                            && k.wait >= 1800
                            && k.fails_on.as_deref() == Some("Error")),
                    "{name}: {} does not wait for Running",
                    step.id
                );
                if t.iter().any(|w| w == "NEW_CLUSTER") {
                    new_creates += 1;
                    // Beside the old cluster: never on its container.
                    assert!(
                        t.iter().any(|w| w == "NEW_CONTAINER")
                            && !t.iter().any(|w| w == "OLD_CONTAINER"),
                        "{name}"
                    );
                    assert!(
                        matches!(phase.id, PhaseId::Prepare | PhaseId::Cutover),
                        "{name}"
                    );
                }
            }
        }
        assert_eq!(new_creates, 1, "{name}");
        let all: Vec<&str> = plan.steps().map(|(_, s)| s.id.as_str()).collect();
        if let (Some(d), Some(c)) = (
            all.iter().position(|s| *s == "prepare.delete-test"),
            all.iter().position(|s| *s == "prepare.create"),
        ) {
            // Before the downtime, after the test cluster (review H-M8).
            assert!(d < c, "{name}: the test cluster must go before the create");
            let q = all.iter().position(|s| *s == "prepare.quota").unwrap();
            assert!(
                d < q && q < c,
                "{name}: the quota check comes just before the create"
            );
        } else {
            assert!(
                name.starts_with("hbase") || name.starts_with("kafka"),
                "{name}: {all:?}"
            );
        }
    }
}

#[test]
fn no_secret_is_written_outside_the_private_directory() {
    for (name, plan) in plans() {
        let secrets: Vec<&str> = plan
            .variables
            .iter()
            .filter(|v| matches!(v.value, Value::Secret))
            .map(|v| v.name.as_str())
            .collect();
        for (_, step) in plan.steps() {
            for c in &step.commands {
                let uses_secret = tokens(&c.words)
                    .iter()
                    .any(|t| secrets.contains(&t.as_str()));
                if let Some(i) = c
                    .words
                    .iter()
                    .position(|w| matches!(w, Word::Raw(">") | Word::Raw(">>")))
                {
                    if uses_secret {
                        let target = &c.words[i + 1];
                        assert!(
                            matches!(target, Word::Join(p) if p.first() == Some(&Word::Var("SECRET_DIR".into()))),
                            "{name}: {} writes a secret to {target:?}",
                            step.id
                        );
                        assert!(
                            c.each_run,
                            "{name}: {} must be rewritten on every run",
                            step.id
                        );
                    }
                }
                if uses_secret {
                    assert!(!matches!(c.host, Host::Ssh { .. }), "{name}: {}", step.id);
                }
            }
        }
    }
}

#[test]
fn a_run_asks_only_for_the_secrets_its_phases_use() {
    let w = World::new(&link("spark", "4.0", "5.1"));
    let mut all = args(&["prepare", "cutover"]);
    all.extend(yes_done(&w, &["prepare", "preflight", "cutover"]));
    let ok = w.run(&all, &[], "");
    assert_eq!(code(&ok), Some(0), "{}", both(&ok));
    // Verify creates nothing: without a terminal and without the passwords
    // in the environment, it still runs.
    let mut verify = args(&["verify", "--yes"]);
    verify.extend(w.people(&["verify"]));
    let unset = [
        ("HTTP_PASSWORD", ""),
        ("SSH_PASSWORD", ""),
        ("METASTORE_PASSWORD", ""),
    ];
    let out = w.run(&verify, &unset, "");
    assert_eq!(
        code(&out),
        Some(0),
        "verify asked for a secret it does not use: {}",
        both(&out)
    );
    // The cutover's create does need them, and says which.
    let w = World::new(&link("spark", "4.0", "5.1"));
    let mut cutover = args(&["cutover"]);
    cutover.extend(yes_done(&w, &["preflight", "cutover"]));
    let out = w.run(&cutover, &unset, "");
    assert_eq!(code(&out), Some(2), "{}", both(&out));
    assert!(
        stderr(&out).contains("Set HTTP_PASSWORD in the environment"),
        "{}",
        stderr(&out)
    );
}
