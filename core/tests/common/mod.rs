//! Helpers shared by the Flink test files: scenarios, versions, fake Flink
//! installations and the external tools (bash, shellcheck) the script tests
//! run.

#![allow(dead_code)]

pub mod golden;
pub mod rig;

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

/// The fake Flink world the script tests run against: stateful clusters,
/// jobs, savepoints and a REST API (`tests/fixtures/fake_flink.sh`).
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn fake_wrapper(path: &Path, label: &str, world: &Path, rest: &str, version: &str, prog: &str) {
    let q = |s: &str| waymark_core::shell::quote(s);
    write_executable(
        path,
        &format!(
            "#!/usr/bin/env bash\nFAKE_LABEL={} FAKE_WORLD={} FAKE_REST={} FAKE_VERSION={} FAKE_PROG={}\n: >\"$(dirname \"$0\")/.ran\"\nsource {} \"$@\"\n",
            q(label),
            q(&world.to_string_lossy()),
            q(rest),
            q(version),
            q(prog),
            q(&fixture("fake_flink.sh").to_string_lossy()),
        ),
    );
}

/// Installs a fake Flink `version` into `home` (`bin/flink`, the cluster
/// scripts, `migrate-config-file.sh`, `lib/flink-dist-<version>.jar`) whose
/// cluster answers at `rest`. Calls are logged in `world` under `label`.
pub fn fake_flink_home(home: &Path, label: &str, world: &Path, rest: &str, version: &str) {
    fs::create_dir_all(world).expect("world dir");
    for prog in [
        "flink",
        "start-cluster.sh",
        "stop-cluster.sh",
        "migrate-config-file.sh",
        "kubernetes-session.sh",
    ] {
        fake_wrapper(
            &home.join("bin").join(prog),
            label,
            world,
            rest,
            version,
            prog,
        );
    }
    fs::create_dir_all(home.join("lib")).expect("lib dir");
    fs::write(home.join(format!("lib/flink-dist-{version}.jar")), "").expect("dist jar");
    // The configuration file its version reads, and the S3 plugin.
    let v = Version::parse(version).expect("version");
    let conf = waymark_core::flink::config_file::files(v)
        .last()
        .copied()
        .unwrap_or("flink-conf.yaml");
    fs::create_dir_all(home.join("conf")).expect("conf dir");
    fs::write(home.join("conf").join(conf), "parallelism.default: 1\n").expect("conf file");
    let plugin = home.join("plugins/s3-fs-hadoop");
    fs::create_dir_all(&plugin).expect("plugins dir");
    fs::write(plugin.join(format!("flink-s3-fs-hadoop-{version}.jar")), "").expect("plugin jar");
}

/// Installs the fake `curl` that answers for the world's clusters.
pub fn fake_curl(bin_dir: &Path, world: &Path) {
    fake_wrapper(&bin_dir.join("curl"), "curl", world, "", "", "curl");
}

/// Marks a cluster of `version` as running at `rest`, with `jobs` running.
pub fn cluster_up(world: &Path, rest: &str, version: &str, jobs: &[&str]) {
    fs::create_dir_all(world.join("up")).expect("world dir");
    fs::write(world.join("up").join(rest), format!("{version}\n")).expect("mark up");
    let dir = world.join("jobs").join(rest);
    fs::create_dir_all(&dir).expect("jobs dir");
    for id in jobs {
        fs::write(dir.join(id), "job\t\n").expect("job");
    }
}

/// The ids of the jobs running at `rest`, sorted.
pub fn running_jobs(world: &Path, rest: &str) -> Vec<String> {
    let mut ids: Vec<String> = fs::read_dir(world.join("jobs").join(rest))
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    ids.sort();
    ids
}

/// The savepoint each running job at `rest` restored from, by id.
pub fn restored_from(world: &Path, rest: &str, id: &str) -> String {
    let text = fs::read_to_string(world.join("jobs").join(rest).join(id)).unwrap_or_default();
    text.trim_end().split('\t').nth(1).unwrap_or("").to_string()
}

/// Every savepoint taken, as (job id, path).
pub fn savepoints(world: &Path) -> Vec<(String, String)> {
    fs::read_to_string(world.join("savepoints"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

/// Jobs a cluster shutdown killed without a savepoint.
pub fn killed(world: &Path) -> Vec<String> {
    fs::read_to_string(world.join("killed"))
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect()
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
