//! A generated Flink script wired to a fake world (see
//! `tests/fixtures/fake_flink.sh`): fake installations for every version on
//! the plan's path, their clusters' REST API, the job jars, and the old
//! cluster running the planned jobs.

use std::fs;
use std::path::PathBuf;
use std::process::Output;

use waymark_core::link::encode;
use waymark_core::plan::{Plan, Value};
use waymark_core::render::script;

use super::*;

/// The old cluster's REST address; a shadow copy's new cluster is at
/// [`NEW_REST`].
pub const OLD_REST: &str = "localhost:8081";
pub const NEW_REST: &str = "localhost:8082";

pub struct Rig {
    pub dir: TempDir,
    pub world: PathBuf,
    pub bin: PathBuf,
    pub script: PathBuf,
    pub state: PathBuf,
    pub plan: Plan,
    /// The planned jobs' ids on the old cluster.
    pub job_ids: Vec<String>,
}

/// The version a fake installation reports for `version` (a bare line is
/// its newest patch).
fn installed(version: &str) -> String {
    waymark_core::flink::versions::latest(v(version)).to_string()
}

impl Rig {
    /// `link` may write `@JARS@` for a directory of jars the rig creates.
    pub fn new(link: &str, shadow: bool) -> Rig {
        let dir = TempDir::new("script");
        let world = dir.path().join("world");
        let bin = dir.path().join("path-bin");
        fs::create_dir_all(&bin).unwrap();
        fake_curl(&bin, &world);
        let jars = dir.path().join("jars");
        let link = link.replace("@JARS@", &encode(&jars.to_string_lossy()));
        let probe = plan(&link);
        let last = probe.path.len().saturating_sub(1);
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
                OLD_REST
            } else {
                NEW_REST
            };
            fake_flink_home(&home, &label, &world, rest, &installed(version));
            full.push_str(&format!("&{key}={}", encode(&home.to_string_lossy())));
        }
        if shadow {
            full.push_str(&format!("&new-jobmanager={NEW_REST}"));
        }
        let plan = plan(&full);
        let text_of = |name: &str| {
            plan.variables
                .iter()
                .find(|var| var.name == name)
                .and_then(|var| match &var.value {
                    Value::Text(t) => Some(t.clone()),
                    _ => None,
                })
        };
        let mut job_ids = Vec::new();
        for n in 1.. {
            let Some(id) = text_of(&format!("JOB{n}_ID")) else {
                break;
            };
            job_ids.push(id);
            for key in ["JAR", "OLD_JAR"] {
                if let Some(jar) = text_of(&format!("JOB{n}_{key}")) {
                    let jar = PathBuf::from(jar);
                    if jar.starts_with(dir.path()) {
                        fs::create_dir_all(jar.parent().unwrap()).unwrap();
                        fs::write(&jar, "jar").unwrap();
                    }
                }
            }
        }
        if let Some(first) = probe.path.first() {
            let ids: Vec<&str> = job_ids.iter().map(String::as_str).collect();
            cluster_up(&world, OLD_REST, &installed(first), &ids);
        }
        let script_path = dir.path().join("runbook.sh");
        fs::write(&script_path, script::render(&plan)).unwrap();
        let state = dir.path().join("runbook.state");
        Rig {
            dir,
            world,
            bin,
            script: script_path,
            state,
            plan,
            job_ids,
        }
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.run_env(args, &[])
    }

    pub fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let state = self.state.to_string_lossy().into_owned();
        let mut all = vec![
            ("WAYMARK_STATE_FILE", state.as_str()),
            ("WAYMARK_POLL_SECONDS", "0"),
        ];
        all.extend_from_slice(env);
        run_script(&self.script, args, self.dir.path(), &all, Some(&self.bin))
    }

    /// Runs the pre-flight and the cutover as an operator would, with the
    /// go/no-go given.
    pub fn cutover(&self, env: &[(&str, &str)]) -> Output {
        self.run_env(
            &[
                "cutover",
                "--yes",
                "--done",
                "preflight.go",
                "--done",
                "preflight.savepoint-dir",
            ],
            env,
        )
    }

    pub fn verify(&self) -> Output {
        self.run(&["verify", "--yes", "--done", "verify.observe"])
    }

    pub fn calls(&self) -> Vec<Call> {
        calls(&self.world)
    }

    /// The flink calls of installation `home` with action `action`.
    pub fn flink(&self, home: &str, action: &str) -> Vec<Vec<String>> {
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

    /// How many calls changed something (the fake's count).
    pub fn changes(&self) -> usize {
        fs::read_to_string(self.world.join("actions"))
            .ok()
            .and_then(|t| t.trim().parse().ok())
            .unwrap_or(0)
    }

    pub fn state_text(&self) -> String {
        fs::read_to_string(&self.state).unwrap_or_default()
    }

    pub fn record_text(&self) -> String {
        fs::read_to_string(self.dir.path().join("runbook.record")).unwrap_or_default()
    }
}

pub fn assert_ok(out: &Output, what: &str) {
    assert!(
        out.status.success(),
        "{what} exited {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        text(&out.stdout),
        text(&out.stderr)
    );
}
