//! Golden plans: one Markdown runbook per scenario, compared exactly.
//! Regenerate with `WAYMARK_UPDATE_GOLDEN=1 cargo test -p waymark-core --test hdinsight_golden`.

mod hdinsight_common;

use std::path::PathBuf;

use waymark_core::render::Format;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden/hdinsight")
}

#[test]
fn golden_plans_match() {
    let update = std::env::var("WAYMARK_UPDATE_GOLDEN").is_ok_and(|v| v == "1");
    let mut failures = Vec::new();
    let mut index = String::new();
    for (name, link) in hdinsight_common::scenarios() {
        let plan = waymark_core::plan_link(&link).unwrap_or_else(|p| panic!("{name}: {p:?}"));
        let text = Format::Markdown.render(&plan);
        index.push_str(&format!("{name}\t{link}\n"));
        let path = dir().join(format!("{name}.md"));
        if update {
            std::fs::write(&path, &text).unwrap();
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(old) if old == text => {}
            Ok(_) => failures.push(format!("{name}: differs from {}", path.display())),
            Err(_) => failures.push(format!("{name}: {} is missing", path.display())),
        }
    }
    let index_path = dir().join("SCENARIOS.tsv");
    if update {
        std::fs::write(&index_path, &index).unwrap();
    } else if std::fs::read_to_string(&index_path).ok().as_deref() != Some(index.as_str()) {
        failures.push("SCENARIOS.tsv is out of date".into());
    }
    assert!(
        failures.is_empty(),
        "golden plans differ (rerun with WAYMARK_UPDATE_GOLDEN=1 and review the diff):\n{}",
        failures.join("\n")
    );
}

#[test]
fn one_golden_per_upgrade_combination() {
    let names: Vec<String> = hdinsight_common::scenarios()
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    // 6 version pairs × 5 cluster types, plus variants.
    for t in hdinsight_common::TYPES {
        for (i, from) in hdinsight_common::VERSIONS.iter().enumerate() {
            for to in &hdinsight_common::VERSIONS[i + 1..] {
                assert!(names.contains(&format!("{t}-{from}-to-{to}")));
            }
        }
    }
    assert!(names.len() >= 30);
}
