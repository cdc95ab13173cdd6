//! The generated bash script: it parses, passes shellcheck, runs nothing in
//! a dry run, and against fake Flink installations passes each savepoint
//! path and job argument through exactly, forwards and on rollback.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::*;
use waymark_core::link::encode;
use waymark_core::render::script;

fn golden_scripts() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/flink");
    let mut out: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("golden dir")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "sh"))
        .collect();
    out.sort();
    assert!(
        out.len() >= 10,
        "expected the golden scripts in {}",
        dir.display()
    );
    out
}

#[test]
fn golden_scripts_parse() {
    for path in golden_scripts() {
        let out = Command::new("bash")
            .arg("-n")
            .arg(&path)
            .output()
            .expect("bash");
        assert!(
            out.status.success(),
            "bash -n {}: {}",
            path.display(),
            text(&out.stderr)
        );
    }
}

#[test]
fn golden_scripts_pass_shellcheck() {
    if !have_tool("shellcheck") {
        return;
    }
    // One run for all files: shellcheck starts slowly.
    let out = Command::new("shellcheck")
        .args(["-S", "warning", "-s", "bash"])
        .args(golden_scripts())
        .output()
        .expect("shellcheck");
    assert!(out.status.success(), "shellcheck:\n{}", text(&out.stdout));
}

/// A scenario wired to fake installations in a temp dir.
struct Rig {
    dir: TempDir,
    log: PathBuf,
    bin: PathBuf,
    script: PathBuf,
    state: PathBuf,
}

impl Rig {
    /// Installs fakes for `path` (old, stops, new), writes the script for
    /// `link` + the home keys, and returns the rig.
    fn new(link: &str, shadow: bool) -> Rig {
        let dir = TempDir::new("script");
        let log = dir.path().join("log");
        let bin = dir.path().join("path-bin");
        fs::create_dir_all(&bin).unwrap();
        fake_curl(&bin, &log);
        let probe = plan(link);
        let last = probe.path.len() - 1;
        let mut full = link.to_string();
        for (i, version) in probe.path.iter().enumerate() {
            let (label, key) = if i == 0 {
                ("old".to_string(), "old-home".to_string())
            } else if i == last {
                ("new".to_string(), "new-home".to_string())
            } else {
                (format!("stop{i}"), format!("stop{i}-home"))
            };
            let home = dir.path().join(format!("flink {version} ({label})"));
            let rest = if i == 0 || !shadow {
                "localhost:8081"
            } else {
                "localhost:8082"
            };
            fake_flink_home(&home, &label, &log, rest);
            full.push_str(&format!("&{key}={}", encode(&home.to_string_lossy())));
        }
        if shadow {
            full.push_str("&new-jobmanager=localhost:8082");
        }
        cluster_up(&log, "localhost:8081");
        let plan = plan(&full);
        let script = dir.path().join("runbook.sh");
        fs::write(&script, script::render(&plan)).unwrap();
        let state = dir.path().join("runbook.state");
        Rig {
            dir,
            log,
            bin,
            script,
            state,
        }
    }

    fn run(&self, args: &[&str]) -> Output {
        let state = self.state.to_string_lossy().into_owned();
        run_script(
            &self.script,
            args,
            self.dir.path(),
            &[("WAYMARK_STATE_FILE", state.as_str())],
            Some(&self.bin),
        )
    }

    fn calls(&self) -> Vec<Call> {
        calls(&self.log)
    }

    /// The flink calls of installation `home` with action `action`.
    fn flink(&self, home: &str, action: &str) -> Vec<Vec<String>> {
        self.calls()
            .into_iter()
            .filter(|c| {
                c.home == home
                    && c.program == "flink"
                    && c.args.first().is_some_and(|a| a == action)
            })
            .map(|c| c.args)
            .collect()
    }
}

fn assert_ok(out: &Output, what: &str) {
    assert!(
        out.status.success(),
        "{what} exited {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        text(&out.stdout),
        text(&out.stderr)
    );
}

const NASTY_JOB: &str = "&job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.name=orders\
    &job1.jar=/apps/my%20jobs/o'rders%20$x%60id%60.jar&job1.class=com.acme.Orders\
    &job1.args=--name%20'a%20b'%20--q%20%22x%5C%22y%22%20'$HOME'%20'%60id%60'%20''%20%5C;rm\
    &job1.parallelism=4";

fn nasty_args() -> Vec<String> {
    ["--name", "a b", "--q", "x\"y", "$HOME", "`id`", "", ";rm"]
        .iter()
        .map(|s| s.to_string())
        .collect()
}

fn sp(job_id: &str) -> String {
    format!("{FAKE_SAVEPOINT_PREFIX}-{job_id}")
}

