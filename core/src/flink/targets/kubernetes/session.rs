//! Native Kubernetes session: each version on the route gets a session of
//! its own under a fresh cluster id; each job is stopped with a savepoint in
//! one session and submitted to the next. The old session stays, without
//! jobs, as the rollback target until the decommission.

use crate::plan::{phase, step, Command, Phase, PhaseId, Step, Word};

use super::super::super::cli::{Cluster, SUBMITTED_AFTER};
use super::super::super::runbook::{self as rb, id_var, rollback_id_var, savepoint_var, Context};
use super::super::super::sources;
use super::super::kube::{self, lit, var, NS};
use super::{
    access_step, cleanup_steps, cluster, delete_cluster_step, fresh_ids_step, image_option,
    prepare_installs, savepoint_dir_step,
};

const TARGET: &str = "kubernetes-session";

/// The cluster id variable of the session at path index `i`.
fn id_var_at(c: &Context<'_>, i: usize) -> String {
    let last = c.path.len() - 1;
    if i == 0 {
        "OLD_CLUSTER_ID".into()
    } else if i == last {
        "NEW_CLUSTER_ID".into()
    } else {
        format!("STOP{i}_CLUSTER_ID")
    }
}

pub fn variables(c: &mut Context<'_>) {
    let t = c.s.target.clone();
    let last = c.path.len() - 1;
    c.text(
        "OLD_CLUSTER_ID",
        format!(
            "kubernetes.cluster-id of the old Flink {} session",
            c.path[0]
        ),
        &t.cluster_id,
    );
    for i in 1..=last {
        let id = if i == last && !t.new_cluster_id.is_empty() {
            t.new_cluster_id.clone()
        } else {
            kube::derived_id(&t.cluster_id, c.path[i])
        };
        let what = if i == last {
            format!(
                "kubernetes.cluster-id of the new Flink {} session",
                c.path[i]
            )
        } else {
            format!(
                "kubernetes.cluster-id of the Flink {} session (stop {i})",
                c.path[i]
            )
        };
        c.text(&id_var_at(c, i), what, &id);
    }
}

fn session(c: &Context<'_>, i: usize) -> Cluster {
    cluster(c, i, TARGET, &id_var_at(c, i))
}

fn id_text(c: &Context<'_>, i: usize) -> String {
    let name = id_var_at(c, i);
    c.vars
        .iter()
        .find(|v| v.name == name)
        .and_then(|v| match &v.value {
            crate::plan::Value::Text(t) => Some(t.clone()),
            _ => None,
        })
        .unwrap_or(name)
}

fn name(c: &Context<'_>, i: usize) -> String {
    let last = c.path.len() - 1;
    let which = if i == 0 {
        "old "
    } else if i == last {
        "new "
    } else {
        ""
    };
    format!("the {which}Flink {} session {}", c.path[i], id_text(c, i))
}

/// `<home>/bin/kubernetes-session.sh` with the session's id, namespace and
/// image, in the syntax of its version.
fn start(c: &Context<'_>, i: usize) -> Command {
    let cl = session(c, i);
    Command::local(vec![
        Word::Join(vec![
            var(cl.home.clone()),
            lit("/bin/kubernetes-session.sh"),
        ]),
        Word::Join(vec![lit("-Dkubernetes.cluster-id="), var(id_var_at(c, i))]),
        Word::Join(vec![lit("-Dkubernetes.namespace="), var(NS)]),
        image_option(c.path[i], &kube::image_var(c, i)),
    ])
}

/// `echo stop | kubernetes-session.sh … -Dexecution.attached=true`: the
/// documented way to shut a session down from the CLI.
fn stop(c: &Context<'_>, i: usize) -> Command {
    let cl = session(c, i);
    Command::local(vec![
        Word::Raw("echo stop |"),
        Word::Join(vec![
            var(cl.home.clone()),
            lit("/bin/kubernetes-session.sh"),
        ]),
        Word::Join(vec![lit("-Dkubernetes.cluster-id="), var(id_var_at(c, i))]),
        Word::Join(vec![lit("-Dkubernetes.namespace="), var(NS)]),
        lit("-Dexecution.attached=true"),
    ])
}

