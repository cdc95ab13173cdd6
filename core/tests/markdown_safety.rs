//! The Markdown export is pasted into wikis and tickets, some of which do
//! not sanitise (web review M6). Hostile user values (job names, jars,
//! arguments, paths) rendered by a CommonMark renderer must never become
//! HTML elements, links or emphasis; the commands stay exact in their
//! code blocks.

use pulldown_cmark::{html, Event, Options, Parser, Tag};
use waymark_core::render::Format;

const HOSTILE: [&str; 6] = [
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "<script>alert(1)</script>",
    "**bold** _it_ `x",
    "a` <svg onload=alert(1)> `b",
    "![i](https://evil.example/x.png)",
];

fn link_with(name: &str) -> String {
    let enc: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!(
        "platform=flink&from=1.17&to=1.20&job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.name={enc}&job1.jar=/apps/{enc}.jar&savepoint-dir=s3://b/sp"
    )
}

/// Everything the renderer made of the Markdown that is not plain text or
/// code: HTML, links, images, emphasis.
fn live(md: &str) -> Vec<String> {
    let mut found = Vec::new();
    for event in Parser::new_ext(md, Options::all()) {
        match event {
            Event::Html(h) | Event::InlineHtml(h) => found.push(format!("html {h}")),
            // The sources are links the renderer makes, all https.
            Event::Start(Tag::Link { dest_url, .. }) if !dest_url.starts_with("https://") => {
                found.push(format!("link {dest_url}"))
            }
            Event::Start(Tag::Image { dest_url, .. }) => found.push(format!("image {dest_url}")),
            _ => {}
        }
    }
    found
}

#[test]
fn hostile_job_names_stay_text_in_every_renderer_of_the_markdown() {
    for name in HOSTILE {
        let plan =
            waymark_core::plan_link(&link_with(name)).unwrap_or_else(|p| panic!("{name}: {p:?}"));
        let md = Format::Markdown.render(&plan);
        assert!(md.contains("Stop "), "{name}: no stop step");
        let live = live(&md);
        assert!(live.is_empty(), "{name}: {live:?}");
        let mut page = String::new();
        html::push_html(&mut page, Parser::new_ext(&md, Options::all()));
        // No element from the name: only escaped text (&lt;img …).
        for bad in ["<img", "<script", "<svg", "href=\"javascript:"] {
            assert!(!page.contains(bad), "{name}: {bad} in\n{page}");
        }
        // The name still reads as it was given: the rendered text holds it.
        let text: String = Parser::new_ext(&md, Options::all())
            .filter_map(|e| match e {
                Event::Text(t) | Event::Code(t) => Some(t.to_string()),
                _ => None,
            })
            .collect();
        assert!(text.contains(name), "{name} is not shown as given");
    }
}

#[test]
fn the_commands_keep_the_exact_values_in_their_code_blocks() {
    let name = "<img src=x onerror=alert(1)>";
    let plan = waymark_core::plan_link(&link_with(name)).unwrap();
    let md = Format::Markdown.render(&plan);
    let mut code = String::new();
    for event in Parser::new_ext(&md, Options::all()) {
        if let Event::Text(t) = event {
            code.push_str(&t);
        }
    }
    assert!(
        code.contains("/apps/<img src=x onerror=alert(1)>.jar"),
        "{code}"
    );
}

#[test]
fn rule_text_keeps_its_code_spans_and_angle_brackets_read_as_written() {
    let plan = waymark_core::plan_link(&link_with("orders")).unwrap();
    let md = Format::Markdown.render(&plan);
    let mut codes = Vec::new();
    let mut text = String::new();
    for event in Parser::new_ext(&md, Options::all()) {
        match event {
            Event::Code(t) => codes.push(t.to_string()),
            Event::Text(t) => text.push_str(&t),
            _ => {}
        }
    }
    // A variable named in a note is still a code span.
    assert!(codes.iter().any(|c| c == "JOB1_SAVEPOINT"), "{codes:?}");
    // job<N>.jar in rule text reads as written (a raw <N> would be an HTML tag).
    assert!(
        text.contains("job<N>.jar"),
        "no job<N>.jar in the rendered text"
    );
}
