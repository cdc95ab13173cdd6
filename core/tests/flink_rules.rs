//! Rule invariants and the route: every hop rule is well formed, every
//! finding of a broad sweep of scenarios is complete, verdicts agree with
//! paths and findings, and every path is valid and has the fewest hops
//! (checked by brute force over candidate stops).

mod common;

use std::sync::OnceLock;

use common::*;
use waymark_core::flink::scenario::Scenario as FlinkScenario;
use waymark_core::flink::{matrix, rules, versions};
use waymark_core::plan::{Plan, Severity, Verdict};
use waymark_core::version::Version;

/// One swept scenario and its plan.
struct Case {
    link: String,
    s: FlinkScenario,
    plan: Plan,
}

/// Every sweep version to every sweep version, for each feature set, with
/// one job; plus a few with no jobs. Computed once per test binary.
fn sweep() -> &'static [Case] {
    static CASES: OnceLock<Vec<Case>> = OnceLock::new();
    CASES.get_or_init(|| {
        let versions = sweep_versions();
        let mut out = Vec::new();
        for from in &versions {
            for to in &versions {
                for (k, features) in FEATURE_SETS.iter().enumerate() {
                    let jobs = if k == 0 && from.patch.is_none() {
                        String::new()
                    } else {
                        one_job()
                    };
                    let strategy = if k % 2 == 0 {
                        "in-place"
                    } else {
                        "shadow-copy"
                    };
                    let link = link(
                        &from.to_string(),
                        &to.to_string(),
                        &format!("&strategy={strategy}{}{jobs}", uses(features)),
                    );
                    let s = flink_scenario(&link);
                    let plan = waymark_core::flink::plan(&s);
                    out.push(Case { link, s, plan });
                }
            }
        }
        out
    })
}

/// Was the plan blocked by the route itself (no path at all)?
fn no_route(plan: &Plan) -> bool {
    plan.verdict == Verdict::Blocked && plan.phases.is_empty()
}

// ------------------------------------------------------------- hop rules

#[test]
fn hop_rules_are_well_formed() {
    let all: Vec<_> = rules::hop_rules().collect();
    assert!(all.len() >= 6);
    let mut codes = Vec::new();
    for r in &all {
        assert!(
            !r.code.is_empty() && r.code.starts_with("flink."),
            "{}",
            r.code
        );
        assert!(!codes.contains(&r.code), "duplicate code {}", r.code);
        codes.push(r.code);
        for (what, text) in [("title", r.title), ("why", r.why), ("action", r.action)] {
            assert!(!text.trim().is_empty(), "{} has an empty {what}", r.code);
        }
        assert!(!r.source.title.is_empty(), "{} source title", r.code);
        assert!(
            r.source.url.starts_with("https://"),
            "{}: {}",
            r.code,
            r.source.url
        );
        assert!(r.created.0 <= r.created.1, "{} created range", r.code);
        assert!(r.resumed.0 <= r.resumed.1, "{} resumed range", r.code);
        assert!(
            r.created.1 < r.resumed.0,
            "{}: a rule is about upgrades, so resumed versions are newer",
            r.code
        );
        // Ranges use exact patch versions so bounds compare as releases.
        for bound in [r.created.0, r.created.1, r.resumed.0, r.resumed.1] {
            assert!(
                bound.patch.is_some(),
                "{}: bound {bound} needs a patch",
                r.code
            );
        }
        // The rule names a hop that the matrix would otherwise allow, or it
        // would be dead weight.
        assert!(
            matrix::usable(r.created.0.line(), r.resumed.0.line()),
            "{} forbids a hop the matrix already forbids",
            r.code
        );
    }
}

#[test]
fn hop_rules_apply_only_to_jobs_using_their_feature() {
    for r in rules::hop_rules() {
        let a = Version::patch(
            r.created.0.major,
            r.created.0.minor,
            r.created.0.patch.unwrap(),
        );
        let b = Version::patch(
            r.resumed.0.major,
            r.resumed.0.minor,
            r.resumed.0.patch.unwrap(),
        );
        let with = flink_scenario(&link("1.2", "1.3", &uses(r.feature.name())));
        let without = flink_scenario(&link("1.2", "1.3", ""));
        assert!(
            rules::blocking_rules(a, b, &with)
                .iter()
                .any(|x| x.code == r.code),
            "{} should block {a} -> {b} for jobs using {}",
            r.code,
            r.feature.name()
        );
        assert!(rules::blocking_rules(a, b, &without).is_empty());
    }
}