pub fn phases(c: &Context<'_>) -> Vec<Phase> {
    vec![
        phase(
            PhaseId::Prepare,
            "Before the change window: check the preconditions, install each new version's Flink client here, prepare its image and rehearse.".into(),
            prepare(c),
        ),
        phase(
            PhaseId::Preflight,
            "Right before the cutover, reading only: Kubernetes access, the installations, the old session, its jobs, the new ids. Nothing changes here.".into(),
            preflight(c),
        ),
        phase(
            PhaseId::Cutover,
            format!(
                "In the change window: start a session of the next version under a fresh cluster id, then move each job into it with a savepoint{}.",
                if c.path.len() > 2 { ", hop by hop" } else { "" }
            ),
            cutover(c),
        ),
        phase(
            PhaseId::Verify,
            "Confirm that every job runs in the new session, restored from its own savepoint, and checkpoints again.".into(),
            verify(c),
        ),
        phase(
            PhaseId::Rollback,
            format!("Only if the new version misbehaves: cancel the moved jobs and resume each in the old Flink {} session, which kept running, from the savepoint taken at the start of the cutover. Output since the savepoints is produced again.", c.path[0]),
            rollback(c),
        ),
        phase(
            PhaseId::Decommission,
            format!(
                "After the soak ({} days without a rollback): delete the old session and its HA ConfigMaps, and what else only the rollback needed. This cannot be undone.",
                rb::frame(c).soak_days
            ),
            decommission(c),
        ),
    ]
}

fn prepare(c: &Context<'_>) -> Vec<Step> {
    let mut steps = vec![rb::preconditions(c)];
    steps.extend(prepare_installs(c, " (with the file system plugins the state needs; the job jars are submitted from this host)"));
    steps.push(rb::rehearse(c));
    steps
}

fn preflight(c: &Context<'_>) -> Vec<Step> {
    let last = c.path.len() - 1;
    let old = session(c, 0);
    let mut steps = vec![access_step(c), rb::installations(c)];
    steps.extend(super::config_step(c));
    steps.push(
        step(
            "preflight.clusters".into(),
            "Check the old session".into(),
            "It answers through the API server's proxy as the planned version.".into(),
        )
        .check(old.up_check(&name(c, 0)).waiting(0))
        .check(old.version_check(&name(c, 0)).waiting(0))
        .verify("The REST API answers with TaskManagers, as the old version.")
        .rollback("Check cluster-id and namespace; nothing has changed.")
        .source(sources::REST)
        .done(),
    );
    let ids: Vec<String> = (1..=c.s.jobs.len()).map(|n| id_var(n, 0, last)).collect();
    steps.push(
        step(
            "preflight.jobs".into(),
            "Check that exactly the planned jobs run".into(),
            "The flink CLI reaches the old session from here and lists exactly the planned jobs, and so does its REST API through the proxy: a job the plan does not know would be left behind in the old session.".into(),
        )
        .check(old.jobs_check(ids.clone(), format!("{} runs exactly the planned jobs (the flink CLI reaches it from here)", name(c, 0))))
        .check(old.rest_jobs_check(ids, "its REST API lists the same jobs through the API server's proxy".into()))
        .verify("flink list -r and the REST API show each planned job id and no other.")
        .rollback("If flink list cannot connect, run the script inside the cluster network or expose REST (see the findings). Add missing jobs to the plan; nothing has changed.")
        .source(sources::NATIVE_K8S)
        .done(),
    );
    let fresh: Vec<(String, String)> = (1..=last)
        .map(|i| (id_var_at(c, i), id_text(c, i)))
        .collect();
    steps.push(fresh_ids_step(&fresh));
    let mut jars = step(
        "preflight.jars".into(),
        "Check the job jars".into(),
        "The session jobs are submitted from this host: their jars must be here.".into(),
    );
    for n in 1..=c.s.jobs.len() {
        let mut names = vec![format!("JOB{n}_JAR")];
        for i in 1..last {
            let jar = rb::jar_var(c, n, i);
            if !names.contains(&jar) {
                names.push(jar);
            }
        }
        if !c.s.jobs[n - 1].old_jar.is_empty() {
            names.push(format!("JOB{n}_OLD_JAR"));
        }
        for jar in names {
            jars = jars.check(crate::plan::Check::new(
                Command::local(vec![lit("test"), lit("-f"), var(jar.clone())]),
                crate::plan::Expect::Success,
                format!("{jar} is a file here"),
            ));
        }
    }
    if !c.s.jobs.is_empty() {
        steps.push(
            jars.verify("Every jar of the plan is a file on this host.")
                .rollback("Copy the jar here or fix its path in the scenario; nothing has changed.")
                .source(sources::CLI)
                .done(),
        );
    }
    steps.push(savepoint_dir_step(c, &old));
    steps.push(rb::go(c));
    steps
}

