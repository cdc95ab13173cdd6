//! Builds the phases of a Flink plan: prepare, cutover (per hop), verify and
//! rollback, with commands in the syntax of the version each runs against.

use crate::plan::{step, Command, Host, Phase, PhaseId, Step, Value, Variable, Word};
use crate::version::Version;

use super::cli::{Cluster, RunSpec, SUBMITTED_AFTER};
use super::scenario::{Feature, Job, Scenario, Strategy};
use super::sources;

/// Variables and clusters for one plan.
pub struct Context<'a> {
    pub s: &'a Scenario,
    pub path: &'a [Version],
    pub vars: Vec<Variable>,
}

#[inline(never)]
fn lit(s: &str) -> Word {
    Word::Lit(s.to_string())
}
#[inline(never)]
fn var(s: &str) -> Word {
    Word::Var(s.to_string())
}

impl<'a> Context<'a> {
    pub fn new(s: &'a Scenario, path: &'a [Version]) -> Self {
        let mut c = Context {
            s,
            path,
            vars: Vec::new(),
        };
        c.text(
            "OLD_HOME",
            format!("Flink {} installation directory (old cluster)", path[0]),
            &s.old_home,
        );
        for (i, &stop) in path
            .iter()
            .enumerate()
            .take(path.len().saturating_sub(1))
            .skip(1)
        {
            let home = s
                .stop_homes
                .get(i - 1)
                .filter(|h| !h.is_empty())
                .cloned()
                .unwrap_or_else(|| default_home(s, stop));
            c.text(
                &format!("STOP{i}_HOME"),
                format!("Flink {} installation directory (stop {i})", path[i]),
                &home,
            );
        }
        c.text(
            "NEW_HOME",
            format!(
                "Flink {} installation directory (new cluster)",
                path[path.len() - 1]
            ),
            &s.new_home,
        );
        if !s.old_jobmanager.is_empty() {
            c.text(
                "OLD_JOBMANAGER",
                "JobManager address of the old cluster".into(),
                &s.old_jobmanager,
            );
        }
        if !s.new_jobmanager.is_empty() {
            c.text(
                "NEW_JOBMANAGER",
                "JobManager address of the new cluster".into(),
                &s.new_jobmanager,
            );
        }
        let rest = |jm: &str| {
            if jm.is_empty() {
                "localhost:8081".to_string()
            } else {
                jm.to_string()
            }
        };
        c.text(
            "OLD_REST",
            "REST address of the old cluster (localhost:8081 unless old-jobmanager says otherwise)"
                .into(),
            &rest(&s.old_jobmanager),
        );
        c.text(
            "NEW_REST",
            "REST address of the new cluster (localhost:8081 unless new-jobmanager says otherwise)"
                .into(),
            &rest(&s.new_jobmanager),
        );
        if !s.savepoint_dir.is_empty() {
            c.text(
                "SAVEPOINT_DIR",
                "Where savepoints are written".into(),
                &s.savepoint_dir,
            );
        }
        for (i, job) in s.jobs.iter().enumerate() {
            let n = i + 1;
            let who = job.label().to_string();
            c.text(
                &format!("JOB{n}_ID"),
                format!("Job id of {who} on the old cluster"),
                &job.id,
            );
            c.text(&format!("JOB{n}_JAR"), format!("Jar of {who}"), &job.jar);
            if !job.class.is_empty() {
                c.text(
                    &format!("JOB{n}_CLASS"),
                    format!("Entry class of {who}"),
                    &job.class,
                );
            }
            if !job.args.is_empty() {
                c.vars.push(Variable {
                    name: format!("JOB{n}_ARGS"),
                    description: format!("Program arguments of {who}"),
                    value: Value::List(job.arg_words()),
                });
            }
            if !job.old_jar.is_empty() {
                c.text(
                    &format!("JOB{n}_OLD_JAR"),
                    format!("Jar of {who} for the old version (rollback)"),
                    &job.old_jar,
                );
            }
            if let Some(p) = job.parallelism {
                c.text(
                    &format!("JOB{n}_PARALLELISM"),
                    format!("Parallelism of {who}"),
                    &p.to_string(),
                );
            }
            for hop in 1..path.len() {
                c.captured(
                    &savepoint_var(n, hop),
                    format!("Savepoint of {who} taken on Flink {}", path[hop - 1]),
                );
                c.captured(
                    &id_var(n, hop, path.len() - 1),
                    format!("Job id of {who} on Flink {}", path[hop]),
                );
            }
        }
        c
    }

