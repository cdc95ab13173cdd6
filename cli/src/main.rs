//! `waymark`: prints the plan for a scenario link.
//!
//! Exit status: 0 with the plan on stdout; 2 for bad input (every problem on
//! stderr, each naming the key and the allowed values); 1 if stdout fails.

use std::io::Write;
use std::process::ExitCode;

use waymark_core::render::Format;
use waymark_core::Scenario;

const HELP: &str = "\
waymark: plan a platform upgrade or migration and print the runbook.

USAGE:
    waymark plan '<link or query string>' [--format md|sh|json] [--output FILE]
    waymark example [flink|hdinsight]
    waymark --help | --version

COMMANDS:
    plan      Print the plan for a scenario. The scenario is the web app's
              link, or just its query string, for example:
              waymark plan 'platform=flink&from=1.17&to=1.20&strategy=in-place'
              Use - to read the link from standard input.
    example   Print an example scenario link to start from.

OPTIONS:
    -f, --format <md|sh|json>
              md:   the runbook in Markdown, steps as - [ ] items (default)
              sh:   an executable bash script (run it with --dry-run first)
              json: the plan as a JSON document
    -o, --output <FILE>
              Write to FILE instead of standard output.

EXIT STATUS:
    0    the plan was printed (a blocked verdict is still a plan)
    1    the output could not be written
    2    bad input: each problem is named on stderr, with the key at fault
         and its allowed values

The README lists every link key.
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(message)) => {
            eprintln!("waymark: {message}\nRun `waymark --help` for usage.");
            ExitCode::from(2)
        }
        Err(Failure::Input(problems)) => {
            eprintln!(
                "waymark: the scenario has {} problem{}:",
                problems.len(),
                if problems.len() == 1 { "" } else { "s" }
            );
            for p in problems {
                eprintln!("  - {p}");
            }
            ExitCode::from(2)
        }
        Err(Failure::Io(message)) => {
            eprintln!("waymark: {message}");
            ExitCode::from(1)
        }
    }
}

enum Failure {
    Usage(String),
    Input(Vec<waymark_core::Problem>),
    Io(String),
}

fn run(args: &[String]) -> Result<(), Failure> {
    let Some(command) = args.first() else {
        print!("{HELP}");
        return Ok(());
    };
    match command.as_str() {
        "-h" | "--help" | "help" => {
            print!("{HELP}");
            Ok(())
        }
        "-V" | "--version" => {
            println!("waymark {}", env!("CARGO_PKG_VERSION"));
            Ok(())
        }
        "example" => {
            let link = match args.get(1).map(String::as_str) {
                None | Some("flink") => {
                    Scenario::Flink(waymark_core::flink::Scenario::example()).to_link()
                }
                Some("hdinsight") => waymark_core::hdinsight::example_link(),
                Some(other) => {
                    return Err(Failure::Usage(format!(
                        "no example for `{other}`; use flink or hdinsight"
                    )))
                }
            };
            println!("{link}");
            Ok(())
        }
        "plan" => plan(&args[1..]),
        other => Err(Failure::Usage(format!(
            "unknown command `{other}`; use plan or example"
        ))),
    }
}

fn plan(args: &[String]) -> Result<(), Failure> {
    let mut link: Option<String> = None;
    let mut format = Format::Markdown;
    let mut output: Option<String> = None;
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        let value = |i: usize| {
            args.get(i + 1)
                .cloned()
                .ok_or_else(|| Failure::Usage(format!("{arg} needs a value")))
        };
        if let Some(f) = arg.strip_prefix("--format=") {
            format = parse_format(f)?;
        } else if arg == "-f" || arg == "--format" {
            format = parse_format(&value(i)?)?;
            i += 1;
        } else if let Some(o) = arg.strip_prefix("--output=") {
            output = Some(o.to_string());
        } else if arg == "-o" || arg == "--output" {
            output = Some(value(i)?);
            i += 1;
        } else if arg.starts_with('-') && arg != "-" {
            return Err(Failure::Usage(format!(
                "unknown option `{arg}`; use --format or --output"
            )));
        } else if link.is_none() {
            link = Some(if arg == "-" {
                read_stdin()?
            } else {
                arg.clone()
            });
        } else {
            return Err(Failure::Usage(format!(
                "one scenario link at a time; `{arg}` is extra (quote the link)"
            )));
        }
        i += 1;
    }
    let Some(link) = link else {
        return Err(Failure::Usage(
            "plan needs a scenario link, for example 'platform=flink&from=1.17&to=1.20'".into(),
        ));
    };
    // The core has no clock; HDInsight's support rules need today's date.
    let today = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400) as i64;
    let plan = waymark_core::plan_link_on(&link, today).map_err(Failure::Input)?;
    let text = format.render(&plan);
    match output {
        Some(path) => std::fs::write(&path, text)
            .map_err(|e| Failure::Io(format!("cannot write {path}: {e}"))),
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())
                .and_then(|_| out.flush())
                .map_err(|e| Failure::Io(format!("cannot write the plan: {e}")))
        }
    }
}

fn parse_format(name: &str) -> Result<Format, Failure> {
    Format::parse(name)
        .ok_or_else(|| Failure::Usage(format!("`{name}` is not a format; use md, sh or json")))
}

fn read_stdin() -> Result<String, Failure> {
    let mut text = String::new();
    std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
        .map_err(|e| Failure::Io(format!("cannot read standard input: {e}")))?;
    Ok(text)
}