// ------------------------------------------------------------- the sweep

#[test]
fn every_finding_is_complete_and_cited() {
    for c in sweep() {
        for f in &c.plan.findings {
            let at = format!("{} in {}", f.code, c.link);
            assert!(f.code.starts_with("flink."), "{at}");
            assert!(!f.title.trim().is_empty(), "{at}: empty title");
            assert!(!f.detail.trim().is_empty(), "{at}: empty detail");
            assert!(!f.action.trim().is_empty(), "{at}: empty action");
            assert!(!f.sources.is_empty(), "{at}: no source");
            for s in &f.sources {
                assert!(s.url.starts_with("https://"), "{at}: {}", s.url);
                assert!(!s.title.is_empty(), "{at}");
            }
        }
        for (_, step) in c.plan.steps() {
            let at = format!("step {} in {}", step.id, c.link);
            assert!(!step.title.trim().is_empty(), "{at}");
            assert!(!step.verify.trim().is_empty(), "{at}: no check");
            assert!(!step.rollback.trim().is_empty(), "{at}: no rollback");
            assert!(!step.sources.is_empty(), "{at}: no source");
        }
        assert!(!c.plan.summary.trim().is_empty(), "{}", c.link);
    }
}

#[test]
fn findings_are_sorted_by_severity_and_codes_do_not_repeat() {
    for c in sweep() {
        let sev: Vec<Severity> = c.plan.findings.iter().map(|f| f.severity).collect();
        let mut sorted = sev.clone();
        sorted.sort();
        if !no_route(&c.plan) {
            assert_eq!(sev, sorted, "{}", c.link);
        }
        let mut codes: Vec<&str> = c.plan.findings.iter().map(|f| f.code).collect();
        codes.sort_unstable();
        let n = codes.len();
        codes.dedup();
        assert_eq!(n, codes.len(), "a finding repeats in {}", c.link);
    }
}

#[test]
fn verdict_agrees_with_findings_and_path() {
    for c in sweep() {
        let p = &c.plan;
        let has_blocker = p.blockers().next().is_some();
        assert_eq!(p.verdict == Verdict::Blocked, has_blocker, "{}", c.link);
        if !has_blocker {
            assert_eq!(p.verdict == Verdict::Stops, p.path.len() > 2, "{}", c.link);
            assert_eq!(
                p.verdict == Verdict::Direct,
                p.path.len() == 2,
                "{}",
                c.link
            );
            assert!(!p.phases.is_empty(), "{}", c.link);
        }
        assert!(p.path.len() >= 2, "{}", c.link);
        assert_eq!(p.path[0], c.s.from.to_string(), "{}", c.link);
        assert_eq!(p.path.last().unwrap(), &c.s.to.to_string(), "{}", c.link);
    }
}

#[test]
fn every_path_is_increasing_and_every_hop_is_allowed() {
    let bad = known_bad_patches();
    for c in sweep().iter().filter(|c| !no_route(&c.plan)) {
        let path = path_versions(&c.plan);
        for w in path.windows(2) {
            assert!(
                w[0] < w[1] || (path.len() == 2 && w[0].same_line(w[1])),
                "{}: path {:?} not increasing",
                c.link,
                c.plan.path
            );
            assert!(
                hop_ok(w[0], w[1], &c.s),
                "{}: hop {} -> {} is not allowed",
                c.link,
                w[0],
                w[1]
            );
        }
        for stop in &path[1..path.len() - 1] {
            assert!(!bad.contains(stop), "{}: known-bad stop {stop}", c.link);
            assert_eq!(
                *stop,
                versions::latest(stop.line()),
                "{}: a stop is the newest patch of its line",
                c.link
            );
            assert!(
                !stop.same_line(c.s.from) && !stop.same_line(c.s.to),
                "{}: stop {stop} on the source or target line",
                c.link
            );
        }
    }
}

/// The fewest hops from `s.from` to `s.to` using at most `max_stops` stops
/// out of `candidates`, by trying every combination.
fn brute_force_hops(s: &FlinkScenario, candidates: &[Version], max_stops: usize) -> Option<usize> {
    fn search(s: &FlinkScenario, at: Version, rest: &[Version], left: usize) -> bool {
        if hop_ok(at, s.to, s) {
            return true;
        }
        if left == 0 {
            return false;
        }
        rest.iter()
            .enumerate()
            .any(|(i, &next)| hop_ok(at, next, s) && search(s, next, &rest[i + 1..], left - 1))
    }
    // Iterative deepening: the first depth that works is the minimum.
    (0..=max_stops)
        .find(|&k| search(s, s.from, candidates, k))
        .map(|k| k + 1)
}

