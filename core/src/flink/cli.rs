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
//! | `-t yarn-session\|yarn-per-job\|yarn-application -Dyarn.application.id=…` | 1.11+ (general options of every action) | YARN docs, `GenericCLI` |
//! | `-m yarn-cluster -yid …`, `-ynm …` | before 1.11 (still parsed by 2.0.2, checked) | 1.10 CLI docs |
//! | `run-application -t yarn-application` | 1.11 to 1.20 (1.20.1's `run -t yarn-application` runs `main()` on the client and finds no executor, checked) | YARN docs |
//! | `run -t yarn-application` | 2.0+ (`run-application` removed) | 2.0 release notes |

use crate::plan::{lit, var, Check, Command, Expect, Word};
use crate::version::Version;

/// The cluster a command talks to.
#[derive(Debug, Clone)]
pub struct Cluster {
    pub version: Version,
    /// The variable holding its installation directory.
    pub home: String,
    /// The variable holding its JobManager address, when the scenario gives one.
    pub jobmanager: Option<String>,
    /// The variable holding its REST address (`host:port`), for health checks;
    /// on YARN the whole base URL of the application's web proxy.
    pub rest: String,
    /// On YARN: how the CLI finds the cluster (or creates it).
    pub yarn: Option<Yarn>,
    /// Deployment-target options every `flink` action takes after the
    /// action (`--target kubernetes-session -Dkubernetes.cluster-id=…`);
    /// empty for a standalone cluster, which `-m` or the configuration finds.
    pub target: Vec<Word>,
    /// Set when REST reads go through the Kubernetes API server's service
    /// proxy (`kubectl get --raw …/services/<id>-rest:rest/proxy/…`) instead
    /// of `curl http://<rest>`: a cluster on Kubernetes whose REST service is
    /// a ClusterIP only the cluster network reaches.
    pub kube_rest: Option<KubeRest>,
}

/// The Kubernetes service Flink creates for a cluster's REST endpoint:
/// `<cluster-id>-rest`, port name `rest`, in a namespace.
#[derive(Debug, Clone)]
pub struct KubeRest {
    /// The variable holding the namespace.
    pub namespace: String,
    /// The variable holding the cluster id (the service is `<id>-rest`).
    pub cluster_id: String,
}

impl KubeRest {
    /// `/api/v1/namespaces/<ns>/services/<id>-rest:rest/proxy<path>`.
    fn path(&self, path: &[Word]) -> Word {
        let mut parts = vec![
            lit("/api/v1/namespaces/"),
            var(self.namespace.clone()),
            lit("/services/"),
            var(self.cluster_id.clone()),
            lit("-rest:rest/proxy"),
        ];
        parts.extend_from_slice(path);
        Word::Join(parts)
    }

    /// `kubectl get --raw <proxy path>`: a read of the REST API.
    pub fn get(&self, path: &[Word]) -> Vec<Word> {
        vec![lit("kubectl"), lit("get"), lit("--raw"), self.path(path)]
    }
}

/// A YARN deployment mode, as the CLI's `-t` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YarnMode {
    Session,
    PerJob,
    Application,
}

impl YarnMode {
    pub fn target(self) -> &'static str {
        match self {
            YarnMode::Session => "yarn-session",
            YarnMode::PerJob => "yarn-per-job",
            YarnMode::Application => "yarn-application",
        }
    }
}

/// Which YARN application a command talks to.
#[derive(Debug, Clone)]
pub enum YarnApp {
    /// A running one: the variable holding its application id.
    Id(String),
    /// One this command submits: the variable holding its unique name.
    New(String),
}

/// How the CLI reaches a Flink cluster on YARN. Every command passes the
/// application explicitly, never relying on `/tmp/.yarn-properties-<user>`.
#[derive(Debug, Clone)]
pub struct Yarn {
    pub mode: YarnMode,
    pub app: YarnApp,
    /// The variable holding `yarn.provided.lib.dirs`, for submissions.
    pub provided_lib_dirs: Option<String>,
}

