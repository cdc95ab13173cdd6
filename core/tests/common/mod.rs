//! Helpers shared by the Flink test files: scenarios, versions, fake Flink
//! installations and the external tools (bash, shellcheck) the script tests
//! run.

#![allow(dead_code)]

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use waymark_core::flink::scenario::Scenario as FlinkScenario;
use waymark_core::flink::{matrix, rules, versions};
use waymark_core::plan::Plan;
use waymark_core::version::Version;
use waymark_core::Scenario;

/// A job id that passes the link's 32-hex check.
pub const JOB_ID: &str = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
pub const JOB_ID_2: &str = "0f9e8d7c6b5a49382716051423324150";
pub const JOB_ID_3: &str = "00112233445566778899aabbccddeeff";

/// The job id every fake `flink run` reports.
pub const FAKE_NEW_JOB_ID: &str = "0123456789abcdef0123456789abcdef";

// ---------------------------------------------------------------- scenarios

/// Parses a link that must be a valid Flink scenario.
pub fn flink_scenario(link: &str) -> FlinkScenario {
    match Scenario::from_link(link) {
        Ok(Scenario::Flink(s)) => s,
        Ok(other) => panic!("{link} is not a Flink scenario: {other:?}"),
        Err(problems) => panic!("{link} should parse, got {problems:?}"),
    }
}

/// Plans a link that must be valid.
pub fn plan(link: &str) -> Plan {
    waymark_core::plan_link(link).unwrap_or_else(|p| panic!("{link} should plan, got {p:?}"))
}

/// A minimal Flink link from `from` to `to` with extra `&key=value` text.
pub fn link(from: &str, to: &str, extra: &str) -> String {
    format!("platform=flink&from={from}&to={to}{extra}")
}

/// `&job1.id=…&job1.jar=…` for one plain job.
pub fn one_job() -> String {
    format!("&job1.id={JOB_ID}&job1.name=orders&job1.jar=/apps/orders.jar&job1.class=com.acme.Orders&job1.args=--env%20prod&job1.parallelism=4")
}

/// `&uses=…` for a comma-separated feature list ("" for none).
pub fn uses(features: &str) -> String {
    if features.is_empty() {
        String::new()
    } else {
        format!("&uses={features}")
    }
}

/// Feature sets to sweep, as link `uses` values.
pub const FEATURE_SETS: [&str; 9] = [
    "",
    "cep",
    "scala-collections",
    "scala-case-classes",
    "broadcast-state",
    "cep,scala-collections,scala-case-classes,broadcast-state",
    "table-sql,legacy-kafka,custom-serializers,unaligned-checkpoints",
    "dataset,scala-api,source-sink-function",
    "semi-async-rocksdb",
];

// ----------------------------------------------------------------- versions

pub fn v(text: &str) -> Version {
    Version::parse(text).unwrap_or_else(|e| panic!("{e}"))
}

/// Every minor line Waymark knows, oldest first.
pub fn lines() -> Vec<Version> {
    versions::all().map(|r| r.line).collect()
}

/// Every known patch release of every line.
pub fn all_patches() -> Vec<Version> {
    versions::all()
        .flat_map(|r| {
            r.patches
                .iter()
                .map(move |&p| Version::patch(r.line.major, r.line.minor, p))
        })
        .collect()
}

/// Versions to sweep as sources and targets: every line plus the patches the
/// rules single out.
pub fn sweep_versions() -> Vec<Version> {
    let mut out = lines();
    for p in [
        "1.3.0", "1.4.0", "1.4.1", "1.4.2", "1.5.0", "1.6.0", "1.6.2", "1.6.3", "1.7.0", "1.7.1",
        "1.15.0", "1.15.1", "1.15.4", "1.20.1",
    ] {
        out.push(v(p));
    }
    out.sort();
    out
}

/// The patches the reference names as broken for some state.
pub fn known_bad_patches() -> Vec<Version> {
    [
        "1.4.0", "1.4.1", "1.6.0", "1.6.1", "1.6.2", "1.7.0", "1.15.0", "1.15.1",
    ]
    .iter()
    .map(|s| v(s))
    .collect()
}

