//! The Flink scenario form.

use crate::form::{choice, number, text, Field, Form, Group, Kind, Section, When};
use crate::scenario::Scenario as AnyScenario;

use super::deployment::DEPLOYMENTS;
use super::scenario::{Scenario, FEATURES, STRATEGIES, UIDS};
use super::versions;

/// The field applies to these deployments only.
const fn on(values: &'static [&'static str]) -> When {
    When {
        key: "deployment",
        unset: "standalone-session",
        values,
    }
}

const HOMES: When = on(&[
    "standalone-session",
    "standalone-application",
    "yarn-session",
    "yarn-per-job",
    "yarn-application",
    "kubernetes-session",
    "kubernetes-application",
]);
const SESSION: When = on(&["standalone-session"]);
const YARN: When = on(&["yarn-session", "yarn-per-job", "yarn-application"]);
const KUBERNETES: When = on(&[
    "kubernetes-session",
    "kubernetes-application",
    "operator",
    "operator-session",
]);
const OLD_IMAGE: When = on(&["kubernetes-application", "operator", "operator-session"]);
const OPERATOR: When = on(&["operator", "operator-session"]);
/// Everything but the managed service, which keeps its own snapshots and
/// starts the jar's own main class with its runtime properties.
const NOT_MANAGED: When = on(&[
    "standalone-session",
    "standalone-application",
    "yarn-session",
    "yarn-per-job",
    "yarn-application",
    "kubernetes-session",
    "kubernetes-application",
    "operator",
    "operator-session",
]);
const JOB_IDS: When = on(&[
    "standalone-session",
    "standalone-application",
    "yarn-session",
    "yarn-per-job",
    "yarn-application",
    "kubernetes-session",
    "kubernetes-application",
]);

fn version_options() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for r in versions::all().collect::<Vec<_>>().into_iter().rev() {
        out.push((
            r.line.to_string(),
            format!("{} (released {})", r.line, r.date),
        ));
    }
    out
}