fn stop_job(c: &Context<'_>, hop: usize, n: usize) -> Step {
    let last = c.path.len() - 1;
    let cl = session(c, hop - 1);
    let job = &c.s.jobs[n - 1];
    let id = id_var(n, hop - 1, last);
    let (cmds, target) = rb::savepoint_stop(c, &cl, &id, hop, n, job);
    step(
        format!("cutover.{hop}.stop.{n}"),
        format!("Stop {} with a savepoint", job.label()),
        format!("In {}: flink stop takes a savepoint, then ends the job (never --drain: that is for jobs you will not resume).", name(c, hop - 1)),
    )
    .cmds(cmds)
    .verify(format!("The output names the savepoint path; it is kept as {target}."))
    .rollback("If the savepoint fails, the job keeps running in the old session: read the JobManager log (kubectl logs deployment/<cluster id>), fix the cause and run again.")
    .source(sources::CLI)
    .source(sources::NATIVE_K8S)
    .done()
}

fn resume_job(c: &Context<'_>, hop: usize, n: usize) -> Step {
    let last = c.path.len() - 1;
    let cl = session(c, hop);
    let job = &c.s.jobs[n - 1];
    let sp = savepoint_var(n, hop);
    let run = rb::RunVars::new(n, sp.clone(), rb::jar_var(c, n, hop));
    let new_id = id_var(n, hop, last);
    let cmd = cl
        .run_from_savepoint(&run.spec(job))
        .capturing(
            new_id.clone(),
            SUBMITTED_AFTER,
            format!("the job id of {} on Flink {}", job.label(), c.path[hop]),
        )
        .recovering_with(cl.submitted_recovery());
    let stop = hop < last;
    let mut st = step(
        format!("cutover.{hop}.resume.{n}"),
        format!("Resume {} on Flink {}", job.label(), c.path[hop]),
        format!(
            "In {}: submit the job detached, restoring from the savepoint{}.{}",
            name(c, hop),
            if cl.claim_mode_flag().is_some() { " (NO_CLAIM leaves it untouched for the rollback)" } else { "" },
            if stop { " This is a stop: the next hop needs every task running and a completed checkpoint here first, so the step waits for both." } else { "" }
        ),
    )
    .cmd(cmd)
    .check(cl.running_check(&new_id, job.label()))
    .check(cl.tasks_check(&new_id, job.label()))
    .check(cl.restored_check(&new_id, &sp, job.label()));
    if stop {
        st = st.check(cl.checkpoint_check(&new_id, job.label()));
    }
    st.verify(format!("The job runs in the new session, restored from {sp}."))
        .rollback("If the restore fails, read the JobManager log (kubectl logs deployment/<cluster id>); if it cannot be fixed quickly, run the rollback phase.")
        .source(sources::CLI)
        .source(sources::SAVEPOINTS)
        .done()
}