    fn text(&mut self, name: &str, description: String, value: &str) {
        self.vars.push(Variable {
            name: name.into(),
            description,
            value: Value::Text(value.into()),
        });
    }

    fn captured(&mut self, name: &str, description: String) {
        self.vars.push(Variable {
            name: name.into(),
            description,
            value: Value::Captured,
        });
    }

    /// The cluster at path index `i`.
    pub fn cluster(&self, i: usize) -> Cluster {
        let last = self.path.len() - 1;
        let (home, jm) = if i == 0 {
            (
                "OLD_HOME".to_string(),
                (!self.s.old_jobmanager.is_empty()).then(|| "OLD_JOBMANAGER".to_string()),
            )
        } else if i == last {
            (
                "NEW_HOME".to_string(),
                (!self.s.new_jobmanager.is_empty()).then(|| "NEW_JOBMANAGER".to_string()),
            )
        } else {
            let jm = match self.s.strategy {
                Strategy::InPlace if !self.s.old_jobmanager.is_empty() => {
                    Some("OLD_JOBMANAGER".to_string())
                }
                _ => None,
            };
            (format!("STOP{i}_HOME"), jm)
        };
        Cluster {
            version: self.path[i],
            rest: self.rest_var(i),
            home,
            jobmanager: jm,
        }
    }

    fn name(&self, i: usize) -> String {
        let last = self.path.len() - 1;
        if i == 0 {
            format!("the old Flink {} cluster", self.path[i])
        } else if i == last {
            format!("the new Flink {} cluster", self.path[i])
        } else {
            format!("the Flink {} cluster (stop {i})", self.path[i])
        }
    }

    /// The REST address variable of the cluster at path index `i`. A stop of
    /// an in-place upgrade runs on the old cluster's hosts; a stop of a shadow
    /// copy on the new cluster's.
    fn rest_var(&self, i: usize) -> String {
        let last = self.path.len() - 1;
        let old_side = i == 0 || (i != last && self.s.strategy == Strategy::InPlace);
        if old_side {
            "OLD_REST".into()
        } else {
            "NEW_REST".into()
        }
    }

    /// The installation directory of the cluster at path index `i`, as text.
    fn home_path(&self, i: usize) -> String {
        let name = self.cluster(i).home;
        self.vars
            .iter()
            .find(|v| v.name == name)
            .and_then(|v| match &v.value {
                Value::Text(t) => Some(t.clone()),
                _ => None,
            })
            .unwrap_or(name)
    }
}

/// `/opt/flink-1.7` → `/opt/flink-1.16` when the old home names its version.
/// `/opt/flink-1.7` -> `/opt/flink-1.16.3` when the old home names the
/// source version as a whole token (`1.1` inside `/opt/flink-1.10` does not
/// count); otherwise `/opt/flink-<version>`.
fn default_home(s: &Scenario, v: Version) -> String {
    let from = s.from.to_string();
    let bytes = s.old_home.as_bytes();
    let digit_at = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    let standalone = |at: usize| {
        let end = at + from.len();
        let before_ok = at == 0 || !(digit_at(at - 1) || bytes[at - 1] == b'.');
        let dot_then_digit = bytes.get(end) == Some(&b'.') && digit_at(end + 1);
        let after_ok = !(digit_at(end) || dot_then_digit);
        before_ok && after_ok
    };
    match s
        .old_home
        .match_indices(&from)
        .map(|(i, _)| i)
        .find(|&i| standalone(i))
    {
        Some(at) => format!("{}{v}{}", &s.old_home[..at], &s.old_home[at + from.len()..]),
        None => format!("/opt/flink-{v}"),
    }
}

