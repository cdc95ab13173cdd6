//! Hadoop, Spark and Interactive Query: the general workflow (test cluster,
//! validate, then in the downtime back up, delete, recreate on the same
//! storage, import and restart), with the Hive metastore steps.
//!
//! Interactive Query follows the Hive guide instead of recreating on the same
//! container: the new cluster runs beside the old one on its own container,
//! with an upgraded copy of the metastore.

use crate::plan::{Command, Phase, PhaseId, Step, Word};

use super::super::scenario::Metastore;
use super::super::sources;
use super::super::versions::{component, ClusterType, Hdi};
use super::{lit, step, var, words, Context, Which, CONFIG_FILE};

pub fn phases(c: &Context<'_>) -> Vec<Phase> {
    let s = c.s;
    let side_by_side = s.cluster_type == ClusterType::InteractiveHive;
    let component_name = s.cluster_type.main_component();
    let prepare = vec![
        step(
            "prepare.test-cluster",
            "Create a test cluster of the new version",
            &format!(
                "A temporary HDInsight {} {} cluster with its own default container in the same storage account, to try the jobs on. It keeps its own default metastore: never point a test cluster at the production metastore, which a newer version would upgrade. {}",
                s.to,
                s.cluster_type.label(),
                c.where_text()
            ),
        )
        .cmd(c.create(Which::Test, "STORAGE_ACCOUNT", "TEST_CONTAINER", false))
        .verify("The command ends without an error.")
        .rollback("Delete the half-created test cluster and create it again.")
        .source(sources::UPGRADE)
        .source(sources::AZ_HDINSIGHT)
        .done(),
        c.wait_step("prepare.test-wait", Which::Test, "test cluster"),
        step(
            "prepare.copy-jobs",
            "Copy the jobs, data sources and sinks to the test cluster",
            &format!(
                "Copy job definitions, scripts, libraries and Oozie workflows, and give the test cluster access to the data sources and sinks the jobs use (attach extra storage accounts, databases). {} {} → {}.",
                component_name,
                component(s.from, component_name).unwrap_or("?"),
                component(s.to, component_name).unwrap_or("?")
            ),
        )
        .manual()
        .verify("Every job can be started on the test cluster.")
        .source(sources::UPGRADE)
        .done(),
        step(
            "prepare.validate",
            "Validate the jobs on the test cluster",
            &validate_text(c),
        )
        .manual()
        .verify("Each job gives the same results on the test cluster as on the old one.")
        .rollback("Fix the jobs for the new version before going on; production is untouched.")
        .source(sources::UPGRADE)
        .source(if s.cluster_type == ClusterType::Spark { sources::SPARK_GUIDE } else { sources::HIVE_MIGRATE })
        .done(),
    ];

    let mut cutover = vec![
        step(
            "cutover.stop-jobs",
            "Stop the jobs on the old cluster",
            "The downtime starts here: stop scheduled and running jobs (Oozie coordinators, Spark and Hive jobs) so nothing writes to the tables or the metastore.",
        )
        .manual()
        .verify("YARN on the old cluster shows no running applications.")
        .rollback("Restart the jobs; nothing has changed yet.")
        .source(sources::UPGRADE)
        .done(),
        step(
            "cutover.backup-transient",
            "Back up transient data from the old cluster's nodes",
            "Anything stored only on the nodes' local disks (files in home directories on the head nodes, local libraries, edge-node data) is deleted with the cluster. Copy it into the default container, under /transient-backup, for example hdfs dfs -put <local dir> /transient-backup/.",
        )
        .cmd(c.ssh(Which::Old, words(&["hdfs", "dfs", "-mkdir", "-p", "/transient-backup"])))
        .manual()
        .verify("hdfs dfs -ls /transient-backup lists everything that must survive.")
        .source(sources::UPGRADE)
        .done(),
    ];
    if s.metastore == Metastore::External {
        cutover.push(copy_metastore(c));
        if s.from == Hdi::V36 {
            cutover.push(upgrade_schema(c));
        }
        cutover.push(write_config(c));
    }
    if !side_by_side {
        cutover.push(
            step(
                "cutover.delete-old",
                "Delete the old cluster",
                "Its default container must be free before the new cluster can use it: one container cannot be the default storage of two clusters. The data in the container stays; the cluster's nodes, local disks and default metastore go.",
            )
            .cmd(c.delete(Which::Old))
            .verify("az hdinsight show for the old cluster reports that it was not found.")
            .rollback("There is none for the cluster itself: a retired version cannot be created again. The data in the container is kept.")
            .source(sources::UPGRADE)
            .source(sources::BLOB_STORAGE)
            .done(),
        );
    }
    let (container, where_data) = if side_by_side {
        ("NEW_CONTAINER", "its own default container, beside the old cluster (the Hive guide does not need the same default file system, only access to the same storage accounts)")
    } else {
        (
            "OLD_CONTAINER",
            "the old cluster's default container, so it works on the existing production data",
        )
    };
    cutover.push(
        step(
            "cutover.create",
            "Create the new cluster",
            &format!(
                "HDInsight {} {} on {where_data}{}. {}",
                s.to,
                s.cluster_type.label(),
                if s.metastore == Metastore::External {
                    ", with the copied metastore"
                } else {
                    ""
                },
                c.where_text()
            ),
        )
        .cmd(c.create(
            Which::New,
            "STORAGE_ACCOUNT",
            container,
            s.metastore == Metastore::External,
        ))
        .verify("The command ends without an error.")
        .rollback("Delete the half-created cluster and create it again with the same command.")
        .source(sources::UPGRADE)
        .source(sources::AZ_HDINSIGHT)
        .source(sources::METASTORE)
        .done(),
    );
    cutover.push(c.wait_step("cutover.wait", Which::New, "new cluster"));
    if s.metastore == Metastore::External {
        cutover.push(
            step(
                "cutover.remove-config",
                "Remove the configuration file with the metastore password",
                "",
            )
            .cmd(Command::local(words(&["rm", "-f", CONFIG_FILE])))
            .source(sources::METASTORE)
            .done(),
        );
        if s.from == Hdi::V36 {
            cutover.push(strict_managed(c));
        }
    }
    if side_by_side && s.from == Hdi::V36 {
        cutover.push(
            step(
                "cutover.serde",
                "Replace the old MultiDelimitSerDe class",
                "Tables that use org.apache.hadoop.hive.contrib.serde2.MultiDelimitSerDe need org.apache.hadoop.hive.serde2.MultiDelimitSerDe in Hive 3: change them with ALTER TABLE … SET SERDE in Beeline.",
            )
            .manual()
            .verify("SHOW CREATE TABLE of those tables names the new class.")
            .source(sources::HIVE_MIGRATE)
            .done(),
        );
    }
    cutover.push(
        step(
            "cutover.import-transient",
            "Import the transient data",
            &if side_by_side {
                format!(
                    "Copy what was backed up to /transient-backup in the old container (wasbs://{}@{}.blob.core.windows.net/transient-backup) to where the jobs expect it on the new cluster. For table data, copy only the configured data folders, never the whole old container.",
                    s.storage_container, s.storage_account
                )
            } else {
                "The new cluster sees /transient-backup in the same default container: copy the files back to where the jobs expect them.".to_string()
            },
        )
        .cmd(c.ssh(
            Which::New,
            if side_by_side {
                vec![lit("hdfs"), lit("dfs"), lit("-ls"), c.old_fs("/transient-backup")]
            } else {
                words(&["hdfs", "dfs", "-ls", "/transient-backup"])
            },
        ))
        .manual()
        .verify("The files are back in place on the new cluster.")
        .source(sources::UPGRADE)
        .done(),
    );
    cutover.push(
        step(
            "cutover.start-jobs",
            "Start the jobs on the new cluster",
            "Deploy the jobs as validated on the test cluster, point clients (JDBC URLs, Livy, Oozie) at the new cluster's name, and start processing. The downtime ends here.",
        )
        .manual()
        .verify("The first runs finish with the expected results.")
        .source(sources::UPGRADE)
        .done(),
    );

    let mut verify = vec![c.wait_step("verify.state", Which::New, "new cluster")];
    if s.metastore == Metastore::External {
        verify.push(
            step(
                "verify.tables",
                "Check that the tables are there",
                "Beeline on the new cluster must list the databases and tables of the old one; their locations must point at storage the new cluster can reach.",
            )
            .cmd(c.ssh(
                Which::New,
                vec![lit("beeline"), lit("-u"), lit("jdbc:hive2://headnodehost:10001/;transportMode=http"), lit("-e"), lit("SHOW DATABASES;")],
            ))
            .verify("Every database of the old cluster is listed.")
            .source(sources::HIVE_MIGRATE)
            .done(),
        );
    }
    verify.push(
        step(
            "verify.delete-test",
            "Delete the test cluster",
            "It is no longer needed; its container can be deleted too once nothing in it matters.",
        )
        .cmd(c.delete(Which::Test))
        .verify("az hdinsight list no longer shows the test cluster.")
        .source(sources::DELETE)
        .done(),
    );
    if side_by_side {
        verify.push(
            step(
                "verify.delete-old",
                "Delete the old cluster",
                "Only once the new cluster has run well for as long as you need to be sure: after this there is no way back, and a retired version cannot be created again. Its metastore database stays.",
            )
            .cmd(c.delete(Which::Old))
            .verify("az hdinsight list no longer shows the old cluster.")
            .source(sources::HIVE_MIGRATE)
            .source(sources::DELETE)
            .done(),
        );
    }

    let rollback = vec![if side_by_side {
        step(
            "rollback.old-cluster",
            "Return to the old cluster",
            &format!(
                "While it exists, point clients back at {} and restart its jobs. Its metastore was never touched: the new cluster works on a copy. Data the new cluster wrote to shared storage stays; Hive 3 managed tables must not be written by the old cluster.",
                s.cluster
            ),
        )
        .manual()
        .verify("Jobs run on the old cluster again.")
        .source(sources::HIVE_MIGRATE)
        .source(sources::HIVE_TROUBLESHOOT)
        .done()
    } else {
        step(
            "rollback.fix-forward",
            "Fix forward on the new cluster",
            &format!(
                "The old cluster was deleted in the cutover and HDInsight {} cannot be created again once retired, so there is no cluster to go back to. The data is still in the container{}; fix the jobs on the new cluster, using the test results.",
                s.from,
                if s.metastore == Metastore::External { " and the old metastore database is unchanged" } else { "" }
            ),
        )
        .manual()
        .verify("The jobs run on the new cluster.")
        .source(sources::UPGRADE)
        .source(sources::RETIRED)
        .done()
    }];

    vec![
        Phase {
            id: PhaseId::Prepare,
            title: "Prepare".into(),
            intro: "Before the downtime: try the jobs on a test cluster of the new version.".into(),
            steps: prepare,
        },
        Phase {
            id: PhaseId::Cutover,
            title: "Cutover".into(),
            intro: if side_by_side {
                "In the downtime: stop the jobs, copy (and upgrade) the metastore, create the new cluster beside the old one and start the jobs there.".into()
            } else {
                "In the downtime: stop the jobs, back up what lives only on the nodes, delete the old cluster, create the new one on the same storage, bring the data back and start the jobs.".into()
            },
            steps: cutover,
        },
        Phase {
            id: PhaseId::Verify,
            title: "Verify".into(),
            intro: "Check the new cluster and remove what is no longer needed.".into(),
            steps: verify,
        },
        Phase {
            id: PhaseId::Rollback,
            title: "Rollback".into(),
            intro: "What going back means for this migration.".into(),
            steps: rollback,
        },
    ]
}

