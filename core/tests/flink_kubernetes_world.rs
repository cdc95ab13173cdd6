//! The native Kubernetes runbooks' scripts against the fake Flink
//! (fixtures/fake_flink.sh, which knows `--target` and
//! `-Dkubernetes.cluster-id`) and a fake kubectl over the same world
//! (fixtures/fake_kubectl_native.sh): a session cutover moves each job into
//! a new session under a fresh id and verify finds it restored; an HA
//! ConfigMap left under the new id stops the pre-flight before anything
//! changes; the rollback resumes the jobs in the old session; an
//! application cluster is redeployed under its new id, and rolled back
//! under its rollback id from the old image.

mod common;

use std::fs;
use std::path::PathBuf;
use std::process::Output;

use common::*;
use waymark_core::render::script;

struct World {
    dir: TempDir,
    world: PathBuf,
    bin: PathBuf,
    script: PathBuf,
}

impl World {
    /// A world for `extra` (the target's keys and jobs) from 1.18.1 to
    /// 1.20.1, with fake installations of both.
    fn new(extra: &str) -> World {
        let dir = TempDir::new("k8s-world");
        let world = dir.path().join("world");
        let bin = dir.path().join("bin");
        fs::create_dir_all(&bin).unwrap();
        let old = dir.path().join("flink-1.18");
        let new = dir.path().join("flink-1.20");
        fake_flink_home(&old, "old", &world, "", "1.18.1");
        fake_flink_home(&new, "new", &world, "", "1.20.1");
        let kubectl = format!(
            "#!/usr/bin/env bash\nexport FAKE_WORLD={} FAKE_FLINK_SH={}\nexec bash {} \"$@\"\n",
            waymark_core::shell::quote(&world.to_string_lossy()),
            waymark_core::shell::quote(&fixture("fake_flink.sh").to_string_lossy()),
            waymark_core::shell::quote(&fixture("fake_kubectl_native.sh").to_string_lossy()),
        );
        write_executable(&bin.join("kubectl"), &kubectl);
        let jar = dir.path().join("orders.jar");
        fs::write(&jar, "").unwrap();
        let link = format!(
            "platform=flink&from=1.18&to=1.20&uids=all&namespace=flink&savepoint-dir=s3://sp&old-home={}&new-home={}{}",
            old.display(),
            new.display(),
            extra.replace("JAR", &jar.to_string_lossy())
        );
        let script = dir.path().join("runbook.sh");
        fs::write(&script, script::render(&plan(&link))).unwrap();
        World {
            dir,
            world,
            bin,
            script,
        }
    }

    fn run(&self, args: &[&str]) -> Output {
        let state = self.dir.path().join("runbook.state");
        let state = state.to_string_lossy().into_owned();
        let env = [
            ("WAYMARK_STATE_FILE", state.as_str()),
            ("WAYMARK_POLL_SECONDS", "0"),
        ];
        run_script(&self.script, args, self.dir.path(), &env, Some(&self.bin))
    }

    fn cutover(&self) -> Output {
        self.run(&[
            "cutover",
            "--yes",
            "--done",
            "preflight.go",
            "--done",
            "preflight.savepoint-dir",
        ])
    }

