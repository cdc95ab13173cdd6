//! The execution model's rules over a sweep of Flink plans: the pre-flight
//! and every check only read, irreversible commands live only in the
//! decommission, each resume waits for its job, and every plan has a frame.

mod common;

use common::*;
use waymark_core::plan::{Expect, Host, PhaseId, Plan, Verdict, Word};

/// Plans for every pair of sweep versions, in place and as a shadow copy,
/// and on every other deployment target the planner plans.
fn plans() -> Vec<Plan> {
    let mut out = target_plans();
    let versions = sweep_versions();
    for a in &versions {
        for b in versions.iter().filter(|b| *b > a) {
            for strategy in ["in-place", "shadow-copy&new-jobmanager=nj:8082"] {
                let link = link(
                    &a.to_string(),
                    &b.to_string(),
                    &format!("&strategy={strategy}&uids=all{}", one_job()),
                );
                let p = plan(&link);
                if p.verdict != Verdict::Blocked {
                    out.push(p);
                }
            }
        }
    }
    assert!(
        out.len() > 500,
        "the sweep plans {} runnable plans",
        out.len()
    );
    out
}

/// Every planned target other than the standalone session, over the sweep's
/// version pairs, with one and two jobs.
fn target_plans() -> Vec<Plan> {
    use waymark_core::flink::deployment::{Deployment, DEPLOYMENTS};
    let mut out = Vec::new();
    let versions = sweep_versions();
    for (_, d, _, _) in DEPLOYMENTS
        .iter()
        .filter(|d| d.1.planned() && d.1 != Deployment::StandaloneSession)
    {
        for a in &versions {
            for b in versions.iter().filter(|b| *b > a) {
                for jobs in [1, 2] {
                    // An image that names the target version, so that a
                    // route with stops can derive each stop's image.
                    let keys = with_image_of(&d.sample_keys(jobs), b);
                    let mut extra = format!("&uids=all{keys}");
                    for n in 1..=jobs {
                        extra.push_str(&format!(
                            "&job{n}.id={n:032x}&job{n}.name=job{n}&job{n}.jar=/apps/job{n}.jar&job{n}.parallelism=2"
                        ));
                    }
                    let p = plan(&link(&a.to_string(), &b.to_string(), &extra));
                    if p.verdict != Verdict::Blocked {
                        out.push(p);
                    }
                }
            }
        }
    }
    out
}