fn validate_text(c: &Context<'_>) -> String {
    let s = c.s;
    let mut out =
        String::from("Run each job on test data and compare its output with the old cluster's.");
    if s.from == Hdi::V36 && c.hive_data() {
        out.push_str(" Hive 3: run queries through Beeline, on Tez, with `db`.`table` quoting and UTC timestamp casts.");
    }
    if s.cluster_type == ClusterType::Spark {
        out.push_str(&format!(
            " Spark {} → {}: rebuild the applications for the new Spark and Scala versions.",
            component(s.from, "Spark").unwrap_or("?"),
            component(s.to, "Spark").unwrap_or("?")
        ));
    }
    out
}

fn copy_metastore(_c: &Context<'_>) -> Step {
    step(
        "cutover.copy-metastore",
        "Copy the metastore database",
        "The new cluster gets a copy, because creating a newer version on a metastore upgrades its schema for good and the old cluster must keep its own. The copy is made after the jobs stopped, so it holds the final state. The command assumes the SQL server is in the clusters' resource group.",
    )
    .cmd(Command::local(vec![
        lit("az"),
        lit("sql"),
        lit("db"),
        lit("copy"),
        lit("--resource-group"),
        var("RESOURCE_GROUP"),
        lit("--server"),
        var("METASTORE_SERVER"),
        lit("--name"),
        var("METASTORE_DB"),
        lit("--dest-name"),
        var("NEW_METASTORE_DB"),
    ]))
    .verify("The new database appears on the server with the same size.")
    .rollback("Delete the copy and repeat.")
    .source(sources::HIVE_MIGRATE)
    .source(sources::METASTORE)
    .done()
}