pub fn form() -> Form {
    let strategies = STRATEGIES
        .iter()
        .map(|(k, s)| (k.to_string(), s.label().to_string()))
        .collect();
    let uids = UIDS
        .iter()
        .map(|(k, _)| {
            let label = match *k {
                "all" => "All operators",
                "some" => "Some operators",
                _ => "No operators",
            };
            (k.to_string(), label.to_string())
        })
        .collect();
    Form {
        platform: "flink",
        sections: vec![
            Section {
                title: "Versions",
                fields: vec![
                    choice("from", "From", "The Flink version the jobs run on now. A patch release such as 1.17.2 can be typed into the link.", version_options()),
                    choice("to", "To", "The Flink version to move to.", version_options()),
                    text("via", "Stops (optional)", "Versions to stop at on the way, oldest first, comma-separated. Empty lets the planner choose.", "1.19"),
                ],
            },
            Section {
                title: "Deployment",
                fields: vec![
                    choice("deployment", "Where the jobs run", "Each target gets a runbook in its own commands.", DEPLOYMENTS.iter().map(|d| (d.0.to_string(), d.2.to_string())).collect()).when_unset("Not set: standalone session"),
                    choice("strategy", "Strategy", "In-place replaces the cluster; a shadow copy runs a new cluster beside the old one.", strategies).when_unset("Not set: in-place upgrade").only(SESSION),
                    text("yarn-application", "YARN session", "The session's application id, as yarn application -list shows it.", "application_1700000000000_0042").only(on(&["yarn-session"])),
                    text("provided-lib-dirs", "Provided lib dirs", "Optional: where the new version's lib/ and plugins/ were uploaded (yarn.provided.lib.dirs).", "hdfs:///flink/1.20/lib").only(YARN),
                    text("namespace", "Namespace", "Empty: default.", "flink").only(KUBERNETES),
                    text("cluster-id", "Session cluster id", "The old session's kubernetes.cluster-id.", "analytics").only(on(&["kubernetes-session"])),
                    text("new-cluster-id", "New session cluster id", "Empty: the old id with the new version appended.", "analytics-1-20").only(on(&["kubernetes-session"])),
                    text("image", "New image", "The container image of the new Flink version.", "flink:1.20.1-java17").only(KUBERNETES),
                    text("old-image", "Old image", "The image the jobs run on now, for the rollback.", "flink:1.17.2-java11").only(OLD_IMAGE),
                    text("session-resource", "Session FlinkDeployment", "The session cluster that holds the FlinkSessionJobs.", "analytics-session").only(on(&["operator-session"])),
                    text("operator-version", "Operator release", "The Flink Kubernetes Operator release, as helm list shows it.", "1.13.0").only(OPERATOR),
                    text("aws-region", "AWS region", "Where the Managed Flink applications run.", "eu-west-1").only(on(&["amazon-managed-flink"])),
                ],
            },
            Section {
                title: "What the jobs use",
                fields: vec![
                    choice("uids", "Operator uids", "Operators with an explicit uid(...) map their state reliably.", uids),
                    Field {
                        key: "uses",
                        label: "Features",
                        help: "Tick everything any of the jobs uses: several rules depend on it.",
                        kind: Kind::Flags(FEATURES.iter().map(|f| (f.0, f.2, f.3)).collect()),
                        placeholder: "",
                        when: None,
                    },
                ],
            },
            Section {
                title: "Clusters",
                fields: vec![
                    text("old-home", "Old installation", "Where the current Flink is installed. Empty: /opt/flink-<from>, following the version.", "/opt/flink-<from>").only(HOMES),
                    text("new-home", "New installation", "Where the new Flink is (or will be) installed. Empty: /opt/flink-<to>, following the version.", "/opt/flink-<to>").only(HOMES),
                    text("old-jobmanager", "Old JobManager", "host:port, passed as -m; leave empty to use the installation's configuration.", "jobmanager:8081").only(SESSION),
                    text("new-jobmanager", "New JobManager", "host:port of the new cluster; also used for the REST checks.", "jobmanager-new:8081").only(SESSION),
                    text("savepoint-dir", "Savepoint directory", "Where savepoints go; empty uses state.savepoints.dir.", "s3://bucket/savepoints").only(NOT_MANAGED),
                ],
            },
        ],
        group: Some(Group {
            prefix: "job",
            title: "Jobs",
            item: "job",
            fields: vec![
                text("name", "Name", "A label for the runbook.", "orders"),
                text("id", "Job id", "32 hex digits, as `flink list` shows.", "a1b2c3d4e5f60718293a4b5c6d7e8f90").only(JOB_IDS),
                text("jobmanager", "JobManager", "The REST address of the job's own cluster; empty with one job: localhost:8081.", "orders-jobmanager:8081").only(on(&["standalone-application"])),
                text("yarn-application", "YARN application", "The application the job runs in now.", "application_1700000000000_0042").only(on(&["yarn-per-job", "yarn-application"])),
                text("cluster-id", "Cluster id", "The kubernetes.cluster-id of the job's own cluster.", "orders").only(on(&["kubernetes-application"])),
                text("resource", "Resource", "The job's FlinkDeployment (operator) or FlinkSessionJob (session jobs).", "orders").only(OPERATOR),
                text("application", "Application", "The job's Managed Flink application.", "orders").only(on(&["amazon-managed-flink"])),
                text("jar", "Jar", "The job's jar, built for the new version (operator: its jarURI; Managed Flink: the S3 key of the new code).", "/apps/orders.jar"),
                text("class", "Entry class", "Empty if the jar's manifest names it.", "com.acme.Orders").only(NOT_MANAGED),
                text("args", "Arguments", "Program arguments, quoted as on a shell line.", "--env prod").only(NOT_MANAGED),
                text("stop1-jar", "Jar at the first stop", "When the route has stops: the jar built for the first stop's version, if not the same.", "/apps/orders-1.16.jar"),
                text("old-jar", "Old jar", "For a rollback: the jar that runs on the old version, if not the same (Managed Flink: required, the S3 key the application runs now).", "/apps/orders-1.17.jar"),
                number("parallelism", "Parallelism", "Passed as -p. Empty: the job's own setting or the cluster's parallelism.default. Required from 1.2.", 1, 32768, "4"),
            ],
            template: Vec::new(),
        }),
        example: AnyScenario::Flink(Scenario::example()).to_link(),
    }
}