#[test]
fn every_path_has_the_fewest_hops() {
    for c in sweep() {
        let s = &c.s;
        // A bare `to` means its line's newest patch.
        if s.from.same_line(s.to)
            && !(s.from.patch.is_some() && s.to.patch.is_some() && s.to < s.from)
        {
            assert_eq!(
                c.plan.path.len(),
                2,
                "{}: a move within a line is direct",
                c.link
            );
            continue;
        }
        if s.to < s.from {
            assert!(no_route(&c.plan), "{}: a downgrade, yet planned", c.link);
            continue;
        }
        let stops: Vec<Version> = versions::lines_between(s.from, s.to)
            .map(versions::latest)
            .collect();
        let best = brute_force_hops(s, &stops, 3);
        if no_route(&c.plan) {
            assert_eq!(best, None, "{}: blocked, but a route exists", c.link);
        } else {
            assert_eq!(
                Some(c.plan.path.len() - 1),
                best,
                "{}: path {:?} is not the shortest",
                c.link,
                c.plan.path
            );
        }
    }
}

#[test]
fn no_patch_release_saves_a_hop() {
    // The route considers only the newest patch of each line. Check that
    // using any other known patch as a single stop never beats it.
    let patches = all_patches();
    for c in sweep().iter().filter(|c| !no_route(&c.plan)) {
        let hops = c.plan.path.len() - 1;
        if hops < 2 {
            continue;
        }
        let s = &c.s;
        let between: Vec<Version> = patches
            .iter()
            .copied()
            .filter(|p| *p > s.from && *p < s.to)
            .collect();
        assert!(!hop_ok(s.from, s.to, s), "{}: direct would work", c.link);
        if hops >= 3 {
            for p in &between {
                assert!(
                    !(hop_ok(s.from, *p, s) && hop_ok(*p, s.to, s)),
                    "{}: a single stop at {p} would do",
                    c.link
                );
            }
        }
    }
}

// ------------------------------------------------------ reference cases

fn plan_of(from: &str, to: &str, features: &str) -> Plan {
    plan(&link(from, to, &format!("{}{}", uses(features), one_job())))
}

fn codes(plan: &Plan) -> Vec<&'static str> {
    plan.findings.iter().map(|f| f.code).collect()
}

#[test]
fn flink_1_7_to_1_20_stops_between_1_8_and_1_16() {
    let p = plan_of("1.7", "1.20", "");
    assert_eq!(p.verdict, Verdict::Stops);
    let path = path_versions(&p);
    assert_eq!(path.len(), 3, "{:?}", p.path);
    assert!(
        path[1] >= v("1.8") && path[1].cmp_line(v("1.16")).is_le(),
        "{:?}",
        p.path
    );
    assert!(codes(&p).contains(&"flink.stops"));
}

#[test]
fn cep_from_1_2_to_1_5_goes_through_1_3() {
    let p = plan_of("1.2", "1.5", "cep");
    assert_eq!(p.verdict, Verdict::Stops);
    let path = path_versions(&p);
    assert_eq!(path.len(), 3, "{:?}", p.path);
    assert!(path[1].same_line(v("1.3")), "{:?}", p.path);
    // Without CEP the hop is direct.
    assert_eq!(plan_of("1.2", "1.5", "").verdict, Verdict::Direct);
}

#[test]
fn scala_collections_from_1_2_to_1_9_stop_in_1_3_to_1_7() {
    let p = plan_of("1.2", "1.9", "scala-collections");
    assert_eq!(p.verdict, Verdict::Stops);
    let path = path_versions(&p);
    assert_eq!(path.len(), 3, "{:?}", p.path);
    assert!(
        path[1] >= v("1.3") && path[1].cmp_line(v("1.7")).is_le(),
        "{:?}",
        p.path
    );
    assert_eq!(plan_of("1.2", "1.9", "").verdict, Verdict::Direct);
}