/// The savepoint taken at the start of hop `hop` (1-based).
pub fn savepoint_var(job: usize, hop: usize) -> String {
    if hop == 1 {
        format!("JOB{job}_SAVEPOINT")
    } else {
        format!("JOB{job}_SAVEPOINT_STOP{}", hop - 1)
    }
}

/// The job's id after hop `hop`; `hops` is the number of hops.
pub fn id_var(job: usize, hop: usize, hops: usize) -> String {
    if hop == 0 {
        format!("JOB{job}_ID")
    } else if hop == hops {
        format!("JOB{job}_NEW_ID")
    } else {
        format!("JOB{job}_ID_STOP{hop}")
    }
}

pub fn phases(c: &Context<'_>) -> Vec<Phase> {
    vec![
        Phase {
            id: PhaseId::Prepare,
            title: "Prepare".into(),
            intro: "Before the change window: check the preconditions, install the new release and rehearse the upgrade in a test environment.".into(),
            steps: prepare(c),
        },
        Phase {
            id: PhaseId::Cutover,
            title: "Cutover".into(),
            intro: cutover_intro(c),
            steps: cutover(c),
        },
        Phase {
            id: PhaseId::Verify,
            title: "Verify".into(),
            intro: "Confirm that every job runs on the new version and resumed from its savepoint.".into(),
            steps: verify(c),
        },
        Phase {
            id: PhaseId::Rollback,
            title: "Rollback".into(),
            intro: format!(
                "Only if the new version misbehaves: go back to Flink {} from the savepoints taken at the start of the cutover. Output produced since then is produced again from the savepoint's position.",
                c.path[0]
            ),
            steps: rollback(c),
        },
    ]
}

fn cutover_intro(c: &Context<'_>) -> String {
    let hops = c.path.len() - 1;
    let how = match c.s.strategy {
        Strategy::InPlace => "stop each job with a savepoint, replace the cluster, then resume each job",
        Strategy::ShadowCopy => "for each job, stop it with a savepoint on the old cluster and resume it on the new one beside it",
    };
    if hops == 1 {
        format!("In the change window: {how}.")
    } else {
        format!(
            "In the change window, {hops} hops ({}): in each, {how}.",
            c.path
                .iter()
                .map(|v| v.to_string())
                .collect::<Vec<_>>()
                .join(" → ")
        )
    }
}

