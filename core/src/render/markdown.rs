//! The runbook in Markdown: the change frame, findings, then phases whose
//! steps are `- [ ]` task items with their commands, checks and sources.

use std::fmt::Write as _;

use crate::plan::{Frame, Host, Plan, Severity, Step, VarIndex};
use crate::render::{check_note, decommission_words, soak_words};
use crate::source::Source;

pub fn render(plan: &Plan) -> String {
    let vars = plan.var_index();
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", Prose(&plan.title));
    let _ = writeln!(
        out,
        "**Verdict: {}.** {}\n",
        verdict_word(plan),
        Prose(&plan.summary)
    );
    let _ = writeln!(out, "- Path: {}", Prose(&plan.path.join(" → ")));
    let _ = writeln!(
        out,
        "- Rules checked against their sources on {}. {}",
        plan.facts_checked,
        crate::plan::FACTS_SCOPE
    );
    let _ = writeln!(out, "- Scenario link: `?{}`\n", plan.link);
    write_frame(&mut out, plan);

    if !plan.findings.is_empty() {
        out.push_str("## Findings\n\n");
        for f in &plan.findings {
            let _ = writeln!(
                out,
                "- **{}: {}** {}",
                severity_word(f.severity),
                Prose(&f.title),
                Prose(&f.detail)
            );
            if !f.action.is_empty() {
                let _ = writeln!(out, "  *What to do:* {}", Prose(&f.action));
            }
            if !f.sources.is_empty() {
                let _ = writeln!(out, "  Sources: {}", sources(&f.sources));
            }
        }
        out.push('\n');
    }

    // A blocked plan's runbook shows what the upgrade would look like: its
    // steps are marked on every line, so one copied into a ticket keeps it.
    let blocked = plan.verdict == crate::plan::Verdict::Blocked;
    for (n, phase) in plan.phases.iter().enumerate() {
        let mark = if blocked {
            " (blocked: do not run)"
        } else {
            ""
        };
        let _ = writeln!(out, "## {}. {}{mark}\n", n + 1, Prose(&phase.title));
        if !phase.intro.is_empty() {
            let _ = writeln!(out, "{}\n", Prose(&phase.intro));
        }
        for (m, step) in phase.steps.iter().enumerate() {
            write_step(
                &mut out,
                &vars,
                &format!("{}.{}", n + 1, m + 1),
                step,
                blocked,
            );
        }
    }
    out
}

/// Who decides and when to stop: blanks for the people, the go/no-go, the
/// abort criteria, the estimates, the soak. Nothing for an empty frame (a
/// blocked plan).
fn write_frame(out: &mut String, plan: &Plan) {
    let frame = &plan.frame;
    if *frame == Frame::default() {
        return;
    }
    out.push_str("## Change frame\n\n");
    out.push_str("- Owner: ______\n- Approver: ______\n- Who to tell: ______\n\n");
    if !frame.go_no_go.is_empty() {
        let _ = writeln!(out, "**Go/no-go:** {}\n", Prose(&frame.go_no_go));
    }
    if !frame.abort.is_empty() {
        out.push_str("**Abort and roll back when:**\n\n");
        for reason in &frame.abort {
            let _ = writeln!(out, "- {}", Prose(reason));
        }
        out.push('\n');
    }
    if !frame.estimates.is_empty() {
        out.push_str("| Phase | How long | What makes it longer |\n|---|---|---|\n");
        for e in &frame.estimates {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                e.phase.title(),
                cell(&prose(&e.time)),
                cell(&prose(&e.longer))
            );
        }
        out.push('\n');
    }
    if let Some(soak) = soak_words(frame) {
        let _ = writeln!(out, "**Soak:** {}\n", Prose(&soak));
    }
    if let Some(words) = decommission_words(plan, &code) {
        let _ = writeln!(out, "**Decommission:** {words}\n");
    }
}

