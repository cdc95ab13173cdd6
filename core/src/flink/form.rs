//! The Flink scenario form.

use crate::form::{choice, text, Field, Form, Group, Kind, Section};
use crate::scenario::Scenario as AnyScenario;

use super::scenario::{Scenario, FEATURES, STRATEGIES, UIDS};
use super::versions;

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
                    choice("strategy", "Strategy", "In-place replaces the cluster; a shadow copy runs a new cluster beside the old one.", strategies).when_unset("Not set: in-place upgrade"),
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
                    },
                ],
            },
            Section {
                title: "Clusters",
                fields: vec![
                    text("old-home", "Old installation", "Where the current Flink is installed.", "/opt/flink-1.17"),
                    text("new-home", "New installation", "Where the new Flink is (or will be) installed.", "/opt/flink-1.20"),
                    text("old-jobmanager", "Old JobManager", "host:port, passed as -m; leave empty to use the installation's configuration.", "jobmanager:8081"),
                    text("new-jobmanager", "New JobManager", "host:port of the new cluster; also used for the REST checks.", "jobmanager-new:8081"),
                    text("savepoint-dir", "Savepoint directory", "Where savepoints go; empty uses state.savepoints.dir.", "s3://bucket/savepoints"),
                ],
            },
        ],
        group: Some(Group {
            prefix: "job",
            title: "Jobs",
            item: "job",
            fields: vec![
                text("name", "Name", "A label for the runbook.", "orders"),
                text("id", "Job id", "32 hex digits, as `flink list` shows.", "a1b2c3d4e5f60718293a4b5c6d7e8f90"),
                text("jar", "Jar", "The job's jar, built for the new version.", "/apps/orders.jar"),
                text("class", "Entry class", "Empty if the jar's manifest names it.", "com.acme.Orders"),
                text("args", "Arguments", "Program arguments, quoted as on a shell line.", "--env prod"),
                text("stop1-jar", "Jar at the first stop", "When the route has stops: the jar built for the first stop's version, if not the same.", "/apps/orders-1.16.jar"),
                text("old-jar", "Old jar", "For a rollback: the jar that runs on the old version, if not the same.", "/apps/orders-1.17.jar"),
                Field { key: "parallelism", label: "Parallelism", help: "Passed as -p. Empty: the job's own setting or the cluster's parallelism.default. Required from 1.2.", kind: Kind::Number { min: 1, max: 32768 }, placeholder: "4" },
            ],
            template: Vec::new(),
        }),
        example: AnyScenario::Flink(Scenario::example()).to_link(),
    }
}
