//! The operator runbook's script against a fake kubectl that changes
//! FlinkDeployments the way the operator does (fixtures/fake_kubectl_operator.sh):
//! a cutover and verify that move the job and restore the upgrade
//! savepoint, a cutover interrupted at the patch and resumed without a
//! second snapshot, a rollback that redeploys from the pre-upgrade
//! snapshot, one that changes nothing when the patch never ran, and a
//! resource that turns FAILED stopping the run.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use common::*;
use waymark_core::render::script;

const LINK: &str = "platform=flink&from=1.18&to=1.20&deployment=operator&uids=all&namespace=flink&operator-version=1.13.0\
&image=reg/jobs:1.20.1&old-image=reg/jobs:1.18.1&job1.name=orders&job1.jar=local:///opt/flink/usrlib/orders.jar&job1.resource=orders";

struct World {
    dir: TempDir,
    world: PathBuf,
    bin: PathBuf,
    script: PathBuf,
}

impl World {
    fn new() -> World {
        let dir = TempDir::new("operator-world");
        let world = dir.path().join("world");
        let bin = dir.path().join("bin");
        fs::create_dir_all(&bin).unwrap();
        let fake = fs::read_to_string(fixture("fake_kubectl_operator.sh")).unwrap();
        write_executable(&bin.join("kubectl"), &fake);
        let fd = world.join("fd/orders");
        fs::create_dir_all(&fd).unwrap();
        for (k, v) in [
            ("image", "reg/jobs:1.18.1"),
            ("version", "v1_18"),
            ("lifecycle", "STABLE"),
            ("jobstate", "RUNNING"),
            ("specstate", "running"),
            ("jobid", "00000000000000000000000000000abc"),
            ("restored", ""),
            (
                "stable",
                "{\"spec\":{\"image\":\"reg/jobs:1.18.1\",\"flinkVersion\":\"v1_18\"}}",
            ),
        ] {
            fs::write(fd.join(k), v).unwrap();
        }
        let script = dir.path().join("runbook.sh");
        fs::write(&script, script::render(&plan(LINK))).unwrap();
        World {
            dir,
            world,
            bin,
            script,
        }
    }

    fn run(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let state = self.dir.path().join("runbook.state");
        let world = self.world.to_string_lossy().into_owned();
        let state = state.to_string_lossy().into_owned();
        let mut all = vec![
            ("WAYMARK_STATE_FILE", state.as_str()),
            ("WAYMARK_POLL_SECONDS", "0"),
            ("FAKE_WORLD", world.as_str()),
        ];
        all.extend_from_slice(env);
        run_script(&self.script, args, self.dir.path(), &all, Some(&self.bin))
    }

    fn cutover(&self, env: &[(&str, &str)]) -> Output {
        self.run(&["cutover", "--yes", "--done", "preflight.go"], env)
    }

    fn fd(&self, field: &str) -> String {
        fs::read_to_string(self.world.join("fd/orders").join(field)).unwrap_or_default()
    }

    fn calls(&self, prefix: &str) -> Vec<String> {
        fs::read_to_string(self.world.join("calls"))
            .unwrap_or_default()
            .lines()
            .filter(|l| l.starts_with(prefix))
            .map(str::to_string)
            .collect()
    }
}

fn ok(out: &Output, what: &str) {
    assert!(
        out.status.success(),
        "{what} exited {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        text(&out.stdout),
        text(&out.stderr)
    );
}

fn state_has(dir: &Path, text: &str) -> bool {
    fs::read_to_string(dir.join("runbook.state"))
        .unwrap_or_default()
        .contains(text)
}

