//! The pre-flight's and the shadow copy's gates in a fake world: a
//! configuration with an option Flink 2.0 removed, a savepoint file system
//! without its plugin, a shadow copy with the live cluster's HA identity,
//! and too few free slots each stop the run before anything changes.

mod common;

use std::fs;
use std::path::PathBuf;

use common::rig::{assert_ok, Rig};
use common::*;

fn job() -> String {
    format!("&job1.id={JOB_ID}&job1.name=orders&job1.jar=@JARS@/orders.jar&job1.parallelism=4")
}

/// The installation directory the rig made for path label `label`.
fn home(rig: &Rig, label: &str) -> PathBuf {
    fs::read_dir(rig.dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with(&format!("({label})")))
        .unwrap_or_else(|| panic!("no {label} installation"))
}

fn stopped(out: &std::process::Output, what: &str) -> String {
    assert!(!out.status.success(), "{what}: the run went on");
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(all.contains("check failed"), "{what}: {all}");
    all
}

const PREPARED: [&str; 8] = [
    "prepare",
    "--done",
    "prepare.preconditions",
    "--done",
    "prepare.install.1.19",
    "--done",
    "prepare.rehearse",
    "--yes",
];

#[test]
fn an_option_flink_2_removed_stops_the_preflight_in_either_yaml_form() {
    for conf in [
        "taskmanager.heap.size: 4g\n",
        "# nested, as config.yaml may be\ntaskmanager:\n  numberOfTaskSlots: 4\n  heap:\n    size: '4g'\n",
        "state.backend.local-recovery: true\n",
    ] {
        let rig = Rig::new(&format!("platform=flink&from=1.20&to=2.0{}", job()), false);
        fs::write(home(&rig, "new").join("conf/config.yaml"), conf).unwrap();
        let all = stopped(&rig.cutover(&[]), conf);
        assert!(all.contains("removed"), "{all}");
        assert_eq!(rig.changes(), 0, "{conf}: something changed");
    }
    // Its replacement passes, and the cutover goes on.
    let rig = Rig::new(&format!("platform=flink&from=1.20&to=2.0{}", job()), false);
    fs::write(
        home(&rig, "new").join("conf/config.yaml"),
        "taskmanager:\n  memory:\n    process:\n      size: 4g\n",
    )
    .unwrap();
    assert_ok(&rig.cutover(&[]), "a config without removed options");
}

#[test]
fn a_savepoint_file_system_without_its_plugin_stops_the_preflight() {
    let link = format!(
        "platform=flink&from=1.18&to=1.20&savepoint-dir=s3://bucket/savepoints{}",
        job()
    );
    let rig = Rig::new(&link, false);
    fs::remove_dir_all(home(&rig, "new").join("plugins/s3-fs-hadoop")).unwrap();
    let all = stopped(&rig.cutover(&[]), "no s3 plugin");
    assert!(all.contains("flink-s3-fs-hadoop"), "{all}");
    assert_eq!(rig.changes(), 0);
    // The old installation keeps its plugin; only the new one is checked.
    let rig = Rig::new(&link, false);
    fs::remove_dir_all(home(&rig, "old").join("plugins/s3-fs-hadoop")).unwrap();
    assert_ok(&rig.cutover(&[]), "the new installation has the plugin");
}

#[test]
fn a_shadow_copy_with_the_live_clusters_ha_identity_never_starts() {
    let link = format!(
        "platform=flink&from=1.18&to=1.19&strategy=shadow-copy{}",
        job()
    );
    let rig = Rig::new(&link, true);
    // The live cluster runs with ZooKeeper HA and the default cluster-id.
    fs::write(
        rig.world.join("ha-config"),
        r#",{"key":"high-availability.type","value":"zookeeper"}"#,
    )
    .unwrap();
    let all = stopped(&rig.run(&PREPARED), "same cluster-id");
    assert!(all.contains("cluster-id"), "{all}");
    assert!(rig.flink("new", "start-cluster.sh").is_empty());
    assert!(
        !rig.calls().iter().any(|c| c.program == "start-cluster.sh"),
        "the new cluster was started"
    );
    // Its own id: prepare starts it.
    fs::write(
        home(&rig, "new").join("conf/config.yaml"),
        "high-availability:\n  cluster-id: /orders-1.19\n",
    )
    .unwrap();
    assert_ok(&rig.run(&PREPARED), "own cluster-id");
}

#[test]
fn a_shadow_copy_without_free_slots_for_every_job_stops_the_preflight() {
    let link = format!(
        "platform=flink&from=1.18&to=1.19&strategy=shadow-copy{}",
        job()
    );
    let rig = Rig::new(&link, true);
    assert_ok(&rig.run(&PREPARED), "prepare");
    fs::write(rig.world.join("slots"), "3").unwrap();
    let before = rig.changes();
    let all = stopped(&rig.cutover(&[]), "3 slots for parallelism 4");
    assert!(all.contains("slots available: 3"), "{all}");
    assert_eq!(rig.changes(), before, "the cutover changed something");
    fs::write(rig.world.join("slots"), "4").unwrap();
    assert_ok(&rig.cutover(&[]), "enough slots");
}