/// May a savepoint from `a` be resumed on `b` for this scenario's jobs?
/// Written from the public API, independently of the route module.
pub fn hop_ok(a: Version, b: Version, s: &FlinkScenario) -> bool {
    matrix::compat(a, b).0 != matrix::Compat::No && rules::blocking_rules(a, b, s).is_empty()
}

/// Parses the plan's path back into versions.
pub fn path_versions(plan: &Plan) -> Vec<Version> {
    plan.path.iter().map(|p| v(p)).collect()
}

// ------------------------------------------------------------- directories

/// A fresh directory under the target dir's tmp (removed on drop).
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let base = std::env::var_os("CARGO_TARGET_TMPDIR")
            .map(PathBuf::from)
            .unwrap_or_else(std::env::temp_dir);
        let dir = base.join(format!(
            "waymark-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("create temp dir");
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if std::env::var_os("WAYMARK_KEEP_TMP").is_none() {
            let _ = fs::remove_dir_all(&self.0);
        }
    }
}

pub fn write_executable(path: &Path, text: &str) {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).expect("create dir");
    }
    fs::write(path, text).expect("write script");
    let mut perm = fs::metadata(path).expect("stat").permissions();
    perm.set_mode(0o755);
    fs::set_permissions(path, perm).expect("chmod");
}

// ------------------------------------------------------------ fake Flink

/// The savepoint path every fake `flink stop` reports (with the job id after
/// it, so each job gets its own).
pub const FAKE_SAVEPOINT_PREFIX: &str = "file:/tmp/sp/savepoint-xyz";

/// Installs a fake Flink into `home`: `bin/flink`, `bin/start-cluster.sh`,
/// `bin/stop-cluster.sh` and `bin/migrate-config-file.sh`. Every call appends
/// a record to `log_dir` (one file per call, numbered, argv NUL-separated,
/// the first field naming the installation `label`) and touches
/// `bin/.ran`. The cluster scripts mark the REST address `rest` up or down
/// for [`fake_curl`].
pub fn fake_flink_home(home: &Path, label: &str, log_dir: &Path, rest: &str) {
    fs::create_dir_all(log_dir).expect("log dir");
    let log = |body: &str| {
        format!(
            r#"#!/usr/bin/env bash
LOG_DIR={log}
REST={rest}
: >"$(dirname "$0")/.ran"
n=$(cat "$LOG_DIR/count" 2>/dev/null || echo 0)
n=$((n + 1))
printf '%s\n' "$n" >"$LOG_DIR/count"
printf '%s\0' {label} "$(basename "$0")" "$@" >"$LOG_DIR/call-$(printf '%04d' "$n")"
{body}
"#,
            log = waymark_core::shell::quote(&log_dir.to_string_lossy()),
            rest = waymark_core::shell::quote(rest),
            label = waymark_core::shell::quote(label),
        )
    };
    let flink_body = format!(
        r#"action=${{1:-}}
last=${{!#}}
case "$action" in
  stop) printf 'Suspending job "%s" with a savepoint.\nSavepoint completed. Path: {sp}-%s\n' "$last" "$last"
        printf '%s\n' "{sp}-$last" >>"$LOG_DIR/savepoints" ;;
  savepoint) printf 'Triggering savepoint for job %s.\nSavepoint completed. Path: {sp}-%s\nYou can resume your program from this savepoint with the run command.\n' "$2" "$2"
        printf '%s\n' "{sp}-$2" >>"$LOG_DIR/savepoints" ;;
  cancel) if [[ ${{2:-}} == -s ]]; then
            printf 'Cancelling job %s with savepoint to default savepoint directory.\nCancelled job %s. Savepoint stored in {sp}-%s.\n' "$last" "$last" "$last"
            printf '%s\n' "{sp}-$last" >>"$LOG_DIR/savepoints"
          else
            printf 'Cancelling job %s.\nCancelled job %s.\n' "$last" "$last"
          fi ;;
  run) printf 'Job has been submitted with JobID {id}\n' ;;
  list) printf 'Waiting for response...\nNo running jobs.\n' ;;
  *) printf 'fake flink: unknown action %s\n' "$action" >&2; exit 1 ;;
