//! Prepare: days before the window, a person's work. The code for each
//! runtime on the route, uploaded under new keys; the savepoint
//! preconditions; the choice of system rollback; a rehearsal on a copy.

use crate::plan::{step, Command, Step};

use super::super::super::runbook::lit;
use super::super::super::scenario::Feature;
use super::super::super::{sources, versions};
use super::{aws, key_var, runtime, value, Context};
use crate::flink::sources as src;

pub fn steps(c: &Context<'_>) -> Vec<Step> {
    let (s, path) = (c.s, c.path);
    let last = path.len() - 1;
    let mut steps = Vec::new();

    let mut checks = vec![
        "every stateful operator has a stable uid(...)".to_string(),
        "no operator's state type and no key changed, nor the input types of stateful operators such as windows and joins".to_string(),
    ];
    if s.uses(Feature::CustomSerializers) {
        checks.push("custom serializers provide a TypeSerializerSnapshot".into());
    }
    steps.push(
        step("prepare.preconditions".into(), "Check the state preconditions".into(),
            format!("MSF checks only that the snapshot's Flink version may move to the runtime; whether the state itself restores is up to the code. Check that: {}.", checks.join("; ")))
            .manual()
            .verify("Each item holds for every application.")
            .rollback("Fix what does not hold on the current version first.")
            .source(src::MSF_BEST_PRACTICES)
            .source(sources::UPGRADING)
            .done(),
    );

    for hop in 1..=last {
        let v = path[hop];
        let keys: Vec<String> = (1..=s.jobs.len())
            .map(|n| value(c, &key_var(c, n, hop)))
            .collect();
        let java = versions::recommended_java(v);
        let mut detail = format!(
            "Build each job against the Flink {v} API and the connector releases made for it, with {java}, and upload the jar to the application's bucket under a new key: {}. The old object must stay where it is, because the rollback returns to it.",
            if keys.is_empty() { "none in this plan".to_string() } else { keys.join(", ") }
        );
        if v.cmp_line(crate::version::Version::minor(1, 15)).is_ge() {
            detail.push_str(
                " From 1.15 the runtime holds no Scala: a Scala job bundles its own Scala library.",
            );
        }
        if hop < last {
            detail.push_str(&format!(" This is a stop on the way to {}: give its keys as job<N>.stop{hop}-jar where the jar differs from the final one.", path[last]));
        }
        steps.push(
            step(
                format!("prepare.code.{v}"),
                format!("Build and upload the code for {}", runtime(v)),
                detail,
            )
            .manual()
            .verify("Each key exists in the application's bucket (the pre-flight checks it).")
            .rollback("Nothing has changed on the applications yet.")
            .source(src::MSF_UPGRADING)
            .done(),
        );
    }

    // System rollback: AWS recommends it before a version upgrade; turning
    // it on is itself an update of the application, so it is a person's
    // decision, made outside the window's steps.
    let mut enable = aws::app("update-application", 1);
    enable.extend(aws::current_version_words(1));
    enable.extend([
        lit("--application-configuration-update"),
        lit("{\"ApplicationSystemRollbackConfigurationUpdate\":{\"RollbackEnabledUpdate\":true}}"),
    ]);
    let mut st = step(
        "prepare.system-rollback".into(),
        "Decide on system rollback".into(),
        "Recommended: with system rollback on, MSF rolls an application back by itself when an update fails (a runtime that cannot restore the snapshot, code that does not start), and the update's operation ends FAILED, where the cutover stops. It cannot catch state that restores but breaks the job later: the verify and the rollback phase cover that. Turning it on is an update of the application (a new application version), so do it in a quiet moment before the window, for each application; the commands below are for the first one.".into(),
    );
    if !s.jobs.is_empty() {
        st = st
            .cmd(Command::local(aws::describe(
                1,
                aws::ROLLBACK_ENABLED,
                "text",
            )))
            .cmd(Command::local(enable));
    }
    steps.push(
        st.manual()
            .verify("describe-application shows RollbackEnabled True for each application where you chose it.")
            .rollback("Set RollbackEnabledUpdate to false the same way to turn it off.")
            .source(src::MSF_SYSTEM_ROLLBACK)
            .source(src::MSF_FLINK_2_2)
            .done(),
    );

    if path[0].major < 2 && path[last].major >= 2 {
        steps.push(
            step("prepare.kryo".into(), "Look for Kryo in the state".into(),
                format!("Flink 2 reads no state that Kryo wrote under 1.x. Search each application's logs on {} for the message Flink writes when a type falls back to Kryo, matching Class class (?<className>[^\\s]+) cannot be used as a POJO type (in CloudWatch Logs Insights: filter @message like /cannot be used as a POJO type/). Every class it names is state that will not restore: give it a serializer of its own (Avro, Protobuf, a POJO without collections) on 1.x, take a snapshot, and only then upgrade; or plan to start the job without state.", runtime(path[0])))
                .manual()
                .verify("No class falls back to Kryo, or each one found has been dealt with.")
                .rollback("Nothing has changed.")
                .source(src::MSF_STATE_COMPATIBILITY)
                .done(),
        );
    }

    steps.push(
        step("prepare.rehearse".into(), "Rehearse on a copy".into(),
            format!("Create a non-production application from the same code on {}, first without state, then with a snapshot of production-like state, and run this runbook against it ({}). Note how long each update takes, to size the window.", runtime(path[0]), path.iter().map(|v| runtime(*v)).collect::<Vec<_>>().join(" → ")))
            .manual()
            .verify("The copy restored its snapshot on every runtime of the route and its jobs do not restart.")
            .rollback("Do not schedule the cutover until the rehearsal passes; see the findings for what may break.")
            .source(src::MSF_BEST_PRACTICES)
            .done(),
    );
    steps
}
