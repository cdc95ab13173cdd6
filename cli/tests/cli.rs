//! The `waymark` binary, run from the repo root as a person would.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const EXAMPLE: &str = "platform=flink&from=1.17&to=1.20&strategy=in-place&uids=all\
    &savepoint-dir=s3://b/sp&job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.name=orders\
    &job1.jar=/apps/orders.jar&job1.args=--env%20prod";

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn waymark(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_waymark"))
        .args(args)
        .current_dir(repo_root())
        .stdin(Stdio::null())
        .output()
        .expect("run waymark")
}

fn out(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn ok(args: &[&str]) -> String {
    let o = waymark(args);
    assert!(o.status.success(), "waymark {args:?}: {}", err(&o));
    out(&o)
}

#[test]
fn plan_prints_markdown_by_default_with_task_items() {
    let md = ok(&["plan", EXAMPLE]);
    assert_eq!(md, ok(&["plan", EXAMPLE, "--format", "md"]));
    assert!(md.starts_with("# "), "{md}");
    assert!(
        md.lines()
            .filter(|l| l.trim_start().starts_with("- [ ] "))
            .count()
            >= 5
    );
    assert!(md.contains("flink stop --savepointPath s3://b/sp a1b2c3d4e5f60718293a4b5c6d7e8f90"));
}

#[test]
fn plan_accepts_a_whole_url_and_format_spellings() {
    let q = ok(&["plan", EXAMPLE, "-f", "json"]);
    let url = ok(&[
        "plan",
        &format!("https://waymark.example/app/?{EXAMPLE}#top"),
        "--format=json",
    ]);
    assert_eq!(q, url);
}

#[test]
fn plan_prints_a_bash_script() {
    let sh = ok(&["plan", EXAMPLE, "--format", "sh"]);
    assert!(sh.starts_with("#!/usr/bin/env bash\n"));
    assert!(sh.contains("set -euo pipefail"));
    let check = Command::new("bash")
        .arg("-n")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin.take().unwrap().write_all(sh.as_bytes())?;
            c.wait_with_output()
        })
        .expect("bash -n");
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

fn strs(v: &Value, field: &str) -> String {
    v[field]
        .as_str()
        .unwrap_or_else(|| panic!("{field} is not a string in {v}"))
        .to_string()
}

#[test]
fn plan_prints_json_with_the_documented_fields() {
    for link in [
        EXAMPLE,
        "platform=flink&from=1.7&to=1.20",
        "platform=flink&from=1.20&to=1.18",
    ] {
        let doc: Value =
            serde_json::from_str(&ok(&["plan", link, "--format", "json"])).expect("valid JSON");
        let verdict = strs(&doc, "verdict");
        assert!(
            ["direct", "stops", "blocked"].contains(&verdict.as_str()),
            "{verdict}"
        );
        let path = doc["path"].as_array().expect("path");
        assert!(path.len() >= 2 && path.iter().all(Value::is_string));
        for f in doc["findings"].as_array().expect("findings") {
            assert!(["blocker", "warning", "info"].contains(&strs(f, "severity").as_str()));
            for field in ["code", "title", "detail"] {
                assert!(!strs(f, field).is_empty(), "{field} in {f}");
            }
            for s in f["sources"].as_array().expect("sources") {
                assert!(strs(s, "url").starts_with("https://"));
                assert!(!strs(s, "title").is_empty());
            }
        }
        let phases = doc["phases"].as_array().expect("phases");
        if verdict != "blocked" {
            assert!(!phases.is_empty());
        }
        for p in phases {
            assert!(!strs(p, "id").is_empty() && !strs(p, "title").is_empty());
            for s in p["steps"].as_array().expect("steps") {
                for field in ["id", "title", "detail", "verify", "rollback"] {
                    let _ = strs(s, field);
                }
                assert!(s["commands"]
                    .as_array()
                    .expect("commands")
                    .iter()
                    .all(Value::is_string));
            }
        }
        let blocked_by_findings = doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["severity"] == "blocker");
        assert_eq!(verdict == "blocked", blocked_by_findings, "{link}");
    }
}

#[test]
fn a_bad_key_or_value_exits_2_and_names_it_with_the_allowed_values() {
    let o = waymark(&["plan", "platform=flink&from=1.17&to=1.20&strategy=sideways"]);
    assert_eq!(o.status.code(), Some(2));
    let e = err(&o);
    assert!(
        e.contains("strategy") && e.contains("in-place") && e.contains("shadow-copy"),
        "{e}"
    );
    assert!(out(&o).is_empty(), "nothing on stdout on error");

    let o = waymark(&["plan", "platform=flink&from=1.17&to=1.20&colour=blue"]);
    assert_eq!(o.status.code(), Some(2));
    let e = err(&o);
    assert!(e.contains("colour") && e.contains("savepoint-dir"), "{e}");

    let o = waymark(&["plan", "platform=flink&from=1.17&to=9.9"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("to") && err(&o).contains("9.9"),
        "{}",
        err(&o)
    );
}

#[test]
fn a_bad_format_or_usage_exits_2() {
    for args in [
        &["plan", EXAMPLE, "--format", "pdf"][..],
        &["plan", EXAMPLE, "--format"],
        &["plan"],
        &["plan", EXAMPLE, "--frobnicate"],
        &["frobnicate"],
    ] {
        let o = waymark(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", err(&o));
        assert!(!err(&o).is_empty(), "{args:?} says nothing");
    }
    let e = err(&waymark(&["plan", EXAMPLE, "--format", "pdf"]));
    assert!(
        e.contains("pdf") && e.contains("md") && e.contains("json"),
        "{e}"
    );
}

#[test]
fn help_documents_plan_format_and_exit_codes() {
    let help = ok(&["--help"]);
    for needle in ["plan", "--format", "md", "sh", "json", " 2"] {
        assert!(help.contains(needle), "--help lacks {needle}:\n{help}");
    }
    assert!(
        help.to_lowercase().contains("exit"),
        "--help documents exit codes:\n{help}"
    );
}

#[test]
fn example_links_plan() {
    let link = ok(&["example"]);
    let md = ok(&["plan", link.trim()]);
    assert!(md.contains("- [ ] "));
}

#[test]
fn output_writes_a_file() {
    let dir = std::env::temp_dir().join(format!("waymark-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("plan.json");
    let o = waymark(&["plan", EXAMPLE, "-f", "json", "-o", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", err(&o));
    let written = std::fs::read_to_string(&file).unwrap();
    assert_eq!(written, ok(&["plan", EXAMPLE, "-f", "json"]));
    let _ = std::fs::remove_dir_all(&dir);
}
