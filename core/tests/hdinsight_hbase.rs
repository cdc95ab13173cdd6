//! HBase findings of the December review (issue 8): the WALs and hbase.id
//! on another storage account and a flush that cannot fail silently (H-M6),
//! Kerberos before every command on ESP (H-M7), Phoenix (H-M12), verify
//! with commands (H-m2), Accelerated Writes and its three workers (H-m7),
//! copies a rerun does not trip over (H-m9) and one SSH connection per
//! cluster (H-m3). Plan-level checks, then runs in the fake world.

mod hdinsight_common;

use hdinsight_common::{args, both, link, World, ESP};
use waymark_core::plan::{Command, Expect, Host, Plan, Severity, Step, Verdict, Word};

fn plan(link: &str) -> Plan {
    waymark_core::plan_link(link).unwrap_or_else(|p| panic!("{link}: {p:?}"))
}

fn step<'a>(plan: &'a Plan, id: &str) -> &'a Step {
    plan.steps()
        .map(|(_, s)| s)
        .find(|s| s.id == id)
        .unwrap_or_else(|| panic!("no step {id}"))
}

fn position(plan: &Plan, id: &str) -> usize {
    plan.steps()
        .position(|(_, s)| s.id == id)
        .unwrap_or_else(|| panic!("no step {id}"))
}

fn shown(plan: &Plan, st: &Step) -> Vec<String> {
    st.commands.iter().map(|c| plan.show(c)).collect()
}

/// Every command of a plan: steps' commands and the checks' commands.
fn all_commands(plan: &Plan) -> Vec<&Command> {
    plan.steps()
        .flat_map(|(_, s)| s.commands.iter().chain(s.checks.iter().map(|k| &k.command)))
        .collect()
}

/// The HBase plans with another storage account, for the four
/// Accelerated Writes combinations.
fn other_account(aw: bool, new_aw: bool) -> String {
    link("hbase", "4.0", "5.1").replace(
        "accelerated-writes=yes",
        &format!(
            "accelerated-writes={}&new-accelerated-writes={}",
            if aw { "yes" } else { "no" },
            if new_aw { "yes" } else { "no" }
        ),
    ) + "&new-storage-account=salesdata51"
}

fn own_fs(w: &World, account: &str) -> String {
    format!(
        "wasbs://{}@{}.blob.core.windows.net",
        w.value("NEW_CONTAINER"),
        w.value(account)
    )
}

