//! Flink CLI syntax by version: for every planned pair, each stop and resume
//! command uses the syntax of the cluster it runs against (the old cluster
//! the old syntax, the new cluster the new one).

mod common;

use std::collections::BTreeMap;

use common::*;
use waymark_core::plan::{Plan, Step};
use waymark_core::shell::split_words;
use waymark_core::version::Version;

/// The words of each command of a step, as a person would type them.
fn argv(plan: &Plan, step: &Step) -> Vec<Vec<String>> {
    step.commands
        .iter()
        .map(|c| {
            let shown = plan.show(c);
            split_words(&shown).unwrap_or_else(|e| panic!("{shown}: {e}"))
        })
        .collect()
}

/// The `flink` binary of the cluster at `version` (default homes are
/// `/opt/flink-<version>`).
fn flink_bin(version: &str) -> String {
    format!("/opt/flink-{version}/bin/flink")
}

fn has(words: &[String], flag: &str) -> bool {
    words.iter().any(|w| w == flag)
}

/// The value after `flag`, if present.
fn after<'a>(words: &'a [String], flag: &str) -> Option<&'a str> {
    words
        .iter()
        .position(|w| w == flag)
        .and_then(|i| words.get(i + 1))
        .map(String::as_str)
}

#[derive(Default)]
struct Seen(BTreeMap<&'static str, usize>);

impl Seen {
    fn add(&mut self, what: &'static str) {
        *self.0.entry(what).or_default() += 1;
    }
}

/// Checks a stop step against the syntax of `version`.
#[allow(clippy::too_many_arguments)]
fn check_stop(
    ctx: &str,
    cmds: &[Vec<String>],
    version: Version,
    version_text: &str,
    jm: Option<&str>,
    dir: bool,
    job: &str,
    seen: &mut Seen,
) {
    let bin = flink_bin(version_text);
    for c in cmds {
        assert_eq!(c[0], bin, "{ctx}: runs against the wrong cluster: {c:?}");
        assert_eq!(after(c, "-m"), jm, "{ctx}: JobManager of {c:?}");
        assert!(
            !has(c, "--drain") && !has(c, "-d"),
            "{ctx}: never drain: {c:?}"
        );
    }
    if version >= v("1.9") {
        seen.add("stop --savepointPath");
        assert_eq!(cmds.len(), 1, "{ctx}");
        let c = &cmds[0];
        assert_eq!(c[1], "stop", "{ctx}: {c:?}");
        assert_eq!(after(c, "--savepointPath").is_some(), dir, "{ctx}: {c:?}");
        if dir {
            assert_eq!(after(c, "--savepointPath"), Some("s3://state/savepoints"));
        }
        assert!(!has(c, "-s") && !has(c, "cancel"), "{ctx}: {c:?}");
        assert_eq!(c.last().unwrap(), job, "{ctx}: job id last: {c:?}");
    } else if version >= v("1.2") {
        seen.add("cancel -s");
        assert_eq!(cmds.len(), 1, "{ctx}");
        let c = &cmds[0];
        assert_eq!(c[1], "cancel", "{ctx}: {c:?}");
        assert!(has(c, "-s"), "{ctx}: {c:?}");
        assert!(
            !has(c, "stop") && !has(c, "--savepointPath"),
            "{ctx}: {c:?}"
        );
        if dir {
            assert_eq!(
                after(c, "-s"),
                Some("s3://state/savepoints"),
                "{ctx}: {c:?}"
            );
        }
        assert_eq!(c.last().unwrap(), job, "{ctx}: {c:?}");
    } else {
        seen.add("savepoint + cancel");
        assert_eq!(cmds.len(), 2, "{ctx}: savepoint, then cancel: {cmds:?}");
        assert_eq!(cmds[0][1], "savepoint", "{ctx}");
        assert_eq!(cmds[1][1], "cancel", "{ctx}");
        assert!(!has(&cmds[1], "-s"), "{ctx}: 1.0/1.1 cancel has no -s");
        // `savepoint [-m <jm>] <job> [dir]`
        let operands = if jm.is_some() {
            &cmds[0][4..]
        } else {
            &cmds[0][2..]
        };
        assert_eq!(
            operands.first().map(String::as_str),
            Some(job),
            "{ctx}: {cmds:?}"
        );
        if dir {
            assert_eq!(
                operands.get(1).map(String::as_str),
                Some("s3://state/savepoints"),
                "{ctx}"
            );
        }
        assert_eq!(
            cmds[1].last().map(String::as_str),
            Some(job),
            "{ctx}: cancel the same job"
        );
    }
}

/// Checks a `flink run` resume against the syntax of `version`.
#[allow(clippy::too_many_arguments)]
fn check_run(
    ctx: &str,
    cmds: &[Vec<String>],
    version: Version,
    version_text: &str,
    jm: Option<&str>,
    savepoint_var: &str,
    seen: &mut Seen,
) {
    assert_eq!(cmds.len(), 1, "{ctx}");
    let c = &cmds[0];
    assert_eq!(
        c[0],
        flink_bin(version_text),
        "{ctx}: runs against the wrong cluster: {c:?}"
    );
    assert_eq!(c[1], "run", "{ctx}");
    assert_eq!(after(c, "-m"), jm, "{ctx}: JobManager of {c:?}");
    assert_eq!(
        after(c, "-s"),
        Some(savepoint_var),
        "{ctx}: -s names the savepoint: {c:?}"
    );
    let restore = has(c, "--restoreMode") || has(c, "-rm");
    let claim = has(c, "--claimMode") || has(c, "-cm");
    if version >= v("1.20") {
        seen.add("--claimMode");
        assert!(claim && !restore, "{ctx}: 1.20+ uses --claimMode: {c:?}");
        assert_eq!(after(c, "--claimMode"), Some("no_claim"), "{ctx}");
    } else if version >= v("1.15") {
        seen.add("--restoreMode");
        assert!(
            restore && !claim,
            "{ctx}: 1.15-1.19 use --restoreMode: {c:?}"
        );
        assert_eq!(after(c, "--restoreMode"), Some("no_claim"), "{ctx}");
    } else {
        seen.add("no claim flag");
        assert!(
            !restore && !claim,
            "{ctx}: no claim flag before 1.15: {c:?}"
        );
    }
    // The jar, then the job's own arguments, come last.
    let jar = c.iter().position(|w| w == "/apps/orders.jar").expect("jar");
    assert_eq!(
        &c[jar + 1..],
        ["--env", "prod"],
        "{ctx}: program args after the jar"
    );
    assert_eq!(after(c, "-c"), Some("com.acme.Orders"), "{ctx}");
}

#[test]
fn commands_use_the_syntax_of_the_cluster_they_run_against() {
    let mut seen = Seen::default();
    let mut plans = 0;
    let versions = sweep_versions();
    for from in &versions {
        for to in versions.iter().filter(|t| *t > from) {
            for (strategy, jms, dir) in [
                ("in-place", false, true),
                ("shadow-copy", true, true),
                ("in-place", true, false),
            ] {
                let mut extra = format!("&strategy={strategy}{}", one_job());
                if jms {
                    extra.push_str("&old-jobmanager=old-jm:8081&new-jobmanager=new-jm:8081");
                }
                if dir {
                    extra.push_str("&savepoint-dir=s3://state/savepoints");
                }
                let link = link(&from.to_string(), &to.to_string(), &extra);
                let p = plan(&link);
                if p.phases.is_empty() {
                    continue;
                }
                plans += 1;
                let path = path_versions(&p);
                let last = path.len() - 1;
                let jm_of = |i: usize| -> Option<&str> {
                    if !jms {
                        None
                    } else if i == 0 {
                        Some("old-jm:8081")
                    } else if i == last {
                        Some("new-jm:8081")
                    } else if strategy == "in-place" {
                        Some("old-jm:8081")
                    } else {
                        None
                    }
                };
                let mut stops = 0;
                let mut resumes = 0;
                for (_, step) in p.steps() {
                    let parts: Vec<&str> = step.id.split('.').collect();
                    let cmds = argv(&p, step);
                    let ctx = format!("{} in {link}", step.id);
                    match parts.as_slice() {
                        ["cutover", hop, "stop", "1"] => {
                            let hop: usize = hop.parse().unwrap();
                            stops += 1;
                            let job = if hop == 1 {
                                JOB_ID.to_string()
                            } else {
                                format!("$JOB1_ID_STOP{}", hop - 1)
                            };
                            check_stop(
                                &ctx,
                                &cmds,
                                path[hop - 1],
                                &p.path[hop - 1],
                                jm_of(hop - 1),
                                dir,
                                &job,
                                &mut seen,
                            );
                        }
                        ["cutover", hop, "resume", "1"] => {
                            let hop: usize = hop.parse().unwrap();
                            resumes += 1;
                            let sp = if hop == 1 {
                                "$JOB1_SAVEPOINT".to_string()
                            } else {
                                format!("$JOB1_SAVEPOINT_STOP{}", hop - 1)
                            };
                            check_run(
                                &ctx,
                                &cmds,
                                path[hop],
                                &p.path[hop],
                                jm_of(hop),
                                &sp,
                                &mut seen,
                            );
                        }
                        ["rollback", "resume", "1"] => {
                            check_run(
                                &ctx,
                                &cmds,
                                path[0],
                                &p.path[0],
                                jm_of(0),
                                "$JOB1_SAVEPOINT",
                                &mut seen,
                            );
                        }
                        _ => {
                            for c in &cmds {
                                if c.first().is_some_and(|w| w.ends_with("/bin/flink")) {
                                    assert!(
                                        !has(c, "stop") && (c[1] != "cancel" || !has(c, "-s")),
                                        "{ctx}: only stop steps take savepoints: {c:?}"
                                    );
                                }
                            }
                        }
                    }
                }
                assert_eq!(stops, last, "{link}: one stop per hop");
                assert_eq!(resumes, last, "{link}: one resume per hop");
            }
        }
    }
    assert!(plans > 500, "only {plans} plans checked");
    for what in [
        "stop --savepointPath",
        "cancel -s",
        "savepoint + cancel",
        "--claimMode",
        "--restoreMode",
        "no claim flag",
    ] {
        assert!(
            seen.0.get(what).copied().unwrap_or(0) > 0,
            "never checked: {what}"
        );
    }
}

#[test]
fn stop_without_a_savepoint_dir_relies_on_the_cluster_default() {
    let p = plan(&link("1.17", "1.20", &one_job()));
    let step = p
        .steps()
        .map(|(_, s)| s)
        .find(|s| s.id == "cutover.1.stop.1")
        .unwrap();
    let c = &argv(&p, step)[0];
    assert_eq!(c[..2], [flink_bin("1.17"), "stop".to_string()]);
    assert!(!has(c, "--savepointPath"));
    assert!(p
        .findings
        .iter()
        .any(|f| f.code == "flink.savepoint-dir-default"));
}