#[test]
fn the_cutover_moves_the_job_and_verify_finds_the_upgrade_savepoint_restored() {
    let w = World::new();
    ok(&w.cutover(&[]), "cutover");
    assert_eq!(w.fd("version"), "v1_20");
    assert_eq!(w.fd("image"), "reg/jobs:1.20.1");
    assert!(
        w.fd("restored")
            .starts_with("s3://sp/savepoint-upgrade-orders-v1_18"),
        "{}",
        w.fd("restored")
    );
    assert_eq!(w.calls("create -f").len(), 1, "one snapshot");
    assert_eq!(w.calls("patch flinkdeployment").len(), 1, "one patch");
    // The patch set image, flinkVersion and savepoint mode together.
    let patch = &w.calls("patch flinkdeployment")[0];
    assert!(
        patch.contains("\"image\":\"reg/jobs:1.20.1\",\"flinkVersion\":\"v1_20\"")
            && patch.contains("\"upgradeMode\":\"savepoint\""),
        "{patch}"
    );
    // The snapshot was written from the plan's document, then created.
    assert!(w.world.join("snp/orders-before-v1-20").is_dir());
    assert!(state_has(
        w.dir.path(),
        "s3://sp/savepoint-pre-orders-v1_18"
    ));
    ok(
        &w.run(&["verify", "--yes", "--done", "verify.observe"], &[]),
        "verify",
    );
}

#[test]
fn a_cutover_stopped_at_the_patch_resumes_without_a_second_snapshot() {
    let w = World::new();
    let out = w.cutover(&[("FAKE_FAIL_PATCH", "1")]);
    assert!(!out.status.success(), "the failed patch stops the run");
    assert_eq!(w.fd("version"), "v1_18", "nothing changed");
    // The pre-upgrade savepoint is read only after the patch: not yet known.
    assert!(!state_has(w.dir.path(), "savepoint-pre-orders"));
    ok(&w.cutover(&[]), "the rerun");
    assert_eq!(
        w.calls("create -f").len(),
        1,
        "the snapshot is not created again"
    );
    assert_eq!(w.fd("version"), "v1_20");
}

#[test]
fn the_rollback_redeploys_the_old_version_from_the_pre_upgrade_snapshot() {
    let w = World::new();
    ok(&w.cutover(&[]), "cutover");
    ok(
        &w.run(&["rollback", "--yes", "--done", "rollback.jobs"], &[]),
        "rollback",
    );
    assert_eq!(w.fd("version"), "v1_18");
    assert_eq!(w.fd("image"), "reg/jobs:1.18.1");
    assert_eq!(w.fd("restored"), "s3://sp/savepoint-pre-orders-v1_18");
    let patches = w.calls("patch flinkdeployment");
    assert_eq!(patches.len(), 2);
    assert!(
        patches[1].contains("\"initialSavepointPath\":\"s3://sp/savepoint-pre-orders-v1_18\""),
        "{}",
        patches[1]
    );
    assert!(
        patches[1].contains("\"savepointRedeployNonce\":1"),
        "a nonce from the clock: {}",
        patches[1]
    );
    // After the rollback, the cutover refuses on the same state file.
    assert!(!w.cutover(&[]).status.success());
}

#[test]
fn a_rollback_after_a_failed_patch_changes_nothing() {
    let w = World::new();
    assert!(!w.cutover(&[("FAKE_FAIL_PATCH", "1")]).status.success());
    ok(
        &w.run(&["rollback", "--yes", "--done", "rollback.jobs"], &[]),
        "rollback",
    );
    assert_eq!(
        w.calls("patch flinkdeployment").len(),
        1,
        "only the failed one"
    );
    assert_eq!(w.fd("version"), "v1_18");
    assert_eq!(
        w.fd("jobid"),
        "00000000000000000000000000000abc",
        "the job was never touched"
    );
}

#[test]
fn a_resource_that_turns_failed_stops_the_run_at_once() {
    let w = World::new();
    let out = w.cutover(&[("FAKE_STOP_FAILS", "1")]);
    assert!(!out.status.success());
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(
        all.contains("STABLE with its job RUNNING on Flink 1.20"),
        "{all}"
    );
    assert!(
        w.calls("get --raw")
            .iter()
            .all(|c| !c.contains("/checkpoints")),
        "no restore check ran"
    );
}