esac
"#,
        sp = FAKE_SAVEPOINT_PREFIX,
        id = FAKE_NEW_JOB_ID,
    );
    let bin = home.join("bin");
    write_executable(&bin.join("flink"), &log(&flink_body));
    write_executable(
        &bin.join("start-cluster.sh"),
        &log(r#": >"$LOG_DIR/up-$REST""#),
    );
    write_executable(
        &bin.join("stop-cluster.sh"),
        &log(r#"rm -f "$LOG_DIR/up-$REST""#),
    );
    write_executable(&bin.join("migrate-config-file.sh"), &log("exit 0"));
}

/// Marks the cluster at `rest` as already running (the old cluster).
pub fn cluster_up(log_dir: &Path, rest: &str) {
    fs::create_dir_all(log_dir).expect("log dir");
    fs::write(log_dir.join(format!("up-{rest}")), "").expect("mark up");
}

/// A fake `curl` for the REST checks: `/overview` answers while a fake
/// cluster at that address is up; `/jobs/<id>/checkpoints` names the
/// savepoints the fake clusters reported, as the restored path.
pub fn fake_curl(bin_dir: &Path, log_dir: &Path) {
    write_executable(
        &bin_dir.join("curl"),
        &format!(
            r#"#!/usr/bin/env bash
LOG_DIR={log}
url=""
for a in "$@"; do case "$a" in http://*) url=$a ;; esac; done
rest=${{url#http://}}
addr=${{rest%%/*}}
case "$rest" in
  */overview) [[ -e "$LOG_DIR/up-$addr" ]] || exit 7
    printf '{{"taskmanagers":1,"slots-total":4,"flink-version":"fake"}}
' ;;
  */checkpoints) printf '{{"latest":{{"restored":{{"external_path":"%s"}}}}}}
' "$(tr '
' ' ' <"$LOG_DIR/savepoints" 2>/dev/null)" ;;
  *) exit 22 ;;
esac
"#,
            log = waymark_core::shell::quote(&log_dir.to_string_lossy())
        ),
    );
}

/// One call to a fake binary: the installation label, the program name and
/// its arguments.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub home: String,
    pub program: String,
    pub args: Vec<String>,
}

/// The calls the fakes logged, in order.
pub fn calls(log_dir: &Path) -> Vec<Call> {
    let mut files: Vec<PathBuf> = match fs::read_dir(log_dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("call-"))
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    files.sort();
    files
        .iter()
        .map(|f| {
            let bytes = fs::read(f).expect("read call log");
            let mut fields: Vec<String> = bytes
                .split(|b| *b == 0)
                .map(|b| String::from_utf8_lossy(b).into_owned())
                .collect();
            fields.pop(); // after the last NUL
            let home = fields.remove(0);
            let program = fields.remove(0);
            Call {
                home,
                program,
                args: fields,
            }
        })
        .collect()
}

// ------------------------------------------------------------------- tools

/// Is `tool` runnable? When it is not and WAYMARK_REQUIRE_TOOLS=1, panics;
/// otherwise prints a skip note and returns false.
pub fn have_tool(tool: &str) -> bool {
    let ok = Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        if std::env::var("WAYMARK_REQUIRE_TOOLS").as_deref() == Ok("1") {
            panic!("{tool} is required (WAYMARK_REQUIRE_TOOLS=1) but not installed");
        }
        eprintln!("SKIP: {tool} is not installed; install it (apt-get install -y {tool}) to run this check");
    }
    ok
}

/// Runs `bash script args…` in `cwd` with extra environment and PATH entries
/// first.
pub fn run_script(
    script: &Path,
    args: &[&str],
    cwd: &Path,
    env: &[(&str, &str)],
    path_first: Option<&Path>,
) -> Output {
    let mut cmd = Command::new("bash");
    cmd.arg(script).args(args).current_dir(cwd);
    cmd.stdin(std::process::Stdio::null());
    for (k, val) in env {
        cmd.env(k, val);
    }
    if let Some(dir) = path_first {
        let old = std::env::var("PATH").unwrap_or_default();
        cmd.env("PATH", format!("{}:{old}", dir.display()));
    }
    cmd.output().expect("run bash")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The workspace root (the repo).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("core has a parent")
        .to_path_buf()
}
