//! Renderers: a plan in, a document out. They never fail.

pub mod json;
pub mod markdown;
pub mod script;

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

    pub fn render(self, plan: &crate::plan::Plan) -> String {
        match self {
            Format::Markdown => markdown::render(plan),
            Format::Script => script::render(plan),
            Format::Json => json::render(plan),
        }
    }
}

/// A file name for an export of `plan`, such as `waymark-flink-1.17-1.20.sh`.
pub fn file_name(plan: &crate::plan::Plan, format: Format) -> String {
    let path = match (plan.path.first(), plan.path.last()) {
        (Some(a), Some(b)) => format!("-{a}-{b}"),
        _ => String::new(),
    };
    format!("waymark-{}{}.{}", plan.platform, path, format.extension())
}
