//! The JSON document: the plan with every command as copy-paste text.

use serde::Serialize;

use crate::plan::{Check, Expect, Finding, Frame, Phase, Plan, Step, VarIndex, Variable, Verdict};
use crate::source::Source;

/// The JSON format version; bump it when a field changes meaning.
/// 2: the change frame, checks, confirmations and irreversible commands.
pub const JSON_VERSION: u32 = 2;

#[derive(Serialize)]
struct Doc<'a> {
    waymark: u32,
    platform: &'a str,
    title: &'a str,
    verdict: Verdict,
    summary: &'a str,
    path: &'a [String],
    facts_checked: &'a str,
    link: &'a str,
    frame: FrameDoc<'a>,
    findings: &'a [Finding],
    phases: Vec<PhaseDoc<'a>>,
    variables: &'a [Variable],
}

#[derive(Serialize)]
struct FrameDoc<'a> {
    go_no_go: &'a str,
    abort: &'a [String],
    estimates: Vec<EstimateDoc<'a>>,
    soak_days: u32,
    watch: &'a str,
    decommission_confirm: Option<ConfirmDoc<'a>>,
}

#[derive(Serialize)]
struct EstimateDoc<'a> {
    phase: &'a str,
    time: &'a str,
    longer: &'a str,
}

#[derive(Serialize)]
struct ConfirmDoc<'a> {
    variable: &'a str,
    what: &'a str,
}

#[derive(Serialize)]
struct PhaseDoc<'a> {
    id: &'a str,
    title: &'a str,
    intro: &'a str,
    steps: Vec<StepDoc<'a>>,
}

#[derive(Serialize)]
struct StepDoc<'a> {
    id: &'a str,
    title: &'a str,
    detail: &'a str,
    commands: Vec<String>,
    /// Positions in `commands` (from 0) of the commands that cannot be undone.
    irreversible: Vec<usize>,
    checks: Vec<CheckDoc<'a>>,
    verify: &'a str,
    confirm: &'a str,
    rollback: &'a str,
    manual: bool,
    sources: &'a [Source],
    /// Files shown with the step (manifests); absent when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    documents: Vec<DocumentDoc<'a>>,
}

#[derive(Serialize)]
struct DocumentDoc<'a> {
    name: &'a str,
    lang: &'a str,
    text: &'a str,
    /// The script writes it to its private directory before the commands.
    written: bool,
}

#[derive(Serialize)]
struct CheckDoc<'a> {
    command: String,
    expect: ExpectDoc<'a>,
    holds: &'a str,
    wait_seconds: u32,
    fails_on: Option<&'a str>,
}

