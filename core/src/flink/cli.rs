//! Flink CLI syntax by version. A command is built for the exact version of
//! the cluster it runs against: the old cluster gets the old syntax, the new
//! cluster the new syntax.
//!
//! | command | versions | source |
//! |---|---|---|
//! | `flink savepoint <job> [dir]` | 1.0+ | CLI docs |
//! | `flink cancel -s [dir] <job>` | 1.2+, deprecated in 1.9 | CLI docs, 1.9 release notes |
//! | `flink stop --savepointPath <dir> <job>` | 1.9+ (before 1.9 `stop` takes no savepoint) | 1.9 release notes |
//! | `flink run -s <path>` | 1.0+; `-n/--allowNonRestoredState` 1.2+ | CLI docs |
//! | `--restoreMode` / `--claimMode` | 1.15–1.19 / 1.20+ | 1.15, 1.20 release notes |
//! | `-detached` on `savepoint`/`stop` | 1.19+ (not used: the path is needed at once) | CLI docs |

use crate::plan::{Command, Word};
use crate::version::Version;

/// The cluster a command talks to.
#[derive(Debug, Clone)]
pub struct Cluster {
    pub version: Version,
    /// The variable holding its installation directory.
    pub home: String,
    /// The variable holding its JobManager address, when the scenario gives one.
    pub jobmanager: Option<String>,
    /// The variable holding its REST address (`host:port`), for health checks.
    pub rest: String,
}

/// What marks the savepoint path in a command's output.
pub struct SavepointOutput {
    pub after: &'static str,
}

#[inline(never)]
fn lit(s: &str) -> Word {
    Word::Lit(s.to_string())
}

#[inline(never)]
fn var(s: &str) -> Word {
    Word::Var(s.to_string())
}

impl Cluster {
    fn bin(&self, script: &str) -> Word {
        Word::Join(vec![var(&self.home), lit(&format!("/bin/{script}"))])
    }

    /// `<home>/bin/flink <action> [-m <jobmanager>]`.
    fn flink(&self, action: &str) -> Vec<Word> {
        let mut words = vec![self.bin("flink"), lit(action)];
        if let Some(jm) = &self.jobmanager {
            words.push(lit("-m"));
            words.push(var(jm));
        }
        words
    }

    /// Can `stop` take a savepoint on this version?
    pub fn has_stop_with_savepoint(&self) -> bool {
        self.version >= Version::minor(1, 9)
    }

    /// Can `cancel` take a savepoint on this version?
    pub fn has_cancel_with_savepoint(&self) -> bool {
        self.version >= Version::minor(1, 2)
    }

    /// Stops a job and takes a savepoint, in this version's syntax. The
    /// command's output carries the savepoint path after `after`.
    ///
    /// Returns one or two commands: before 1.2 a savepoint and a cancel.
    pub fn stop_with_savepoint(
        &self,
        job_id: &str,
        dir: Option<&str>,
    ) -> (Vec<Command>, SavepointOutput) {
        if self.has_stop_with_savepoint() {
            let mut words = self.flink("stop");
            if let Some(dir) = dir {
                words.push(lit("--savepointPath"));
                words.push(var(dir));
            }
            words.push(var(job_id));
            (
                vec![Command::local(words)],
                SavepointOutput {
                    after: "Savepoint completed. Path:",
                },
            )
        } else if self.has_cancel_with_savepoint() {
            let mut words = self.flink("cancel");
            words.push(lit("-s"));
            if let Some(dir) = dir {
                words.push(var(dir));
            }
            words.push(var(job_id));
            (
                vec![Command::local(words)],
                SavepointOutput {
                    after: "Savepoint stored in",
                },
            )
        } else {
            let (trigger, out) = self.savepoint(job_id, dir);
            let mut cancel = self.flink("cancel");
            cancel.push(var(job_id));
            (vec![trigger, Command::local(cancel)], out)
        }
    }

    /// Takes a savepoint without stopping the job.
    pub fn savepoint(&self, job_id: &str, dir: Option<&str>) -> (Command, SavepointOutput) {
        let mut words = self.flink("savepoint");
        words.push(var(job_id));
        if let Some(dir) = dir {
            words.push(var(dir));
        }
        (
            Command::local(words),
            SavepointOutput {
                after: "Savepoint completed. Path:",
            },
        )
    }

    /// Submits a job detached, restoring from `savepoint`. The output carries
    /// the new job id after "JobID".
    pub fn run_from_savepoint(&self, spec: &RunSpec<'_>) -> Command {
        let mut words = self.flink("run");
        words.push(lit("-d"));
        words.push(lit("-s"));
        words.push(var(spec.savepoint));
        if let Some(mode) = self.claim_mode_flag() {
            words.push(lit(mode));
            words.push(lit("no_claim"));
        }
        if let Some(p) = spec.parallelism {
            words.push(lit("-p"));
            words.push(var(p));
        }
        if let Some(class) = spec.class {
            words.push(lit("-c"));
            words.push(var(class));
        }
        words.push(var(spec.jar));
        if let Some(args) = spec.args {
            words.push(Word::Array(args.to_string()));
        }
        Command::local(words)
    }

    /// The flag that sets how a restore treats the savepoint's files, if this
    /// version has one. NO_CLAIM (the default) leaves the savepoint untouched,
    /// which keeps it usable for a rollback; Waymark says so explicitly.
    pub fn claim_mode_flag(&self) -> Option<&'static str> {
        if self.version >= Version::minor(1, 20) {
            Some("--claimMode")
        } else if self.version >= Version::minor(1, 15) {
            Some("--restoreMode")
        } else {
            None
        }
    }

    pub fn list_running(&self) -> Command {
        let mut words = self.flink("list");
        words.push(lit("-r"));
        Command::local(words)
    }

    pub fn cancel(&self, job_id: &str) -> Command {
        let mut words = self.flink("cancel");
        words.push(var(job_id));
        Command::local(words)
    }

    /// Polls the REST API (up to two minutes) until the cluster answers with
    /// at least one TaskManager registered.
    pub fn wait_until_up(&self) -> Command {
        Command::local(vec![
            Word::Raw("( for _ in $(seq 1 60); do"),
            lit("curl"),
            lit("-fsS"),
            Word::Join(vec![lit("http://"), var(&self.rest), lit("/overview")]),
            Word::Raw(
                "2>/dev/null | grep -q '\"taskmanagers\":[1-9]' && exit 0; sleep 2; done; exit 1 )",
            ),
        ])
    }

    /// Polls the REST API (up to two minutes) until the cluster no longer
    /// answers, so its ports are free.
    pub fn wait_until_down(&self) -> Command {
        Command::local(vec![
            Word::Raw("( for _ in $(seq 1 60); do"),
            lit("curl"),
            lit("-fsS"),
            lit("-o"),
            lit("/dev/null"),
            Word::Join(vec![lit("http://"), var(&self.rest), lit("/overview")]),
            Word::Raw("2>/dev/null || exit 0; sleep 2; done; exit 1 )"),
        ])
    }

    pub fn start_cluster(&self) -> Command {
        Command::local(vec![self.bin("start-cluster.sh")])
    }

    pub fn stop_cluster(&self) -> Command {
        Command::local(vec![self.bin("stop-cluster.sh")])
    }
}

/// What `flink run` needs for one job; each field names a variable.
pub struct RunSpec<'a> {
    pub savepoint: &'a str,
    pub jar: &'a str,
    pub class: Option<&'a str>,
    pub args: Option<&'a str>,
    pub parallelism: Option<&'a str>,
}

/// The marker before the job id in `flink run -d` output.
pub const SUBMITTED_AFTER: &str = "JobID";
