//! The YARN commands the runbook reads with: an application looked up by
//! its unique name, its web proxy URL, the one job of a per-job or
//! application cluster, its state; and a session's graceful stop.

use crate::plan::{Check, Command, Expect, Word};

use super::super::super::cli::HADOOP_CLASSPATH;
use super::super::super::runbook::{lit, var};

/// Prints `application id: <id>` for the one RUNNING or ACCEPTED YARN
/// application named by `name`; exit 3 when there is none (the submission
/// did not happen), exit 1 when there are several (a person must tell).
pub fn lookup(name: &str) -> Command {
    Command::local(lookup_words(name)).capturing(
        "APP",
        "application id:",
        "the YARN application id",
    )
}

fn lookup_words(name: &str) -> Vec<Word> {
    vec![
        Word::Raw("sleep \"${WAYMARK_POLL_SECONDS:-5}\"; ids=$(yarn application -list -appStates RUNNING,ACCEPTED 2>/dev/null | awk -F'\\t' -v"),
        Word::Join(vec![Word::Raw("n="), var(name.to_owned())]),
        Word::Raw("'{ for (i = 1; i <= NF; i++) gsub(/^ +| +$/, \"\", $i) } $2 == n { print $1 }'); set -- $ids; case $# in 0) exit 3 ;; 1) echo \"application id: $1\" ;; *) exit 1 ;; esac"),
    ]
}

/// `submit && lookup`: the submission prints the new application's id
/// (captured into `app`), and the lookup alone recovers it.
pub fn submit(submit: Vec<Word>, name: &str, app: &str, what: String) -> Command {
    let mut words = submit;
    words.push(Word::Raw("&&"));
    words.extend(lookup_words(name));
    let mut read = lookup(name);
    if let Some(c) = &mut read.capture {
        c.var = app.to_string();
    }
    Command::local(words)
        .capturing(app.to_string(), "application id:", what)
        .recovering_with(read)
}

/// Captures the web proxy URL of the application in `app` into `url`
/// (`yarn application -status` shows it as Tracking-URL once the
/// JobManager runs), without a trailing slash.
pub fn tracking_url(app: &str, url: &str) -> Command {
    let words = vec![
        Word::Raw("for _ in $(seq 1 60); do u=$(yarn application -status"),
        var(app.to_owned()),
        Word::Raw("2>/dev/null | sed -n 's/^[[:space:]]*Tracking-URL[[:space:]]*:[[:space:]]*//p' | tr -d '\\r'); case $u in http*) echo \"tracking url: ${u%/}\"; exit 0 ;; esac; sleep \"${WAYMARK_POLL_SECONDS:-5}\"; done; exit 1"),
    ];
    let read =
        Command::local(words.clone()).capturing(url.to_string(), "tracking url:", "the proxy URL");
    Command::local(words)
        .capturing(
            url.to_string(),
            "tracking url:",
            format!("the web proxy URL of {app}"),
        )
        .recovering_with(read)
}

/// Captures into `id` the one job of the per-job or application cluster
/// whose REST API is at the URL in `url`.
pub fn one_job(url: &str, id: &str) -> Command {
    let words = vec![
        Word::Raw("for _ in $(seq 1 60); do j=$(curl -fsS"),
        Word::Join(vec![var(url.to_owned()), lit("/jobs")]),
        Word::Raw("2>/dev/null | grep -oE '\"id\":\"[0-9a-f]{32}\"' | head -n 1 | cut -d'\"' -f4); if [ -n \"$j\" ]; then echo \"job id: $j\"; exit 0; fi; sleep \"${WAYMARK_POLL_SECONDS:-5}\"; done; exit 1"),
    ];
    let read = Command::local(words.clone()).capturing(id.to_string(), "job id:", "the job id");
    Command::local(words)
        .capturing(id.to_string(), "job id:", format!("the job id in {url}"))
        .recovering_with(read)
}

/// `yarn application -status <app>`.
pub fn status(app: Word) -> Command {
    Command::local(vec![lit("yarn"), lit("application"), lit("-status"), app])
}

/// The application in `app` runs.
pub fn running(app: &str, holds: String) -> Check {
    Check::new(
        status(var(app.to_owned())),
        Expect::Matches("State : RUNNING".into()),
        holds,
    )
}

/// The application in `app` has ended (waits three minutes).
pub fn ended(app: &str, holds: String) -> Check {
    Check::new(
        status(var(app.to_owned())),
        Expect::Matches("State : (FINISHED|KILLED|FAILED)".into()),
        holds,
    )
    .waiting(180)
}

/// The application in `rollback` runs, or, when the rollback never set it,
/// the one in `app`.
pub fn either_running(app: &str, rollback: &str, holds: String) -> Check {
    Check::new(
        Command::local(vec![
            Word::Join(vec![Word::Raw("app="), var(app.to_owned())]),
            Word::Raw("; if [ -n"),
            var(rollback.to_owned()),
            Word::Raw("]; then"),
            Word::Join(vec![Word::Raw("app="), var(rollback.to_owned())]),
            Word::Raw("; fi; yarn application -status \"$app\""),
        ]),
        Expect::Matches("State : RUNNING".into()),
        holds,
    )
    .waiting(60)
}

/// `echo stop | <home>/bin/yarn-session.sh -id <session>`: the graceful
/// stop the YARN docs give.
pub fn stop_session(home: &str, session: &str) -> Command {
    Command::local(vec![
        Word::Raw("echo stop |"),
        Word::Raw(HADOOP_CLASSPATH),
        Word::Join(vec![var(home.to_owned()), lit("/bin/yarn-session.sh")]),
        lit("-id"),
        var(session.to_owned()),
    ])
}

/// `<home>/bin/yarn-session.sh --detached -nm <name> [-D…]`.
pub fn start_session(home: &str, name: &str, provided: Option<&str>) -> Vec<Word> {
    let mut words = vec![
        Word::Raw(HADOOP_CLASSPATH),
        Word::Join(vec![var(home.to_owned()), lit("/bin/yarn-session.sh")]),
        lit("--detached"),
        lit("-nm"),
        var(name.to_owned()),
    ];
    if let Some(d) = provided {
        words.push(Word::Join(vec![
            lit("-Dyarn.provided.lib.dirs="),
            var(d.to_owned()),
        ]));
    }
    words
}

/// `yarn application -kill <app>`.
pub fn kill(app: &str) -> Command {
    Command::local(vec![
        lit("yarn"),
        lit("application"),
        lit("-kill"),
        var(app.to_owned()),
    ])
}