/// Text for Markdown: rule text with user values (job names, paths) in it,
/// so that nothing in it becomes HTML, a link or emphasis in any renderer.
/// `&`, `<` and `>` become entities; `\`, `*`, `_`, `[` and `]` get a
/// backslash. A code span (a run of backticks closed by an equal run later
/// in the text, as CommonMark reads it) is kept as it is: nothing in it is
/// live. A backtick run that closes nothing is escaped too.
fn prose(text: &str) -> String {
    Prose(text).to_string()
}

/// [`prose`] as it is written out, without a string of its own: the text
/// between two bytes that need escaping goes out in one piece.
struct Prose<'a>(&'a str);

impl std::fmt::Display for Prose<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Every byte that needs escaping is ASCII, so each cut is at a
        // character boundary.
        let special = |b: &u8| {
            matches!(
                b,
                b'`' | b'&' | b'<' | b'>' | b'\\' | b'*' | b'_' | b'[' | b']'
            )
        };
        let mut rest = self.0;
        while let Some(i) = rest.as_bytes().iter().position(special) {
            f.write_str(&rest[..i])?;
            rest = &rest[i..];
            let c = rest.as_bytes()[0];
            if c == b'`' {
                let n = rest.len() - rest.trim_start_matches('`').len();
                let after = &rest[n..];
                if let Some(end) = closing_ticks(after, n) {
                    f.write_str(&rest[..n + end + n])?;
                    rest = &rest[n + end + n..];
                } else {
                    for _ in 0..n {
                        f.write_str("\\`")?;
                    }
                    rest = after;
                }
                continue;
            }
            match c {
                b'&' => f.write_str("&amp;")?,
                b'<' => f.write_str("&lt;")?,
                b'>' => f.write_str("&gt;")?,
                _ => {
                    f.write_char('\\')?;
                    f.write_char(char::from(c))?;
                }
            }
            rest = &rest[1..];
        }
        f.write_str(rest)
    }
}

/// Where in `text` a run of exactly `n` backticks starts, if any.
fn closing_ticks(text: &str, n: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'`' {
            let start = i;
            while i < bytes.len() && bytes[i] == b'`' {
                i += 1;
            }
            if i - start == n {
                return Some(start);
            }
        } else {
            i += 1;
        }
    }
    None
}

/// Text for a table cell: one line, pipes escaped.
fn cell(text: &str) -> String {
    text.replace(['\n', '\r'], " ").replace('|', "\\|")
}

/// An inline code span that holds any text, backticks included.
fn code(text: &str) -> String {
    let mut ticks = "`".to_string();
    while text.contains(ticks.as_str()) {
        ticks.push('`');
    }
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{ticks}{pad}{text}{pad}{ticks}")
}

/// A fenced `sh` block, indented into a list item.
fn write_code_block(out: &mut String, indent: &str, text: &str) {
    let fence = if text.contains("```") { "````" } else { "```" };
    for part in ["\n", indent, fence, "sh\n", indent] {
        out.push_str(part);
    }
    push_indented(out, indent, text);
    for part in ["\n", indent, fence, "\n"] {
        out.push_str(part);
    }
}

/// `text` with `indent` after each of its line breaks.
fn push_indented(out: &mut String, indent: &str, text: &str) {
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
            out.push_str(indent);
        }
        out.push_str(line);
    }
}

