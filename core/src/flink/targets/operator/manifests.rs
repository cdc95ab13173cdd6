//! The operator's resources as the runbook changes them: merge patches as
//! command words (values stay variables), and full manifests as documents
//! for people who keep their resources in Git (values filled in,
//! YAML-quoted).

use crate::plan::{Command, Document, Word};
use crate::version::Version;

use super::super::super::scenario::Job;
use super::super::kube::{self, lit, var};

/// The CRD group and version every resource here uses.
pub const API_VERSION: &str = "flink.apache.org/v1beta1";

/// `v1_20`: the `flinkVersion` enum value of a Flink line.
pub fn flink_version(v: Version) -> String {
    format!("v{}_{}", v.major, v.minor)
}

/// A YAML double-quoted scalar: backslashes, quotes and control characters
/// escaped, so any value reads back as written.
pub fn yaml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Fields of `spec.job` a full manifest shows.
pub struct JobSpec<'a> {
    pub job: &'a Job,
    pub jar: &'a str,
    pub extra: &'a [(&'a str, String)],
}

fn job_yaml(out: &mut String, j: &JobSpec<'_>, state: &str) {
    out.push_str("  job:\n");
    out.push_str(&format!("    jarURI: {}\n", yaml_str(j.jar)));
    if !j.job.class.is_empty() {
        out.push_str(&format!("    entryClass: {}\n", yaml_str(&j.job.class)));
    }
    let args = j.job.arg_words();
    if !args.is_empty() {
        let items: Vec<String> = args.iter().map(|a| yaml_str(a)).collect();
        out.push_str(&format!("    args: [{}]\n", items.join(", ")));
    }
    if let Some(p) = j.job.parallelism {
        out.push_str(&format!("    parallelism: {p}\n"));
    }
    out.push_str("    upgradeMode: savepoint\n");
    out.push_str(&format!("    state: {state}\n"));
    for (k, v) in j.extra {
        out.push_str(&format!("    {k}: {v}\n"));
    }
}

fn header(kind: &str, name: &str, ns: &str) -> String {
    format!("apiVersion: {API_VERSION}\nkind: {kind}\nmetadata:\n  name: {name}\n  namespace: {ns}\nspec:\n  # Keep the fields this runbook does not change (serviceAccount,\n  # flinkConfiguration, jobManager, taskManager, podTemplate) as they are.\n")
}

/// A `FlinkDeployment` as the change leaves it: `image` and `flinkVersion`
/// together, and the job (`None` for a session cluster).
pub fn deployment(
    name: &str,
    ns: &str,
    image: &str,
    v: Version,
    job: Option<&JobSpec<'_>>,
) -> Document {
    let mut text = header("FlinkDeployment", name, ns);
    text.push_str(&format!(
        "  image: {}\n  flinkVersion: {}\n",
        yaml_str(image),
        flink_version(v)
    ));
    if let Some(j) = job {
        job_yaml(&mut text, j, "running");
    }
    Document {
        name: format!(
            "{name}-flinkdeployment-{}.yaml",
            flink_version(v).replace('_', "-")
        ),
        lang: "yaml",
        text,
        written: false,
    }
}

/// A `FlinkSessionJob` in session `session` as the change leaves it.
pub fn session_job(name: &str, ns: &str, session: &str, j: &JobSpec<'_>, v: Version) -> Document {
    let mut text = header("FlinkSessionJob", name, ns);
    text.push_str(&format!("  deploymentName: {session}\n"));
    job_yaml(&mut text, j, "running");
    Document {
        name: format!(
            "{name}-flinksessionjob-{}.yaml",
            flink_version(v).replace('_', "-")
        ),
        lang: "yaml",
        text,
        written: false,
    }
}

/// The `FlinkStateSnapshot` that takes a savepoint of `resource` (of
/// `kind`) before anything changes; written for `kubectl create -f`.
/// `disposeOnDelete: false` keeps the savepoint's files when the resource
/// is deleted.
pub fn snapshot(name: &str, ns: &str, kind: &str, resource: &str, dir: &str) -> Document {
    let mut text = format!(
        "apiVersion: {API_VERSION}\nkind: FlinkStateSnapshot\nmetadata:\n  name: {name}\n  namespace: {ns}\nspec:\n  backoffLimit: 1\n  jobReference:\n    kind: {kind}\n    name: {resource}\n  savepoint:\n    formatType: CANONICAL\n    disposeOnDelete: false\n"
    );
    if !dir.is_empty() {
        text.push_str(&format!("    path: {}\n", yaml_str(dir)));
    }
    Document {
        name: format!("{name}.yaml"),
        lang: "yaml",
        text,
        written: true,
    }
}

/// A JSON merge-patch word: fixed JSON text around variables. Values
/// enter as variables whose text needs no JSON escaping (Kubernetes names,
/// image references, a jar URI checked for quotes and backslashes).
pub fn json(parts: Vec<Word>) -> Word {
    // Adjacent literal text is one piece, so the command reads as one
    // quoted string around each value.
    let mut out: Vec<Word> = Vec::new();
    for p in parts {
        match (out.last_mut(), p) {
            (Some(Word::Lit(a)), Word::Lit(b)) => a.to_mut().push_str(&b),
            (_, p) => out.push(p),
        }
    }
    Word::Join(out)
}

/// `kubectl patch <kind> <name> --type merge -p <patch>`.
pub fn patch(kind: &str, name: &str, patch: Word) -> Command {
    kube::kubectl(vec![
        lit("patch"),
        lit(kind.to_owned()),
        var(name.to_owned()),
        lit("--type"),
        lit("merge"),
        lit("-p"),
        patch,
    ])
}

/// `{"spec":{"image":"$IMAGE","flinkVersion":"vX_Y"…`, then `rest` (which
/// closes the object).
pub fn version_patch(image: &str, v: Version, rest: Vec<Word>) -> Word {
    let mut parts = vec![
        lit("{\"spec\":{\"image\":\""),
        var(image.to_owned()),
        lit(format!("\",\"flinkVersion\":\"{}\"", flink_version(v))),
    ];
    parts.extend(rest);
    json(parts)
}

/// `,"job":{"jarURI":"$JAR","upgradeMode":"savepoint","state":"running"}}}`.
pub fn job_tail(jar: &str) -> Vec<Word> {
    vec![
        lit(",\"job\":{\"jarURI\":\""),
        var(jar.to_owned()),
        lit("\",\"upgradeMode\":\"savepoint\",\"state\":\"running\"}}}"),
    ]
}

/// The rollback's job patch: `initialSavepointPath` and a new
/// `savepointRedeployNonce` (the time in seconds: it differs from any
/// earlier nonce), in savepoint mode and running. `open` starts the JSON
/// up to `"job":{`.
pub fn redeploy_tail(jar: &str, savepoint: &str) -> Vec<Word> {
    vec![
        lit("\"job\":{\"jarURI\":\""),
        var(jar.to_owned()),
        lit("\",\"upgradeMode\":\"savepoint\",\"state\":\"running\",\"initialSavepointPath\":\""),
        var(savepoint.to_owned()),
        lit("\",\"savepointRedeployNonce\":"),
        Word::Raw("$(date +%s)"),
        lit("}}}"),
    ]
}