fn cutover(c: &Context<'_>) -> Vec<Step> {
    let last = c.path.len() - 1;
    let mut steps = Vec::new();
    for hop in 1..=last {
        let prefix = if last > 1 {
            format!("Hop {hop} ({} → {}): ", c.path[hop - 1], c.path[hop])
        } else {
            String::new()
        };
        let new = session(c, hop);
        steps.push(
            step(
                format!("cutover.{hop}.start-session"),
                format!("{prefix}Start {}", name(c, hop)),
                format!("The new distribution's kubernetes-session.sh deploys it with image {} under a cluster id nothing used before (checked in the pre-flight), so it recovers no HA metadata.", kube::image_for(c, hop).unwrap_or_default()),
            )
            .cmd(start(c, hop))
            .check(new.up_check(&name(c, hop)).waiting(600))
            .check(new.version_check(&name(c, hop)).waiting(60))
            .verify("The new session answers with at least one TaskManager, as the new version.")
            .rollback("Read its events and logs (kubectl describe deployment/<id>, kubectl logs); the old session still runs every job. Fix the cause, delete the failed deployment by hand, and run again.")
            .source(sources::NATIVE_K8S)
            .done(),
        );
        for n in 1..=c.s.jobs.len() {
            let mut st = stop_job(c, hop, n);
            st.title = format!("{prefix}{}", st.title);
            steps.push(st);
            let mut st = resume_job(c, hop, n);
            st.title = format!("{prefix}{}", st.title);
            steps.push(st);
        }
        if hop > 1 {
            let prev = session(c, hop - 1);
            steps.push(
                step(
                    format!("cutover.{hop}.no-jobs-left"),
                    format!("{prefix}Check that no job is left in {}", name(c, hop - 1)),
                    "Its jobs have moved on; stopping it would end any other job without a savepoint.".into(),
                )
                .check(prev.jobs_check(Vec::new(), format!("{} runs no job", name(c, hop - 1))))
                .verify("flink list -r shows no running job.")
                .rollback("Stop the extra job with a savepoint by hand, then run again.")
                .source(sources::NATIVE_K8S)
                .done(),
            );
            steps.push(
                step(
                    format!("cutover.{hop}.stop-session"),
                    format!("{prefix}Stop {}", name(c, hop - 1)),
                    "A stop's session is no rollback target: the rollback resumes on the old version. The CLI's stop shuts it down cleanly; its HA ConfigMaps, if any remain, go in the decommission.".into(),
                )
                .cmd(stop(c, hop - 1))
                .check(crate::plan::Check::new(
                    kube::kubectl(vec![lit("get"), lit("deployment"), var(id_var_at(c, hop - 1)), lit("--ignore-not-found"), lit("-o"), lit("name")]),
                    crate::plan::Expect::Output(String::new()),
                    format!("the deployment {} is gone", id_text(c, hop - 1)),
                ).waiting(300))
                .verify("Its deployment is gone.")
                .rollback("It holds no jobs; nothing to undo.")
                .source(sources::NATIVE_K8S)
                .done(),
            );
        }
    }
    steps
}

fn verify(c: &Context<'_>) -> Vec<Step> {
    let last = c.path.len() - 1;
    let new = session(c, last);
    let ids: Vec<String> = (1..=c.s.jobs.len())
        .map(|n| id_var(n, last, last))
        .collect();
    let mut steps = vec![step(
        "verify.running".into(),
        format!("Check that exactly the planned jobs run on Flink {}", c.path[last]),
        String::new(),
    )
    .check(new.jobs_check(ids, format!("{} runs exactly the moved jobs", name(c, last))))
    .verify("Every moved job is listed as RUNNING, and no other.")
    .rollback("If a job is missing or restarting, read its exceptions; if it cannot be fixed quickly, run the rollback phase.")
    .source(sources::CLI)
    .done()];
    for (i, job) in c.s.jobs.iter().enumerate() {
        let n = i + 1;
        steps.push(rb::restored_step(
            n,
            job.label(),
            &new,
            &id_var(n, last, last),
            &savepoint_var(n, last),
            Vec::new(),
        ));
    }
    steps.push(rb::observe());
    steps
}