fn write_step(out: &mut String, vars: &VarIndex<'_>, number: &str, step: &Step, blocked: bool) {
    let manual = if step.manual { " *(by hand)*" } else { "" };
    if blocked {
        let _ = writeln!(
            out,
            "- **BLOCKED {number} {}**{manual} *(not to be run: the plan is blocked, see the blockers)*",
            Prose(&step.title)
        );
    } else {
        let _ = writeln!(out, "- [ ] **{number} {}**{manual}", Prose(&step.title));
    }
    if !step.detail.is_empty() {
        out.push_str("  ");
        push_indented(out, "  ", &prose(&step.detail));
        out.push('\n');
    }
    let mut last_host: Option<&Host> = None;
    for command in &step.commands {
        if last_host != Some(&command.host) {
            match &command.host {
                Host::Local => {}
                Host::Ssh { description, .. } | Host::Elsewhere { description } => {
                    let _ = writeln!(out, "\n  On {}:", Prose(description));
                }
            }
            last_host = Some(&command.host);
        }
        if command.irreversible {
            out.push_str("\n  **Cannot be undone.**\n");
        }
        write_code_block(out, "  ", &command.display_in(vars));
        // Variable names go in as numbered markers, the note is escaped as
        // prose, then each marker becomes the name's code span.
        let names = std::cell::RefCell::new(Vec::new());
        let notes = command.notes(&|name| {
            let mut list = names.borrow_mut();
            list.push(name.to_string());
            format!("\u{1}{}\u{2}", list.len() - 1)
        });
        let names = names.into_inner();
        for note in notes {
            let mut text = prose(&note);
            for (i, name) in names.iter().enumerate() {
                text = text.replace(&format!("\u{1}{i}\u{2}"), &code(name));
            }
            let _ = writeln!(out, "  {text}");
        }
    }
    for d in &step.documents {
        let _ = writeln!(out, "\n  {}:", code(&d.name));
        let fence = if d.text.contains("```") {
            "````"
        } else {
            "```"
        };
        let body = d.text.trim_end().replace('\n', "\n  ");
        let _ = writeln!(out, "\n  {fence}{}\n  {body}\n  {fence}", d.lang);
    }
    if !step.checks.is_empty() {
        out.push_str("\n  *Checked by the script:*\n");
        for check in &step.checks {
            let _ = writeln!(out, "\n  - {}", Prose(&check.holds));
            write_code_block(out, "    ", &check.command.display_in(vars));
            if let Some(note) = check_note(check, &code) {
                let _ = writeln!(out, "    {note}");
            }
        }
    }
    // One paragraph of labelled lines, after a blank line so that it never
    // continues a command note or a check.
    let mut meta = String::new();
    for (label, text) in [
        ("Check", step.verify.as_str()),
        ("A person confirms", step.confirm.as_str()),
        ("If it fails", step.rollback.as_str()),
    ] {
        if !text.is_empty() {
            let _ = writeln!(meta, "  *{label}:* {}", Prose(text));
        }
    }
    if !step.sources.is_empty() {
        let _ = writeln!(meta, "  *Sources:* {}", sources(&step.sources));
    }
    if !meta.is_empty() {
        out.push('\n');
        out.push_str(&meta);
    }
    out.push('\n');
}

fn sources(list: &[Source]) -> String {
    list.iter()
        .map(|s| format!("[{}]({})", s.title, s.url))
        .collect::<Vec<_>>()
        .join(", ")
}

fn verdict_word(plan: &Plan) -> String {
    match plan.verdict {
        crate::plan::Verdict::Direct => "direct".into(),
        crate::plan::Verdict::Stops => {
            let stops = plan.path.len().saturating_sub(2);
            format!("through {stops} stop{}", if stops == 1 { "" } else { "s" })
        }
        crate::plan::Verdict::Blocked => "blocked".into(),
    }
}

fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Blocker => "Blocker",
        Severity::Warning => "Warning",
        Severity::Info => "Note",
    }
}

#[cfg(test)]
mod tests {
    use super::{prose, render};
    use crate::render::test_plan;

