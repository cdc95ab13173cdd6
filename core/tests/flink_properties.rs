//! Property tests: shell quoting survives bash byte for byte (alone and
//! through the whole link -> plan -> script pipeline), random links never
//! panic and always explain themselves, and valid scenarios round-trip.

mod common;

use std::fs;
use std::io::Write;
use std::process::{Command, Stdio};

use common::*;
use proptest::prelude::*;
use waymark_core::flink::scenario::{
    Feature, Job, Scenario as FlinkScenario, Strategy as Plan_Strategy, Uids, FEATURES,
};
use waymark_core::link::encode;
use waymark_core::plan::Word;
use waymark_core::render::Format;
use waymark_core::shell::{join_words, quote, render_lines, render_words, split_words, Expansion};
use waymark_core::version::Version;
use waymark_core::Scenario;

// ------------------------------------------------------------ strategies

/// Text rich in what breaks shells: quotes, `$`, backticks, backslashes,
/// globs, newlines, unicode, and the empty string. Never NUL (argv cannot
/// hold it).
fn shell_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[ '\"$`\\\\!*?~#&;|<>(){}\\[\\]=%+,.:@^a-z0-9\n\t-]{0,16}",
        "\\PC{0,12}",
        any::<String>().prop_map(|s| s.replace('\0', "")),
    ]
}

/// Like [`shell_text`], but a valid single-line link value: no control
/// characters, no surrounding whitespace, not empty.
fn path_text() -> impl Strategy<Value = String> {
    shell_text()
        .prop_map(|s| s.chars().filter(|c| !c.is_control()).collect::<String>())
        .prop_map(|s| s.trim().to_string())
        .prop_filter("non-empty", |s| !s.is_empty())
}

// --------------------------------------------------------- pure quoting

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn quote_then_split_gives_back_the_word(s in shell_text()) {
        prop_assert_eq!(split_words(&quote(&s)).unwrap(), vec![s.clone()]);
        let q = quote(&s);
        // Bare only when every byte is plain; double-quoted only around a
        // single quote with nothing bash expands there; otherwise single-quoted.
        if q.starts_with('"') {
            prop_assert!(s.contains('\'') && !s.contains(['"', '$', '`', '\\', '!']));
            prop_assert_eq!(q, format!("\"{s}\""));
        } else if q != s {
            prop_assert!(q.starts_with('\'') && q.ends_with('\''));
        }
    }

    #[test]
    fn join_then_split_round_trips(words in proptest::collection::vec(shell_text(), 0..6)) {
        prop_assert_eq!(split_words(&join_words(&words)).unwrap(), words);
    }
}

// ------------------------------------------------------- quoting in bash

/// Runs `printf '%s\0' <quoted>` for every string in one bash and returns
/// what bash printed for each.
fn through_bash(strings: &[String]) -> Vec<Vec<u8>> {
    let mut script = String::new();
    for s in strings {
        script.push_str("printf '%s\\0' ");
        script.push_str(&quote(s));
        script.push('\n');
    }
    let mut child = Command::new("bash")
        .arg("-s")
        .env("LC_ALL", "C")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bash");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "bash failed: {}", text(&out.stderr));
    let mut parts: Vec<Vec<u8>> = out.stdout.split(|b| *b == 0).map(<[u8]>::to_vec).collect();
    parts.pop();
    parts
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn quoted_strings_reach_bash_byte_for_byte(strings in proptest::collection::vec(shell_text(), 1..40)) {
        let got = through_bash(&strings);
        prop_assert_eq!(got.len(), strings.len());
        for (s, g) in strings.iter().zip(&got) {
            prop_assert_eq!(s.as_bytes(), g.as_slice(), "quoted as {}", quote(s));
        }
    }
}

/// The output and status of `script` in bash.
fn run_bash(script: &str) -> (Vec<u8>, Option<i32>) {
    let mut child = Command::new("bash")
        .arg("-s")
        .env("LC_ALL", "C")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bash");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (out.stdout, out.status.code())
}

