//! Routes with stops: stops the operator chooses (`via`), a jar per stop
//! (`job<N>.stop<K>-jar`), the checks a stop's resume waits for before the
//! next hop, and the parallelism a 1.2 savepoint needs.

mod common;

use common::*;
use waymark_core::plan::{Expect, Plan, Step, Verdict};
use waymark_core::version::Version;

fn step<'a>(plan: &'a Plan, id: &str) -> &'a Step {
    plan.steps()
        .map(|(_, s)| s)
        .find(|s| s.id == id)
        .unwrap_or_else(|| {
            panic!(
                "no step {id} in {:?}",
                plan.steps().map(|(_, s)| &s.id).collect::<Vec<_>>()
            )
        })
}

fn shown(plan: &Plan, step: &Step) -> Vec<String> {
    step.commands.iter().map(|c| plan.show(c)).collect()
}

#[test]
fn chosen_stops_make_the_route() {
    let p = plan(&link("1.18", "1.20", &format!("&via=1.19{}", one_job())));
    assert_eq!(p.verdict, Verdict::Stops);
    let newest_1_19 = waymark_core::flink::versions::latest(Version::minor(1, 19)).to_string();
    assert_eq!(
        p.path,
        ["1.18".to_string(), newest_1_19, "1.20".to_string()]
    );
    // The stop's finding says it was chosen, not forced.
    let f = p
        .findings
        .iter()
        .find(|f| f.code == "flink.stops")
        .expect("stops finding");
    assert!(f.detail.contains("via"), "{}", f.detail);

    // A patch is kept as given.
    let p = plan(&link(
        "1.17",
        "2.0",
        &format!("&via=1.18.1,1.20{}", one_job()),
    ));
    assert_eq!(p.path[1], "1.18.1");
    assert_eq!(p.path.len(), 4);
}

#[test]
fn chosen_stops_that_make_no_route_block_and_say_why() {
    for via in ["1.16", "1.20", "2.0", "1.17"] {
        let p = plan(&link("1.17", "1.20", &format!("&via={via}{}", one_job())));
        assert_eq!(p.verdict, Verdict::Blocked, "via={via}");
        let f = p
            .findings
            .iter()
            .find(|f| f.code == "flink.via")
            .expect("via blocker");
        assert!(f.detail.contains(via), "via={via}: {}", f.detail);
    }
    // A hop the rules forbid: 1.7 savepoints do not restore on 1.17+.
    let p = plan(&link("1.7", "1.20", &format!("&via=1.18{}", one_job())));
    assert_eq!(p.verdict, Verdict::Blocked);
    let f = p.findings.iter().find(|f| f.code == "flink.via").unwrap();
    assert!(f.detail.contains("1.7 → 1.18"), "{}", f.detail);
    // Within one line there is nothing to stop at.
    let p = plan(&link(
        "1.20.1",
        "1.20.5",
        &format!("&via=1.20.3{}", one_job()),
    ));
    assert_eq!(p.verdict, Verdict::Blocked);
}

#[test]
fn bad_via_values_name_the_key() {
    for via in ["1.19,1.18", "1.19,1.19", "banana", "1.99"] {
        let l = link("1.17", "1.20", &format!("&via={via}{}", one_job()));
        let problems = waymark_core::Scenario::from_link(&l).expect_err(via);
        assert!(
            problems.iter().any(|p| p.to_string().contains("via")),
            "{via}: {problems:?}"
        );
    }
}