fn upgrade_schema(c: &Context<'_>) -> Step {
    let on = "a head node of the test cluster (ssh \"$TEST_SSH\"), with METASTORE_PASSWORD set";
    let url = Word::Join(vec![
        lit("jdbc:sqlserver://"),
        var("METASTORE_SERVER"),
        lit(".database.windows.net;databaseName="),
        var("NEW_METASTORE_DB"),
        lit(";trustServerCertificate=false;encrypt=true;hostNameInCertificate=*.database.windows.net;"),
    ]);
    step(
        "cutover.upgrade-schema",
        "Upgrade the copied metastore's schema to Hive 3",
        "Run schematool from a cluster of the new version (the test cluster) against the copy, never against the old cluster's database: the upgrade cannot be undone. The password is typed on the node, not stored here. If a script fails on capacity or time-out, scale the database up and rerun.",
    )
    .cmd(c.elsewhere(on, vec![Word::Raw("STACK_VERSION=$(hdp-select status hive-server2 | awk '{ print $3; }')")]))
    .cmd(c.elsewhere(
        on,
        vec![
            Word::Raw("/usr/hdp/$STACK_VERSION/hive/bin/schematool"),
            lit("-upgradeSchema"),
            lit("-url"),
            url,
            lit("-userName"),
            var("METASTORE_USER"),
            lit("-passWord"),
            var("METASTORE_PASSWORD"),
            lit("-dbType"),
            lit("mssql"),
            lit("--verbose"),
        ],
    ))
    .manual()
    .verify("select schema_version from dbo.version on the copy returns the last version in /usr/hdp/<stack>/hive/scripts/metastore/upgrade/mssql/upgrade.order.mssql.")
    .rollback("Delete the copy, copy again and rerun.")
    .source(sources::HIVE_MIGRATE)
    .done()
}