#[derive(Serialize)]
struct ExpectDoc<'a> {
    kind: &'static str,
    /// The text compared with, the variable (`mentions`) or the variables
    /// (`ids`); null for `success` and `failure`.
    value: Option<ExpectValue<'a>>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum ExpectValue<'a> {
    Text(&'a str),
    List(&'a [String]),
}

pub fn render(plan: &Plan) -> String {
    let vars = plan.var_index();
    let doc = Doc {
        waymark: JSON_VERSION,
        platform: plan.platform,
        title: &plan.title,
        verdict: plan.verdict,
        summary: &plan.summary,
        path: &plan.path,
        facts_checked: plan.facts_checked,
        link: &plan.link,
        frame: frame(&plan.frame),
        findings: &plan.findings,
        phases: plan.phases.iter().map(|p| phase(&vars, p)).collect(),
        variables: &plan.variables,
    };
    let mut out =
        serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    out.push('\n');
    out
}

fn frame(f: &Frame) -> FrameDoc<'_> {
    FrameDoc {
        go_no_go: &f.go_no_go,
        abort: &f.abort,
        estimates: f
            .estimates
            .iter()
            .map(|e| EstimateDoc {
                phase: e.phase.as_str(),
                time: &e.time,
                longer: &e.longer,
            })
            .collect(),
        soak_days: f.soak_days,
        watch: &f.watch,
        decommission_confirm: f
            .decommission_confirm
            .as_ref()
            .map(|(variable, what)| ConfirmDoc { variable, what }),
    }
}

fn phase<'a>(vars: &VarIndex<'_>, p: &'a Phase) -> PhaseDoc<'a> {
    PhaseDoc {
        id: p.id.as_str(),
        title: &p.title,
        intro: &p.intro,
        steps: p.steps.iter().map(|s| step(vars, s)).collect(),
    }
}

fn step<'a>(vars: &VarIndex<'_>, s: &'a Step) -> StepDoc<'a> {
    StepDoc {
        id: &s.id,
        title: &s.title,
        detail: &s.detail,
        commands: s.commands.iter().map(|c| c.display_in(vars)).collect(),
        irreversible: (0..s.commands.len())
            .filter(|&i| s.commands[i].irreversible)
            .collect(),
        checks: s.checks.iter().map(|c| check(vars, c)).collect(),
        verify: &s.verify,
        confirm: &s.confirm,
        rollback: &s.rollback,
        manual: s.manual,
        sources: &s.sources,
        documents: s
            .documents
            .iter()
            .map(|d| DocumentDoc {
                name: &d.name,
                lang: d.lang,
                text: &d.text,
                written: d.written,
            })
            .collect(),
    }
}

fn check<'a>(vars: &VarIndex<'_>, c: &'a Check) -> CheckDoc<'a> {
    let value = match &c.expect {
        Expect::Ids(list) => Some(ExpectValue::List(list)),
        other => other.text().map(ExpectValue::Text),
    };
    CheckDoc {
        command: c.command.display_in(vars),
        expect: ExpectDoc {
            kind: c.expect.kind(),
            value,
        },
        holds: &c.holds,
        wait_seconds: c.wait,
        fails_on: c.fails_on.as_deref(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::render;
    use crate::render::test_plan;

    fn doc(plan: &crate::plan::Plan) -> Value {
        serde_json::from_str(&render(plan)).expect("valid JSON")
    }

    #[test]
    fn the_document_has_version_2_and_the_frame() {
        let d = doc(&test_plan::framed());
        assert_eq!(d["waymark"], 2);
        assert_eq!(
            d["frame"],
            json!({
                "go_no_go": "Go only if the rehearsal passed.",
                "abort": ["A savepoint fails twice.", "Lag keeps growing | for an hour."],
                "estimates": [
                    {"phase": "preflight", "time": "a minute", "longer": "nothing: it only reads"},
                    {"phase": "cutover", "time": "10–20 minutes", "longer": "large state"}
                ],
                "soak_days": 7,
                "watch": "Checkpoints and lag.",
                "decommission_confirm": {"variable": "OLD_HOME", "what": "the old installation directory"}
            })
        );
    }

    #[test]
    fn a_step_has_its_checks_confirmation_and_irreversible_commands() {
        let d = doc(&test_plan::framed());
        let resume = &d["phases"][0]["steps"][0];
        assert_eq!(resume["commands"], json!(["flink run /apps/orders.jar"]));
        assert_eq!(resume["irreversible"], json!([]));
        assert_eq!(resume["confirm"], "The output matches production.");
        assert_eq!(
            resume["checks"],
            json!([
                {
                    "command": "curl -fsS http://localhost:8081/jobs",
                    "expect": {"kind": "contains", "value": "\"state\":\"RUNNING\""},
                    "holds": "orders is RUNNING",
                    "wait_seconds": 300,
                    "fails_on": "\"state\":\"FAILED\""
                },
                {
                    "command": "flink list",
                    "expect": {"kind": "ids", "value": ["JOB_ID"]},
                    "holds": "only the planned job runs",
                    "wait_seconds": 0,
                    "fails_on": null
                }
            ])
        );
        let remove = &d["phases"][1]["steps"][0];
        assert_eq!(remove["commands"], json!(["rm -rf -- /opt/flink-1.17"]));
        assert_eq!(remove["irreversible"], json!([0]));
        assert_eq!(remove["checks"], json!([]));
        assert_eq!(remove["confirm"], "");
    }

    #[test]
    fn an_empty_frame_is_empty_fields() {
        let d = doc(&test_plan::blocked());
        assert_eq!(
            d["frame"],
            json!({
                "go_no_go": "",
                "abort": [],
                "estimates": [],
                "soak_days": 0,
                "watch": "",
                "decommission_confirm": null
            })
        );
    }
}
