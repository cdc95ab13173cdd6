//! Renderers: a plan in, a document out. They never fail.

pub mod json;
pub mod markdown;
pub mod script;
#[cfg(test)]
mod test_plan;

use crate::plan::{Check, Frame, Plan, Value};

/// The export formats, by their CLI and file names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Script,
    Json,
}

impl Format {
    pub const ALL: [(&'static str, Format); 3] = [
        ("md", Format::Markdown),
        ("sh", Format::Script),
        ("json", Format::Json),
    ];

    pub fn parse(name: &str) -> Option<Format> {
        Self::ALL.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Script => "sh",
            Format::Json => "json",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Format::Markdown => "text/markdown",
            Format::Script => "text/x-shellscript",
            Format::Json => "application/json",
        }
    }

    pub fn render(self, plan: &Plan) -> String {
        match self {
            Format::Markdown => markdown::render(plan),
            Format::Script => script::render(plan),
            Format::Json => json::render(plan),
        }
    }
}

/// What an out-of-date file says about itself.
pub const OUT_OF_DATE: &str = "Out of date: this is the plan for the last valid scenario. The scenario being edited had problems when this file was saved; check the scenario link before you use it.";

/// Marks `text`, rendered in `format`, as out of date: saved from a page
/// whose scenario had problems, so it holds the last valid scenario's plan.
/// Markdown gets a quote at the top, the script a comment under its first
/// line (it still runs the plan it holds), JSON an `out_of_date` field.
pub fn mark_out_of_date(text: &str, format: Format) -> String {
    match format {
        Format::Markdown => format!("> **{OUT_OF_DATE}**\n\n{text}"),
        Format::Script => match text.split_once('\n') {
            Some((first, rest)) => format!("{first}\n# {OUT_OF_DATE}\n{rest}"),
            None => format!("# {OUT_OF_DATE}\n{text}"),
        },
        Format::Json => match text.strip_prefix("{\n") {
            Some(rest) => format!(
                "{{\n  \"out_of_date\": {},\n{rest}",
                serde_json::to_string(OUT_OF_DATE).unwrap_or_default()
            ),
            None => text.to_string(),
        },
    }
}

/// How long a check keeps trying, and what ends it at once: the note the
/// Markdown runbook and the web app show under a check's command; none for a
/// check made once. `code` marks literal output (backticks in Markdown).
pub fn check_note(check: &Check, code: &dyn Fn(&str) -> String) -> Option<String> {
    let s = check.wait;
    let mut out = match s {
        0 => return None,
        1..=119 => format!("Tries for up to {s} seconds"),
        _ if s % 60 == 0 => format!("Tries for up to {} minutes", s / 60),
        _ => format!("Tries for about {} minutes", (s + 30) / 60),
    };
    if let Some(text) = &check.fails_on {
        out.push_str("; output with ");
        out.push_str(&code(text));
        out.push_str(" fails it at once");
    }
    out.push('.');
    Some(out)
}

/// The soak in words, after a "Soak:" label: "3 days before the
/// decommission. Watch: …". None when the frame has no soak.
pub fn soak_words(frame: &Frame) -> Option<String> {
    if frame.soak_days == 0 && frame.watch.is_empty() {
        return None;
    }
    let n = frame.soak_days;
    let s = if n == 1 { "" } else { "s" };
    Some(format!(
        "{n} day{s} before the decommission. Watch: {}",
        frame.watch
    ))
}

/// What the decommission asks for, after a "Decommission:" label, with the
/// value to type when the plan knows it: "cannot be undone; it starts only
/// when you type the old installation directory (`/opt/flink-1.17`)."
pub fn decommission_words(plan: &Plan, code: &dyn Fn(&str) -> String) -> Option<String> {
    let (var, what) = plan.frame.decommission_confirm.as_ref()?;
    let value = plan.variables.iter().find(|v| &v.name == var);
    let shown = match value.map(|v| &v.value) {
        Some(Value::Text(text)) => code(text),
        _ => code(var),
    };
    Some(format!(
        "cannot be undone; it starts only when you type {what} ({shown})."
    ))
}

/// A file name for an export of `plan`, such as
/// `waymark-flink-1.17-1.20-orders.sh`: the platform, the versions and what
/// tells one scenario of them from another (the HDInsight cluster; the Flink
/// deployment when not the default, and the first job's name), so two
/// downloads do not collide (web review m13). Only `a-z`, `0-9`, `-` and the
/// versions' dots, at most [`NAME_TAG_MAX`] characters of scenario.
pub fn file_name(plan: &Plan, format: Format) -> String {
    let path = match (plan.path.first(), plan.path.last()) {
        (Some(a), Some(b)) => format!("-{}-{}", safe_part(a), safe_part(b)),
        _ => String::new(),
    };
    let tag = name_tag(plan);
    let tag = if tag.is_empty() {
        tag
    } else {
        format!("-{tag}")
    };
    format!(
        "waymark-{}{path}{tag}.{}",
        plan.platform,
        format.extension()
    )
}

/// The most characters of scenario a file name carries.
pub const NAME_TAG_MAX: usize = 40;

