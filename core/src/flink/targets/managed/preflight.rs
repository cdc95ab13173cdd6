//! Pre-flight: reads only. The AWS login works; each application runs on
//! the plan's old runtime with snapshots on, from the code the plan names
//! as the old one (without a pinned object version), at the planned
//! parallelism; every new code key exists in the application's bucket.
//! Then the go/no-go.

use crate::plan::{step, Check, Command, Expect, Step, Word};

use super::super::super::runbook::{lit, var};
use super::{aws, key_var, runtime, value, Context};
use crate::flink::sources as src;

pub fn steps(c: &Context<'_>) -> Vec<Step> {
    let (s, path) = (c.s, c.path);
    let last = path.len() - 1;
    let old = runtime(path[0]);
    let mut steps = vec![step(
        "preflight.aws".into(),
        "Check the AWS login".into(),
        "Every command of the plan runs with the credentials of this shell, in the plan's region."
            .into(),
    )
    .check(Check::new(
        Command::local({
            let mut w = aws::words("sts", "get-caller-identity");
            w.extend([lit("--query"), lit("Arn"), lit("--output"), lit("text")]);
            w
        }),
        Expect::Success,
        "the AWS CLI is logged in",
    ))
    .verify("aws sts get-caller-identity names the identity meant to make the change.")
    .rollback(
        "Log in (aws sso login, or the profile in AWS_PROFILE) and run again; nothing has changed.",
    )
    .source(src::MSF_UPDATE_APPLICATION)
    .done()];

    for (i, job) in s.jobs.iter().enumerate() {
        let n = i + 1;
        let app = job.target.as_str();
        let mut st = step(
            format!("preflight.application.{n}"),
            format!("Check the application {app}"),
            "The cutover's snapshot, update and rollback rest on these facts.".into(),
        )
        .check(aws::running_on(n, &old, None, 0, format!("{app} is RUNNING on {old} (the snapshot and the checks of this runbook need a running application; a READY one is upgraded by hand, choosing the snapshot at its start)")))
        .check(aws::reads(n, aws::SNAPSHOTS_ENABLED, Expect::Output("true".into()), format!("{app} has snapshots enabled (without them there is no snapshot to restore or roll back to)")))
        .check(aws::runs_code(n, &job.old_jar, format!("{app} runs the code at {} (old-jar), the key the rollback returns to", job.old_jar)))
        .check(aws::reads(n, &aws::object_version(), Expect::Output("None".into()), format!("{app} names no S3 object version (the plan changes the key only; with a pinned version, update ObjectVersionUpdate by hand)")));
        if let Some(p) = job.parallelism {
            st = st.check(aws::reads(
                n,
                aws::PARALLELISM,
                Expect::Output(p.to_string()),
                format!("{app} runs at parallelism {p}, as the plan says"),
            ));
        }
        let mut keys: Vec<String> = Vec::new();
        for hop in 1..=last {
            let k = key_var(c, n, hop);
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
        for k in keys {
            st = st.check(Check::new(
                Command::local(head_object(n, &k)),
                Expect::Success,
                format!(
                    "the new code {} is in the application's bucket",
                    value(c, &k)
                ),
            ));
        }
        steps.push(
            st.verify("Each read holds for the application.")
                .rollback("Fix what does not hold (the application's state, the link's keys, the upload) and run again; nothing has changed.")
                .source(src::MSF_UPGRADING)
                .source(src::MSF_SNAPSHOTS)
                .done(),
        );
    }

    steps.push(
        step(
            "preflight.go".into(),
            "Go or no-go".into(),
            "The last point where stopping costs nothing.".into(),
        )
        .confirm(super::decommission::frame(c).go_no_go)
        .verify("The approver said go.")
        .rollback("No-go: nothing has changed. Reschedule the window.")
        .source(src::MSF_UPGRADING)
        .done(),
    );
    steps
}

/// `aws s3api head-object` of the key in `key` in the bucket the
/// application's code location names (read in the same template).
fn head_object(n: usize, key: &str) -> Vec<Word> {
    let mut w = vec![Word::Raw("b=$(")];
    w.extend(aws::describe(n, &aws::bucket_arn(), "text"));
    w.push(Word::Raw(") &&"));
    w.extend(aws::words("s3api", "head-object"));
    w.extend([
        lit("--bucket"),
        Word::Raw("\"${b##*:}\""),
        lit("--key"),
        var(key.to_owned()),
        lit("--query"),
        lit("ContentLength"),
        lit("--output"),
        lit("text"),
    ]);
    w
}