fn prepare(c: &Context<'_>) -> Vec<Step> {
    let s = c.s;
    let old = c.cluster(0);
    let mut steps = Vec::new();

    steps.push(
        step(
            "prepare.inventory".into(),
            "List the running jobs on the old cluster".into(),
            format!(
                "Confirm the jobs and their ids on Flink {} before anything changes.",
                c.path[0]
            ),
        )
        .cmd(old.list_running())
        .verify(if s.jobs.is_empty() {
            "The jobs to move are listed as RUNNING.".to_string()
        } else {
            format!(
                "Each job id of this plan ({}) is listed as RUNNING.",
                s.jobs
                    .iter()
                    .map(|j| j.label())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
        .rollback("If a job is missing or not running, fix the scenario's job ids before going on.")
        .source(sources::CLI)
        .done(),
    );

    let mut checks = vec![
        "every stateful operator has a stable uid(...) (or setUidHash for operators without one)"
            .to_string(),
        "no operator's state type changed since the last savepoint".to_string(),
        "the savepoint directory is reachable from the new cluster under the same absolute path"
            .to_string(),
    ];
    if s.uses(Feature::SemiAsyncRocksdb) {
        checks.push(
            "RocksDB snapshots are fully asynchronous (semi-asynchronous state cannot be migrated)"
                .into(),
        );
    }
    if s.uses(Feature::CustomSerializers) {
        checks.push("custom serializers provide a TypeSerializerSnapshot".into());
    }
    steps.push(
        step("prepare.preconditions".into(), "Check the savepoint preconditions".into(),
            format!("Check that: {}.", checks.join("; ")))
            .manual()
            .verify("Each item holds for every job.")
            .rollback("Fix what does not hold on the current version and take a fresh savepoint before the cutover.")
            .source(sources::UPGRADING)
            .done(),
    );

    for i in 1..c.path.len() {
        let cl = c.cluster(i);
        let v = c.path[i];
        let mut detail = format!(
            "Unpack Flink {v} into its installation directory and carry over the old configuration (state backend, checkpoint and savepoint directories, high availability, memory). Build the job jars against Flink {v} and Java {}.",
            super::versions::min_java(v).max(super::versions::min_java(c.path[0]))
        );
        let mut st = step(
            format!("prepare.install.{v}"),
            if v.patch.is_none() {
                format!(
                    "Install Flink {v} (its newest patch, {})",
                    super::versions::latest(v)
                )
            } else {
                format!("Install Flink {v}")
            },
            String::new(),
        );
        if v.major >= 2 && c.path[i - 1].major < 2 {
            detail.push_str(" Flink 2 reads only conf/config.yaml. If the old cluster already uses conf/config.yaml (1.19 and later ship it), carry that file over. If it uses flink-conf.yaml, put it into the new conf directory and run the new bin/migrate-config-file.sh, which writes conf/config.yaml from it; then review the result.");
            st = st.cmd(Command::local(vec![Word::Join(vec![
                var(&cl.home),
                lit("/bin/migrate-config-file.sh"),
            ])]));
            st = st.source(sources::release_notes(2, 0));
        }
        if s.strategy == Strategy::ShadowCopy {
            detail.push_str(" Both clusters run at once: if they share hosts, give this one its own rest.port, jobmanager.rpc.port, env.pid.dir and env.log.dir, and the same port in conf/masters.");
        }
        st = st.detail(detail);
        steps.push(
            st.cmd(Command::on(
                Host::Elsewhere {
                    description: format!("each host of {}", c.name(i)),
                },
                vec![lit("ls"), Word::Join(vec![var(&cl.home), lit("/lib")])],
            ))
            .manual()
            .verify(format!(
                "The directory holds Flink {v}: lib/flink-dist-{}*.jar is present.",
                v.line()
            ))
            .rollback("Nothing has changed on the running cluster yet.")
            .source(sources::UPGRADING)
            .done(),
        );
    }

    steps.push(
        step("prepare.rehearse".into(), "Rehearse in a test environment".into(),
            format!("Run this runbook against a test copy of the jobs: take savepoints on Flink {}, resume them through {}, and compare the output with production. Note how long each step takes to size the change window.", c.path[0], c.path[1..].iter().map(|v| v.to_string()).collect::<Vec<_>>().join(" → ")))
            .manual()
            .verify("Every job resumed from its savepoint and produces the expected output.")
            .rollback("Do not schedule the cutover until the rehearsal passes; see the findings for what may break.")
            .source(sources::UPGRADING)
            .done(),
    );

    if s.strategy == Strategy::ShadowCopy {
        let new_first = c.cluster(1);
        steps.push(
            step("prepare.start-new".into(), format!("Start {}", c.name(1)),
                "The shadow copy runs beside the old cluster until the cutover is done.".into())
                .cmd(new_first.start_cluster())
                .cmd(new_first.wait_until_up())
                .verify("The REST API reports at least one TaskManager.")
                .rollback(format!("Stop it with {}/bin/stop-cluster.sh and check its configuration (ports, pid directory).", c.home_path(1)))
                .source(sources::UPGRADING)
                .done(),
        );
    }
    steps
}

fn stop_job_step(c: &Context<'_>, hop: usize, n: usize, job: &Job) -> Step {
    let cl = c.cluster(hop - 1);
    let dir = (!c.s.savepoint_dir.is_empty()).then_some("SAVEPOINT_DIR");
    let (mut cmds, out) = cl.stop_with_savepoint(&id_var(n, hop - 1, c.path.len() - 1), dir);
    let target = savepoint_var(n, hop);
    if let Some(last) = cmds.iter_mut().rev().find(|_| true) {
        let _ = last;
    }
    // The savepoint path is printed by the first command (stop, cancel -s or savepoint).
    if let Some(first) = cmds.first_mut() {
        *first = first.clone().capturing(
            target.clone(),
            out.after,
            format!("the savepoint path of {}", job.label()),
        );
    }
    let how = if cl.has_stop_with_savepoint() {
        "`flink stop` takes a savepoint and then stops the job gracefully (never add --drain: that is for jobs you will not resume)."
    } else if cl.has_cancel_with_savepoint() {
        "Before 1.9 `stop` cannot take a savepoint, so this uses `flink cancel -s`, which takes a savepoint and then cancels."
    } else {
        "Flink 1.0 and 1.1 cannot stop with a savepoint: take one, then cancel the job straight away."
    };
    step(format!("cutover.{hop}.stop.{n}"), format!("Stop {} with a savepoint", job.label()),
        format!("On {}. {how}", c.name(hop - 1)))
        .cmds(cmds)
        .verify(format!("The output names the savepoint path; it is kept as {target} for the resume and the rollback."))
        .rollback("If the savepoint fails, the job keeps running on the old version. Read the JobManager log, fix the cause and retry; never continue without a savepoint.")
        .source(sources::CLI)
        .source(sources::SAVEPOINTS)
        .done()
}

fn resume_job_step(c: &Context<'_>, hop: usize, n: usize, job: &Job) -> Step {
    let cl = c.cluster(hop);
    let from_1_2 = c.path[hop - 1].same_line(Version::minor(1, 2));
    let sp = savepoint_var(n, hop);
    let (jar, class, args, par) = (
        format!("JOB{n}_JAR"),
        format!("JOB{n}_CLASS"),
        format!("JOB{n}_ARGS"),
        format!("JOB{n}_PARALLELISM"),
    );
    let spec = RunSpec {
        savepoint: &sp,
        jar: &jar,
        class: (!job.class.is_empty()).then_some(class.as_str()),
        args: (!job.args.is_empty()).then_some(args.as_str()),
        parallelism: job.parallelism.is_some().then_some(par.as_str()),
    };
    let new_id = id_var(n, hop, c.path.len() - 1);
    let cmd = cl.run_from_savepoint(&spec).capturing(
        new_id.clone(),
        SUBMITTED_AFTER,
        format!("the job id of {} on Flink {}", job.label(), c.path[hop]),
    );
    let mut detail = format!(
        "On {}: submit the job detached, restoring from the savepoint.",
        c.name(hop)
    );
    if cl.claim_mode_flag().is_some() {
        detail.push_str(
            " NO_CLAIM leaves the savepoint untouched, so it stays usable for a rollback.",
        );
    }
    if from_1_2 {
        detail.push_str(" The parallelism must be the one the job has on 1.2: a 1.2 savepoint cannot rescale in the same step.");
    }
    step(format!("cutover.{hop}.resume.{n}"), format!("Resume {} on Flink {}", job.label(), c.path[hop]), detail)
        .cmd(cmd)
        .verify(format!("The output says the job was submitted; its id is kept as {new_id}."))
        .rollback("If the restore fails, read the JobManager log. If it names state of an operator that no longer exists, resubmitting with --allowNonRestoredState (-n) drops that state; otherwise run the rollback phase.")
        .source(sources::CLI)
        .source(sources::SAVEPOINTS)
        .done()
}

fn cutover(c: &Context<'_>) -> Vec<Step> {
    let mut steps = Vec::new();
    let hops = c.path.len() - 1;
    for hop in 1..=hops {
        let (a, b) = (c.cluster(hop - 1), c.cluster(hop));
        let prefix = if hops > 1 {
            format!("Hop {hop} ({} → {}): ", c.path[hop - 1], c.path[hop])
        } else {
            String::new()
        };
        match c.s.strategy {
            Strategy::InPlace => {
                for (i, job) in c.s.jobs.iter().enumerate() {
                    let mut st = stop_job_step(c, hop, i + 1, job);
                    st.title = format!("{prefix}{}", st.title);
                    steps.push(st);
                }
                steps.push(
                    step(format!("cutover.{hop}.stop-cluster"), format!("{prefix}Stop {}", c.name(hop - 1)),
                        "All jobs are stopped with savepoints; shut the old daemons down.".into())
                        .cmd(a.stop_cluster())
                        .cmd(a.wait_until_down())
                        .verify("The old cluster's REST API no longer answers, so its ports are free; jps shows no Flink process of the old version.")
                        .rollback(format!("Start it again with {}/bin/start-cluster.sh and resume the jobs from their savepoints.", c.home_path(hop - 1)))
                        .source(sources::UPGRADING)
                        .done(),
                );
                steps.push(
                    step(format!("cutover.{hop}.start-cluster"), format!("{prefix}Start {}", c.name(hop)),
                        "Start the upgraded cluster on the same hosts.".into())
                        .cmd(b.start_cluster())
                        .cmd(b.wait_until_up())
                        .verify("The REST API reports at least one TaskManager.")
                        .rollback("Read the new cluster's logs under its log directory; if it cannot start, run the rollback phase.")
                        .source(sources::UPGRADING)
                        .done(),
                );
                for (i, job) in c.s.jobs.iter().enumerate() {
                    let mut st = resume_job_step(c, hop, i + 1, job);
                    st.title = format!("{prefix}{}", st.title);
                    steps.push(st);
                }
            }
            Strategy::ShadowCopy => {
                if hop > 1 {
                    steps.push(
                        step(
                            format!("cutover.{hop}.start-cluster"),
                            format!("{prefix}Start {}", c.name(hop)),
                            "Start the next cluster beside the current one.".into(),
                        )
                        .cmd(b.start_cluster())
                        .cmd(b.wait_until_up())
                        .verify("The REST API reports at least one TaskManager.")
                        .rollback("Read its logs; if it cannot start, run the rollback phase.")
                        .source(sources::UPGRADING)
                        .done(),
                    );
                }
                for (i, job) in c.s.jobs.iter().enumerate() {
                    let mut st = stop_job_step(c, hop, i + 1, job);
                    st.title = format!("{prefix}{}", st.title);
                    steps.push(st);
                    let mut st = resume_job_step(c, hop, i + 1, job);
                    st.title = format!("{prefix}{}", st.title);
                    steps.push(st);
                }
                if hop > 1 {
                    steps.push(
                        step(
                            format!("cutover.{hop}.stop-cluster"),
                            format!("{prefix}Stop {}", c.name(hop - 1)),
                            "Its jobs have moved on.".into(),
                        )
                        .cmd(a.stop_cluster())
                        .verify("Its processes are gone.")
                        .rollback("It holds no jobs any more; nothing to undo.")
                        .source(sources::UPGRADING)
                        .done(),
                    );
                }
            }
        }
    }
    steps
}

fn verify(c: &Context<'_>) -> Vec<Step> {
    let last = c.path.len() - 1;
    let new = c.cluster(last);
    let mut steps = Vec::new();
    steps.push(
        step("verify.running".into(), format!("Check that every job runs on Flink {}", c.path[last]), String::new())
            .cmd(new.list_running())
            .verify("Every job is listed as RUNNING.")
            .rollback("If a job is missing or restarting, read its exceptions in the web UI; if it cannot be fixed quickly, run the rollback phase.")
            .source(sources::CLI)
            .done(),
    );
    for (i, job) in c.s.jobs.iter().enumerate() {
        let n = i + 1;
        let id = id_var(n, last, last);
        let sp = savepoint_var(n, last);
        // Polls the REST API until the job reports the restored savepoint.
        let words = vec![
            Word::Raw("( for _ in $(seq 1 20); do"),
            lit("curl"),
            lit("-fsS"),
            Word::Join(vec![
                lit("http://"),
                var("NEW_REST"),
                lit("/jobs/"),
                var(&id),
                lit("/checkpoints"),
            ]),
            Word::Raw("2>/dev/null |"),
            lit("grep"),
            lit("-qF"),
            lit("--"),
            var(&sp),
            Word::Raw("&& exit 0; sleep 3; done; exit 1 )"),
        ];
        steps.push(
            step(format!("verify.restored.{n}"), format!("Check that {} restored from its savepoint", job.label()),
                "The job's checkpoint statistics name the savepoint it restored from (latest.restored.external_path); this polls for up to a minute.".into())
                .cmd(Command::local(words))
                .verify(format!("The command exits 0: the REST API reports {sp} as the restored savepoint."))
                .rollback("If the job started without state, stop it at once and resume it from the savepoint; if that fails, run the rollback phase.")
                .source(sources::REST)
                .done(),
        );
    }
    steps.push(
        step("verify.observe".into(), "Watch the jobs".into(),
            "Watch checkpoints, back pressure, consumer lag and output for at least one checkpoint interval.".into())
            .manual()
            .verify("Checkpoints complete, lag falls back to normal and the output is correct.")
            .rollback("If not, run the rollback phase while the old savepoints are still current.")
            .source(sources::UPGRADING)
            .done(),
    );
    if c.s.strategy == Strategy::ShadowCopy {
        // Intermediate clusters were stopped at the end of the hop after them;
        // the original one has waited until now as the rollback target.
        let old = c.cluster(0);
        let name = c.name(0);
        steps.push(
            step("verify.retire-old".into(), format!("Stop {name}"),
                "Everything runs on the new cluster; retire the old one. Keep the savepoints until no rollback is needed.".into())
                .cmd(old.stop_cluster())
                .verify("The old cluster's processes are gone.")
                .rollback("Start it again with its start-cluster.sh for a rollback.")
                .source(sources::UPGRADING)
                .done(),
        );
    }
    steps
}

fn rollback(c: &Context<'_>) -> Vec<Step> {
    let last = c.path.len() - 1;
    let old = c.cluster(0);
    let mut steps = Vec::new();

    // Cancel each job wherever the cutover got it to: the newest cluster it
    // was resumed on. Ids the cutover never captured are skipped, and a
    // cancel that fails (cluster already gone) does not stop the rollback.
    let mut cancel = step(
        "rollback.cancel".into(),
        "Cancel the upgraded jobs".into(),
        format!(
            "Their state after the cutover cannot be read by Flink {}, so they are cancelled, not savepointed. Each cancel runs only if the cutover got that far.",
            c.path[0]
        ),
    );
    for (i, _) in c.s.jobs.iter().enumerate() {
        for hop in (1..=last).rev() {
            let id = id_var(i + 1, hop, last);
            cancel = cancel.cmd(c.cluster(hop).cancel(&id).only_if_set(id).may_fail());
        }
    }
    steps.push(
        cancel
            .verify("No upgraded job is left RUNNING.")
            .rollback("If a cancel hangs, stop that cluster (next step).")
            .source(sources::CLI)
            .done(),
    );

    let mut switch = step(
        "rollback.switch".into(),
        format!("Put Flink {} back", c.path[0]),
        match c.s.strategy {
            Strategy::InPlace => {
                "Stop every newer cluster on these hosts, then start the old one.".to_string()
            }
            Strategy::ShadowCopy => {
                "Stop the newer clusters, and start the old one unless it still answers."
                    .to_string()
            }
        },
    );
    for i in (1..=last).rev() {
        switch = switch.cmd(c.cluster(i).stop_cluster().may_fail());
    }
    match c.s.strategy {
        Strategy::InPlace => {
            switch = switch
                .cmd(c.cluster(last).wait_until_down())
                .cmd(old.start_cluster());
        }
        Strategy::ShadowCopy => {
            let words = vec![
                lit("curl"),
                lit("-fsS"),
                lit("-o"),
                lit("/dev/null"),
                Word::Join(vec![lit("http://"), var(&old.rest), lit("/overview")]),
                Word::Raw("2>/dev/null ||"),
                Word::Join(vec![var(&old.home), lit("/bin/start-cluster.sh")]),
            ];
            switch = switch.cmd(Command::local(words));
        }
    }
    steps.push(
        switch
            .cmd(old.wait_until_up())
            .verify("The old cluster's REST API answers with its TaskManagers registered.")
            .rollback("Read the old cluster's logs under its log directory.")
            .source(sources::UPGRADING)
            .done(),
    );

    for (i, job) in c.s.jobs.iter().enumerate() {
        let n = i + 1;
        let sp = savepoint_var(n, 1);
        let jar = if job.old_jar.is_empty() {
            format!("JOB{n}_JAR")
        } else {
            format!("JOB{n}_OLD_JAR")
        };
        let (class, args, par) = (
            format!("JOB{n}_CLASS"),
            format!("JOB{n}_ARGS"),
            format!("JOB{n}_PARALLELISM"),
        );
        let spec = RunSpec {
            savepoint: &sp,
            jar: &jar,
            class: (!job.class.is_empty()).then_some(class.as_str()),
            args: (!job.args.is_empty()).then_some(args.as_str()),
            parallelism: job.parallelism.is_some().then_some(par.as_str()),
        };
        let jar_note = if job.old_jar.is_empty() {
            " It uses the same jar as the cutover; if that jar was rebuilt for the new version, give the old one as old-jar."
        } else {
            " It uses the old jar."
        };
        steps.push(
            step(
                format!("rollback.resume.{n}"),
                format!("Resume {} on Flink {}", job.label(), c.path[0]),
                format!("From the savepoint taken on Flink {} at the start of the cutover.{jar_note}", c.path[0]),
            )
            .cmd(old.run_from_savepoint(&spec))
            .verify("The job is RUNNING on the old cluster.")
            .rollback("If even this fails, keep the savepoint and escalate: it is the last consistent state.")
            .source(sources::CLI)
            .source(sources::SAVEPOINTS)
            .done(),
        );
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    fn home_for(from: &str, old_home: &str, stop: Version) -> String {
        let mut s = Scenario::example();
        s.from = Version::parse(from).unwrap();
        s.old_home = old_home.into();
        default_home(&s, stop)
    }

    #[test]
    fn stop_homes_follow_the_old_home_naming() {
        let stop = Version::patch(1, 16, 3);
        assert_eq!(home_for("1.7", "/opt/flink-1.7", stop), "/opt/flink-1.16.3");
        assert_eq!(
            home_for("1.7", "/srv/flink-1.7/current", stop),
            "/srv/flink-1.16.3/current"
        );
        assert_eq!(
            home_for("1.1", "/opt/flink-1.10", stop),
            "/opt/flink-1.16.3"
        );
        assert_eq!(
            home_for("1.1", "/opt/flink-1.1.5", stop),
            "/opt/flink-1.16.3"
        );
        assert_eq!(home_for("1.7", "/opt/flink", stop), "/opt/flink-1.16.3");
    }
}

/// The change frame of a Flink plan.
pub fn frame(c: &Context<'_>) -> crate::plan::Frame {
    let _ = c;
    crate::plan::Frame::default()
}