fn yes_done(w: &World, phases: &[&str]) -> Vec<String> {
    let mut a = args(&["--yes"]);
    a.extend(w.people(phases));
    a
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The indexes of the fake world's ssh calls whose command contains `text`.
fn ssh_calls(w: &World, text: &str) -> Vec<usize> {
    w.calls()
        .iter()
        .enumerate()
        .filter(|(_, c)| c[0] == "ssh" && c.iter().any(|a| a.contains(text)))
        .map(|(i, _)| i)
        .collect()
}

// ---------------------------------------------------------------- H-M6

#[test]
fn another_account_moves_the_wals_and_removes_hbase_id_before_the_new_hbase_starts() {
    for (aw, new_aw) in [(true, true), (true, false), (false, true), (false, false)] {
        let p = plan(&other_account(aw, new_aw));
        let case = format!("aw={aw} new_aw={new_aw}");
        // AzCopy brings the WALs too: the AW backup, or /hbase-wals.
        let copy = shown(&p, step(&p, "cutover.azcopy")).join("\n");
        let wal_source = if aw {
            "/sales-hb-40/hbase-wal-backup/hbasewal'?'"
        } else {
            "/sales-hb-40/hbase-wals'?'"
        };
        assert!(copy.contains(wal_source), "{case}: {copy}");
        // hbase.id is removed and checked gone before the start.
        let id = step(&p, "cutover.hbase-id");
        assert!(
            shown(&p, id)
                .iter()
                .any(|c| c.contains("hdfs dfs -rm -f /hbase/hbase.id")),
            "{case}"
        );
        assert!(id
            .checks
            .iter()
            .any(|k| k.expect == Expect::Lacks("/hbase/hbase.id".into())));
        let start = position(&p, "cutover.start");
        assert!(position(&p, "cutover.hbase-id") < start, "{case}");
        assert!(position(&p, "cutover.wal") < start, "{case}");
        // The WALs end where the new cluster reads them.
        let wal = step(&p, "cutover.wal");
        let target = if new_aw {
            "hdfs://mycluster/hbasewal"
        } else {
            "/hbase-wals"
        };
        let text = shown(&p, wal).join("\n")
            + &wal
                .checks
                .iter()
                .map(|k| p.show(&k.command))
                .collect::<String>();
        assert!(text.contains(target), "{case}: {text}");
        assert!(
            !wal.checks.is_empty(),
            "{case}: the WAL move is not checked"
        );
    }
    // The 3.6 layout: WALs under /hbase, moved from there on the new cluster.
    let l = link("hbase", "3.6", "4.0").replace("accelerated-writes=yes", "accelerated-writes=no")
        + "&new-storage-account=salesdata40&date=2021-01-15";
    let p = plan(&l);
    assert_eq!(p.verdict, Verdict::Direct, "{:?}", p.findings);
    let wal = shown(&p, step(&p, "cutover.wal")).join("\n");
    assert!(wal.contains("-cp -f '/hbase/*WALs' /hbase-wals"), "{wal}");
}

#[test]
fn another_account_stops_before_the_start_while_the_copy_holds_hbase_id() {
    let w = World::new(&other_account(true, true));
    w.cluster(&w.value("NEW_CLUSTER"), "Running");
    let fs = own_fs(&w, "NEW_STORAGE_ACCOUNT");
    let mut all = args(&["prepare", "cutover"]);
    all.extend(yes_done(&w, &["prepare", "preflight", "cutover"]));
    let sas = [
        ("FAKE_DEFAULT_FS", fs.as_str()),
        ("SOURCE_SAS", "sv=2024-05-04&sp=rl&sig=src-1"),
        ("DEST_SAS", "sv=2024-05-04&sp=rwl&sig=dst-2"),
    ];
    let mut env = sas.to_vec();
    env.push(("FAKE_HBASE_ID", "1"));
    let out = w.run(&all, &env, "");
    assert_eq!(out.status.code(), Some(1), "{}", both(&out));
    assert!(
        stderr(&out).contains("Remove the old cluster's hbase.id from the copy"),
        "{}",
        both(&out)
    );
    assert!(ssh_calls(&w, "echo status").is_empty(), "HBase was started");
    // Once it is gone the cutover goes on: WALs copied from the backup
    // AzCopy brought, before HBase starts.
    let out = w.run(&all, &sas, "");
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    let rm = ssh_calls(&w, "-rm -f /hbase/hbase.id");
    let wal = ssh_calls(&w, "-cp -f /hbase-wal-backup/hbasewal hdfs://mycluster/");
    let start = ssh_calls(&w, "echo status");
    assert_eq!((rm.len(), wal.len()), (1, 1), "{:?}", w.calls());
    assert!(rm[0] < start[0] && wal[0] < start[0]);
}

#[test]
fn the_flush_is_the_non_interactive_shell_and_its_failure_stops_the_cutover() {
    for l in [link("hbase", "4.0", "5.1"), other_account(false, false)] {
        let p = plan(&l);
        for id in ["cutover.flush-1", "cutover.flush-2"] {
            let text = shown(&p, step(&p, id)).join("\n");
            assert!(text.contains("| sudo -u hbase hbase shell -n"), "{text}");
            assert!(text.contains("flush t"), "{text}");
        }
        for c in all_commands(&p) {
            let t = p.show(c);
            assert!(
                !t.contains("/dev/null") && !t.contains("|| true"),
                "an error is hidden: {t}"
            );
            assert!(!t.contains("flush_all_tables.sh"), "{t}");
        }
    }
    let w = World::new(&link("hbase", "4.0", "5.1"));
    w.cluster(&w.value("NEW_CLUSTER"), "Running");
    let fs = own_fs(&w, "STORAGE_ACCOUNT");
    let all = yes_done(&w, &["prepare", "preflight", "cutover", "verify"]);
    let out = w.run(
        &all,
        &[
            ("FAKE_DEFAULT_FS", fs.as_str()),
            ("FAKE_SSH_FAIL", "flush t"),
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(1), "{}", both(&out));
    let text = both(&out);
    assert!(text.contains("Stopped at 3.1 Flush all tables"), "{text}");
    assert!(text.contains("ERROR: injected failure"), "{text}");
    assert!(ssh_calls(&w, "distcp").is_empty(), "went past the flush");
}

// ---------------------------------------------------------------- H-M7

const KINIT: &str = "sudo -u hbase kinit -kt /etc/security/keytabs/hbase.service.keytab";

fn runs_hadoop_tools(words: &[Word]) -> bool {
    fn text(w: &Word) -> String {
        match w {
            Word::Lit(t) | Word::Var(t) | Word::Array(t) => t.to_string(),
            Word::Raw(t) => t.to_string(),
            Word::Join(p) => p.iter().map(text).collect(),
        }
    }
    words.iter().any(|w| {
        let t = text(w);
        ["hbase", "hdfs", "hadoop"].contains(&t.as_str()) || t.contains("sudo -u hbase hdfs")
    })
}

#[test]
fn esp_gets_a_ticket_before_every_hbase_and_hdfs_command() {
    for l in [
        link("hbase", "4.0", "5.1") + ESP,
        other_account(true, false) + ESP,
        link("hbase", "4.0", "5.1").replace("accelerated-writes=yes", "accelerated-writes=no")
            + ESP,
    ] {
        let p = plan(&l);
        let mut n = 0;
        for c in all_commands(&p) {
            if !matches!(c.host, Host::Ssh { .. }) || !runs_hadoop_tools(&c.words) {
                continue;
            }
            n += 1;
            let t = p.show(c);
            assert!(t.starts_with(KINIT), "no ticket first: {t}");
        }
        assert!(n > 20, "{n}");
        // The ZooKeeper node is a person's: the same ticket, as hbase.
        let zk = shown(&p, step(&p, "cutover.zookeeper"));
        assert!(zk[0].starts_with(KINIT), "{zk:?}");
        assert!(zk[1].starts_with("sudo -u hbase hbase zkcli"), "{zk:?}");
        // The ticket's principal is the keytab's own, read with klist.
        assert!(zk[0].contains("klist -kt /etc/security/keytabs/hbase.service.keytab"));
        // The Ranger step says the HBase service is mapped.
        let ranger = &step(&p, "cutover.ranger").detail;
        assert!(
            ranger.contains("sales-hb-40_hbase") && ranger.contains("sales-hb-51_hbase"),
            "{ranger}"
        );
    }
    // Without ESP no command takes a ticket.
    let p = plan(&link("hbase", "4.0", "5.1"));
    assert!(all_commands(&p)
        .iter()
        .all(|c| !p.show(c).contains("kinit")));
}

/// The service map the Ranger step builds gives the HBase service of the
/// old cluster the new cluster's name (run with jq, when installed).
#[test]
fn esp_ranger_map_covers_the_hbase_service() {
    if std::process::Command::new("jq")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("jq is not installed; skipped");
        return;
    }
    let p = plan(&(link("hbase", "4.0", "5.1") + ESP));
    let map = &step(&p, "cutover.ranger").commands[3];
    let filter = map
        .words
        .iter()
        .find_map(|w| match w {
            Word::Lit(t) if t.contains("from_entries") => Some(t.to_string()),
            _ => None,
        })
        .expect("the jq filter");
    let export = r#"{"policies": [{"service": "sales-hb-40_hbase", "name": "orders"}, {"service": "sales-hb-40_hdfs", "name": "all"}]}"#;
    let mut child = std::process::Command::new("jq")
        .args([
            "-c",
            "--arg",
            "old",
            "sales-hb-40",
            "--arg",
            "new",
            "sales-hb-51",
            &filter,
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(export.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(r#""sales-hb-40_hbase":"sales-hb-51_hbase""#),
        "{text}"
    );
}

// ---------------------------------------------------------------- H-M12

#[test]
fn phoenix_is_a_finding_and_its_first_connection_a_step_before_the_switch() {
    for (from, to, phoenix) in [("4.0", "5.1", "5.1.2"), ("3.6", "4.0", "5")] {
        let l = link("hbase", from, to)
            + if from == "3.6" {
                "&date=2021-01-15"
            } else {
                ""
            };
        let p = plan(&l);
        let f = p
            .findings
            .iter()
            .find(|f| f.code == "hdinsight.hbase-phoenix")
            .expect("phoenix finding");
        assert_eq!(f.severity, Severity::Warning);
        assert!(f.detail.contains("SYSTEM.CATALOG") && f.detail.contains("hbasephoenix"));
        assert!(f
            .sources
            .iter()
            .any(|s| s.url == "https://phoenix.apache.org/upgrading.html"));
        let st = step(&p, "cutover.phoenix");
        assert!(st.manual && !st.confirm.is_empty());
        assert!(
            st.detail.contains(&format!("{phoenix} on the new one")),
            "{}",
            st.detail
        );
        let cmds = shown(&p, st).join("\n");
        assert!(cmds.contains("list \"SYSTEM.*\""), "{cmds}");
        assert!(
            cmds.contains("/usr/hdp/current/phoenix-client/bin/sqlline.py \"$(hbase org.apache.hadoop.hbase.util.HBaseConfTool hbase.zookeeper.quorum)\":2181:/hbase-unsecure"),
            "{cmds}"
        );
        // After HBase is back, before any application connects.
        let at = position(&p, "cutover.phoenix");
        assert!(position(&p, "cutover.start") < at);
        assert!(at < position(&p, "cutover.switch-applications"));
        assert!(step(&p, "cutover.switch-applications")
            .detail
            .contains(".azurehdinsight.net/hbasephoenix<N>/"));
    }
}

// ---------------------------------------------------------------- H-m2

#[test]
fn verify_has_commands_for_regions_rows_and_a_smoke_test() {
    let p = plan(&link("hbase", "4.0", "5.1"));
    // Counted on the old cluster once ingestion stopped, before HBase stops.
    let counts = step(&p, "cutover.old-counts");
    let caps: Vec<&str> = counts
        .commands
        .iter()
        .filter_map(|c| c.capture.as_ref().map(|k| k.var.as_str()))
        .collect();
    assert_eq!(caps, ["OLD_REGIONS", "ROW_COUNTS"]);
    assert!(position(&p, "cutover.stop-ingestion") < position(&p, "cutover.old-counts"));
    assert!(position(&p, "cutover.old-counts") < position(&p, "cutover.stop-old-hbase"));
    assert!(counts.detail.contains("hours for billions of rows"));
    // Compared on the new cluster before the applications move.
    let cmp = step(&p, "cutover.compare");
    let expects: Vec<&Expect> = cmp.checks.iter().map(|k| &k.expect).collect();
    assert_eq!(
        expects,
        [
            &Expect::Mentions("OLD_REGIONS".into()),
            &Expect::Mentions("ROW_COUNTS".into())
        ]
    );
    assert!(position(&p, "cutover.compare") < position(&p, "cutover.switch-applications"));
    let regions = p.show(&cmp.checks[0].command);
    assert!(
        regions.contains("echo 'status \"simple\"' | sudo -u hbase hbase shell -n"),
        "{regions}"
    );
    // The smoke test: create and put, scan checked, drop checked.
    let smoke = shown(&p, step(&p, "verify.smoke")).join("\n");
    assert!(
        smoke.contains("create \"waymark_smoke_test\"") && smoke.contains("put "),
        "{smoke}"
    );
    assert!(smoke.contains("hbase shell -n"), "{smoke}");
    assert_eq!(
        step(&p, "verify.smoke").checks[0].expect,
        Expect::Contains("value=waymark".into())
    );
    let drop = shown(&p, step(&p, "verify.smoke-drop")).join("\n");
    assert!(drop.contains("disable \"waymark_smoke_test\"; drop \"waymark_smoke_test\""));
    // The rollback checks the old cluster's regions too.
    assert!(step(&p, "rollback.start-old")
        .checks
        .iter()
        .any(|k| k.expect == Expect::Mentions("OLD_REGIONS".into())));
}

#[test]
fn fewer_rows_on_the_new_cluster_stop_the_cutover_before_the_switch() {
    let w = World::new(&link("hbase", "4.0", "5.1"));
    w.cluster(&w.value("NEW_CLUSTER"), "Running");
    let fs = own_fs(&w, "STORAGE_ACCOUNT");
    let all = yes_done(&w, &["prepare", "preflight", "cutover", "verify"]);
    let out = w.run(
        &all,
        &[
            ("FAKE_DEFAULT_FS", fs.as_str()),
            ("FAKE_ROWS_NEW", "[orders=1100 users=80]"),
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(1), "{}", both(&out));
    let err = stderr(&out);
    assert!(
        err.contains("Compare regions and rows with the old cluster"),
        "{err}"
    );
    assert!(err.contains("[orders=1200 users=80]"), "{err}");
    let state = std::fs::read_to_string(w.state_file()).unwrap();
    assert!(state.contains("value\tOLD_REGIONS\t[52]"), "{state}");
    assert!(
        state.contains("value\tROW_COUNTS\t[orders=1200 users=80]"),
        "{state}"
    );
    assert!(
        !state.contains("step\tcutover.switch-applications"),
        "{state}"
    );
    // The same rows: through the switch and the smoke test.
    let out = w.run(&all, &[("FAKE_DEFAULT_FS", fs.as_str())], "");
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    let create = ssh_calls(&w, "create \"waymark_smoke_test\"");
    let drop = ssh_calls(&w, "drop \"waymark_smoke_test\"");
    assert!(create.len() == 1 && drop.len() == 1 && create[0] < drop[0]);
}

// ---------------------------------------------------------------- H-m7

#[test]
fn accelerated_writes_with_fewer_than_three_workers_is_blocked_naming_the_keys() {
    for l in [
        link("hbase", "4.0", "5.1").replace("workers=4", "workers=2"),
        link("hbase", "4.0", "5.1").replace("workers=4", "workers=1")
            + "&accelerated-writes=no&new-accelerated-writes=yes",
    ] {
        let l = l.replace(
            "accelerated-writes=yes&accelerated-writes=no",
            "accelerated-writes=no",
        );
        let p = plan(&l);
        assert_eq!(p.verdict, Verdict::Blocked, "{l}");
        let f = p
            .blockers()
            .find(|f| f.code == "hdinsight.hbase-aw-workers")
            .expect("blocker");
        assert!(f.title.contains("workers="), "{}", f.title);
        assert!(f.action.contains("workers=3") && f.action.contains("new-accelerated-writes=no"));
        assert!(f.sources[0]
            .url
            .ends_with("apache-hbase-accelerated-writes"));
    }
    // Three workers, or no Accelerated Writes on the new cluster, is fine.
    let p = plan(&link("hbase", "4.0", "5.1").replace("workers=4", "workers=3"));
    assert_ne!(p.verdict, Verdict::Blocked);
    let p = plan(
        &(link("hbase", "4.0", "5.1").replace("workers=4", "workers=2")
            + "&new-accelerated-writes=no"),
    );
    assert_ne!(p.verdict, Verdict::Blocked);
}

// ---------------------------------------------------------------- H-m9

#[test]
fn every_hdfs_copy_overwrites_so_a_rerun_goes_through() {
    let mut links = vec![link("hbase", "4.0", "5.1"), link("hbase", "3.6", "5.1")];
    for (aw, new_aw) in [(true, true), (true, false), (false, true), (false, false)] {
        links.push(other_account(aw, new_aw));
        links.push(link("hbase", "4.0", "5.1").replace(
            "accelerated-writes=yes",
            &format!(
                "accelerated-writes={}&new-accelerated-writes={}",
                if aw { "yes" } else { "no" },
                if new_aw { "yes" } else { "no" }
            ),
        ));
    }
    for l in links {
        let p = plan(&l);
        for (_, st) in p.steps() {
            for c in &st.commands {
                let t = p.show(c);
                if let Some(i) = t.find(" -cp ") {
                    assert!(t[i..].starts_with(" -cp -f "), "{}: {t}", st.id);
                }
            }
        }
    }
    let p = plan(&link("hbase", "4.0", "5.1"));
    let backup = step(&p, "cutover.wal-backup");
    assert!(shown(&p, backup)
        .iter()
        .any(|c| c.ends_with("hdfs dfs -cp -f hdfs://mycluster/hbasewal /hbase-wal-backup")));
    // The backup is checked whole: files and bytes of copy and source.
    let check = p.show(&backup.checks[0].command);
    assert!(
        check.contains("-count hdfs://mycluster/hbasewal")
            && check.contains("-count /hbase-wal-backup/hbasewal"),
        "{check}"
    );
}

// ---------------------------------------------------------------- H-m3

#[test]
fn every_ssh_call_of_a_run_shares_one_connection_per_cluster() {
    let p = plan(&link("hbase", "4.0", "5.1"));
    let pre = step(&p, "preflight.ssh");
    assert_eq!(pre.checks.len(), 2);
    assert!(pre.detail.contains("ControlMaster") && pre.detail.contains("ssh-agent"));

    // A short TMPDIR (as /tmp): the sockets live in the private directory.
    // The fake world's long one (as on macOS): in a private one in /tmp.
    let tmp = format!("/tmp/w{}", std::process::id() % 1000);
    std::fs::create_dir_all(&tmp).unwrap();
    for short in [true, false] {
        let w = World::new(&link("hbase", "4.0", "5.1"));
        w.cluster(&w.value("NEW_CLUSTER"), "Running");
        let mut a = args(&["preflight"]);
        a.extend(yes_done(&w, &["preflight"]));
        let fs = own_fs(&w, "STORAGE_ACCOUNT");
        let mut env = vec![("FAKE_DEFAULT_FS", fs.as_str())];
        if short {
            env.push(("TMPDIR", tmp.as_str()));
        }
        let out = w.run(&a, &env, "");
        assert_eq!(out.status.code(), Some(0), "{}", both(&out));
        let opts = std::fs::read_to_string(w.dir.join("world/ssh-opts")).unwrap();
        let calls = w.calls().iter().filter(|c| c[0] == "ssh").count();
        assert!(calls >= 4, "{calls}");
        assert_eq!(opts.lines().count(), calls, "{opts}");
        let private = if short {
            format!("{tmp}/waymark-secrets-{}", "")
        } else {
            "/tmp/waymark-ssh-".to_string()
        };
        let first = opts.lines().next().unwrap().to_string();
        for line in opts.lines() {
            assert!(line.contains("ControlMaster=auto"), "{line}");
            assert!(
                line.contains(&format!("ControlPath={private}")) && line.contains("/ssh-%C"),
                "{line}"
            );
            assert!(line.contains("ControlPersist="), "{line}");
            // One socket for the whole run.
            assert_eq!(line, first);
        }
        // The connection is closed at the end, and its directory gone.
        let exits = std::fs::read_to_string(w.dir.join("world/ssh-exits")).unwrap();
        assert!(exits.starts_with(&private), "{exits}");
        let dir = first
            .split(' ')
            .find_map(|o| o.strip_prefix("ControlPath="))
            .unwrap()
            .trim_end_matches("/ssh-%C")
            .to_string();
        assert!(!std::path::Path::new(&dir).exists(), "{dir} is left");
        // Shown commands stay plain ssh, as a person types them.
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("? ssh -- "),
            "{}",
            both(&out)
        );
    }
    let _ = std::fs::remove_dir_all(&tmp);
}

// ---------------------------------------------------------------- H-M1

#[test]
fn a_person_who_says_hbase_stopped_while_ambari_says_it_runs_stops_the_cutover_before_the_backup() {
    let w = World::new(&link("hbase", "4.0", "5.1"));
    w.cluster(&w.value("NEW_CLUSTER"), "Running");
    let fs = own_fs(&w, "STORAGE_ACCOUNT");
    let all = yes_done(&w, &["prepare", "preflight", "cutover", "verify"]);
    let out = w.run(
        &all,
        &[
            ("FAKE_DEFAULT_FS", fs.as_str()),
            ("FAKE_HBASE_STATE", "STARTED"),
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(1), "{}", both(&out));
    let err = stderr(&out);
    assert!(
        err.contains("Check that HBase is stopped on the old cluster"),
        "{err}"
    );
    assert!(err.contains("Seen (exit 0): STARTED"), "{err}");
    // Nothing was copied or rewritten while HBase might still write.
    assert!(
        ssh_calls(&w, "hbase-pre-upgrade-backup").is_empty(),
        "{}",
        both(&out)
    );
    // Stopped for real, the cutover goes on.
    let out = w.run(&all, &[("FAKE_DEFAULT_FS", fs.as_str())], "");
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
}