fn rollback(c: &Context<'_>) -> Vec<Step> {
    let last = c.path.len() - 1;
    let old = session(c, 0);
    let mut steps = Vec::new();
    steps.push(rb::cancel_step(
        c,
        "Cancel the moved jobs",
        format!("Their state since the cutover cannot be read by Flink {}, so they are cancelled, not savepointed. Each cancel runs only if the cutover got that far.", c.path[0]),
        "No moved job is left RUNNING.",
        "If a cancel hangs, delete that session's deployment by hand.",
        &|_, hop| session(c, hop),
    ));
    steps.push(
        step(
            "rollback.old-session".into(),
            format!("Check that {} still answers", name(c, 0)),
            "The cutover never stops it: it waits, without the moved jobs, until the decommission.".into(),
        )
        .check(old.up_check(&name(c, 0)))
        .check(old.version_check(&name(c, 0)))
        .verify("The old session answers as the old version.")
        .rollback("If it is gone, start a session of the old version under a fresh cluster id with the old distribution's kubernetes-session.sh and the old image, then resume the jobs there by hand.")
        .source(sources::NATIVE_K8S)
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
        let run = rb::RunVars::new(n, sp.clone(), jar);
        let rid = rollback_id_var(n);
        steps.push(
            step(
                format!("rollback.resume.{n}"),
                format!("Resume {} on Flink {}", job.label(), c.path[0]),
                format!("In the old session, from the savepoint taken there at the start of the cutover; only if the cutover stopped the job.{}", if job.old_jar.is_empty() { " It uses the same jar as the cutover; give old-jar if that jar was rebuilt for the new version." } else { " It uses the old jar." }),
            )
            .cmd(
                old.run_from_savepoint(&run.spec(job))
                    .capturing(rid.clone(), SUBMITTED_AFTER, format!("the job id of {} after the rollback", job.label()))
                    .recovering_with(old.submitted_recovery())
                    .only_if_set(sp.clone()),
            )
            .check(old.running_check(&rid, job.label()).only_if_set(sp.clone()))
            .check(old.tasks_check(&rid, job.label()).only_if_set(sp.clone()))
            .check(old.restored_check(&rid, &sp, job.label()).only_if_set(sp.clone()))
            .verify("The job runs in the old session, restored from its savepoint.")
            .rollback("If even this fails, keep the savepoint and escalate: it is the last consistent state.")
            .source(sources::CLI)
            .source(sources::SAVEPOINTS)
            .done(),
        );
    }
    let ids: Vec<String> = (1..=c.s.jobs.len())
        .map(|n| format!("{}/{}", rollback_id_var(n), id_var(n, 0, last)))
        .collect();
    steps.push(
        step(
            "rollback.jobs".into(),
            format!("Check that exactly the planned jobs run on Flink {}", c.path[0]),
            "Each job is back in the old session, under its new id if the rollback resumed it.".into(),
        )
        .check(old.jobs_check(ids, format!("{} runs exactly the planned jobs", name(c, 0))))
        .verify("flink list -r shows each planned job and no other.")
        .confirm("Sources still hold the data since the savepoints, and the output the jobs produce again is acceptable downstream.")
        .rollback("Read the old session's JobManager log; the savepoints in the state file are the last consistent state.")
        .source(sources::UPGRADING)
        .done(),
    );
    let mut stop_new = step(
        "rollback.stop-new".into(),
        "Stop the newer sessions".into(),
        "They hold no jobs any more. Their HA ConfigMaps, if any remain, stay for a person to delete once nothing needs them.".into(),
    );
    for i in 1..=last {
        stop_new = stop_new.cmd(stop(c, i).may_fail());
    }
    steps.push(
        stop_new
            .verify("kubectl get deployments shows none of the newer ids.")
            .rollback("Delete a session that does not stop with kubectl delete deployment/<id>.")
            .source(sources::NATIVE_K8S)
            .done(),
    );
    steps
}

fn decommission(c: &Context<'_>) -> Vec<Step> {
    let last = c.path.len() - 1;
    let old = session(c, 0);
    let mut steps = vec![step(
        "decommission.no-jobs-left".into(),
        format!("Check that no job runs in {}", name(c, 0)),
        "Deleting it ends every job still in it, without a savepoint.".into(),
    )
    .check(old.jobs_check(Vec::new(), format!("{} runs no job", name(c, 0))))
    .verify("flink list -r shows no running job.")
    .rollback("Move or stop the job deliberately, then run again.")
    .source(sources::NATIVE_K8S)
    .done()];
    let ha: Vec<String> = (0..last).map(|i| id_var_at(c, i)).collect();
    steps.push(delete_cluster_step(
        "decommission.old-session".into(),
        format!("Delete {} and its HA ConfigMaps", name(c, 0)),
        "Deleting the deployment removes everything Flink created with an owner reference to it; the same goes for the HA ConfigMaps the stops' sessions may have left.",
        "OLD_CLUSTER_ID",
        &id_text(c, 0),
        &ha,
        "None: the old session is gone; a rollback from here starts a new session of the old version.",
    ));
    steps.extend(cleanup_steps(c));
    steps
}
