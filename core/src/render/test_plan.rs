//! A small hand-built plan for the renderers' unit tests: a frame, a step
//! with machine checks and a person's confirmation, and an irreversible
//! command in the decommission. Independent of both planners' rules.

use crate::plan::{
    lit, step, var, Check, Command, Estimate, Expect, Frame, Phase, PhaseId, Plan, Value, Variable,
    Verdict,
};

/// A direct plan with a full frame.
pub fn framed() -> Plan {
    let cutover = step(
        "cutover.1.resume".into(),
        "Resume orders".into(),
        "Start the job from its savepoint.".into(),
    )
    .cmd(Command::local(vec![lit("flink"), lit("run"), var("JAR")]))
    .check(
        Check::new(
            Command::local(vec![lit("curl"), lit("-fsS"), var("URL")]),
            Expect::Contains("\"state\":\"RUNNING\"".into()),
            "orders is RUNNING",
        )
        .waiting(300)
        .failing_on("\"state\":\"FAILED\""),
    )
    .check(Check::new(
        Command::local(vec![lit("flink"), lit("list")]),
        Expect::Ids(vec!["JOB_ID".into()]),
        "only the planned job runs",
    ))
    .confirm("The output matches production.")
    .verify("The job is RUNNING.")
    .done();
    let remove = step(
        "decommission.1.remove".into(),
        "Remove the old installation".into(),
        String::new(),
    )
    .cmd(Command::local(vec![lit("rm"), lit("-rf"), lit("--"), var("OLD_HOME")]).irreversible())
    .done();
    let estimate = |phase, time: &str, longer: &str| Estimate {
        phase,
        time: time.into(),
        longer: longer.into(),
    };
    Plan {
        platform: "flink",
        title: "Flink 1.17 → 1.20, in-place".into(),
        verdict: Verdict::Direct,
        summary: "One hop.".into(),
        path: vec!["1.17".into(), "1.20".into()],
        facts_checked: "2026-11-20",
        findings: Vec::new(),
        phases: vec![
            Phase {
                id: PhaseId::Cutover,
                title: "Cutover".into(),
                intro: String::new(),
                steps: vec![cutover],
            },
            Phase {
                id: PhaseId::Decommission,
                title: "Decommission".into(),
                intro: "After the soak.".into(),
                steps: vec![remove],
            },
        ],
        variables: vec![
            text_var("JAR", "/apps/orders.jar"),
            text_var("URL", "http://localhost:8081/jobs"),
            text_var("OLD_HOME", "/opt/flink-1.17"),
            Variable {
                name: "JOB_ID".into(),
                description: "the resumed job's id".into(),
                value: Value::Captured,
            },
        ],
        link: "platform=flink&from=1.17&to=1.20".into(),
        frame: Frame {
            go_no_go: "Go only if the rehearsal passed.".into(),
            abort: vec![
                "A savepoint fails twice.".into(),
                "Lag keeps growing | for an hour.".into(),
            ],
            estimates: vec![
                estimate(PhaseId::Preflight, "a minute", "nothing: it only reads"),
                estimate(PhaseId::Cutover, "10–20 minutes", "large state"),
            ],
            soak_days: 7,
            watch: "Checkpoints and lag.".into(),
            decommission_confirm: Some((
                "OLD_HOME".into(),
                "the old installation directory".into(),
            )),
        },
    }
}

/// The same plan, blocked: no frame, no phases.
pub fn blocked() -> Plan {
    Plan {
        verdict: Verdict::Blocked,
        phases: Vec::new(),
        frame: Frame::default(),
        ..framed()
    }
}

fn text_var(name: &str, value: &str) -> Variable {
    Variable {
        name: name.into(),
        description: String::new(),
        value: Value::Text(value.into()),
    }
}