    fn up(&self, id: &str) -> Option<String> {
        fs::read_to_string(self.world.join("up").join(id))
            .ok()
            .map(|v| v.trim().to_string())
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

const SESSION: &str = "&deployment=kubernetes-session&cluster-id=analytics&image=flink:1.20.1\
&job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.name=orders&job1.jar=JAR";

const APPLICATION: &str = "&deployment=kubernetes-application&image=reg/jobs:1.20.1&old-image=reg/jobs:1.18.1\
&job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.name=orders&job1.jar=local:///opt/flink/usrlib/orders.jar&job1.cluster-id=orders";

const OLD_JOB: &str = "a1b2c3d4e5f60718293a4b5c6d7e8f90";

#[test]
fn a_session_cutover_moves_the_job_into_a_fresh_session_and_verify_finds_it_restored() {
    let w = World::new(SESSION);
    cluster_up(&w.world, "analytics", "1.18.1", &[OLD_JOB]);
    ok(&w.cutover(), "cutover");
    assert_eq!(
        w.up("analytics-v1-20").as_deref(),
        Some("1.20.1"),
        "the new session runs 1.20"
    );
    let moved = running_jobs(&w.world, "analytics-v1-20");
    assert_eq!(moved.len(), 1);
    let sp = savepoints(&w.world);
    assert_eq!(sp.len(), 1);
    assert_eq!(
        restored_from(&w.world, "analytics-v1-20", &moved[0]),
        sp[0].1
    );
    // The old session stays, without jobs, as the rollback target.
    assert_eq!(w.up("analytics").as_deref(), Some("1.18.1"));
    assert!(running_jobs(&w.world, "analytics").is_empty());
    ok(
        &w.run(&["verify", "--yes", "--done", "verify.observe"]),
        "verify",
    );
}

#[test]
fn an_ha_configmap_under_the_new_id_stops_the_preflight_before_anything_changes() {
    let w = World::new(SESSION);
    cluster_up(&w.world, "analytics", "1.18.1", &[OLD_JOB]);
    fs::create_dir_all(w.world.join("ha")).unwrap();
    fs::write(w.world.join("ha/analytics-v1-20"), "").unwrap();
    let out = w.cutover();
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("no deployment or ConfigMap carries app=analytics-v1-20"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(w.up("analytics-v1-20"), None, "no session was started");
    assert_eq!(
        running_jobs(&w.world, "analytics"),
        vec![OLD_JOB.to_string()]
    );
}

#[test]
fn the_session_rollback_resumes_the_job_in_the_old_session_from_its_savepoint() {
    let w = World::new(SESSION);
    cluster_up(&w.world, "analytics", "1.18.1", &[OLD_JOB]);
    ok(&w.cutover(), "cutover");
    ok(
        &w.run(&["rollback", "--yes", "--done", "rollback.jobs"]),
        "rollback",
    );
    let back = running_jobs(&w.world, "analytics");
    assert_eq!(back.len(), 1);
    assert_eq!(
        restored_from(&w.world, "analytics", &back[0]),
        savepoints(&w.world)[0].1
    );
    assert_eq!(w.up("analytics-v1-20"), None, "the new session is stopped");
}

#[test]
fn an_application_cluster_moves_under_its_new_id_and_rolls_back_under_its_rollback_id() {
    let w = World::new(APPLICATION);
    cluster_up(&w.world, "orders", "1.18.1", &[OLD_JOB]);
    ok(&w.cutover(), "cutover");
    assert_eq!(
        w.up("orders"),
        None,
        "the old application cluster ended with its job"
    );
    assert_eq!(w.up("orders-v1-20").as_deref(), Some("1.20.1"));
    let moved = running_jobs(&w.world, "orders-v1-20");
    let sp = savepoints(&w.world)[0].1.clone();
    assert_eq!(restored_from(&w.world, "orders-v1-20", &moved[0]), sp);
    ok(
        &w.run(&["verify", "--yes", "--done", "verify.observe"]),
        "verify",
    );
    ok(
        &w.run(&["rollback", "--yes", "--done", "rollback.jobs.1"]),
        "rollback",
    );
    assert_eq!(w.up("orders-v1-20"), None, "the cancelled cluster ended");
    assert_eq!(
        w.up("orders-rollback").as_deref(),
        Some("1.18.1"),
        "the old version under the rollback id"
    );
    let back = running_jobs(&w.world, "orders-rollback");
    assert_eq!(restored_from(&w.world, "orders-rollback", &back[0]), sp);
    // The rollback deployed the old image.
    let calls = calls(&w.world);
    let deploy = calls
        .iter()
        .find(|c| {
            c.program == "flink"
                && c.args.first().is_some_and(|a| a == "run-application")
                && c.args.iter().any(|a| a.contains("orders-rollback"))
        })
        .expect("a rollback deploy");
    assert!(
        deploy
            .args
            .iter()
            .any(|a| a == "-Dkubernetes.container.image.ref=reg/jobs:1.18.1"),
        "{:?}",
        deploy.args
    );
}