/// What distinguishes the plan's scenario among those of the same versions,
/// from its canonical link, made safe for a file name (empty when nothing
/// does).
fn name_tag(plan: &Plan) -> String {
    let Ok(pairs) = crate::link::Pairs::parse(&plan.link) else {
        return String::new();
    };
    let first_job = || {
        (1..=crate::flink::scenario::MAX_JOBS)
            .find_map(|n| pairs.get(&format!("job{n}.name")).filter(|v| !v.is_empty()))
    };
    let parts = match plan.platform {
        "hdinsight" => vec![pairs.get("cluster")],
        _ => vec![pairs.get("deployment"), first_job()],
    };
    let mut tag = String::new();
    for part in parts.into_iter().flatten() {
        let part = slug(part);
        if part.is_empty() {
            continue;
        }
        if !tag.is_empty() {
            tag.push('-');
        }
        tag.push_str(&part);
    }
    // ASCII only, so any cut is at a character boundary.
    tag.truncate(NAME_TAG_MAX);
    tag.trim_end_matches('-').to_string()
}

/// `text` lowercased, with every run of other characters than `a-z` and
/// `0-9` one `-`, none at the ends.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// A version as a file name part: digits and dots only.
fn safe_part(version: &str) -> String {
    version
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.')
        .collect()
}

#[cfg(test)]
mod file_name_tests {
    use super::*;

    fn name(link: &str) -> String {
        let plan = crate::plan_link(link).expect("plans");
        file_name(&plan, Format::Markdown)
    }

    const JOB: &str = "job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.jar=/a.jar";

    #[test]
    fn names_carry_the_scenario_so_downloads_do_not_collide() {
        let hdi = "platform=hdinsight&resource-group=rg&location=westeurope&vnet=data-vnet&subnet=hdi&workers=4&from=4.0&to=5.1&cluster-type=hbase&new-cluster=new-hb&storage-account=salesdata";
        let a = name(&format!("{hdi}&cluster=Sales-HB-40"));
        let b = name(&format!("{hdi}&cluster=events-hb-40"));
        assert_eq!(a, "waymark-hdinsight-4.0-5.1-sales-hb-40.md");
        assert_ne!(a, b);

        let flink = "platform=flink&from=1.17&to=1.20";
        assert_eq!(name(flink), "waymark-flink-1.17-1.20.md", "nothing to add");
        let orders = name(&format!("{flink}&{JOB}&job1.name=orders"));
        assert_eq!(orders, "waymark-flink-1.17-1.20-orders.md");
        let kube = name("platform=flink&from=1.18&to=1.20&deployment=kubernetes-session&savepoint-dir=s3://f/s&namespace=flink&cluster-id=analytics&image=registry.example/flink:1.20.1-java17&job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.name=Orders_EU&job1.jar=/a.jar");
        assert_eq!(
            kube,
            "waymark-flink-1.18-1.20-kubernetes-session-orders-eu.md"
        );
    }

    #[test]
    fn hostile_names_become_safe_and_bounded() {
        let flink = "platform=flink&from=1.17&to=1.20";
        for hostile in [
            "%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
            "..%2F..%2Fetc%2Fpasswd",
            "a%20%22b%22%20$(touch%20x)%20%60id%60%20txt.exe",
            &"x".repeat(5000),
        ] {
            let n = name(&format!("{flink}&{JOB}&job1.name={hostile}"));
            let stem = n.strip_suffix(".md").expect("extension");
            assert!(
                stem.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.'),
                "{n}"
            );
            assert!(!stem.contains(".."), "{n}");
            assert!(
                stem.len() <= "waymark-flink-1.17-1.20-".len() + NAME_TAG_MAX,
                "{n}"
            );
            assert!(!stem.ends_with('-'), "{n}");
        }
        // A name with nothing usable adds nothing.
        let n = name(&format!("{flink}&{JOB}&job1.name=%E2%9C%93"));
        assert_eq!(n, "waymark-flink-1.17-1.20.md");
    }
}

#[cfg(test)]
mod out_of_date_tests {
    use super::*;

    #[test]
    fn each_format_says_it_is_out_of_date_and_stays_valid() {
        let plan = crate::plan_link("platform=flink&from=1.17&to=1.20").expect("plans");
        for (_, format) in Format::ALL {
            let text = format.render(&plan);
            let marked = mark_out_of_date(&text, format);
            assert!(marked.contains(OUT_OF_DATE), "{format:?}");
            assert!(marked.len() > text.len());
            match format {
                Format::Markdown => assert!(marked.starts_with("> **Out of date")),
                Format::Script => {
                    assert!(marked.starts_with("#!/usr/bin/env bash\n# Out of date"));
                    assert_eq!(marked.replace(&format!("# {OUT_OF_DATE}\n"), ""), text);
                }
                Format::Json => {
                    let v: serde_json::Value = serde_json::from_str(&marked).expect("valid JSON");
                    assert_eq!(v["out_of_date"], OUT_OF_DATE);
                    assert_eq!(v["waymark"], 2);
                }
            }
        }
    }
}
