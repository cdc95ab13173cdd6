//! The Flink script in a fake world that fails: a failure at any change of a
//! cutover followed by a rerun, a client that gives up while the stop goes
//! on, a rollback from wherever the cutover stopped, a pre-flight that stops
//! before anything changes, a person's step under --yes, the decommission
//! kept apart, and a state file that is data.

mod common;

use std::fs;

use common::rig::*;
use common::*;

const JOB_IDS: [&str; 3] = [JOB_ID, JOB_ID_2, JOB_ID_3];

fn three_jobs() -> String {
    JOB_IDS
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let n = i + 1;
            format!("&job{n}.id={id}&job{n}.name=job{n}&job{n}.jar=@JARS@/job{n}.jar&job{n}.args=--n%20{n}")
        })
        .collect()
}

fn in_place() -> Rig {
    Rig::new(
        &format!("platform=flink&from=1.17&to=1.20{}", three_jobs()),
        false,
    )
}

/// Flink 1.1 takes a savepoint, then cancels: two changes in one step.
fn savepoint_then_cancel() -> Rig {
    Rig::new(
        &format!("platform=flink&from=1.1&to=1.3{}", three_jobs()),
        false,
    )
}

fn shadow() -> Rig {
    let rig = Rig::new(
        &format!(
            "platform=flink&from=1.18&to=1.19&strategy=shadow-copy{}",
            three_jobs()
        ),
        true,
    );
    // Prepare started the new cluster (its own test covers that).
    cluster_up(&rig.world, NEW_REST, "1.19.3", &[]);
    rig
}

/// Where the moved jobs run.
fn new_rest(shadow: bool) -> &'static str {
    if shadow {
        NEW_REST
    } else {
        OLD_REST
    }
}

/// Each planned job was savepointed exactly once and runs exactly once at
/// `rest`, restored from its own savepoint; nothing was killed.
fn assert_moved_once(rig: &Rig, rest: &str, what: &str) {
    let taken = savepoints(&rig.world);
    let running = running_jobs(&rig.world, rest);
    assert_eq!(running.len(), JOB_IDS.len(), "{what}: running {running:?}");
    for id in JOB_IDS {
        let mine: Vec<&String> = taken
            .iter()
            .filter(|(j, _)| j == id)
            .map(|(_, p)| p)
            .collect();
        assert_eq!(mine.len(), 1, "{what}: savepoints of {id}: {taken:?}");
        let resumed: Vec<&String> = running
            .iter()
            .filter(|r| restored_from(&rig.world, rest, r) == *mine[0])
            .collect();
        assert_eq!(
            resumed.len(),
            1,
            "{what}: {id} resumed from {} by {resumed:?}",
            mine[0]
        );
    }
    assert!(
        killed(&rig.world).is_empty(),
        "{what}: killed {:?}",
        killed(&rig.world)
    );
}

fn changes_of_a_clean_cutover(make: fn() -> Rig) -> usize {
    let rig = make();
    assert_ok(&rig.cutover(&[]), "clean cutover");
    rig.changes()
}

#[test]
fn a_failure_at_any_change_of_a_cutover_then_a_rerun_moves_each_job_exactly_once() {
    for (make, is_shadow) in [
        (in_place as fn() -> Rig, false),
        (shadow, true),
        (savepoint_then_cancel, false),
    ] {
        let total = changes_of_a_clean_cutover(make);
        assert!(
            total >= 2 * JOB_IDS.len(),
            "a stop and a resume per job, counted {total}"
        );
        for k in 1..=total {
            let rig = make();
            let at = k.to_string();
            let failed = rig.cutover(&[("FAKE_FAIL_AT", at.as_str())]);
            assert_eq!(
                failed.status.code(),
                Some(1),
                "failure at change {k} must stop the run: {}",
                text(&failed.stdout)
            );
            assert!(
                text(&failed.stderr).contains("Stopped at"),
                "{}",
                text(&failed.stderr)
            );
            let rerun = rig.cutover(&[]);
            assert_ok(&rerun, &format!("rerun after a failure at change {k}"));
            if k > 1 {
                assert!(
                    text(&rerun.stdout).contains("Already"),
                    "the rerun skips what finished"
                );
            }
            assert_moved_once(
                &rig,
                new_rest(is_shadow),
                &format!("shadow={is_shadow}, failure at {k}"),
            );
        }
    }
}

