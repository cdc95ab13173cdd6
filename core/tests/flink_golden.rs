//! Golden runbooks: a spread of standalone-session Flink scenarios rendered
//! to Markdown, bash and JSON, compared exactly with
//! core/tests/golden/flink/<name>.{md,sh,json} (see `common::golden`).
//!
//! After an intended change, rewrite them with
//! `WAYMARK_UPDATE_GOLDEN=1 cargo test -p waymark-core --test flink_golden`
//! and read the diff as an operator would before committing.

mod common;

/// (name, link). Paths are fixed so the output is stable.
pub const SCENARIOS: [(&str, &str); 14] = [
    (
        "direct-1.17-1.20-in-place",
        "platform=flink&from=1.17&to=1.20&strategy=in-place&uids=all&uses=broadcast-state\
         &old-home=/opt/flink-1.17&new-home=/opt/flink-1.20&savepoint-dir=s3://flink-state/savepoints\
         &job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.name=orders&job1.jar=/apps/orders.jar\
         &job1.class=com.acme.Orders&job1.args=--env%20prod&job1.parallelism=4\
         &job2.id=0f9e8d7c6b5a49382716051423324150&job2.name=payments&job2.jar=/apps/payments.jar",
    ),
    (
        "shadow-1.18-1.19-jobmanagers",
        "platform=flink&from=1.18&to=1.19&strategy=shadow-copy&uids=all\
         &old-home=/opt/flink-1.18&new-home=/opt/flink-1.19\
         &old-jobmanager=jm-old.internal:8081&new-jobmanager=jm-new.internal:8081\
         &savepoint-dir=hdfs:///flink/savepoints\
         &job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.name=orders&job1.jar=/apps/orders.jar\
         &job1.class=com.acme.Orders",
    ),
    (
        "stops-1.7-1.20",
        "platform=flink&from=1.7&to=1.20&strategy=in-place&uids=some\
         &old-home=/opt/flink-1.7&new-home=/opt/flink-1.20&savepoint-dir=s3://flink-state/savepoints\
         &job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.name=orders&job1.jar=/apps/orders.jar\
         &job1.parallelism=8",
    ),
    (
        "cep-1.2-1.5",
        "platform=flink&from=1.2&to=1.5&strategy=in-place&uses=cep\
         &savepoint-dir=hdfs:///flink/savepoints\
         &job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.name=fraud&job1.jar=/apps/fraud.jar\
         &job1.class=com.acme.Fraud&job1.parallelism=4",
    ),
    (
        "major-1.20-2.0",
        "platform=flink&from=1.20&to=2.0&strategy=shadow-copy&uids=all&uses=table-sql\
         &new-jobmanager=flink2.internal:8081&savepoint-dir=s3://flink-state/savepoints\
         &job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.name=orders&job1.jar=/apps/orders-2.0.jar",
    ),
    (
        "two-x-2.0-2.2",
        "platform=flink&from=2.0&to=2.2&strategy=in-place&uids=all\
         &savepoint-dir=s3://flink-state/savepoints\
         &job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.name=orders&job1.jar=/apps/orders.jar",
    ),
    (
        "old-1.1-1.3",
        "platform=flink&from=1.1&to=1.3&strategy=in-place\
         &savepoint-dir=hdfs:///flink/savepoints\
         &job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.name=clicks&job1.jar=/apps/clicks.jar",
    ),
    (
        "cancel-1.5-1.9-broadcast",
        "platform=flink&from=1.5&to=1.9&strategy=in-place&uses=broadcast-state&uids=all\
         &job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.name=rules&job1.jar=/apps/rules.jar",
    ),
    ("blocked-1.0-1.5", "platform=flink&from=1.0&to=1.5&job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.jar=/apps/a.jar"),
    ("blocked-downgrade-1.20-1.18", "platform=flink&from=1.20&to=1.18"),
    (
        "blocked-2.0-dataset",
        "platform=flink&from=1.20&to=2.0&uses=dataset,legacy-kafka&uids=all\
         &job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.name=batch&job1.jar=/apps/batch.jar",
    ),
    (
        "nasty-values",
        "platform=flink&from=1.17&to=1.19&strategy=in-place&uids=all\
         &old-home=/opt/flink%201.17%20(old)&new-home=/opt/it's%20new/flink-1.19\
         &savepoint-dir=s3://bucket/sp%20dir/$USER/%60id%60\
         &job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.name=it's%20%22prod%22%20$HOME\
         &job1.jar=/apps/my%20jobs/o'rders%20$x%60id%60.jar&job1.class=com.acme.Orders$Main\
         &job1.args=--name%20'a%20b'%20--q%20%22x%5C%22y%22%20'$HOME'%20'%60id%60'%20''%20%5C;rm",
    ),
    ("zero-jobs-1.19-1.20", "platform=flink&from=1.19&to=1.20&strategy=in-place&uids=all"),
    (
        "three-jobs-1.16-1.18-shadow",
        "platform=flink&from=1.16&to=1.18&strategy=shadow-copy&uids=none&uses=table-sql,legacy-kafka\
         &old-jobmanager=localhost:8081&new-jobmanager=localhost:8082&savepoint-dir=/data/savepoints\
         &job1.id=a1b2c3d4e5f60718293a4b5c6d7e8f90&job1.name=orders&job1.jar=/apps/orders.jar&job1.parallelism=4\
         &job2.id=0f9e8d7c6b5a49382716051423324150&job2.name=payments&job2.jar=/apps/payments.jar&job2.args=--fast\
         &job3.id=00112233445566778899aabbccddeeff&job3.name=audit&job3.jar=/apps/audit.jar&job3.class=com.acme.Audit",
    ),
];

#[test]
fn runbooks_match_the_golden_files() {
    common::golden::check("flink", &SCENARIOS);
}

#[test]
fn scenarios_cover_each_verdict_and_the_edge_cases() {
    use waymark_core::plan::Verdict;
    let plans: Vec<_> = SCENARIOS
        .iter()
        .map(|(n, l)| (*n, common::plan(l)))
        .collect();
    for verdict in [Verdict::Direct, Verdict::Stops, Verdict::Blocked] {
        assert!(
            plans.iter().any(|(_, p)| p.verdict == verdict),
            "no {verdict:?} scenario"
        );
    }
    for (name, plan) in &plans {
        let blocked = name.starts_with("blocked");
        assert_eq!(
            plan.verdict == Verdict::Blocked,
            blocked,
            "{name}: {:?}",
            plan.verdict
        );
    }
    // The nasty scenario really carries the awkward characters through.
    let nasty = &plans.iter().find(|(n, _)| *n == "nasty-values").unwrap().1;
    let json = waymark_core::render::json::render(nasty);
    for needle in ["it's", "$HOME", "`id`", "sp dir", "\\\"", "$x"] {
        assert!(json.contains(needle), "nasty JSON lost {needle:?}");
    }
}