#[test]
fn dry_run_prints_every_phase_and_command_and_runs_nothing() {
    let rig = Rig::new(
        &format!("platform=flink&from=1.17&to=1.20&savepoint-dir=s3://b/sp{NASTY_JOB}"),
        false,
    );
    let out = rig.run(&["--dry-run", "--yes"]);
    assert_ok(&out, "dry run");
    let stdout = text(&out.stdout);
    for phase in ["Phase 1: Prepare", "Phase 2: Cutover", "Phase 3: Verify"] {
        assert!(
            stdout.contains(phase),
            "dry run does not print {phase}:\n{stdout}"
        );
    }
    assert!(
        !stdout.contains("Phase 4: Rollback"),
        "rollback runs only with --rollback"
    );
    assert!(
        stdout.contains("/bin/flink stop --savepointPath s3://b/sp"),
        "{stdout}"
    );
    assert!(stdout.contains("/bin/flink run -d -s"), "{stdout}");
    assert!(rig.calls().is_empty(), "a dry run ran {:?}", rig.calls());
    let old_bin = rig.dir.path().join("flink 1.17 (old)/bin");
    assert!(old_bin.join("flink").exists());
    assert!(
        !old_bin.join(".ran").exists(),
        "the fake flink ran in a dry run"
    );
}

