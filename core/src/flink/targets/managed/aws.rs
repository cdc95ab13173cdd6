//! The `aws` command words of this target and the reads of an
//! application's state. Every user value enters as a variable; JMESPath
//! queries and JSON templates are fixed text.

use crate::plan::{Check, Command, Expect, Word};

use super::super::super::runbook::{lit, var};
use super::app_var;

/// Where DescribeApplication keeps the code location.
const CODE: &str = "ApplicationDetail.ApplicationConfigurationDescription.ApplicationCodeConfigurationDescription.CodeContentDescription.S3ApplicationCodeLocationDescription";

pub const STATUS_RUNTIME: &str = "ApplicationDetail.[ApplicationStatus, RuntimeEnvironment]";
pub const STATUS: &str = "ApplicationDetail.ApplicationStatus";
pub const VERSION: &str = "ApplicationDetail.ApplicationVersionId";
pub const SNAPSHOTS_ENABLED: &str = "ApplicationDetail.ApplicationConfigurationDescription.ApplicationSnapshotConfigurationDescription.SnapshotsEnabled";
pub const ROLLBACK_ENABLED: &str = "ApplicationDetail.ApplicationConfigurationDescription.ApplicationSystemRollbackConfigurationDescription.RollbackEnabled";
pub const PARALLELISM: &str = "ApplicationDetail.ApplicationConfigurationDescription.FlinkApplicationConfigurationDescription.ParallelismConfigurationDescription.CurrentParallelism";

pub fn file_key() -> String {
    format!("{CODE}.FileKey")
}
pub fn bucket_arn() -> String {
    format!("{CODE}.BucketARN")
}
pub fn object_version() -> String {
    format!("{CODE}.ObjectVersion")
}

/// Restore from the snapshot MSF takes as it stops the running application.
pub const RESTORE_LATEST: &str =
    "{\"ApplicationRestoreConfiguration\":{\"ApplicationRestoreType\":\"RESTORE_FROM_LATEST_SNAPSHOT\"}}";

/// `aws <service> <op> --region "$AWS_REGION"`.
pub fn words(service: &str, op: &str) -> Vec<Word> {
    vec![
        lit("aws"),
        lit(service.to_owned()),
        lit(op.to_owned()),
        lit("--region"),
        var("AWS_REGION"),
    ]
}

/// `aws kinesisanalyticsv2 <op> … --application-name "$JOB<n>_APPLICATION"`.
pub fn app(op: &str, n: usize) -> Vec<Word> {
    let mut w = words("kinesisanalyticsv2", op);
    w.extend([lit("--application-name"), var(app_var(n))]);
    w
}

/// `describe-application` of job `n`'s application, with a query.
pub fn describe(n: usize, query: &str, output: &str) -> Vec<Word> {
    let mut w = app("describe-application", n);
    w.extend([
        lit("--query"),
        lit(query.to_owned()),
        lit("--output"),
        lit(output.to_owned()),
    ]);
    w
}

/// A read of job `n`'s application that must print `expect`.
pub fn reads(n: usize, query: &str, expect: Expect, holds: String) -> Check {
    let output = if query == SNAPSHOTS_ENABLED {
        "json"
    } else {
        "text"
    };
    Check::new(Command::local(describe(n, query, output)), expect, holds)
}

/// Job `n` runs `runtime` (status RUNNING), waiting up to `wait` seconds;
/// a RUNNING application still on `old` stops the wait at once.
pub fn running_on(n: usize, runtime: &str, old: Option<&str>, wait: u32, holds: String) -> Check {
    let check = reads(
        n,
        STATUS_RUNTIME,
        Expect::Matches(format!("^RUNNING[[:space:]]+{runtime}$")),
        holds,
    )
    .waiting(wait);
    match old {
        Some(o) => check.failing_on(o),
        None => check,
    }
}

/// Job `n`'s application runs the code at the key in variable `key`.
pub fn runs_code(n: usize, key_value: &str, holds: String) -> Check {
    reads(n, &file_key(), Expect::Output(key_value.into()), holds)
}

/// `describe-application-operation` of the operation in `op`: its status
/// and, when it failed, AWS's reason.
pub fn operation(n: usize, op: &str) -> Command {
    let mut w = app("describe-application-operation", n);
    w.extend([
        lit("--operation-id"),
        var(op.to_owned()),
        lit("--query"),
        lit("ApplicationOperationInfoDetails.[OperationStatus, OperationFailureDetails.ErrorInfo.ErrorString]"),
        lit("--output"),
        lit("text"),
    ]);
    Command::local(w)
}

/// The operation in `op` ended SUCCESSFUL; FAILED ends the wait at once.
pub fn operation_succeeded(n: usize, op: &str, wait: u32, holds: String) -> Check {
    Check::new(
        operation(n, op),
        Expect::Matches("^SUCCESSFUL".into()),
        holds,
    )
    .waiting(wait)
    .failing_on("FAILED")
}

/// `--current-application-version-id "$(aws … describe-application …)"`:
/// the version as it is now, read inside template text.
pub fn current_version_words(n: usize) -> Vec<Word> {
    let mut w = vec![lit("--current-application-version-id"), Word::Raw("\"$(")];
    w.extend(describe(n, VERSION, "text"));
    w.push(Word::Raw(")\""));
    w
}

/// `{"ApplicationRestoreConfiguration": … CUSTOM … "SnapshotName": "$S"}`,
/// the snapshot name (a run-time value of `[a-zA-Z0-9_.-]`, checked before)
/// between fixed JSON text.
pub fn restore_custom(snapshot: &str) -> Word {
    Word::Join(vec![
        lit("{\"ApplicationRestoreConfiguration\":{\"ApplicationRestoreType\":\"RESTORE_FROM_CUSTOM_SNAPSHOT\",\"SnapshotName\":\""),
        var(snapshot.to_owned()),
        lit("\"}}"),
    ])
}

/// Template text that stops when the snapshot name in `snapshot` is not
/// one the API accepts (and so could not end the JSON string early).
pub fn snapshot_name_guard(snapshot: &str) -> Vec<Word> {
    vec![
        Word::Raw("case"),
        var(snapshot.to_owned()),
        Word::Raw("in '' | *[!A-Za-z0-9_.-]*) echo"),
        lit("Not a snapshot name:"),
        var(snapshot.to_owned()),
        Word::Raw("; exit 1 ;; esac;"),
    ]
}