    #[test]
    fn the_frame_comes_after_the_verdict_lines_and_before_the_findings() {
        let mut plan = test_plan::framed();
        plan.findings.push(crate::plan::finding(
            crate::plan::Severity::Info,
            "test.note",
            "A note",
            "",
            "",
            &[],
        ));
        let md = render(&plan);
        let link = md.find("- Scenario link:").unwrap();
        let frame = md.find("## Change frame\n").expect(&md);
        let findings = md.find("## Findings").unwrap();
        assert!(link < frame && frame < findings, "{md}");
        for needle in [
            "- Owner: ______\n- Approver: ______\n- Who to tell: ______\n",
            "**Go/no-go:** Go only if the rehearsal passed.\n",
            "**Abort and roll back when:**\n\n- A savepoint fails twice.\n",
            // Outside a table a pipe is plain text.
            "- Lag keeps growing | for an hour.\n",
            "| Phase | How long | What makes it longer |\n|---|---|---|\n",
            "| Pre-flight | a minute | nothing: it only reads |\n",
            "**Soak:** 7 days before the decommission. Watch: Checkpoints and lag.\n",
            "it starts only when you type the old installation directory (`/opt/flink-1.17`).\n",
        ] {
            assert!(md.contains(needle), "missing {needle:?} in\n{md}");
        }
    }

    #[test]
    fn a_table_cell_escapes_its_pipes() {
        let mut plan = test_plan::framed();
        plan.frame.estimates[1].longer = "large | slow\nstate".into();
        let md = render(&plan);
        assert!(
            md.contains("| Cutover | 10–20 minutes | large \\| slow state |\n"),
            "{md}"
        );
    }

    #[test]
    fn a_step_shows_its_checks_confirmation_and_what_cannot_be_undone() {
        let md = render(&test_plan::framed());
        let checks = concat!(
            "\n  *Checked by the script:*\n",
            "\n  - orders is RUNNING\n",
            "\n    ```sh\n    curl -fsS http://localhost:8081/jobs\n    ```\n",
            "    Tries for up to 5 minutes; output with `\"state\":\"FAILED\"` fails it at once.\n",
            "\n  - only the planned job runs\n",
            "\n    ```sh\n    flink list\n    ```\n",
            // Checked once: no note.
            "\n  *Check:* The job is RUNNING.\n",
            "  *A person confirms:* The output matches production.\n",
        );
        assert!(md.contains(checks), "{md}");
        assert!(
            md.contains(
                "\n  **Cannot be undone.**\n\n  ```sh\n  rm -rf -- /opt/flink-1.17\n  ```\n"
            ),
            "{md}"
        );
        // The resume command is not marked.
        assert_eq!(md.matches("Cannot be undone.**").count(), 1, "{md}");
    }

    #[test]
    fn an_empty_frame_renders_nothing() {
        let md = render(&test_plan::blocked());
        assert!(!md.contains("Change frame"), "{md}");
        assert!(!md.contains("Owner"), "{md}");
        assert!(!md.contains("Go/no-go"), "{md}");
    }

    #[test]
    fn waits_read_in_minutes_from_two_minutes_on() {
        let mut plan = test_plan::framed();
        let waits = [
            (90, "up to 90 seconds"),
            (120, "up to 2 minutes"),
            (150, "about 3 minutes"),
        ];
        for (seconds, words) in waits {
            plan.phases[0].steps[0].checks[0].wait = seconds;
            let md = render(&plan);
            assert!(
                md.contains(&format!("Tries for {words};")),
                "{seconds}: {md}"
            );
        }
    }

    #[test]
    fn prose_escapes_html_links_and_emphasis_but_keeps_closed_code_spans() {
        assert_eq!(prose("a <b> & c"), "a &lt;b&gt; &amp; c");
        assert_eq!(
            prose("[x](y) *z* _w_ \\"),
            "\\[x\\](y) \\*z\\* \\_w\\_ \\\\"
        );
        assert_eq!(prose("`x_y` and x_y"), "`x_y` and x\\_y");
        assert_eq!(prose("``a`b`` c"), "``a`b`` c");
        // A backtick that closes nothing is no code span: escaped, and what
        // follows is escaped as prose.
        assert_eq!(prose("a ` <i>"), "a \\` &lt;i&gt;");
        assert_eq!(prose("é–→"), "é–→");
    }

    #[test]
    fn a_code_span_holds_backticks() {
        assert_eq!(super::code("a`b"), "``a`b``");
        assert_eq!(super::code("`x"), "`` `x ``");
        assert_eq!(super::code("plain"), "`plain`");
    }
}
