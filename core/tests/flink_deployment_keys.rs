//! The `deployment` key and the keys only some targets take: a link without
//! it keeps its meaning, and a key given to a target that does not take it
//! is a problem naming the targets that do.

mod common;

use common::{flink_scenario, JOB_ID};
use waymark_core::flink::deployment::{Deployment, DEPLOYMENTS, TARGET_KEYS};
use waymark_core::Scenario;

const BASE: &str = "platform=flink&from=1.17&to=1.20";

fn job(extra: &str) -> String {
    format!("{BASE}&job1.id={JOB_ID}&job1.jar=/apps/orders.jar{extra}")
}

fn problems(link: &str) -> Vec<(String, String)> {
    match Scenario::from_link(link) {
        Ok(_) => Vec::new(),
        Err(ps) => ps
            .into_iter()
            .map(|p| (p.key.unwrap_or_default(), p.message))
            .collect(),
    }
}

#[test]
fn a_link_without_deployment_is_a_standalone_session_and_keeps_its_canonical_form() {
    let link = job("&strategy=shadow-copy");
    let s = flink_scenario(&link);
    assert_eq!(s.deployment, Deployment::StandaloneSession);
    let canonical = Scenario::Flink(s.clone()).to_link();
    assert!(!canonical.contains("deployment="), "{canonical}");
    assert_eq!(flink_scenario(&canonical), s);
    // Naming the default explicitly means the same scenario.
    assert_eq!(
        flink_scenario(&job("&strategy=shadow-copy&deployment=standalone-session")),
        s
    );
}

#[test]
fn every_target_key_given_to_a_target_that_does_not_take_it_names_the_ones_that_do() {
    for key in TARGET_KEYS {
        let takers: Vec<&str> = DEPLOYMENTS
            .iter()
            .filter(|d| d.1.takes(key).is_some())
            .map(|d| d.0)
            .collect();
        let found = problems(&job(&format!("&{key}=x")));
        let at_key: Vec<&(String, String)> = found.iter().filter(|(k, _)| k == key).collect();
        assert_eq!(at_key.len(), 1, "{key}: {found:?}");
        for t in &takers {
            assert!(
                at_key[0].1.contains(t),
                "{key}: {:?} should name {t}",
                at_key[0]
            );
        }
        assert!(
            at_key[0].1.contains("standalone-session"),
            "{:?}",
            at_key[0]
        );
    }
}

#[test]
fn per_job_target_keys_of_other_targets_are_problems_too() {
    for key in [
        "jobmanager",
        "yarn-application",
        "cluster-id",
        "resource",
        "application",
    ] {
        let found = problems(&job(&format!("&job1.{key}=x")));
        let full = format!("job1.{key}");
        assert!(
            found
                .iter()
                .any(|(k, m)| *k == full && m.contains("applies only to deployment=")),
            "{key}: {found:?}"
        );
    }
}

#[test]
fn an_unknown_deployment_lists_the_allowed_values() {
    let found = problems(&job("&deployment=mesos"));
    let (_, message) = found
        .iter()
        .find(|(k, _)| k == "deployment")
        .expect("a problem at deployment");
    for d in DEPLOYMENTS {
        assert!(message.contains(d.0), "{message}");
    }
}

#[test]
fn strategy_and_jobmanagers_belong_to_the_standalone_session_only() {
    for d in DEPLOYMENTS.iter().filter(|d| !d.1.has_strategy()) {
        let found = problems(&job(&format!(
            "&deployment={}&strategy=shadow-copy&old-jobmanager=jm:8081",
            d.0
        )));
        for key in ["strategy", "old-jobmanager"] {
            assert!(
                found.iter().any(|(k, m)| k == key && m.contains(d.0)),
                "{} {key}: {found:?}",
                d.0
            );
        }
    }
}
