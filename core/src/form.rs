//! The scenario form: which fields a platform's link has, how to label them
//! and which values they take. The web app draws its form from this, so the
//! form and the link grammar cannot drift apart.

/// One input.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The link key (for group fields, the part after `job<N>.`).
    pub key: &'static str,
    pub label: &'static str,
    /// One short sentence under the input.
    pub help: &'static str,
    pub kind: Kind,
    /// Placeholder text for text inputs; for a choice, what the empty option
    /// says when the link omits the key (empty: "Not set").
    pub placeholder: &'static str,
    /// When the field applies only to some values of another key (such as
    /// the Flink `deployment`); `None`: always.
    pub when: Option<When>,
}

/// The placeholder of a date field whose empty value means the caller's
/// today (HDInsight's `date`): the page shows the date it plans with instead
/// (web review m8), since the core has no clock.
pub const TODAY: &str = "today";

/// The values of another key for which a field applies.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct When {
    pub key: &'static str,
    /// The value the planner uses when the link omits `key`.
    pub unset: &'static str,
    pub values: &'static [&'static str],
}

impl When {
    /// Whether the field applies when `key` has `value` (empty: unset).
    pub fn holds(&self, value: &str) -> bool {
        let value = if value.is_empty() { self.unset } else { value };
        self.values.contains(&value)
    }
}

impl Field {
    /// The field applies only while `when` holds.
    pub fn only(mut self, when: When) -> Self {
        self.when = Some(when);
        self
    }

    /// For a choice: what the plan uses when the link omits the key.
    pub fn when_unset(mut self, text: &'static str) -> Self {
        self.placeholder = text;
        self
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// One of a list: (link value, label). A select or radio group.
    Choice(Vec<(String, String)>),
    /// Any of a list, stored comma-separated: (link value, label, hint).
    Flags(Vec<(&'static str, &'static str, &'static str)>),
    /// Free text, single line.
    Text,
    /// A whole number in a range.
    Number { min: u32, max: u32 },
}

/// A titled group of fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub title: &'static str,
    pub fields: Vec<Field>,
}

/// Repeated fields such as jobs: keys `<prefix><N>.<field>`.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub prefix: &'static str,
    /// "Jobs"
    pub title: &'static str,
    /// "job"
    pub item: &'static str,
    pub fields: Vec<Field>,
    /// Values for a new item (key, value); may be empty.
    pub template: Vec<(&'static str, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub platform: &'static str,
    pub sections: Vec<Section>,
    pub group: Option<Group>,
    /// The link a first visit opens on.
    pub example: String,
}

/// The platforms, for the platform switch: (link value, label).
pub const PLATFORMS: [(&str, &str); 2] =
    [("flink", "Apache Flink"), ("hdinsight", "Azure HDInsight")];

/// The form of `platform`, or `None` for an unknown platform.
pub fn form(platform: &str) -> Option<Form> {
    match platform {
        "flink" => Some(crate::flink::form::form()),
        "hdinsight" => Some(crate::hdinsight::form()),
        _ => None,
    }
}

pub fn text(
    key: &'static str,
    label: &'static str,
    help: &'static str,
    placeholder: &'static str,
) -> Field {
    Field {
        key,
        label,
        help,
        kind: Kind::Text,
        placeholder,
        when: None,
    }
}

pub fn choice(
    key: &'static str,
    label: &'static str,
    help: &'static str,
    options: Vec<(String, String)>,
) -> Field {
    Field {
        key,
        label,
        help,
        kind: Kind::Choice(options),
        placeholder: "",
        when: None,
    }
}

pub fn number(
    key: &'static str,
    label: &'static str,
    help: &'static str,
    min: u32,
    max: u32,
    placeholder: &'static str,
) -> Field {
    Field {
        key,
        label,
        help,
        kind: Kind::Number { min, max },
        placeholder,
        when: None,
    }
}