#[test]
fn scala_case_classes_from_1_3_avoid_1_4_0_and_1_4_1() {
    for bad in ["1.4.0", "1.4.1"] {
        let p = plan_of("1.3", bad, "scala-case-classes");
        assert_eq!(p.verdict, Verdict::Blocked, "1.3 -> {bad}");
        assert!(
            p.blockers().any(|f| f.detail.contains("case classes")),
            "{:?}",
            p.findings
        );
        assert_eq!(plan_of("1.3", bad, "").verdict, Verdict::Direct);
    }
    for good in ["1.4", "1.4.2"] {
        assert_eq!(
            plan_of("1.3", good, "scala-case-classes").verdict,
            Verdict::Direct,
            "1.3 -> {good}"
        );
    }
}

#[test]
fn broadcast_state_from_1_5_avoids_1_6_0_to_1_6_2_and_1_7_0() {
    for bad in ["1.6.0", "1.6.2"] {
        let p = plan_of("1.5", bad, "broadcast-state");
        assert_eq!(p.verdict, Verdict::Blocked, "1.5 -> {bad}");
        assert!(p.blockers().any(|f| f.detail.contains("FLINK-11087")));
    }
    assert_eq!(
        plan_of("1.5", "1.6", "broadcast-state").verdict,
        Verdict::Direct
    );
    assert_eq!(
        plan_of("1.5", "1.6.3", "broadcast-state").verdict,
        Verdict::Direct
    );
    // 1.7.0 is reachable only through a 1.6 release that works.
    let p = plan_of("1.5", "1.7.0", "broadcast-state");
    assert_eq!(p.verdict, Verdict::Stops, "{:?}", p.path);
    assert!(path_versions(&p)[1] >= v("1.6.3"));
}

#[test]
fn flink_1_0_is_blocked_everywhere() {
    for to in lines().into_iter().filter(|l| *l > v("1.0")) {
        let p = plan_of("1.0", &to.to_string(), "");
        assert_eq!(p.verdict, Verdict::Blocked, "1.0 -> {to}");
        assert!(p.phases.is_empty());
        assert!(
            p.blockers().any(|f| f.action.contains("1.0")),
            "{:?}",
            p.findings
        );
    }
}

#[test]
fn downgrades_are_blocked() {
    for (from, to) in [("1.20", "1.18"), ("2.0", "1.20"), ("1.20.5", "1.20.1")] {
        let p = plan_of(from, to, "");
        assert_eq!(p.verdict, Verdict::Blocked, "{from} -> {to}");
        assert!(codes(&p).contains(&"flink.downgrade"), "{from} -> {to}");
    }
}

#[test]
fn moves_within_one_release_line_are_direct() {
    for (from, to) in [
        ("1.17", "1.17"),
        ("1.20.1", "1.20.1"),
        ("1.20.1", "1.20.5"),
        ("1.20", "1.20.3"),
        ("2.1", "2.1"),
    ] {
        for strategy in ["in-place", "shadow-copy&new-jobmanager=jm-new:8081"] {
            let p = plan(&link(
                from,
                to,
                &format!("&strategy={strategy}{}", one_job()),
            ));
            assert_eq!(
                p.verdict,
                Verdict::Direct,
                "{from} -> {to} {strategy}: {:?}",
                p.findings
            );
            assert_eq!(p.path, [from, to]);
            assert!(!p.phases.is_empty());
            assert!(codes(&p).contains(&"flink.same-line"), "{from} -> {to}");
        }
    }
}

#[test]
fn flink_1_20_to_2_0_is_direct_with_the_not_guaranteed_warning() {
    let p = plan_of("1.20", "2.0", "");
    assert_eq!(p.verdict, Verdict::Direct);
    assert_eq!(p.path, ["1.20", "2.0"]);
    let f = p
        .findings
        .iter()
        .find(|f| f.code == "flink.state-1x-2x")
        .expect("the 1.x -> 2.x warning");
    assert_eq!(f.severity, Severity::Warning);
    assert!(f.title.contains("not guaranteed"));
    assert!(
        codes(&p).contains(&"flink.java"),
        "Java 11 is needed on 2.0"
    );
}

#[test]
fn apis_removed_in_2_0_block_the_upgrade() {
    for (feature, code) in [
        ("dataset", "flink.removed-dataset"),
        ("scala-api", "flink.removed-scala-api"),
        ("source-sink-function", "flink.removed-source-sink-function"),
        ("legacy-kafka", "flink.removed-legacy-kafka"),
    ] {
        for to in ["2.0", "2.3"] {
            let p = plan_of("1.20", to, feature);
            assert_eq!(p.verdict, Verdict::Blocked, "{feature} -> {to}");
            assert!(codes(&p).contains(&code), "{feature}: {:?}", codes(&p));
        }
        // Within 1.x they are fine.
        assert_ne!(plan_of("1.18", "1.20", feature).verdict, Verdict::Blocked);
    }
}