/// `keys` with its `image` value (if any) replaced by one that names
/// version `v` as its tag.
fn with_image_of(keys: &str, v: &waymark_core::version::Version) -> String {
    keys.split('&')
        .map(|kv| match kv.strip_prefix("image=") {
            Some(_) => format!("image=registry.example/jobs:{v}"),
            None => kv.to_string(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn words_text(words: &[Word]) -> String {
    words
        .iter()
        .map(|w| match w {
            Word::Lit(t) | Word::Var(t) | Word::Array(t) => t.to_string(),
            Word::Raw(t) => t.to_string(),
            Word::Join(parts) => words_text(parts),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Does the command start a job from a savepoint?
fn restores(c: &waymark_core::plan::Command) -> bool {
    fn has(words: &[Word], want: &[&str]) -> bool {
        words.iter().any(|w| match w {
            Word::Lit(t) => want.contains(&&**t),
            Word::Join(parts) => has(parts, want),
            _ => false,
        })
    }
    (has(&c.words, &["-s"]) && has(&c.words, &["run", "run-application"]))
        || has(&c.words, &["--fromSavepoint"])
}

/// Words that change a Flink world.
fn changes(text: &str) -> bool {
    [
        "start-cluster",
        "stop-cluster",
        " stop",
        " cancel",
        " run ",
        "savepoint ",
        "rm ",
    ]
    .iter()
    .any(|w| format!(" {text} ").contains(w))
}

#[test]
fn the_preflight_and_every_check_only_read() {
    for p in plans() {
        for (phase, step) in p.steps() {
            for check in &step.checks {
                let text = words_text(&check.command.words);
                assert!(
                    !changes(&text),
                    "{}: check of {} changes something: {text}",
                    p.link,
                    step.id
                );
            }
            if phase.id == PhaseId::Preflight {
                assert!(
                    step.commands.is_empty(),
                    "{}: the pre-flight step {} runs commands",
                    p.link,
                    step.id
                );
            }
        }
    }
}

#[test]
fn irreversible_commands_live_only_in_the_decommission() {
    for p in plans() {
        let ids: Vec<PhaseId> = p.phases.iter().map(|ph| ph.id).collect();
        assert_eq!(
            ids,
            [
                PhaseId::Prepare,
                PhaseId::Preflight,
                PhaseId::Cutover,
                PhaseId::Verify,
                PhaseId::Rollback,
                PhaseId::Decommission
            ],
            "{}",
            p.link
        );
        let mut irreversible = 0;
        for (phase, step) in p.steps() {
            for c in &step.commands {
                if c.irreversible {
                    irreversible += 1;
                    assert_eq!(
                        phase.id,
                        PhaseId::Decommission,
                        "{}: {} is irreversible",
                        p.link,
                        step.id
                    );
                }
                if words_text(&c.words).contains("rm -rf") {
                    assert!(
                        c.irreversible,
                        "{}: {} deletes without saying so",
                        p.link, step.id
                    );
                }
            }
        }
        assert!(
            irreversible > 0,
            "{}: the decommission removes the old installation",
            p.link
        );
    }
}

#[test]
fn every_resume_waits_for_its_job_to_run_from_its_own_savepoint() {
    for p in plans() {
        for (phase, step) in p.steps() {
            // A command that starts a job from a savepoint: `flink run -d
            // -s`, `run-application -s`, `run -t …-application -s` (also
            // into a Kubernetes session), or an application cluster's
            // `standalone-job.sh start --fromSavepoint`. A target whose
            // platform resumes the job (the operator) has no such command.
            for c in step.commands.iter().filter(|c| restores(c)) {
                // The job's id: the resume's own capture, or (where the job
                // id is fixed before the start, or read after it) a capture
                // of the same step that a RUNNING check waits for.
                let captured: Vec<&String> = step
                    .commands
                    .iter()
                    .filter_map(|k| k.capture.as_ref().map(|k| &k.var))
                    .collect();
                let id = c
                    .capture
                    .as_ref()
                    .map(|k| &k.var)
                    .filter(|v| v.contains("_ID"))
                    .or_else(|| captured.iter().copied().find(|v| v.contains("_ID")))
                    .unwrap_or_else(|| panic!("{}: {} captures no job id", p.link, step.id));
                let waits_running = step.checks.iter().any(|k| {
                    matches!(&k.expect, Expect::Contains(t) if t.contains("RUNNING"))
                        && words_text(&k.command.words).contains(id.as_str())
                });
                let restored = step.checks.iter().any(|k| {
                    matches!(&k.expect, Expect::Mentions(_))
                        && words_text(&k.command.words).contains(id.as_str())
                });
                assert!(
                    waits_running && restored,
                    "{}: {} ({:?}) does not wait for {id}",
                    p.link,
                    step.id,
                    phase.id
                );
                assert!(
                    step.checks.iter().all(|k| k.wait > 0),
                    "{}: {} checks once",
                    p.link,
                    step.id
                );
            }
            for c in &step.commands {
                if c.capture
                    .as_ref()
                    .is_some_and(|k| k.var.contains("SAVEPOINT"))
                {
                    assert!(
                        c.recover.is_some(),
                        "{}: {} cannot recover its savepoint",
                        p.link,
                        step.id
                    );
                }
            }
        }
    }
}

#[test]
fn every_plan_has_a_frame_and_a_go_no_go_before_the_cutover() {
    for p in plans() {
        let f = &p.frame;
        assert!(
            !f.go_no_go.is_empty() && !f.abort.is_empty() && !f.watch.is_empty(),
            "{}",
            p.link
        );
        assert!(f.soak_days > 0, "{}", p.link);
        assert!(f.decommission_confirm.is_some(), "{}", p.link);
        let phases: Vec<PhaseId> = f.estimates.iter().map(|e| e.phase).collect();
        assert_eq!(
            phases.len(),
            p.phases.len(),
            "{}: an estimate per phase",
            p.link
        );
        let pre = p
            .phases
            .iter()
            .find(|ph| ph.id == PhaseId::Preflight)
            .unwrap();
        let last = pre.steps.last().unwrap();
        assert_eq!(
            last.confirm, f.go_no_go,
            "{}: the pre-flight ends with the go/no-go",
            p.link
        );
        for (_, step) in p.steps() {
            for c in &step.commands {
                assert!(
                    !matches!(c.host, Host::Elsewhere { .. }) || step.manual,
                    "{}: {} has a command for a person in a machine step",
                    p.link,
                    step.id
                );
            }
        }
    }
}

/// Words in every command and check of a plan.
fn plan_words(p: &Plan) -> usize {
    fn count(words: &[Word]) -> usize {
        words
            .iter()
            .map(|w| match w {
                Word::Join(parts) => count(parts),
                _ => 1,
            })
            .sum()
    }
    p.steps()
        .map(|(_, s)| {
            s.commands
                .iter()
                .chain(s.checks.iter().map(|c| &c.command))
                .chain(s.commands.iter().filter_map(|c| c.recover.as_deref()))
                .map(|c| count(&c.words))
                .sum::<usize>()
        })
        .sum()
}

#[test]
fn a_plan_grows_linearly_with_its_jobs() {
    let jobs = |n: usize| -> String {
        (1..=n)
            .map(|i| format!("&job{i}.id={i:032x}&job{i}.jar=/j{i}.jar"))
            .collect()
    };
    for strategy in ["in-place", "shadow-copy&new-jobmanager=nj:8082"] {
        let small = plan(&link(
            "1.17",
            "1.20",
            &format!("&strategy={strategy}{}", jobs(10)),
        ));
        let big = plan(&link(
            "1.17",
            "1.20",
            &format!("&strategy={strategy}{}", jobs(100)),
        ));
        let (a, b) = (plan_words(&small), plan_words(&big));
        // Ten times the jobs: about ten times the words, never a hundred.
        assert!(
            b < a * 12,
            "{strategy}: 10 jobs {a} words, 100 jobs {b} words"
        );
    }
}