#[test]
fn each_stop_resumes_with_its_own_jar_and_the_last_hop_with_the_job_jar() {
    let extra = format!(
        "&via=1.16,1.18{}&job1.stop1-jar=/apps/orders-1.16.jar",
        one_job()
    );
    let p = plan(&link("1.15", "1.20", &extra));
    assert_eq!(p.path.len(), 4);
    let at_first_stop = shown(&p, step(&p, "cutover.1.resume.1")).join("\n");
    assert!(
        at_first_stop.contains("/apps/orders-1.16.jar"),
        "{at_first_stop}"
    );
    // Stop 2 has no jar of its own: the job's jar.
    let at_second_stop = shown(&p, step(&p, "cutover.2.resume.1")).join("\n");
    assert!(
        at_second_stop.contains("/apps/orders.jar") && !at_second_stop.contains("orders-1.16"),
        "{at_second_stop}"
    );
    let last = shown(&p, step(&p, "cutover.3.resume.1")).join("\n");
    assert!(
        last.contains("/apps/orders.jar") && !last.contains("orders-1.16"),
        "{last}"
    );
    // The pre-flight checks that the stop's jar exists.
    let jars = step(&p, "preflight.jars");
    assert!(
        jars.checks
            .iter()
            .any(|c| c.holds.contains("/apps/orders-1.16.jar")),
        "{:?}",
        jars.checks
    );
    // And the link keeps it.
    assert!(p.link.contains("job1.stop1-jar="), "{}", p.link);
}

#[test]
fn only_well_formed_stop_jar_keys_count_and_the_last_one_sets_how_many() {
    // A jar for stop 2 alone: stop 1 takes the job's jar.
    let extra = format!(
        "&via=1.16,1.18{}&job1.stop2-jar=/apps/orders-1.18.jar",
        one_job()
    );
    let p = plan(&link("1.15", "1.20", &extra));
    let at_second_stop = shown(&p, step(&p, "cutover.2.resume.1")).join("\n");
    assert!(
        at_second_stop.contains("/apps/orders-1.18.jar"),
        "{at_second_stop}"
    );
    let at_first_stop = shown(&p, step(&p, "cutover.1.resume.1")).join("\n");
    assert!(!at_first_stop.contains("orders-1.18"), "{at_first_stop}");
    // Numbers with a leading zero, a sign or past the last stop are not
    // stops: each is named as a key the link does not know.
    for key in [
        "job1.stop01-jar",
        "job1.stop+1-jar",
        "job1.stop10-jar",
        "job1.stopx-jar",
    ] {
        let in_link = key.replace('+', "%2B");
        let l = link(
            "1.15",
            "1.20",
            &format!("&via=1.16,1.18{}&{in_link}=/a.jar", one_job()),
        );
        let problems = waymark_core::Scenario::from_link(&l).expect_err(key);
        assert!(
            problems
                .iter()
                .any(|p| p.key.as_deref() == Some(key) && p.message.contains("not a known key")),
            "{key}: {problems:?}"
        );
    }
}

#[test]
fn a_stop_waits_for_a_completed_checkpoint_before_the_next_savepoint() {
    let p = plan(&link("1.7", "1.20", &one_job()));
    assert_eq!(p.verdict, Verdict::Stops);
    let hops = p.path.len() - 1;
    for hop in 1..=hops {
        let resume = step(&p, &format!("cutover.{hop}.resume.1"));
        let kinds: Vec<&str> = resume.checks.iter().map(|c| c.expect.kind()).collect();
        let checkpoint = resume
            .checks
            .iter()
            .any(|c| matches!(&c.expect, Expect::Matches(m) if m.contains("completed")));
        assert_eq!(checkpoint, hop < hops, "hop {hop}: {kinds:?}");
        // Always: running, every task running, restored from its savepoint.
        assert!(resume.checks.len() >= 3, "hop {hop}: {kinds:?}");
    }
}

#[test]
fn leaving_1_2_needs_every_jobs_parallelism() {
    let job = format!("&job1.id={JOB_ID}&job1.jar=/a.jar");
    let problems = waymark_core::Scenario::from_link(&link("1.2", "1.3", &job)).unwrap_err();
    assert!(
        problems
            .iter()
            .any(|p| p.to_string().contains("job1.parallelism")),
        "{problems:?}"
    );
    let p = plan(&link("1.2", "1.3", &format!("{job}&job1.parallelism=3")));
    let resume = shown(&p, step(&p, "cutover.1.resume.1")).join(" ");
    assert!(resume.contains("-p 3"), "{resume}");
}