/// Puts Hadoop's classes on the Flink client's classpath, as the YARN docs
/// ask (without them the CLI finds no YARN executor).
pub const HADOOP_CLASSPATH: &str = "HADOOP_CLASSPATH=\"$(hadoop classpath)\"";

/// What marks the savepoint path in a command's output.
pub struct SavepointOutput {
    pub after: &'static str,
}

impl Cluster {
    fn bin(&self, script: &str) -> Word {
        Word::Join(vec![var(self.home.clone()), lit(format!("/bin/{script}"))])
    }

    /// A standalone cluster at a REST address, reached with curl.
    pub fn standalone(
        version: Version,
        home: String,
        jobmanager: Option<String>,
        rest: String,
    ) -> Cluster {
        Cluster {
            version,
            home,
            jobmanager,
            rest,
            yarn: None,
            target: Vec::new(),
            kube_rest: None,
        }
    }

    /// `<home>/bin/flink <action> [-m <jobmanager>] [<target options>]`, or
    /// on YARN `HADOOP_CLASSPATH=… <home>/bin/flink <action> <the
    /// application>`.
    pub fn flink(&self, action: &str) -> Vec<Word> {
        let mut words = Vec::new();
        if self.yarn.is_some() {
            words.push(Word::Raw(HADOOP_CLASSPATH));
        }
        words.push(self.bin("flink"));
        words.push(lit(action.to_owned()));
        if let Some(y) = &self.yarn {
            words.extend(self.yarn_options(y));
        } else if let Some(jm) = &self.jobmanager {
            words.push(lit("-m"));
            words.push(var(jm.to_owned()));
        }
        words.extend(self.target.iter().cloned());
        words
    }

    /// Has the generic CLI's `-t`/`-D` options (1.11 and later)?
    pub fn has_targets(&self) -> bool {
        self.version >= Version::minor(1, 11)
    }

    /// The options that name the YARN application (or the new one's name).
    fn yarn_options(&self, y: &Yarn) -> Vec<Word> {
        let mut words = Vec::new();
        let d = |key: &str, v: &str| Word::Join(vec![lit(format!("-D{key}=")), var(v.to_owned())]);
        match (&y.app, self.has_targets()) {
            (YarnApp::Id(app), true) => {
                words.extend([
                    lit("-t"),
                    lit(y.mode.target()),
                    d("yarn.application.id", app),
                ]);
            }
            (YarnApp::Id(app), false) => {
                words.extend([
                    lit("-m"),
                    lit("yarn-cluster"),
                    lit("-yid"),
                    var(app.to_owned()),
                ]);
            }
            (YarnApp::New(name), true) => {
                words.extend([
                    lit("-t"),
                    lit(y.mode.target()),
                    d("yarn.application.name", name),
                ]);
                if let Some(dirs) = &y.provided_lib_dirs {
                    words.push(d("yarn.provided.lib.dirs", dirs));
                }
            }
            (YarnApp::New(name), false) => {
                words.extend([
                    lit("-m"),
                    lit("yarn-cluster"),
                    lit("-ynm"),
                    var(name.to_owned()),
                ]);
            }
        }
        words
    }

    /// Is this a YARN application-mode cluster (the job's `main()` runs on
    /// the JobManager)?
    pub fn is_application(&self) -> bool {
        self.yarn
            .as_ref()
            .is_some_and(|y| y.mode == YarnMode::Application)
    }

