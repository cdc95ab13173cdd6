//! Verify: each application runs the new runtime and code, its last update
//! succeeded, and its job does not restart (CloudWatch `numRestarts`);
//! then a person watches through the soak.

use crate::plan::{step, Check, Command, Expect, Step, Word};

use super::super::super::runbook::{lit, var};
use super::{app_var, aws, key_var, operation_var, runtime, value, Context};
use crate::flink::sources as src;

/// When job `n` was first checked running on the new runtime: the start of
/// the restart count's window.
pub fn since_var(n: usize) -> String {
    format!("JOB{n}_SINCE")
}

/// Minutes of `numRestarts` the check needs before it trusts a zero.
const MINUTES: u32 = 5;

pub fn steps(c: &Context<'_>) -> Vec<Step> {
    let last = c.path.len() - 1;
    let new = runtime(c.path[last]);
    let old = runtime(c.path[0]);
    let mut steps = Vec::new();
    for (i, job) in c.s.jobs.iter().enumerate() {
        let n = i + 1;
        let app = job.target.as_str();
        let key = value(c, &key_var(c, n, last));
        let op = operation_var(n, last);
        steps.push(
            step(
                format!("verify.application.{n}"),
                format!("Check that {app} runs {new}"),
                String::new(),
            )
            .check(aws::running_on(
                n,
                &new,
                Some(&old),
                60,
                format!("{app} is RUNNING on {new}"),
            ))
            .check(aws::runs_code(
                n,
                &key,
                format!("{app} runs the code at {key}"),
            ))
            .check(aws::operation_succeeded(
                n,
                &op,
                0,
                format!("the last update of {app} is SUCCESSFUL"),
            ))
            .verify(format!(
                "describe-application shows RUNNING, {new} and {key}; the operation is SUCCESSFUL."
            ))
            .rollback("If not, run the rollback phase.")
            .source(src::MSF_FLINK_2_2)
            .source(src::MSF_OPERATIONS)
            .done(),
        );
        let since = since_var(n);
        steps.push(
            step(
                format!("verify.restarts.{n}"),
                format!("Check that {app} does not restart"),
                format!("A runtime can restore the snapshot and still fail on the state later: the application then shows RUNNING while its job restarts again and again. The check waits for {MINUTES} minutes of the CloudWatch metric numRestarts (namespace AWS/KinesisAnalytics, dimension Application) since this step began, and holds when none of them counts a restart."),
            )
            .cmd(
                Command::local(vec![lit("date"), lit("-u"), lit("+Since: %Y-%m-%dT%H:%M:%SZ")])
                    .capturing(since.clone(), "Since: ", format!("when {app} was checked"))
                    .recovering_with(Command::local(vec![Word::Raw("exit 3")])),
            )
            .check(
                Check::new(
                    restarts(n, &since),
                    Expect::Matches(format!("^([{MINUTES}-9]|[1-9][0-9]+)[[:space:]]+0(\\.0)?$")),
                    format!("numRestarts of {app} stayed 0 for at least {MINUTES} minutes (the output is the number of minutes seen, then the most restarts in any of them)"),
                )
                .waiting(1800),
            )
            .verify("The count of one-minute datapoints is at least five and their maximum is 0.")
            .rollback("A count above 0 means the job restarts: read the application's logs (an IndexOutOfBoundsException from Kryo's MapReferenceResolver, or a StateMigrationException, is state the new runtime cannot read) and run the rollback phase. No datapoints at all: check that the application publishes metrics (its monitoring level), then look at numRestarts in CloudWatch yourself and carry on with --done.")
            .source(src::MSF_METRICS)
            .source(src::MSF_FLINK_2_2)
            .done(),
        );
    }
    steps.push(
        step("verify.observe".into(), "Watch the applications".into(),
            "Watch each application in CloudWatch for a few checkpoint intervals, and for a day or more before the decommission: numRestarts stays 0, uptime (or runningTime) grows, lastCheckpointDuration is like before the upgrade and numberOfFailedCheckpoints stays 0; consumer lag falls back to normal and the output is right.".into())
            .manual()
            .verify("Nothing restarts, checkpoints complete as before and the output is correct.")
            .rollback("If not, run the rollback phase: the sooner, the less the sources replay.")
            .source(src::MSF_FLINK_2_2)
            .source(src::MSF_METRICS)
            .done(),
    );
    steps
}

/// `aws cloudwatch get-metric-statistics` of job `n`'s numRestarts since
/// the time in `since`, per minute: "<minutes> <most restarts>".
fn restarts(n: usize, since: &str) -> Command {
    let mut w = aws::words("cloudwatch", "get-metric-statistics");
    w.extend([
        lit("--namespace"),
        lit("AWS/KinesisAnalytics"),
        lit("--metric-name"),
        lit("numRestarts"),
        lit("--dimensions"),
        Word::Join(vec![lit("Name=Application,Value="), var(app_var(n))]),
        lit("--statistics"),
        lit("Maximum"),
        lit("--period"),
        lit("60"),
        lit("--start-time"),
        var(since.to_owned()),
        Word::Raw("--end-time \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\""),
        lit("--query"),
        lit("[length(Datapoints), max(Datapoints[].Maximum)]"),
        lit("--output"),
        lit("text"),
    ]);
    Command::local(w)
}
