//! Hadoop, Spark and Interactive Query: the general workflow (test cluster,
//! validate, then in the downtime back up, import and restart) with the Hive
//! guide's side-by-side cutover: the new cluster runs beside the old one on
//! its own container, with an upgraded copy of the metastore. The old
//! cluster stays as it was until the decommission, so a failed create leaves
//! production whole and a rollback has somewhere to go.

use crate::plan::{Command, Frame, Phase, PhaseId, Step, Word};

use super::super::scenario::Metastore;
use super::super::sources;
use super::super::versions::{component, ClusterType, Hdi};
use super::{
    db_online, estimate, lit, phase, step, var, words, Context, Which, CLUSTER_WAIT, CREATE_LONGER,
};

pub fn phases(c: &Context<'_>) -> Vec<Phase> {
    let s = c.s;
    let component_name = s.cluster_type.main_component();
    let external = s.metastore == Metastore::External;
    let prepare = vec![
        c.create_step(
            "prepare.test-cluster",
            "Create a test cluster of the new version",
            &format!(
                "A temporary HDInsight {} {} cluster with its own default container in the same storage account, to try the jobs on. It keeps its own default metastore: never point a test cluster at the production metastore, which a newer version would upgrade. {}",
                s.to,
                s.cluster_type.label(),
                c.where_text()
            ),
            Which::Test,
            "STORAGE_ACCOUNT",
            "TEST_CONTAINER",
            false,
        )
        .source(sources::UPGRADE)
        .done(),
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

    let mut extra = Vec::new();
    if external && s.from == Hdi::V36 {
        extra.push(
            step(
                "preflight.test-cluster",
                "Check that the test cluster is running",
                "The cutover upgrades the copied metastore's schema from the test cluster, a cluster of the new version.",
            )
            .check(c.running(Which::Test, 0))
            .verify("az hdinsight show reports the test cluster Running.")
            .rollback("Run the prepare phase again (rerun its first step with --redo prepare.test-cluster once the old test cluster is gone).")
            .source(sources::HIVE_MIGRATE)
            .done(),
        );
    }
    extra.push(c.quota_step("the new cluster runs beside the old one, and the test cluster is deleted just before the create to free its cores"));
    let preflight = c.preflight(false, extra);

    let mut cutover = vec![
        step(
            "cutover.stop-jobs",
            "Stop the jobs on the old cluster",
            "The downtime starts here: stop scheduled and running jobs (Oozie coordinators, Spark and Hive jobs) so nothing writes to the tables or the metastore.",
        )
        .manual()
        .verify("YARN on the old cluster shows no running job applications (long-running services such as LLAP, Livy or the Spark Thrift server may stay).")
        .rollback("Restart the jobs; nothing has changed yet.")
        .source(sources::UPGRADE)
        .done(),
        step(
            "cutover.backup-transient",
            "Back up transient data from the old cluster's nodes",
            "Anything stored only on the nodes' local disks (files in home directories on the head nodes, local libraries, edge-node data) goes when the old cluster is deleted. Copy it into the default container, under /transient-backup, for example hdfs dfs -put <local dir> /transient-backup/.",
        )
        .cmd(c.ssh(Which::Old, words(&["hdfs", "dfs", "-mkdir", "-p", "/transient-backup"])))
        .manual()
        .verify("hdfs dfs -ls /transient-backup lists everything the new cluster needs.")
        .source(sources::UPGRADE)
        .done(),
    ];
    if external {
        cutover.push(copy_metastore(c));
        if s.from == Hdi::V36 {
            cutover.push(upgrade_schema(c));
        }
    }
    cutover.push(
        step(
            "cutover.delete-test",
            "Delete the test cluster",
            "It has served its purpose, and its cores count against the regional quota the new cluster needs. Its container stays; delete it later once nothing in it matters.",
        )
        .cmd(c.delete(Which::Test).may_fail())
        .check(c.absent(Which::Test, CLUSTER_WAIT, "the test cluster is gone"))
        .verify("az hdinsight show for the test cluster fails with ResourceNotFound.")
        .rollback("Nothing in production depends on the test cluster.")
        .source(sources::DELETE)
        .source(sources::CAPACITY)
        .done(),
    );
    cutover.push(
        c.create_step(
            "cutover.create",
            "Create the new cluster",
            &format!(
                "HDInsight {} {} on its own default container, beside the old cluster{}: the Hive guide does not need the same default file system, only access to the same storage accounts. Jobs that use paths relative to the default file system (/data/…) must name the old container's full path instead ({}/…), or get their data copied (only the configured data folders, never the whole container). {}",
                s.to,
                s.cluster_type.label(),
                if external { ", with the copied metastore" } else { "" },
                c.fs_text(&s.storage_container, &s.storage_account),
                c.where_text()
            ),
            Which::New,
            "STORAGE_ACCOUNT",
            "NEW_CONTAINER",
            external,
        )
        .source(sources::UPGRADE)
        .source(sources::HIVE_MIGRATE)
        .source(sources::METASTORE)
        .done(),
    );
    if external && s.from == Hdi::V36 {
        cutover.push(strict_managed(c));
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
            &format!(
                "Copy what was backed up to /transient-backup in the old container ({}/transient-backup) to where the jobs expect it on the new cluster. For table data, copy only the configured data folders, never the whole old container.",
                c.fs_text(&s.storage_container, &s.storage_account)
            ),
        )
        .cmd(c.ssh(
            Which::New,
            vec![lit("hdfs"), lit("dfs"), lit("-ls"), c.old_fs("/transient-backup")],
        ))
        .manual()
        .verify("The files are back in place on the new cluster.")
        .source(sources::UPGRADE)
        .done(),
    );
    if s.esp.is_some() {
        cutover.push(c.ranger_step());
    }
    cutover.push(
        step(
            "cutover.start-jobs",
            "Start the jobs on the new cluster",
            "Deploy the jobs as validated on the test cluster, point clients (JDBC URLs, Livy, Oozie) at the new cluster's name, and start processing. Leave the jobs on the old cluster stopped: it stays only for a rollback and must not write to the tables any more. The downtime ends here.",
        )
        .manual()
        .verify("The first runs finish with the expected results.")
        .rollback("Follow the rollback phase: the old cluster and its metastore are unchanged.")
        .source(sources::UPGRADE)
        .source(sources::HIVE_MIGRATE)
        .done(),
    );

    let mut verify = vec![c.still_running("verify.state")];
    if external {
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
            .confirm("Beeline lists every database of the old cluster?")
            .verify("Every database of the old cluster is listed.")
            .source(sources::HIVE_MIGRATE)
            .done(),
        );
    }

    let rollback = vec![step(
        "rollback.old-cluster",
        "Return to the old cluster",
        &format!(
            "While it exists, stop the jobs on the new cluster, point clients back at {} and restart its jobs. Its metastore was never touched: the new cluster works on a copy. Data the new cluster wrote to shared storage stays; Hive 3 managed tables must not be written by the old cluster.",
            s.cluster
        ),
    )
    .manual()
    .verify("Jobs run on the old cluster again.")
    .source(sources::HIVE_MIGRATE)
    .source(sources::HIVE_TROUBLESHOOT)
    .done()];

    vec![
        phase(
            PhaseId::Prepare,
            "Before the downtime: try the jobs on a test cluster of the new version.",
            prepare,
        ),
        preflight,
        phase(
            PhaseId::Cutover,
            "In the downtime: stop the jobs, copy (and upgrade) the metastore, delete the test cluster, create the new cluster beside the old one and start the jobs there. The old cluster stays, unchanged, for a rollback.",
            cutover,
        ),
        phase(PhaseId::Verify, "Check the new cluster and its tables.", verify),
        phase(PhaseId::Rollback, "Back to the old cluster, which the cutover left as it was.", rollback),
        c.decommission(
            "Once the new cluster has run well through the soak. Its default container and its metastore database stay: the tables' data lives in the container, and the new cluster's tables may point at it.",
            sources::HIVE_MIGRATE,
        ),
    ]
}