#[test]
fn cutover_passes_the_savepoint_and_args_through_exactly() {
    let rig = Rig::new(
        &format!("platform=flink&from=1.17&to=1.20&savepoint-dir=s3://b/sp%20dir{NASTY_JOB}"),
        false,
    );
    let out = rig.run(&["--yes"]);
    assert_ok(&out, "cutover");
    let stops = rig.flink("old", "stop");
    assert_eq!(
        stops,
        [vec!["stop", "--savepointPath", "s3://b/sp dir", JOB_ID]]
    );
    let runs = rig.flink("new", "run");
    assert_eq!(runs.len(), 1, "{:?}", rig.calls());
    let mut want: Vec<String> = ["run", "-d", "-s"].iter().map(|s| s.to_string()).collect();
    want.push(sp(JOB_ID));
    want.extend(
        [
            "--claimMode",
            "no_claim",
            "-p",
            "4",
            "-c",
            "com.acme.Orders",
            "/apps/my jobs/o'rders $x`id`.jar",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    want.extend(nasty_args());
    assert_eq!(runs[0], want);
    // The state file keeps what the rollback needs.
    let state = fs::read_to_string(&rig.state).expect("state file");
    assert!(
        state.contains(&format!("JOB1_SAVEPOINT\t{}", sp(JOB_ID))),
        "{state}"
    );
    assert!(
        state.contains(&format!("JOB1_NEW_ID\t{FAKE_NEW_JOB_ID}")),
        "{state}"
    );

    // --rollback in a new process uses the saved state.
    let before = rig.calls().len();
    let out = rig.run(&["--rollback", "--yes"]);
    assert_ok(&out, "rollback");
    let later: Vec<Call> = rig.calls().into_iter().skip(before).collect();
    assert!(
        later
            .iter()
            .any(|c| c.home == "new" && c.args == ["cancel", FAKE_NEW_JOB_ID]),
        "{later:?}"
    );
    let back: Vec<&Call> = later
        .iter()
        .filter(|c| c.home == "old" && c.args.first().is_some_and(|a| a == "run"))
        .collect();
    assert_eq!(back.len(), 1, "{later:?}");
    assert_eq!(back[0].args[..4], ["run", "-d", "-s", sp(JOB_ID).as_str()]);
    assert!(
        back[0].args.iter().any(|a| a == "--restoreMode"),
        "1.17 syntax on rollback"
    );
    assert_eq!(
        back[0].args[back[0].args.len() - nasty_args().len()..],
        nasty_args()[..]
    );
}

#[test]
fn rollback_without_saved_state_stops_and_runs_nothing() {
    let rig = Rig::new(
        &format!("platform=flink&from=1.17&to=1.20{NASTY_JOB}"),
        false,
    );
    let out = rig.run(&["--rollback", "--yes"]);
    assert!(!out.status.success(), "rollback without state must stop");
    assert!(
        text(&out.stderr).contains("Missing"),
        "{}",
        text(&out.stderr)
    );
    assert!(rig.calls().is_empty(), "{:?}", rig.calls());
}

#[test]
fn multi_hop_cutover_chains_savepoints_through_the_stop() {
    let rig = Rig::new(
        &format!("platform=flink&from=1.7&to=1.20{NASTY_JOB}"),
        false,
    );
    let out = rig.run(&["--yes"]);
    assert_ok(&out, "multi-hop cutover");
    // Hop 1: 1.7 cancels with a savepoint; the stop resumes from it.
    let cancels = rig.flink("old", "cancel");
    assert_eq!(cancels, [vec!["cancel", "-s", JOB_ID]]);
    let stop_runs = rig.flink("stop1", "run");
    assert_eq!(stop_runs.len(), 1);
    assert_eq!(
        stop_runs[0][..4],
        ["run", "-d", "-s", sp(JOB_ID).as_str()],
        "the path cancel -s printed, without its closing period"
    );
    // Hop 2: the stop's job is stopped, and the new cluster resumes from that.
    assert_eq!(rig.flink("stop1", "stop"), [vec!["stop", FAKE_NEW_JOB_ID]]);
    let runs = rig.flink("new", "run");
    assert_eq!(runs.len(), 1);
    assert_eq!(
        runs[0][..4],
        ["run", "-d", "-s", sp(FAKE_NEW_JOB_ID).as_str()]
    );
    assert_eq!(
        runs[0][runs[0].len() - nasty_args().len()..],
        nasty_args()[..]
    );
}

#[test]
fn flink_1_1_takes_a_savepoint_then_cancels() {
    let rig = Rig::new(&format!("platform=flink&from=1.1&to=1.3{NASTY_JOB}"), false);
    let out = rig.run(&["--yes"]);
    assert_ok(&out, "1.1 cutover");
    let old: Vec<Vec<String>> = rig
        .calls()
        .into_iter()
        .filter(|c| c.home == "old" && c.program == "flink" && c.args[0] != "list")
        .map(|c| c.args)
        .collect();
    assert_eq!(old, [vec!["savepoint", JOB_ID], vec!["cancel", JOB_ID]]);
    let runs = rig.flink("new", "run");
    assert_eq!(runs[0][..4], ["run", "-d", "-s", sp(JOB_ID).as_str()]);
}

#[test]
fn shadow_copy_cutover_runs_against_both_clusters() {
    let rig = Rig::new(
        &format!("platform=flink&from=1.18&to=1.19&strategy=shadow-copy{NASTY_JOB}"),
        true,
    );
    let out = rig.run(&["--yes"]);
    assert_ok(&out, "shadow-copy cutover");
    assert_eq!(rig.flink("old", "stop"), [vec!["stop", JOB_ID]]);
    let runs = rig.flink("new", "run");
    assert_eq!(runs.len(), 1);
    assert!(
        runs[0].windows(2).any(|w| w == ["-m", "localhost:8082"]),
        "{:?}",
        runs[0]
    );
    let s_at = runs[0].iter().position(|a| a == "-s").expect("-s");
    assert_eq!(runs[0][s_at + 1], sp(JOB_ID));
    assert!(runs[0]
        .windows(2)
        .any(|w| w == ["--restoreMode", "no_claim"]));
}

#[test]
fn a_blocked_plan_refuses_to_run() {
    for link in [
        format!("platform=flink&from=1.20&to=2.0&uses=dataset{NASTY_JOB}"),
        format!("platform=flink&from=1.17&to=1.20&uses=semi-async-rocksdb{NASTY_JOB}"),
    ] {
        let rig = Rig::new(&link, false);
        for args in [
            &["--yes"][..],
            &["--yes", "--dry-run"],
            &["--rollback", "--yes"],
        ] {
            let out = rig.run(args);
            assert!(!out.status.success(), "{link} {args:?} ran");
            assert!(
                text(&out.stderr).contains("blocked"),
                "{}",
                text(&out.stderr)
            );
        }
        assert!(rig.calls().is_empty(), "{:?}", rig.calls());
    }
}

#[test]
fn an_unknown_option_exits_2() {
    let rig = Rig::new(
        &format!("platform=flink&from=1.17&to=1.20{NASTY_JOB}"),
        false,
    );
    for bad in ["--frobnicate", "-x", "yes"] {
        let out = rig.run(&[bad]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(text(&out.stderr).contains(bad), "{}", text(&out.stderr));
    }
    let out = rig.run(&["--help"]);
    assert_ok(&out, "--help");
    assert!(text(&out.stdout).contains("--dry-run"));
    assert!(rig.calls().is_empty());
}

#[test]
fn without_yes_and_without_a_terminal_it_stops_at_the_first_question() {
    let rig = Rig::new(
        &format!("platform=flink&from=1.17&to=1.20{NASTY_JOB}"),
        false,
    );
    let out = rig.run(&[]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("--yes"), "{}", text(&out.stderr));
    assert!(rig.calls().is_empty(), "{:?}", rig.calls());
}