#[test]
fn semi_async_rocksdb_blocks() {
    for (from, to) in [("1.2", "1.3"), ("1.17", "1.20"), ("1.20", "2.0")] {
        let p = plan_of(from, to, "semi-async-rocksdb");
        assert_eq!(p.verdict, Verdict::Blocked, "{from} -> {to}");
        assert!(codes(&p).contains(&"flink.semi-async-rocksdb"));
    }
}

#[test]
fn before_1_8_to_2_x_needs_a_stop_on_1_8_to_1_16() {
    let p = plan_of("1.7", "2.0", "");
    assert_eq!(p.verdict, Verdict::Stops);
    let path = path_versions(&p);
    assert!(
        path[1] >= v("1.8") && path[1].cmp_line(v("1.16")).is_le(),
        "{:?}",
        p.path
    );
}

/// The variables a list of words refers to.
fn referenced(words: &[waymark_core::plan::Word], out: &mut Vec<String>) {
    use waymark_core::plan::Word;
    for w in words {
        match w {
            Word::Var(n) | Word::Array(n) => out.push(n.to_string()),
            Word::Join(parts) => referenced(parts, out),
            Word::Lit(_) | Word::Raw(_) => {}
        }
    }
}

#[test]
fn every_variable_a_command_uses_is_declared() {
    for c in sweep() {
        let declared: Vec<&str> = c.plan.variables.iter().map(|v| v.name.as_str()).collect();
        let mut unique = declared.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(
            unique.len(),
            declared.len(),
            "{}: a variable is declared twice",
            c.link
        );
        for (_, step) in c.plan.steps() {
            for command in &step.commands {
                let mut names = Vec::new();
                referenced(&command.words, &mut names);
                for name in names {
                    assert!(
                        declared.contains(&name.as_str()),
                        "{}: step {} uses ${name}, which the plan never declares",
                        c.link,
                        step.id
                    );
                }
            }
        }
    }
}

// ------------------------------------------------- what changes on the way

#[test]
fn a_long_jump_names_every_operator_change_it_crosses() {
    let p = plan_of("1.9", "1.20", "table-sql");
    let c = codes(&p);
    for code in [
        "flink.memory-model-taskmanager",
        "flink.memory-model-jobmanager",
        "flink.legacy-planner-removed",
        "flink.scala-free",
        "flink.connectors-external",
        "flink.release-notes",
    ] {
        assert!(c.contains(&code), "1.9 -> 1.20 lacks {code}: {c:?}");
    }
    // Crossing nothing: none of them (but the one line's notes).
    let p = plan_of("1.18", "1.20", "table-sql");
    for code in [
        "flink.memory-model-taskmanager",
        "flink.scala-free",
        "flink.connectors-external",
        "flink.hadoop-unbundled",
    ] {
        assert!(!codes(&p).contains(&code), "1.18 -> 1.20 has {code}");
    }
    // The planner-removal entry is for Table API jobs only.
    assert!(!codes(&plan_of("1.9", "1.20", "")).contains(&"flink.legacy-planner-removed"));
}

#[test]
fn the_release_notes_of_every_line_crossed_are_linked() {
    for (from, to) in [
        ("1.9", "1.20"),
        ("1.17", "2.2"),
        ("1.19", "1.20"),
        ("1.3", "1.8"),
    ] {
        let p = plan_of(from, to, "");
        let f = p
            .findings
            .iter()
            .find(|f| f.code == "flink.release-notes")
            .expect(from);
        let (a, b) = (v(from), v(to));
        for line in lines()
            .into_iter()
            .filter(|l| a.cmp_line(*l).is_lt() && b.cmp_line(*l).is_ge())
        {
            assert!(
                f.title.contains(&line.to_string()),
                "{from} -> {to}: {line} missing in {}",
                f.title
            );
            if line >= Version::minor(1, 5) {
                let page = format!("flink-docs-release-{line}/");
                assert!(
                    f.sources.iter().any(|s| s.url.contains(&page)),
                    "{from} -> {to}: no notes for {line}"
                );
            }
        }
    }
}

