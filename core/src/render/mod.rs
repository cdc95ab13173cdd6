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

/// A file name for an export of `plan`, such as `waymark-flink-1.17-1.20.sh`.
pub fn file_name(plan: &Plan, format: Format) -> String {
    let path = match (plan.path.first(), plan.path.last()) {
        (Some(a), Some(b)) => format!("-{a}-{b}"),
        _ => String::new(),
    };
    format!("waymark-{}{}.{}", plan.platform, path, format.extension())
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