/// A command word: a literal (quoted when rendered) or template text with
/// quotes, pipes and redirections of the kind the rules write.
fn command_word() -> impl Strategy<Value = Word> {
    prop_oneof![
        4 => shell_text().prop_map(waymark_core::plan::lit),
        1 => prop_oneof![
            Just(Word::Raw("| { grep -aoE '\"id\":\"[0-9a-f]+\"' || true; } | cat")),
            Just(Word::Raw("2>/dev/null")),
            Just(Word::Raw("\"x y\"'z w'")),
            Just(Word::Raw("$(printf '%s' \"a b\")")),
            Just(Word::Raw("# a comment that ends the line")),
        ],
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// A command broken for paper gives bash the same words as its one-line
    /// form, and breaks only where a line is too long.
    #[test]
    fn commands_wrapped_for_paper_mean_the_same_to_bash(
        words in proptest::collection::vec(command_word(), 1..14),
        width in 8usize..60,
    ) {
        let none = |_: &str| Expansion::Reference;
        let line = render_words(&words, &none);
        let lines = render_lines(&words, &none, width);
        for l in &lines[..lines.len() - 1] {
            prop_assert!(l.ends_with(" \\"), "{:?}", lines);
        }
        prop_assert_eq!(lines.join("\n").replace(" \\\n    ", " "), line.clone());
        let one = run_bash(&format!("printf '%s\\0' {line}\n"));
        let wrapped = run_bash(&format!("printf '%s\\0' {}\n", lines.join("\n")));
        prop_assert_eq!(one, wrapped, "{:?}", lines);
    }
}

// ---------------------------------------------- through the whole pipeline

/// A directory name from `path_text`: no slash, not `.` or `..`.
fn dir_name() -> impl Strategy<Value = String> {
    path_text()
        .prop_map(|s| s.replace('/', "_"))
        .prop_filter("a real name", |s| s != "." && s != ".." && s.len() < 120)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn link_values_reach_flink_exactly(
        word in shell_text(),
        jar in dir_name(),
        home in dir_name(),
    ) {
        let dir = TempDir::new("prop");
        let log = dir.path().join("log");
        let old_home = dir.path().join("old").join(&home);
        let new_home = dir.path().join("new");
        fake_flink_home(&old_home, "old", &log, "localhost:8081", "1.19.3");
        fake_flink_home(&new_home, "new", &log, "localhost:8081", "1.20.5");
        cluster_up(&log, "localhost:8081", "1.19.3", &[JOB_ID]);
        let bin = dir.path().join("path-bin");
        fake_curl(&bin, &log);
        // The pre-flight checks the jar exists: any name, in this directory.
        let jar = dir.path().join("jars").join(&jar).to_string_lossy().into_owned();
        fs::create_dir_all(dir.path().join("jars")).unwrap();
        fs::write(&jar, "jar").unwrap();
        let args = vec!["--x".to_string(), word.clone()];
        let link = format!(
            "platform=flink&from=1.19&to=1.20&old-home={}&new-home={}&job1.id={JOB_ID}&job1.jar={}&job1.args={}",
            encode(&old_home.to_string_lossy()),
            encode(&new_home.to_string_lossy()),
            encode(&jar),
            encode(&join_words(&args)),
        );
        let plan = plan(&link);
        let script = dir.path().join("runbook.sh");
        fs::write(&script, Format::Script.render(&plan)).unwrap();
        let state = dir.path().join("state").to_string_lossy().into_owned();
        let env = [("WAYMARK_STATE_FILE", state.as_str()), ("WAYMARK_POLL_SECONDS", "0")];
        // A dry run first: it prints, and runs nothing.
        let dry = run_script(&script, &["--dry-run"], dir.path(), &env, Some(&bin));
        prop_assert!(dry.status.success(), "{}", text(&dry.stderr));
        prop_assert!(calls(&log).is_empty(), "the dry run ran {:?}", calls(&log));
        prop_assert!(!old_home.join("bin/.ran").exists());
        let out = run_script(&script, &["cutover", "--yes", "--done", "preflight.go", "--done", "preflight.savepoint-dir"], dir.path(), &env, Some(&bin));
        prop_assert!(out.status.success(), "{}\n{}", text(&out.stdout), text(&out.stderr));
        let calls = calls(&log);
        let stop = calls.iter().find(|c| c.home == "old" && c.args.first().is_some_and(|a| a == "stop"));
        prop_assert!(stop.is_some(), "old flink at {:?} never stopped the job: {:?}", old_home, calls);
        let run = calls.iter().find(|c| c.home == "new" && c.args.first().is_some_and(|a| a == "run"));
        prop_assert!(run.is_some(), "{:?}", calls);
        let run = &run.unwrap().args;
        let n = run.len();
        prop_assert_eq!(&run[n - 3..], &[jar.clone(), "--x".to_string(), word.clone()][..]);
    }
}

// ------------------------------------------------------ random links

fn version_text() -> impl Strategy<Value = String> {
    prop_oneof![lines_text(), "[0-9]{1,5}(\\.[0-9]{0,5}){0,3}", "\\PC{0,6}",]
}

fn lines_text() -> impl Strategy<Value = String> {
    let lines: Vec<String> = lines().iter().map(|v| v.to_string()).collect();
    proptest::sample::select(lines)
}

fn key() -> impl Strategy<Value = String> {
    let known = [
        "v",
        "platform",
        "from",
        "to",
        "strategy",
        "uids",
        "uses",
        "old-home",
        "new-home",
        "stop1-home",
        "stop3-home",
        "stop10-home",
        "old-jobmanager",
        "new-jobmanager",
        "savepoint-dir",
        "job1.id",
        "job1.name",
        "job1.jar",
        "job1.class",
        "job1.args",
        "job1.parallelism",
        "job2.id",
        "job2.jar",
        "job0.id",
        "job01.id",
        "job501.id",
        "job99999999999.id",
        "job.id",
        "jobx.id",
        "job1.",
        "job1.zzz",
    ];
    prop_oneof![
        4 => proptest::sample::select(known.to_vec()).prop_map(String::from),
        1 => "[a-z0-9.%+-]{0,10}",
        1 => "\\PC{0,6}",
    ]
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        version_text(),
        Just("flink".to_string()),
        Just("hdinsight".to_string()),
        Just("a1b2c3d4e5f60718293a4b5c6d7e8f90".to_string()),
        Just("cep,broadcast-state,nope".to_string()),
        Just("shadow-copy".to_string()),
        Just("host:8081".to_string()),
        Just("%".to_string()),
        Just("%zz".to_string()),
        Just("%ff%fe".to_string()),
        Just("%E2%82".to_string()),
        Just("'unclosed".to_string()),
        "[a-zA-Z0-9%+:/.,'\"$ -]{0,20}",
        "\\PC{0,10}",
    ]
}

