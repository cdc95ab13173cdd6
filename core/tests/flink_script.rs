//! The generated bash script: it parses, passes shellcheck, runs nothing in
//! a dry run, and against a fake Flink world passes each savepoint path and
//! job argument through exactly, forwards and on rollback. Failures,
//! resumes and partial rollbacks are in `flink_resume.rs`.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::rig::*;
use common::*;

/// The scripts of every Flink golden directory (`golden/flink` and each
/// deployment target's `golden/flink-<target>`).
fn golden_scripts() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut out: Vec<PathBuf> = fs::read_dir(&root)
        .expect("golden dir")
        .flatten()
        .filter(|d| d.file_name().to_string_lossy().starts_with("flink"))
        .flat_map(|d| fs::read_dir(d.path()).expect("golden dir").flatten())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "sh"))
        .collect();
    out.sort();
    assert!(
        out.len() >= 10,
        "expected the golden scripts under {}",
        root.display()
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

const NASTY_JOB: &str = "&job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.name=orders\
    &job1.jar=@JARS@/my%20jobs/o'rders%20$x%60id%60.jar&job1.class=com.acme.Orders\
    &job1.args=--name%20'a%20b'%20--q%20%22x%5C%22y%22%20'$HOME'%20'%60id%60'%20''%20%5C;rm\
    &job1.parallelism=4";

fn nasty_args() -> Vec<String> {
    ["--name", "a b", "--q", "x\"y", "$HOME", "`id`", "", ";rm"]
        .iter()
        .map(|s| s.to_string())
        .collect()
}

/// The savepoint the fake took of `job_id` (its only one).
fn sp(rig: &Rig, job_id: &str) -> String {
    let all: Vec<String> = savepoints(&rig.world)
        .into_iter()
        .filter(|(id, _)| id == job_id)
        .map(|(_, p)| p)
        .collect();
    assert_eq!(all.len(), 1, "one savepoint of {job_id}: {all:?}");
    all[0].clone()
}

fn jar(rig: &Rig) -> String {
    rig.dir
        .path()
        .join("jars/my jobs/o'rders $x`id`.jar")
        .to_string_lossy()
        .into_owned()
}

#[test]
fn dry_run_prints_every_phase_and_command_and_runs_nothing() {
    let rig = Rig::new(
        &format!("platform=flink&from=1.17&to=1.20&savepoint-dir=s3://b/sp{NASTY_JOB}"),
        false,
    );
    let out = rig.run(&["--dry-run"]);
    assert_ok(&out, "dry run");
    let stdout = text(&out.stdout);
    for phase in [
        "Phase 1: Prepare",
        "Phase 2: Pre-flight",
        "Phase 3: Cutover",
        "Phase 4: Verify",
        "Phase 5: Rollback",
        "Phase 6: Decommission",
    ] {
        assert!(
            stdout.contains(phase),
            "dry run does not print {phase}:\n{stdout}"
        );
    }
    assert!(
        stdout.contains("/bin/flink' stop --savepointPath s3://b/sp"),
        "{stdout}"
    );
    assert!(stdout.contains("/bin/flink' run -d -s"), "{stdout}");
    assert!(rig.calls().is_empty(), "a dry run ran {:?}", rig.calls());
    assert!(!rig.state.exists(), "a dry run wrote the state file");
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
    assert_ok(&rig.cutover(&[]), "cutover");
    let stops = rig.flink("old", "stop");
    assert_eq!(
        stops,
        [vec!["stop", "--savepointPath", "s3://b/sp dir", JOB_ID]]
    );
    let saved = sp(&rig, JOB_ID);
    let runs = rig.flink("new", "run");
    assert_eq!(runs.len(), 1, "{:?}", rig.calls());
    let mut want: Vec<String> = ["run", "-d", "-s"].iter().map(|s| s.to_string()).collect();
    want.push(saved.clone());
    want.extend(
        [
            "--claimMode",
            "no_claim",
            "-p",
            "4",
            "-c",
            "com.acme.Orders",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    want.push(jar(&rig));
    want.extend(nasty_args());
    assert_eq!(runs[0], want);
    let running = running_jobs(&rig.world, OLD_REST);
    assert_eq!(running.len(), 1, "one job on the new cluster: {running:?}");
    assert_eq!(restored_from(&rig.world, OLD_REST, &running[0]), saved);
    // The state file keeps what the rollback needs.
    let state = rig.state_text();
    assert!(
        state.contains(&format!("value\tJOB1_SAVEPOINT\t{saved}")),
        "{state}"
    );
    assert!(
        state.contains(&format!("value\tJOB1_NEW_ID\t{}", running[0])),
        "{state}"
    );
    assert_ok(&rig.verify(), "verify");

    // The rollback, in a new process, uses the saved state.
    let before = rig.calls().len();
    assert_ok(
        &rig.run(&["rollback", "--yes", "--done", "rollback.jobs"]),
        "rollback",
    );
    let later: Vec<Call> = rig.calls().into_iter().skip(before).collect();
    assert!(
        later
            .iter()
            .any(|c| c.home == "new" && c.args == ["cancel", running[0].as_str()]),
        "{later:?}"
    );
    let back: Vec<&Call> = later
        .iter()
        .filter(|c| c.home == "old" && c.args.first().is_some_and(|a| a == "run"))
        .collect();
    assert_eq!(back.len(), 1, "{later:?}");
    assert_eq!(back[0].args[..4], ["run", "-d", "-s", saved.as_str()]);
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
fn a_rollback_before_the_cutover_changes_nothing() {
    let rig = Rig::new(
        &format!("platform=flink&from=1.17&to=1.20{NASTY_JOB}"),
        false,
    );
    // No state file at all: the rollback cannot tell what changed, and says so.
    let out = rig.run(&["rollback", "--yes"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    assert!(
        text(&out.stderr).contains("records no run"),
        "{}",
        text(&out.stderr)
    );
    assert!(rig.calls().is_empty(), "{:?}", rig.calls());
    // A pre-flight ran, the cutover never began: nothing to undo.
    let _ = rig.run(&["cutover", "--yes"]);
    let before = rig.calls().len();
    let out = rig.run(&["rollback", "--yes"]);
    assert_ok(&out, "rollback without a cutover");
    assert!(
        text(&out.stdout).contains("never began"),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(rig.calls().len(), before, "{:?}", rig.calls());
}

#[test]
fn multi_hop_cutover_chains_savepoints_through_the_stop() {
    let rig = Rig::new(
        &format!("platform=flink&from=1.7&to=1.20{NASTY_JOB}"),
        false,
    );
    assert_ok(&rig.cutover(&[]), "multi-hop cutover");
    // Hop 1: 1.7 cancels with a savepoint; the stop resumes from it.
    assert_eq!(rig.flink("old", "cancel"), [vec!["cancel", "-s", JOB_ID]]);
    let first = sp(&rig, JOB_ID);
    let stop_runs = rig.flink("stop1", "run");
    assert_eq!(stop_runs.len(), 1);
    assert_eq!(
        stop_runs[0][..4],
        ["run", "-d", "-s", first.as_str()],
        "the path cancel -s printed, without its closing period"
    );
    // Hop 2: the stop's job is stopped, and the new cluster resumes from that.
    let stops = rig.flink("stop1", "stop");
    assert_eq!(stops.len(), 1);
    let at_stop = stops[0].last().unwrap().clone();
    let second = sp(&rig, &at_stop);
    let runs = rig.flink("new", "run");
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0][..4], ["run", "-d", "-s", second.as_str()]);
    assert_eq!(
        runs[0][runs[0].len() - nasty_args().len()..],
        nasty_args()[..]
    );
}

#[test]
fn flink_1_1_takes_a_savepoint_then_cancels() {
    let rig = Rig::new(&format!("platform=flink&from=1.1&to=1.3{NASTY_JOB}"), false);
    assert_ok(&rig.cutover(&[]), "1.1 cutover");
    let old: Vec<Vec<String>> = rig
        .calls()
        .into_iter()
        .filter(|c| c.home == "old" && c.program == "flink" && c.args[0] != "list")
        .map(|c| c.args)
        .collect();
    assert_eq!(old, [vec!["savepoint", JOB_ID], vec!["cancel", JOB_ID]]);
    let runs = rig.flink("new", "run");
    assert_eq!(runs[0][..4], ["run", "-d", "-s", sp(&rig, JOB_ID).as_str()]);
}

#[test]
fn shadow_copy_cutover_runs_against_both_clusters() {
    let rig = Rig::new(
        &format!("platform=flink&from=1.18&to=1.19&strategy=shadow-copy{NASTY_JOB}"),
        true,
    );
    let prepare = [
        "prepare",
        "--yes",
        "--done",
        "prepare.preconditions",
        "--done",
        "prepare.install.1.19",
        "--done",
        "prepare.rehearse",
    ];
    assert_ok(&rig.run(&prepare), "prepare starts the new cluster");
    assert_ok(&rig.cutover(&[]), "shadow-copy cutover");
    assert_eq!(rig.flink("old", "stop"), [vec!["stop", JOB_ID]]);
    let runs = rig.flink("new", "run");
    assert_eq!(runs.len(), 1);
    assert!(
        runs[0].windows(2).any(|w| w == ["-m", NEW_REST]),
        "{:?}",
        runs[0]
    );
    let s_at = runs[0].iter().position(|a| a == "-s").expect("-s");
    assert_eq!(runs[0][s_at + 1], sp(&rig, JOB_ID));
    assert!(runs[0]
        .windows(2)
        .any(|w| w == ["--restoreMode", "no_claim"]));
    assert_eq!(running_jobs(&rig.world, NEW_REST).len(), 1);
    assert!(running_jobs(&rig.world, OLD_REST).is_empty());
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
            &["rollback", "--yes"],
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
fn an_unknown_option_phase_or_step_exits_2() {
    let rig = Rig::new(
        &format!("platform=flink&from=1.17&to=1.20{NASTY_JOB}"),
        false,
    );
    for bad in [
        &["--frobnicate"][..],
        &["-x"],
        &["yes"],
        &["--done", "no.such.step"],
        &["--set", "PATH=/tmp"],
        &["--done"],
    ] {
        let out = rig.run(bad);
        assert_eq!(out.status.code(), Some(2), "{bad:?}: {}", text(&out.stderr));
        let named = bad.last().unwrap();
        assert!(
            text(&out.stderr).contains(named.trim_start_matches('-')),
            "{bad:?}: {}",
            text(&out.stderr)
        );
    }
    let out = rig.run(&["--help"]);
    assert_ok(&out, "--help");
    for word in [
        "--dry-run",
        "--done STEP",
        "--redo STEP",
        "--set NAME=VALUE",
        "decommission",
        "Exit status",
    ] {
        assert!(text(&out.stdout).contains(word), "--help lacks {word}");
    }
    assert!(rig.calls().is_empty());
}

#[test]
fn without_yes_and_without_a_terminal_it_stops_at_the_first_question() {
    let rig = Rig::new(
        &format!("platform=flink&from=1.17&to=1.20{NASTY_JOB}"),
        false,
    );
    let out = rig.run(&["cutover"]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("--yes"), "{}", text(&out.stderr));
    assert!(rig.calls().is_empty(), "{:?}", rig.calls());
}
