//! Golden runbooks: scenarios rendered to Markdown, bash and JSON, compared
//! exactly with `core/tests/golden/<dir>/<name>.{md,sh,json}`.
//!
//! After an intended change, rewrite them with `WAYMARK_UPDATE_GOLDEN=1` and
//! read the diff as an operator would before committing.

use std::fs;
use std::path::PathBuf;

use waymark_core::render::Format;

fn golden_dir(dir: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(dir)
}

/// Compares (or, with `WAYMARK_UPDATE_GOLDEN=1`, rewrites) the golden files
/// of `scenarios` (name, link) in `golden/<dir>/`, and fails on files there
/// that belong to no scenario.
pub fn check(dir: &str, scenarios: &[(&str, &str)]) {
    let update = std::env::var("WAYMARK_UPDATE_GOLDEN").as_deref() == Ok("1");
    let dir = golden_dir(dir);
    fs::create_dir_all(&dir).expect("golden dir");
    let mut differ = Vec::new();
    for (name, link) in scenarios {
        let plan = super::plan(link);
        for (ext, format) in Format::ALL {
            let got = format.render(&plan);
            let path = dir.join(format!("{name}.{ext}"));
            if update {
                fs::write(&path, &got).expect("write golden");
                continue;
            }
            match fs::read_to_string(&path) {
                Ok(want) if want == got => {}
                Ok(want) => {
                    let line = want
                        .lines()
                        .zip(got.lines())
                        .position(|(a, b)| a != b)
                        .map_or(want.lines().count().min(got.lines().count()) + 1, |i| i + 1);
                    differ.push(format!(
                        "{}: first difference at line {line}\n  want: {:?}\n  got:  {:?}",
                        path.display(),
                        want.lines().nth(line - 1).unwrap_or("<end>"),
                        got.lines().nth(line - 1).unwrap_or("<end>")
                    ));
                }
                Err(_) => differ.push(format!("{} is missing", path.display())),
            }
        }
    }
    if let Ok(entries) = fs::read_dir(&dir) {
        for entry in entries.flatten() {
            let file = entry.file_name().to_string_lossy().into_owned();
            let known = scenarios.iter().any(|(name, _)| {
                Format::ALL
                    .iter()
                    .any(|(ext, _)| file == format!("{name}.{ext}"))
            });
            if !known {
                differ.push(format!(
                    "{file} in {} belongs to no scenario",
                    dir.display()
                ));
            }
        }
    }
    assert!(
        differ.is_empty(),
        "golden files differ (rerun with WAYMARK_UPDATE_GOLDEN=1 if the change is intended):\n{}",
        differ.join("\n")
    );
}
