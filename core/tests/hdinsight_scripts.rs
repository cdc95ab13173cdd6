//! Every generated HDInsight script passes `bash -n` and `shellcheck`.
//! Without shellcheck the test skips with a note, or fails when
//! WAYMARK_REQUIRE_TOOLS=1.

mod hdinsight_common;

use std::io::Write;
use std::process::{Command, Stdio};

use waymark_core::render::Format;

fn have(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

fn check(tool: &[&str], name: &str, script: &str) -> Result<(), String> {
    let mut child = Command::new(tool[0])
        .args(&tool[1..])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{}: {e}", tool[0]))?;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{name}: {} failed:\n{}{}",
            tool.join(" "),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

#[test]
fn scripts_pass_bash_n_and_shellcheck() {
    let require = std::env::var("WAYMARK_REQUIRE_TOOLS").is_ok_and(|v| v == "1");
    let shellcheck = have("shellcheck");
    if !shellcheck {
        assert!(!require, "shellcheck is missing and WAYMARK_REQUIRE_TOOLS=1: install it (apt-get install -y shellcheck)");
        eprintln!("note: shellcheck is not installed; only bash -n runs (set WAYMARK_REQUIRE_TOOLS=1 to make this fail)");
    }
    let mut failures = Vec::new();
    let dir = std::env::temp_dir().join(format!("waymark-hdi-scripts-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut files = Vec::new();
    for (name, link) in hdinsight_common::scenarios() {
        let plan = waymark_core::plan_link(&link).unwrap();
        let script = Format::Script.render(&plan);
        if let Err(e) = check(&["bash", "-n"], &name, &script) {
            failures.push(e);
        }
        let path = dir.join(format!("{name}.sh"));
        std::fs::write(&path, &script).unwrap();
        files.push(path);
    }
    if shellcheck {
        // One run for all files (shellcheck starts slowly); warnings and errors fail.
        let out = Command::new("shellcheck")
            .args(["-S", "warning", "-s", "bash"])
            .args(&files)
            .output()
            .expect("shellcheck");
        if !out.status.success() {
            failures.push(format!(
                "shellcheck:\n{}",
                String::from_utf8_lossy(&out.stdout)
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn dry_run_prints_every_phase_without_secrets_in_the_file() {
    let link = hdinsight_common::link("hbase", "4.0", "5.1");
    let plan = waymark_core::plan_link(&link).unwrap();
    let script = Format::Script.render(&plan);
    assert!(script.contains("HTTP_PASSWORD=${HTTP_PASSWORD:-}"));
    let out = Command::new("bash")
        .args(["-c", &script, "waymark", "--dry-run"])
        .env("HTTP_PASSWORD", "dry-run-secret-7f3a")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    for phase in [
        "Phase 1: Prepare",
        "Phase 2: Pre-flight",
        "Phase 3: Cutover",
        "Phase 4: Verify",
        "Phase 5: Rollback",
        "Phase 6: Decommission",
    ] {
        assert!(stdout.contains(phase), "{phase}:\n{stdout}");
    }
    assert!(stdout.contains("az hdinsight show"));
    assert!(
        !stdout.contains("dry-run-secret-7f3a"),
        "a dry run printed a secret:\n{stdout}"
    );
}