#[test]
fn a_shadow_copy_keeps_the_shared_hosts_warning_with_separate_addresses() {
    for jms in [
        "",
        "&old-jobmanager=jm-a:8081&new-jobmanager=jm-b:8081",
        "&old-jobmanager=jm:8081&new-jobmanager=jm:8082",
    ] {
        let p = plan(&link(
            "1.18",
            "1.20",
            &format!("&strategy=shadow-copy{jms}{}", one_job()),
        ));
        let f = p
            .findings
            .iter()
            .find(|f| f.code == "flink.shared-hosts")
            .unwrap_or_else(|| panic!("{jms}"));
        assert!(
            f.detail.contains("slots"),
            "capacity is named: {}",
            f.detail
        );
        // Without two addresses the checks could not tell the clusters apart.
        assert_eq!(
            codes(&p).contains(&"flink.shadow-copy-address"),
            jms.is_empty(),
            "{jms}"
        );
    }
    assert!(!codes(&plan_of("1.18", "1.20", "")).contains(&"flink.shared-hosts"));
}

#[test]
fn the_rollback_says_what_it_depends_on() {
    let p = plan_of("1.18", "1.20", "");
    let f = p
        .findings
        .iter()
        .find(|f| f.code == "flink.rollback-depends")
        .unwrap();
    assert!(
        f.detail.contains(&format!("{}-day", p.frame.soak_days)),
        "{}",
        f.detail
    );
    assert!(f.detail.contains("retention"));
    // Savepoint and stop are two events only before 1.9.
    assert!(codes(&plan_of("1.7", "1.8", "")).contains(&"flink.cancel-with-savepoint"));
    assert!(!codes(&plan_of("1.9", "1.10", "")).contains(&"flink.cancel-with-savepoint"));
}

#[test]
fn a_target_patch_behind_its_line_names_the_newest() {
    let newest = versions::latest(Version::minor(1, 15));
    let p = plan_of("1.14", "1.15.0", "");
    let f = p
        .findings
        .iter()
        .find(|f| f.code == "flink.newer-patch")
        .unwrap();
    assert!(f.title.contains(&newest.to_string()), "{}", f.title);
    assert!(!codes(&plan_of("1.14", &newest.to_string(), "")).contains(&"flink.newer-patch"));
}

#[test]
fn a_blocked_plans_markdown_marks_every_step_and_offers_no_checkbox() {
    let p = plan_of("1.20", "2.0", "dataset");
    assert_eq!(p.verdict, Verdict::Blocked);
    assert!(
        !p.phases.is_empty(),
        "a blocked plan still shows its runbook"
    );
    let md = waymark_core::render::markdown::render(&p);
    assert!(
        !md.contains("- [ ]"),
        "a blocked step must not be a task item"
    );
    let steps = p.steps().count();
    assert_eq!(
        md.matches("- **BLOCKED ").count(),
        steps,
        "every step is marked"
    );
    // An unblocked plan keeps its checkboxes.
    let md = waymark_core::render::markdown::render(&plan_of("1.18", "1.20", ""));
    assert!(md.contains("- [ ]") && !md.contains("BLOCKED"));
}

#[test]
fn a_home_that_names_another_version_is_a_warning_naming_its_key() {
    let base =
        "platform=flink&from=1.17&to=1.19&job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.jar=/a.jar";
    let codes = |link: &str| -> Vec<(String, String)> {
        waymark_core::plan_link(link)
            .unwrap()
            .findings
            .into_iter()
            .filter(|f| f.code == "flink.home-version")
            .map(|f| (f.title, f.action))
            .collect()
    };
    // The first-visit example's new-home, kept after the target changed.
    let stale = codes(&format!(
        "{base}&old-home=/opt/flink-1.17&new-home=/opt/flink-1.20"
    ));
    assert_eq!(stale.len(), 1, "{stale:?}");
    assert!(
        stale[0]
            .0
            .contains("new-home names Flink 1.20, the plan 1.19"),
        "{stale:?}"
    );
    assert!(stale[0].1.contains("new-home"));
    let both = codes(&format!(
        "{base}&old-home=/srv/flink-1.16.3&new-home=/opt/flink-1.20"
    ));
    assert_eq!(both.len(), 2, "{both:?}");
    // Matching, patch-level or unversioned directories are fine.
    assert!(codes(&format!(
        "{base}&old-home=/opt/flink-1.17.2&new-home=/opt/flink-1.19"
    ))
    .is_empty());
    assert!(codes(&format!(
        "{base}&old-home=/opt/flink&new-home=/opt/flink-next"
    ))
    .is_empty());
    assert!(codes(base).is_empty(), "the defaults follow the versions");
}