/// The change frame for Hadoop, Spark and Interactive Query.
pub fn frame(c: &Context<'_>) -> Frame {
    let s = c.s;
    let schema = if s.from == Hdi::V36 {
        ", the Hive 3 schema upgrade and the strict managed table conversion (many tables)"
    } else {
        ""
    };
    Frame {
        go_no_go: format!(
            "Go only if the pre-flight checks hold, every job gave the same results on the test cluster, the downtime is announced and the approver agrees. After this, the jobs on {} stop. Go?",
            s.cluster
        ),
        abort: vec![
            "The metastore copy fails, or the schema upgrade does not reach the last version: roll back (the old cluster and its database are unchanged).".into(),
            "The new cluster is not Running an hour after the create began, or ends in an error state.".into(),
            "The first job runs on the new cluster give results that differ from the old cluster's, and the cause is not clear within the window.".into(),
            "The cutover will not finish inside the downtime window: decide by its midpoint, roll back and plan again.".into(),
        ],
        estimates: vec![
            estimate(PhaseId::Prepare, "1 hour for the test cluster, then days of testing", &format!("{CREATE_LONGER}; many jobs to validate")),
            estimate(PhaseId::Cutover, "1½–3 hours of downtime", &format!("{CREATE_LONGER}; a large metastore database (the copy){schema}; much transient data")),
            estimate(PhaseId::Verify, "30 minutes, then the first job runs", "long-running jobs"),
            estimate(PhaseId::Rollback, "15–30 minutes: point clients back, restart the old cluster's jobs", "many clients to repoint"),
        ],
        soak_days: 7,
        watch: "Job failures and run times on the new cluster compared with the old one's, YARN failed applications, Hive query errors, and the metastore database's DTU use. Keep the old cluster idle: nothing may write through it.".into(),
        decommission_confirm: None,
    }
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
    .check(db_online("NEW_METASTORE_DB", "the metastore copy", 3600))
    .verify("az sql db show reports the copy Online; it has the same size as the original.")
    .rollback("Drop the copy and repeat; the old cluster's database is untouched.")
    .source(sources::HIVE_MIGRATE)
    .source(sources::METASTORE)
    .source(sources::AZ_SQL_DB)
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