    /// The action that submits a job: `run-application` for application
    /// mode from 1.11 to 1.20, `run` everywhere else.
    pub fn submit_action(&self) -> &'static str {
        if self.is_application() && self.version < Version::minor(2, 0) {
            "run-application"
        } else {
            "run"
        }
    }

    /// The words that read `path` of the REST API: curl, or kubectl
    /// through the API server's proxy.
    fn get(&self, path: &[Word]) -> Vec<Word> {
        match &self.kube_rest {
            Some(k) => k.get(path),
            None => vec![lit("curl"), lit("-fsS"), self.url(path)],
        }
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
                words.push(var(dir.to_owned()));
            }
            words.push(var(job_id.to_owned()));
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
                words.push(var(dir.to_owned()));
            }
            words.push(var(job_id.to_owned()));
            (
                vec![Command::local(words)],
                SavepointOutput {
                    after: "Savepoint stored in",
                },
            )
        } else {
            let (trigger, out) = self.savepoint(job_id, dir);
            let mut cancel = self.flink("cancel");
            cancel.push(var(job_id.to_owned()));
            (vec![trigger, Command::local(cancel)], out)
        }
    }

    /// Takes a savepoint without stopping the job.
    pub fn savepoint(&self, job_id: &str, dir: Option<&str>) -> (Command, SavepointOutput) {
        let mut words = self.flink("savepoint");
        words.push(var(job_id.to_owned()));
        if let Some(dir) = dir {
            words.push(var(dir.to_owned()));
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
        let mut words = self.flink(self.submit_action());
        // An application cluster runs detached anyway.
        if !self.is_application() {
            words.push(lit("-d"));
        }
        self.restore_words(&mut words, spec);
        Command::local(words)
    }

    /// Deploys an application cluster (`-t …-application`) running the job
    /// restored from `savepoint`: `run-application` up to 1.20, `run` from
    /// 2.0, which removed `run-application` (on 1.20.1, `run --target
    /// kubernetes-application` looks for the jar on this host instead of
    /// deploying: checked with the real CLI). `extra` holds options for the
    /// new cluster, such as its image. The output carries no job id.
    pub fn run_application(&self, spec: &RunSpec<'_>, extra: Vec<Word>) -> Command {
        let action = if self.version.major >= 2 {
            "run"
        } else {
            "run-application"
        };
        let mut words = self.flink(action);
        words.extend(extra);
        self.restore_words(&mut words, spec);
        Command::local(words)
    }

    /// `-s <savepoint> [claim mode] [-p] [-c] <jar> [args]`.
    fn restore_words(&self, words: &mut Vec<Word>, spec: &RunSpec<'_>) {
        words.push(lit("-s"));
        words.push(var(spec.savepoint.to_owned()));
        if let Some(mode) = self.claim_mode_flag() {
            words.push(lit(mode));
            words.push(lit("no_claim"));
        }
        if let Some(p) = spec.parallelism {
            words.push(lit("-p"));
            words.push(var(p.to_owned()));
        }
        if let Some(class) = spec.class {
            words.push(lit("-c"));
            words.push(var(class.to_owned()));
        }
        words.push(var(spec.jar.to_owned()));
        if let Some(args) = spec.args {
            words.push(Word::Array(args.to_owned().into()));
        }
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
        words.push(var(job_id.to_owned()));
        Command::local(words)
    }

    /// Template text that ends in a REST read, then the read's address:
    /// `curl_text` (ending in `curl -fsS`) and the URL for a standalone
    /// cluster, exactly as before; `plain` and the kubectl read on
    /// Kubernetes.
    fn raw_get(&self, curl_text: &'static str, plain: &'static str, path: &[Word]) -> Vec<Word> {
        match &self.kube_rest {
            Some(k) => {
                let mut words = vec![Word::Raw(plain)];
                words.extend(k.get(path));
                words
            }
            None => vec![Word::Raw(curl_text), self.url(path)],
        }
    }

    /// `http://<rest><path>` (on YARN `<proxy URL><path>`).
    fn url(&self, path: &[Word]) -> Word {
        let mut parts = if self.yarn.is_some() {
            vec![var(self.rest.clone())]
        } else {
            vec![lit("http://"), var(self.rest.clone())]
        };
        parts.extend_from_slice(path);
        Word::Join(parts)
    }

    /// `curl -fsS http://<rest><path>`: a read of the REST API.
    pub fn rest_read(&self, path: &[Word]) -> Command {
        Command::local(self.get(path))
    }

    /// The cluster answers with at least one TaskManager (waits two minutes).
    pub fn up_check(&self, name: &str) -> Check {
        Check::new(
            self.rest_read(&[lit("/overview")]),
            Expect::Matches("\"taskmanagers\":[1-9]".into()),
            format!("{name} answers with at least one TaskManager"),
        )
        .waiting(120)
    }

    /// The REST API reports this cluster's Flink version.
    pub fn version_check(&self, name: &str) -> Check {
        Check::new(
            self.rest_read(&[lit("/config")]),
            Expect::Contains(self.version_marker()),
            format!("{name} reports Flink {}", self.version),
        )
        .waiting(30)
    }

    /// Text of `/config` that names this version: `"flink-version":"1.20.`
    /// for a line, the whole version for a patch.
    pub fn version_marker(&self) -> String {
        match self.version.patch {
            Some(_) => format!("\"flink-version\":\"{}\"", self.version),
            None => format!("\"flink-version\":\"{}.", self.version),
        }
    }

    /// The cluster no longer answers, so its ports are free (waits two minutes).
    pub fn down_check(&self, name: &str) -> Check {
        let words = match &self.kube_rest {
            Some(k) => k.get(&[lit("/overview")]),
            None => vec![
                lit("curl"),
                lit("-fsS"),
                lit("-o"),
                lit("/dev/null"),
                self.url(&[lit("/overview")]),
            ],
        };
        Check::new(
            Command::local(words),
            Expect::Failure,
            format!("{name} no longer answers"),
        )
        .waiting(120)
    }

    /// The cluster has at least `needed` free slots.
    pub fn slots_check(&self, needed: u32, name: &str) -> Check {
        let mut words = self.raw_get("s=$(curl -fsS", "s=$(", &[lit("/overview")]);
        words.extend([
            Word::Raw("| grep -oE '\"slots-available\":[0-9]+' | cut -d: -f2); echo \"slots available: ${s:-unknown}\"; [ \"${s:-0}\" -ge"),
            lit(needed.to_string()),
            Word::Raw("]"),
        ]);
        Check::new(
            Command::local(words),
            Expect::Success,
            format!("{name} has at least {needed} free slots for the jobs it takes while the old cluster still holds its own"),
        )
        .waiting(60)
    }

    /// The jobs the REST API lists as RUNNING are exactly the values of
    /// `ids`: the REST address is the cluster the CLI talks to.
    pub fn rest_jobs_check(&self, ids: Vec<String>, holds: String) -> Check {
        Check::new(
            Command::local({
                let mut words = self.get(&[lit("/jobs")]);
                words.push(Word::Raw(
                    "| { grep -oE '\"id\":\"[0-9a-f]{32}\",\"status\":\"RUNNING\"' || true; }",
                ));
                words
            }),
            Expect::Ids(ids),
            holds,
        )
        .waiting(30)
    }

    /// The jobs `flink list -r` shows are exactly the values of `ids`.
    pub fn jobs_check(&self, ids: Vec<String>, holds: String) -> Check {
        Check::new(self.list_running(), Expect::Ids(ids), holds).waiting(30)
    }

    /// The job is RUNNING (waits five minutes; a FAILED job stops the wait).
    pub fn running_check(&self, id: &str, who: &str) -> Check {
        Check::new(
            self.rest_read(&[lit("/jobs/"), var(id.to_owned())]),
            Expect::Contains("\"state\":\"RUNNING\"".into()),
            format!("{who} is RUNNING on Flink {}", self.version),
        )
        .waiting(300)
        .failing_on("\"state\":\"FAILED\"")
    }

    /// Every task of the job runs: none is still created, scheduled,
    /// deploying or initializing (a job can be RUNNING while its tasks wait
    /// for free slots, and then takes no savepoint and no checkpoint).
    pub fn tasks_check(&self, id: &str, who: &str) -> Check {
        Check::new(
            self.rest_read(&[lit("/jobs/"), var(id.to_owned())]),
            Expect::LacksMatch(
                "\"status\":\"(CREATED|SCHEDULED|DEPLOYING|INITIALIZING)\"".into(),
            ),
            format!("every task of {who} is running (a task waiting for a free slot means too little capacity)"),
        )
        .waiting(300)
    }

    /// The job restored from the savepoint in `savepoint` (its checkpoint
    /// statistics name it as the restored path).
    pub fn restored_check(&self, id: &str, savepoint: &str, who: &str) -> Check {
        Check::new(
            self.rest_read(&[lit("/jobs/"), var(id.to_owned()), lit("/checkpoints")]),
            Expect::Mentions(savepoint.into()),
            format!("{who} restored from its own savepoint ({savepoint})"),
        )
        .waiting(120)
    }

    /// The job completed a checkpoint since it started here.
    pub fn checkpoint_check(&self, id: &str, who: &str) -> Check {
        Check::new(
            self.rest_read(&[lit("/jobs/"), var(id.to_owned()), lit("/checkpoints")]),
            Expect::Matches("\"completed\":[1-9]".into()),
            format!("{who} completed a checkpoint on Flink {} (waits up to 15 minutes; a job without checkpointing never does)", self.version),
        )
        .waiting(900)
    }

    /// Finds the job a `flink run` submitted when its client failed before
    /// printing the id: the one job on this cluster whose id is none of the
    /// plan's values (the run-time passes them as `WAYMARK_VALUES`). None
    /// means the submission did not happen (exit 3: safe to submit again);
    /// several mean a person must tell (exit 1).
    pub fn submitted_recovery(&self) -> Command {
        let mut words = vec![Word::Raw(
            "known=\" ${WAYMARK_VALUES:-} \"; sleep \"${WAYMARK_POLL_SECONDS:-5}\"; found=; for j in $(",
        )];
        words.extend(self.flink("list"));
        words.push(Word::Raw(
            "2>/dev/null | grep -oE '\\b[0-9a-f]{32}\\b'); do case \"$known\" in *\" $j \"*) ;; *) found=\"$found $j\" ;; esac; done; set -- $found; case $# in 0) exit 3 ;; 1) echo \"JobID $1\" ;; *) exit 1 ;; esac",
        ));
        Command::local(words).capturing("JOB_ID", SUBMITTED_AFTER, "the submitted job's id")
    }

    /// Reads the savepoint of a stop whose client gave up. While the job is
    /// RUNNING with a savepoint in progress the stop is still under way: it
    /// waits (ten minutes at most). RUNNING with nothing in progress means
    /// the stop did not take effect (exit 3: safe to run it again). Once the
    /// job has ended, prints its checkpoint statistics' last savepoint.
    pub fn savepoint_recovery(&self, id: &str) -> Command {
        let job = [lit("/jobs/"), var(id.to_owned())];
        let checkpoints = [lit("/jobs/"), var(id.to_owned()), lit("/checkpoints")];
        let mut words = self.raw_get(
            "for _ in $(seq 1 120); do s=$(curl -fsS",
            "for _ in $(seq 1 120); do s=$(",
            &job,
        );
        words.extend(self.raw_get(
            ") || exit 1; case $s in *'\"state\":\"RUNNING\"'*) c=$(curl -fsS",
            ") || exit 1; case $s in *'\"state\":\"RUNNING\"'*) c=$(",
            &checkpoints,
        ));
        words.extend(self.raw_get(
            ") || exit 1; case $c in *'\"in_progress\":0'*) exit 3 ;; esac; sleep \"${WAYMARK_POLL_SECONDS:-5}\" ;; *) break ;; esac; done; case $s in *'\"state\":\"FINISHED\"'* | *'\"state\":\"CANCELED\"'*) ;; *) exit 3 ;; esac; curl -fsS",
            ") || exit 1; case $c in *'\"in_progress\":0'*) exit 3 ;; esac; sleep \"${WAYMARK_POLL_SECONDS:-5}\" ;; *) break ;; esac; done; case $s in *'\"state\":\"FINISHED\"'* | *'\"state\":\"CANCELED\"'*) ;; *) exit 3 ;; esac;",
            &checkpoints,
        ));
        words.push(Word::Raw(
            "| sed -n 's/.*\"savepoint\":{\\(.*\\)\"failed\":.*/\\1/p'",
        ));
        Command::local(words)
            .capturing(id.to_string(), "\"external_path\":\"", "the savepoint path")
            .until("\"")
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