#[test]
fn a_client_that_gives_up_at_any_change_never_makes_a_job_run_twice() {
    for (make, is_shadow) in [(in_place as fn() -> Rig, false), (shadow, true)] {
        let total = changes_of_a_clean_cutover(make);
        for k in 1..=total {
            let rig = make();
            let at = k.to_string();
            // The change takes effect, but its client fails without output.
            let first = rig.cutover(&[("FAKE_TIMEOUT_AT", at.as_str())]);
            if !first.status.success() {
                assert_ok(
                    &rig.cutover(&[]),
                    &format!("rerun after a timeout at change {k}"),
                );
            }
            assert_moved_once(
                &rig,
                new_rest(is_shadow),
                &format!("shadow={is_shadow}, timeout at {k}"),
            );
        }
    }
}

#[test]
fn a_value_lost_with_its_output_is_given_with_set_and_the_run_carries_on() {
    let rig = in_place();
    // Job 1's stop takes effect, its client gives up, and the cluster has
    // already forgotten the job: the script cannot read the savepoint back.
    let out = rig.cutover(&[("FAKE_TIMEOUT_AT", "1"), ("FAKE_FORGET_ENDED", "1")]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    assert!(
        text(&out.stderr).contains("--set JOB1_SAVEPOINT=<value>"),
        "{}",
        text(&out.stderr)
    );
    // A plain rerun does not stop job 1 again: it asks for the value again.
    let again = rig.cutover(&[("FAKE_FORGET_ENDED", "1")]);
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(
        rig.flink("old", "stop").len(),
        1,
        "the stop never runs twice"
    );
    let (_, path) = savepoints(&rig.world)
        .into_iter()
        .find(|(id, _)| id == JOB_ID)
        .expect("a savepoint");
    let set = format!("JOB1_SAVEPOINT={path}");
    let out = rig.run(&[
        "cutover",
        "--yes",
        "--done",
        "preflight.go",
        "--done",
        "preflight.savepoint-dir",
        "--set",
        &set,
    ]);
    assert_ok(&out, "the cutover with the value given");
    assert_moved_once(&rig, OLD_REST, "after --set");
    assert!(
        rig.record_text().contains(&format!("value {set}")),
        "the record has the value given"
    );
}

#[test]
fn a_stop_whose_client_gives_up_is_read_back_from_the_rest_api() {
    let rig = in_place();
    // The first change is job 1's stop: it takes effect, but the CLI times out.
    let out = rig.cutover(&[("FAKE_TIMEOUT_AT", "1")]);
    assert_ok(&out, "cutover with a client timeout");
    assert!(
        text(&out.stdout).contains("Read JOB1_SAVEPOINT from the system"),
        "{}",
        text(&out.stdout)
    );
    assert_moved_once(&rig, OLD_REST, "after a client timeout");
}

#[test]
fn a_rollback_after_a_cutover_stopped_anywhere_restores_exactly_what_changed() {
    for (make, is_shadow) in [(in_place as fn() -> Rig, false), (shadow, true)] {
        let total = changes_of_a_clean_cutover(make);
        for k in 1..=total + 1 {
            let rig = make();
            let at = k.to_string();
            // k = total + 1: the cutover finished; roll back from there.
            let _ = rig.cutover(&[("FAKE_FAIL_AT", at.as_str())]);
            let out = rig.run(&["rollback", "--yes", "--done", "rollback.jobs"]);
            let what = format!("shadow={is_shadow}, rollback after a failure at change {k}");
            assert_ok(&out, &what);
            // Every planned job runs on the old cluster: the ones the cutover
            // stopped resumed from their own savepoints, the others untouched.
            let running = running_jobs(&rig.world, OLD_REST);
            assert_eq!(running.len(), 3, "{what}: {running:?}");
            let taken = savepoints(&rig.world);
            for id in JOB_IDS {
                let mine: Vec<&String> = taken
                    .iter()
                    .filter(|(j, _)| j == id)
                    .map(|(_, p)| p)
                    .collect();
                match mine.as_slice() {
                    [] => assert!(
                        running.iter().any(|r| r == id),
                        "{what}: {id} was never stopped, so it still runs"
                    ),
                    [sp] => assert!(
                        running
                            .iter()
                            .any(|r| restored_from(&rig.world, OLD_REST, r) == **sp),
                        "{what}: {id} resumed from {sp}"
                    ),
                    more => panic!("{what}: {id} savepointed {} times", more.len()),
                }
            }
            let up = fs::read_to_string(rig.world.join("up").join(OLD_REST)).unwrap_or_default();
            assert!(
                up.starts_with("1.1"),
                "{what}: the old version answers, not {up}"
            );
            if is_shadow {
                assert!(running_jobs(&rig.world, NEW_REST).is_empty(), "{what}");
            }
            assert!(
                killed(&rig.world).is_empty(),
                "{what}: killed {:?}",
                killed(&rig.world)
            );
            // After a rollback, the cutover refuses on the same state file.
            let again = rig.cutover(&[]);
            assert_eq!(again.status.code(), Some(1), "{what}");
            assert!(
                text(&again.stderr).contains("rollback"),
                "{}",
                text(&again.stderr)
            );
        }
    }
}

#[test]
fn a_missing_installation_or_jar_or_an_unplanned_job_stops_the_preflight_before_any_change() {
    let missing_home = in_place();
    fs::remove_dir_all(missing_home.dir.path().join("flink 1.20 (new)")).unwrap();
    let missing_jar = in_place();
    fs::remove_file(missing_jar.dir.path().join("jars/job2.jar")).unwrap();
    let wrong_version = in_place();
    let new_lib = wrong_version.dir.path().join("flink 1.20 (new)/lib");
    fs::rename(
        new_lib.join("flink-dist-1.20.5.jar"),
        new_lib.join("flink-dist-1.19.3.jar"),
    )
    .unwrap();
    let unplanned = in_place();
    cluster_up(
        &unplanned.world,
        OLD_REST,
        "1.17.2",
        &["00000000000000000000000000000bad"],
    );
    let old_down = in_place();
    fs::remove_file(old_down.world.join("up").join(OLD_REST)).unwrap();
    for (rig, says) in [
        (missing_home, "holds Flink 1.20"),
        (missing_jar, "job2.jar exists"),
        (wrong_version, "holds Flink 1.20"),
        (unplanned, "runs exactly the planned jobs"),
        (old_down, "answers"),
    ] {
        let out = rig.cutover(&[]);
        assert_eq!(out.status.code(), Some(1), "{says}: {}", text(&out.stdout));
        let err = text(&out.stderr);
        assert!(
            err.contains(says),
            "the stop names the check ({says}): {err}"
        );
        assert!(err.contains("Expected") && err.contains("Seen"), "{err}");
        assert!(err.contains("Nothing in production has changed"), "{err}");
        assert_eq!(
            rig.changes(),
            0,
            "{says}: the pre-flight changed something: {:?}",
            rig.calls()
        );
    }
}

#[test]
fn a_job_started_during_the_cutover_is_not_killed_by_the_cluster_stop() {
    let rig = in_place();
    // During the third change (job 3's stop) someone starts another job.
    let out = rig.cutover(&[("FAKE_SPAWN_AT", "3")]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    assert!(
        text(&out.stderr).contains("runs no job any more"),
        "{}",
        text(&out.stderr)
    );
    assert!(killed(&rig.world).is_empty());
    assert!(
        rig.flink("old", "stop").len() == 3
            && rig.calls().iter().all(|c| c.program != "stop-cluster.sh")
    );
}

#[test]
fn a_hop_waits_until_every_task_runs_before_the_next_savepoint() {
    // 1.7 -> 1.20 goes through a stop; the job's tasks there never get a slot.
    let rig = Rig::new(
        &format!("platform=flink&from=1.7&to=1.20{}", three_jobs()),
        false,
    );
    fs::write(rig.world.join("tasks"), "SCHEDULED").unwrap();
    let out = rig.cutover(&[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let err = text(&out.stderr);
    assert!(err.contains("every task of job1 is running"), "{err}");
    assert!(
        err.contains("SCHEDULED"),
        "the stop shows what it saw: {err}"
    );
    assert!(
        rig.flink("stop1", "stop").is_empty(),
        "no savepoint at the stop before its tasks run"
    );
    // Once the slots are there, the same command carries on.
    fs::remove_file(rig.world.join("tasks")).unwrap();
    assert_ok(&rig.cutover(&[]), "the rerun");
    assert_eq!(rig.flink("stop1", "stop").len(), 3);
}

#[test]
fn yes_never_stands_in_for_a_person() {
    let rig = in_place();
    let out = rig.run(&["--yes"]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stdout));
    let err = text(&out.stderr);
    assert!(err.contains("needs a person"), "{err}");
    assert!(err.contains("--done prepare.preconditions"), "{err}");
    assert_eq!(rig.changes(), 0);
    // Confirmed by hand, the run goes on to the next person's step.
    let out = rig.run(&["--yes", "--done", "prepare.preconditions"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        text(&out.stderr).contains("--done prepare.install.1.20"),
        "{}",
        text(&out.stderr)
    );
    let record = rig.record_text();
    assert!(
        record.contains("confirmed by a person with --done"),
        "{record}"
    );
    assert!(record.contains('@'), "the record names user@host: {record}");
    // The pre-flight's person checks and the go/no-go too: the cutover does
    // not start without them, and only this run's answers count.
    let out = rig.run(&["cutover", "--yes"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        text(&out.stderr).contains("--done preflight.savepoint-dir"),
        "{}",
        text(&out.stderr)
    );
    let out = rig.run(&["cutover", "--yes", "--done", "preflight.savepoint-dir"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        text(&out.stderr).contains("--done preflight.go"),
        "{}",
        text(&out.stderr)
    );
    let out = rig.run(&["cutover", "--yes", "--done", "preflight.go"]);
    assert_eq!(
        out.status.code(),
        Some(3),
        "yesterday's answer to a pre-flight check does not count"
    );
    assert_eq!(rig.changes(), 0);
}

#[test]
fn decommission_runs_only_when_named_after_verify_and_the_soak_with_the_typed_value() {
    let rig = shadow();
    assert_ok(&rig.cutover(&[]), "cutover");
    let stop_old = |rig: &Rig| {
        rig.calls()
            .iter()
            .filter(|c| c.home == "old" && c.program == "stop-cluster.sh")
            .count()
    };
    let early = rig.run(&["decommission", "--yes"]);
    assert_eq!(early.status.code(), Some(1));
    assert!(
        text(&early.stderr).contains("after verify"),
        "{}",
        text(&early.stderr)
    );
    assert_ok(&rig.verify(), "verify");
    assert_eq!(
        stop_old(&rig),
        0,
        "cutover and verify never retire the old cluster"
    );
    let soon = rig.run(&["decommission", "--yes"]);
    assert_eq!(soon.status.code(), Some(1));
    assert!(
        text(&soon.stderr).contains("soak"),
        "{}",
        text(&soon.stderr)
    );
    // Four days later:
    let mut state = rig.state_text();
    state.push_str(&format!("finished\tverify\t{}\n", 1_000_000_000));
    fs::write(&rig.state, state).unwrap();
    let old_home = rig
        .dir
        .path()
        .join("flink 1.18 (old)")
        .to_string_lossy()
        .into_owned();
    let wrong = run_script(
        &rig.script,
        &["decommission", "--yes"],
        rig.dir.path(),
        &[
            ("WAYMARK_STATE_FILE", &rig.state.to_string_lossy()),
            ("WAYMARK_POLL_SECONDS", "0"),
        ],
        Some(&rig.bin),
    );
    assert_ne!(
        wrong.status.code(),
        Some(0),
        "no typed value, no decommission"
    );
    assert_eq!(stop_old(&rig), 0);
    let typed = typed_run(&rig, "not the home\n");
    assert_eq!(typed.status.code(), Some(1), "{}", text(&typed.stderr));
    assert_eq!(stop_old(&rig), 0);
    let typed = typed_run(&rig, &format!("{old_home}\n"));
    assert_eq!(
        typed.status.code(),
        Some(3),
        "it stops at the person's steps: {}",
        text(&typed.stderr)
    );
    assert_eq!(stop_old(&rig), 1, "the old cluster stopped once");
    // Once the decommission began, a rollback refuses.
    let back = rig.run(&["rollback", "--yes"]);
    assert_eq!(back.status.code(), Some(1));
    assert!(
        text(&back.stderr).contains("decommission"),
        "{}",
        text(&back.stderr)
    );
}

/// Runs the decommission with `input` on standard input.
fn typed_run(rig: &Rig, input: &str) -> std::process::Output {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new("bash")
        .arg(&rig.script)
        .args(["decommission", "--yes"])
        .current_dir(rig.dir.path())
        .env("WAYMARK_STATE_FILE", &rig.state)
        .env("WAYMARK_POLL_SECONDS", "0")
        .env(
            "PATH",
            format!(
                "{}:{}",
                rig.bin.display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        )
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bash");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().expect("wait")
}

#[test]
fn a_state_file_is_data_never_code() {
    let rig = in_place();
    let canary = rig.dir.path().join("pwned");
    let c = canary.to_string_lossy();
    let evil = format!(
        "value\tJOB1_SAVEPOINT\t$(touch {c})\nvalue\tPATH\t/tmp\nstep\t$(touch {c})\nbegun\tcutover\t$(touch {c})\nfinished\tverify\t1; touch {c}\n`touch {c}`\tx\ndone\t$(touch {c})\nstarted\tx[$(touch {c})]#1\ncleared\t$(touch {c})#1\nredone\t$(touch {c})\nconfirmed\t$(touch {c})\tme\tnow\n"
    );
    fs::write(&rig.state, evil).unwrap();
    let out = rig.run(&["--status"]);
    assert!(!canary.exists(), "a state line was executed");
    let err = text(&out.stderr);
    for line in [2, 3, 4, 5, 6, 7, 8, 9, 11] {
        assert!(
            err.contains(&format!("line {line}")),
            "line {line} reported: {err}"
        );
    }
    assert!(
        text(&out.stdout).contains(&format!("JOB1_SAVEPOINT=$(touch {c})")),
        "kept as text"
    );
}

#[test]
fn one_run_at_a_time() {
    let rig = in_place();
    fs::create_dir_all(rig.dir.path().join("runbook.state.lock")).unwrap();
    fs::write(
        rig.dir.path().join("runbook.state.lock/owner"),
        "ops@jump1 pid 42\n",
    )
    .unwrap();
    let out = rig.cutover(&[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("ops@jump1"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(rig.changes(), 0);
}

#[test]
fn the_run_record_has_what_a_change_ticket_needs() {
    let rig = in_place();
    assert_ok(&rig.cutover(&[]), "cutover");
    let record = rig.record_text();
    for want in [
        "step begins",
        "run: ",
        "exit 0",
        "value JOB1_SAVEPOINT=",
        "check ok",
        "confirmed by a person",
        "phase finished: cutover",
    ] {
        assert!(record.contains(want), "the record lacks {want}:\n{record}");
    }
    let lock = rig.dir.path().join("runbook.state.lock");
    assert!(!lock.exists(), "the lock is released");
}