fn query() -> impl Strategy<Value = String> {
    proptest::collection::vec((key(), value(), any::<bool>()), 0..12).prop_map(|pairs| {
        pairs
            .into_iter()
            .map(|(k, v, raw)| {
                let v = if raw { v } else { encode(&v) };
                format!("{k}={v}")
            })
            .collect::<Vec<_>>()
            .join("&")
    })
}

fn check_link(input: &str) -> Result<(), TestCaseError> {
    match Scenario::from_link(input) {
        Ok(scenario) => {
            let plan = scenario.plan();
            prop_assert!(!plan.title.is_empty());
            for (_, format) in Format::ALL {
                let _ = format.render(&plan);
            }
            // The canonical link reads back as the same scenario.
            let again = Scenario::from_link(&scenario.to_link());
            prop_assert_eq!(again.as_ref().ok(), Some(&scenario));
        }
        Err(problems) => {
            prop_assert!(
                !problems.is_empty(),
                "an error with no problem for {input:?}"
            );
            for p in problems {
                prop_assert!(!p.message.trim().is_empty(), "empty message for {input:?}");
                if let Some(k) = &p.key {
                    prop_assert!(!k.is_empty());
                }
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_text_never_panics(input in any::<String>()) {
        check_link(&input)?;
        let _ = waymark_core::plan_link(&input);
    }

    #[test]
    fn random_links_never_panic_and_explain_every_error(q in query(), prefix in prop_oneof![Just(""), Just("?"), Just("https://x.test/app/?"), Just("platform=flink&")]) {
        let input = format!("{prefix}{q}");
        check_link(&input)?;
    }

    #[test]
    fn flink_links_with_random_values_never_panic(
        from in version_text(), to in version_text(), q in query()
    ) {
        check_link(&format!("platform=flink&from={}&to={}&{q}", encode(&from), encode(&to)))?;
    }
}

// ------------------------------------------------------ round trip

fn version() -> impl Strategy<Value = Version> {
    let all = all_patches();
    let lines = lines();
    prop_oneof![
        proptest::sample::select(lines),
        proptest::sample::select(all),
    ]
}

fn job() -> impl Strategy<Value = Job> {
    (
        "[0-9a-f]{32}",
        prop_oneof![Just(String::new()), path_text()],
        path_text(),
        prop_oneof![Just(String::new()), "[A-Za-z_$][A-Za-z0-9_$.]{0,20}"],
        proptest::collection::vec(shell_text(), 0..4),
        proptest::option::of(1u32..=32768),
        prop_oneof![Just(String::new()), path_text()],
        proptest::collection::vec(prop_oneof![Just(String::new()), path_text()], 0..3),
        path_text(),
    )
        .prop_map(
            |(id, name, jar, class, args, parallelism, old_jar, mut stop_jars, last)| {
                // A trailing empty stop jar is not written, so end on a real one.
                if !stop_jars.is_empty() {
                    stop_jars.push(last);
                }
                Job {
                    id,
                    name,
                    jar,
                    class,
                    args: join_words(&args),
                    parallelism,
                    old_jar,
                    stop_jars,
                    target: String::new(),
                }
            },
        )
}

fn flink_scenario_strategy() -> impl Strategy<Value = FlinkScenario> {
    let features: Vec<Feature> = FEATURES.iter().map(|f| f.1).collect();
    (
        version(),
        version(),
        prop_oneof![
            Just(Plan_Strategy::InPlace),
            Just(Plan_Strategy::ShadowCopy)
        ],
        proptest::option::of(prop_oneof![
            Just(Uids::All),
            Just(Uids::Some),
            Just(Uids::None)
        ]),
        proptest::sample::subsequence(features, 0..5),
        (
            path_text(),
            path_text(),
            proptest::collection::vec(prop_oneof![Just(String::new()), path_text()], 0..3),
            path_text(),
        ),
        (
            prop_oneof![Just(String::new()), "[a-z][a-z0-9.-]{0,12}:[1-9][0-9]{0,3}"],
            prop_oneof![Just(String::new()), "[a-z][a-z0-9.-]{0,12}:[1-9][0-9]{0,3}"],
            prop_oneof![Just(String::new()), path_text()],
        ),
        proptest::collection::vec(job(), 0..4),
        proptest::collection::vec(version(), 0..3),
    )
        .prop_map(
            |(
                from,
                to,
                strategy,
                uids,
                uses,
                (old_home, new_home, mut stop_homes, last_stop),
                (ojm, njm, sp),
                mut jobs,
                mut via,
            )| {
                via.sort();
                via.dedup();
                // A 1.2 source needs every job's parallelism.
                if from.same_line(Version::minor(1, 2)) {
                    for j in &mut jobs {
                        j.parallelism.get_or_insert(1);
                    }
                }
                // A trailing empty stop home is not written, so end on a real one.
                if !stop_homes.is_empty() {
                    stop_homes.push(last_stop);
                }
                // Ids must be unique.
                for (i, j) in jobs.iter_mut().enumerate() {
                    j.id.replace_range(0..1, &format!("{:x}", i));
                }
                FlinkScenario {
                    from,
                    to,
                    deployment: Default::default(),
                    target: Default::default(),
                    strategy,
                    via,
                    uids,
                    uses,
                    old_home,
                    new_home,
                    stop_homes,
                    old_jobmanager: ojm,
                    new_jobmanager: njm,
                    savepoint_dir: sp,
                    jobs,
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn valid_scenarios_round_trip_through_their_link(s in flink_scenario_strategy()) {
        let scenario = Scenario::Flink(s);
        let link = scenario.to_link();
        let back = Scenario::from_link(&link);
        prop_assert_eq!(back.as_ref().ok(), Some(&scenario), "link {} gave {:?}", link, back.as_ref().err());
        // And planning and rendering never panic.
        let plan = scenario.plan();
        for (_, format) in Format::ALL {
            prop_assert!(!format.render(&plan).is_empty());
        }
    }
}

/// A scenario on a random planned deployment target: its sample keys, random
/// versions, and jobs with random names, jars and parallelism.
fn target_link() -> impl Strategy<Value = String> {
    use waymark_core::flink::deployment::DEPLOYMENTS;
    let planned: Vec<usize> = (0..DEPLOYMENTS.len())
        .filter(|&i| DEPLOYMENTS[i].1.planned())
        .collect();
    (
        proptest::sample::select(planned),
        version(),
        version(),
        proptest::collection::vec(
            (path_text(), path_text(), proptest::option::of(1u32..64)),
            0..4,
        ),
    )
        .prop_map(|(d, from, to, jobs)| {
            let d = DEPLOYMENTS[d].1;
            let mut link = format!(
                "platform=flink&from={from}&to={to}{}",
                d.sample_keys(jobs.len())
            );
            for (i, (name, jar, p)) in jobs.iter().enumerate() {
                let n = i + 1;
                link.push_str(&format!(
                    "&job{n}.id={n:032x}&job{n}.name={}&job{n}.jar={}",
                    encode(name),
                    encode(jar)
                ));
                if let Some(p) = p {
                    link.push_str(&format!("&job{n}.parallelism={p}"));
                }
            }
            link
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Every target's scenarios survive their canonical link, plan and
    /// render without panicking, and a link a target refuses says why.
    #[test]
    fn target_scenarios_round_trip_through_their_link(link in target_link()) {
        match Scenario::from_link(&link) {
            Ok(scenario) => {
                let canonical = scenario.to_link();
                let back = Scenario::from_link(&canonical);
                prop_assert_eq!(back.as_ref().ok(), Some(&scenario), "{} gave {:?}", canonical, back.as_ref().err());
                let plan = scenario.plan();
                for (_, format) in Format::ALL {
                    prop_assert!(!format.render(&plan).is_empty());
                }
            }
            Err(problems) => {
                prop_assert!(!problems.is_empty());
                prop_assert!(problems.iter().all(|p| !p.message.is_empty()));
            }
        }
    }
}