fn write_config(c: &Context<'_>) -> Step {
    let _ = c;
    // JSON with %s holes, filled by printf from the scenario's variables.
    const TEMPLATE: &str = "{\"hive-site\": {\"javax.jdo.option.ConnectionDriverName\": \"com.microsoft.sqlserver.jdbc.SQLServerDriver\", \"javax.jdo.option.ConnectionURL\": \"jdbc:sqlserver://%s.database.windows.net;database=%s;encrypt=true;trustServerCertificate=true;create=false;loginTimeout=300\", \"javax.jdo.option.ConnectionUserName\": \"%s\", \"javax.jdo.option.ConnectionPassword\": \"%s\"}, \"hive-env\": {\"hive_database\": \"Existing MSSQL Server database with SQL authentication\", \"hive_database_type\": \"mssql\", \"hive_existing_mssql_server_database\": \"%s\", \"hive_existing_mssql_server_host\": \"%s.database.windows.net\"}}\\n";
    step(
        "cutover.metastore-config",
        "Write the cluster configuration that names the metastore copy",
        "az hdinsight create takes the custom metastore through --cluster-configurations. The file holds the SQL password (from METASTORE_PASSWORD, which must not contain a double quote or backslash): it is written readable only by you and removed after the cluster is created.",
    )
    .cmd(Command::local(vec![
        Word::Raw("umask 077 &&"),
        lit("printf"),
        lit(TEMPLATE),
        var("METASTORE_SERVER"),
        var("NEW_METASTORE_DB"),
        var("METASTORE_USER"),
        var("METASTORE_PASSWORD"),
        var("NEW_METASTORE_DB"),
        var("METASTORE_SERVER"),
        Word::Raw(">"),
        lit(CONFIG_FILE),
    ]))
    .verify("hdi-metastore.json exists and is valid JSON (python3 -m json.tool hdi-metastore.json).")
    .source(sources::METASTORE)
    .source(sources::AZ_HDINSIGHT)
    .done()
}

fn strict_managed(c: &Context<'_>) -> Step {
    step(
        "cutover.strict-managed",
        "Convert the tables for Hive 3",
        "The strict managed migration turns managed tables that cannot be transactional into external tables with external.table.purge=true, so Hive 3's strict checks accept them.",
    )
    .cmd(c.ssh(
        Which::New,
        vec![
            lit("sudo"),
            lit("-u"),
            lit("hive"),
            Word::Raw("\"/usr/hdp/$(hdp-select status hive-server2 | awk '{ print $3; }')/hive/bin/hive\""),
            lit("--config"),
            lit("/etc/hive/conf"),
            lit("--service"),
            lit("strictmanagedmigration"),
            lit("--hiveconf"),
            lit("hive.strict.managed.tables=true"),
            lit("-m"),
            lit("automatic"),
            lit("--modifyManagedTables"),
        ],
    ))
    .verify("The tool ends without errors; SHOW CREATE TABLE of a former non-ACID managed table shows it as external with external.table.purge.")
    .rollback("The old metastore database is untouched; recreate the copy if the conversion must be redone.")
    .source(sources::HIVE_MIGRATE)
    .done()
}
