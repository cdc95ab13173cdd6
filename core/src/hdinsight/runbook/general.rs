//! Hadoop, Spark and Interactive Query: the general workflow (test cluster,
//! validate, then in the downtime back up, import and restart) with the Hive
//! guide's side-by-side cutover: the new cluster is created before the
//! downtime beside the old one, on its own container and a first copy of the
//! metastore; the downtime stops Hive on both, replaces that copy with a
//! fresh (upgraded) one and starts the jobs. The old cluster stays, stopped,
//! until the decommission, so a rollback has somewhere to go.

use crate::plan::{Check, Command, Expect, Frame, Phase, PhaseId, Step, Word};

use super::super::scenario::Metastore;
use super::super::sources;
use super::super::versions::{component, ClusterType, Hdi};
use super::{
    ambari, db_online, estimate, lit, phase, step, var, words, Context, Which, CLUSTER_WAIT,
    CREATE_LONGER,
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

    // Before the downtime: a first copy of the metastore (upgraded from the
    // test cluster on 3.6), the test cluster gone for its cores, then the
    // production cluster on that copy. The downtime replaces the copy with
    // one taken after the jobs stopped.
    let mut prepare = prepare;
    if external {
        prepare.push(copy_metastore(c, "prepare.copy-metastore"));
        if s.from == Hdi::V36 {
            prepare.push(upgrade_schema(c, "prepare.upgrade-schema", Which::Test));
        }
    }
    prepare.push(
        step(
            "prepare.delete-test",
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
    prepare.push(c.quota_step(
        "prepare.quota",
        "the new cluster runs beside the old one, and the test cluster is gone",
    ));
    prepare.push(
        c.create_step(
            "prepare.create",
            "Create the new cluster",
            &format!(
                "HDInsight {} {} on its own default container, beside the old cluster{}, before the downtime, so that a failed or slow create costs no downtime. The Hive guide does not need the same default file system, only access to the same storage accounts. Jobs that use paths relative to the default file system (/data/…) must name the old container's full path instead ({}/…), or get their data copied (only the configured data folders, never the whole container). Nobody uses the new cluster before the cutover{}. {}",
                s.to,
                s.cluster_type.label(),
                if external { ", on the first copy of the metastore" } else { "" },
                c.fs_text(&s.storage_container, &s.storage_account),
                if external { ": the downtime replaces its metastore with a fresh copy" } else { "" },
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

    let mut extra = vec![
        c.ssh_preflight(&[Which::Old, Which::New]),
        ambari::preflight("HIVE"),
    ];
    if !external {
        extra.push(ambari::no_tables(c));
    }
    let preflight = c.preflight(true, extra);

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
    if s.from == Hdi::V36 {
        cutover.push(compact_step(c));
    }
    if external {
        cutover.push(ambari::list_old_tables(c));
    }
    cutover.push(
        ambari::hive_step(
            "cutover.stop-old-hive",
            "Stop Hive on the old cluster",
            "After the cutover the old cluster's HiveServer2 and metastore must not write to the tables: its compactor runs inside the metastore service and would keep rewriting the ACID tables' directories, which the new cluster now owns, from a metastore that no longer matches. Ambari stops the Hive service (HiveServer2, Interactive, the metastore and with it the compactor); the rollback starts it again.",
            Which::Old,
            "INSTALLED",
        ),
    );
    if external {
        cutover.push(ambari::hive_step(
            "cutover.stop-new-hive",
            "Stop Hive on the new cluster",
            "Its metastore, the first copy, is replaced next; nothing may hold it open.",
            Which::New,
            "INSTALLED",
        ));
        cutover.push(copy_metastore(c, "cutover.copy-metastore"));
        if s.from == Hdi::V36 {
            cutover.push(upgrade_schema(c, "cutover.upgrade-schema", Which::New));
        }
        cutover.push(ambari::hive_step(
            "cutover.start-new-hive",
            "Start Hive on the new cluster",
            "Hive starts on the fresh copy of the metastore.",
            Which::New,
            "STARTED",
        ));
    }
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
            "Deploy the jobs as validated on the test cluster, point clients (JDBC URLs, Livy, Oozie) at the new cluster's name, and start processing. The old cluster stays stopped for a rollback. The downtime ends here.",
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
        verify.push(ambari::verify_tables(c));
    }

    let start_old = ambari::hive_step(
        "rollback.start-old-hive",
        "Start Hive on the old cluster again",
        "The cutover stopped it so that it would not write to the tables.",
        Which::Old,
        "STARTED",
    );
    let rollback = vec![start_old, step(
        "rollback.old-cluster",
        "Return to the old cluster",
        &format!(
            "While it exists, stop the jobs and Hive on the new cluster (Ambari), point clients back at {} and restart its jobs. Its metastore was never touched: the new cluster works on a copy. But the tables' files are shared: once the new cluster has written to a managed table, compacted it{}, the old metastore no longer describes those files (it knows nothing of the new write ids), so a rollback after the first write loses or repeats that data. Roll back before the new cluster's jobs write, or plan to fix forward.{}",
            s.cluster,
            if s.from == Hdi::V36 { " or run the strict managed migration on it" } else { "" },
            if s.from == Hdi::V36 { " Hive 3 managed tables must not be written by the old cluster." } else { "" }
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
            "Before the downtime: try the jobs on a test cluster of the new version, then delete it and create the new cluster beside the old one.",
            prepare,
        ),
        preflight,
        phase(
            PhaseId::Cutover,
            &format!("In the downtime: stop the jobs and the old cluster's Hive, give the new cluster a fresh copy of the metastore{} and start the jobs there. The old cluster stays, stopped and unchanged, for a rollback.", if s.from == Hdi::V36 { " (its schema upgraded from 3.6)" } else { "" }),
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
            "Hive on either cluster does not stop or start within 30 minutes.".into(),
            "The first job runs on the new cluster give results that differ from the old cluster's, and the cause is not clear within the window.".into(),
            "The cutover will not finish inside the downtime window: decide by its midpoint, roll back and plan again.".into(),
        ],
        estimates: vec![
            estimate(PhaseId::Prepare, "1 hour for the test cluster, days of testing, then 1 hour for the new cluster", &format!("{CREATE_LONGER}; many jobs to validate")),
            estimate(PhaseId::Cutover, "1–2 hours of downtime", &format!("a large metastore database (the copy){schema}; much transient data")),
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

/// `az sql db <verb> … --name <db>` on the metastore server.
fn sql_db(verb: &str, db: &str) -> Vec<Word> {
    vec![
        lit("az"),
        lit("sql"),
        lit("db"),
        lit(verb.to_owned()),
        lit("--resource-group"),
        var("RESOURCE_GROUP"),
        lit("--server"),
        var("METASTORE_SERVER"),
        lit("--name"),
        var(db.to_owned()),
    ]
}

/// The new cluster's copy of the metastore: a first one in the prepare
/// phase, replaced in the downtime by one made after the jobs stopped.
fn copy_metastore(_c: &Context<'_>, id: &str) -> Step {
    let first = id.starts_with("prepare");
    let mut copy = sql_db("copy", "METASTORE_DB");
    copy.extend([lit("--dest-name"), var("NEW_METASTORE_DB")]);
    let mut st = if first {
        step(
            id,
            "Make a first copy of the metastore for the new cluster",
            "The new cluster gets a copy, because creating a newer version on a metastore upgrades its schema for good and the old cluster must keep its own. This first copy lets the new cluster be created before the downtime; the cutover replaces it with a copy made after the jobs stopped. The command assumes the SQL server is in the clusters' resource group.",
        )
    } else {
        step(
            id,
            "Replace the new cluster's metastore with a fresh copy",
            "With the jobs and both clusters' Hive stopped, the first copy is dropped and the old cluster's database copied again under the same name, so the new cluster's copy holds the final state. Only the copy is dropped: the old cluster's database stays as it is.",
        )
        .cmd(Command::local({
            let mut del = sql_db("delete", "NEW_METASTORE_DB");
            del.push(lit("--yes"));
            del
        }).may_fail())
    };
    st = st.cmd(Command::local(copy));
    st.check(db_online("NEW_METASTORE_DB", "the metastore copy", 3600))
        .verify("az sql db show reports the copy Online.")
        .rollback("Drop the copy and repeat; the old cluster's database is untouched.")
        .source(sources::HIVE_MIGRATE)
        .source(sources::METASTORE)
        .source(sources::AZ_SQL_DB)
        .done()
}

fn upgrade_schema(c: &Context<'_>, id: &str, w: Which) -> Step {
    let on = if w == Which::Test {
        "a head node of the test cluster (ssh \"$TEST_SSH\"), with METASTORE_PASSWORD set"
    } else {
        "a head node of the new cluster (ssh \"$NEW_SSH\"), with METASTORE_PASSWORD set"
    };
    let url = Word::Join(vec![
        lit("jdbc:sqlserver://"),
        var("METASTORE_SERVER"),
        lit(".database.windows.net;databaseName="),
        var("NEW_METASTORE_DB"),
        lit(";trustServerCertificate=false;encrypt=true;hostNameInCertificate=*.database.windows.net;"),
    ]);
    step(
        id,
        "Upgrade the copied metastore's schema to Hive 3",
        "Run schematool from a cluster of the new version against the copy, never against the old cluster's database: the upgrade cannot be undone. The password is typed on the node, not stored here. If a script fails on capacity or time-out, scale the database up and rerun. Then run Microsoft's schema-compare script (schemacompare_final.py with its test.csv, linked from the Hive guide) against the copy: it names columns the upgrade missed, such as BIT_VECTOR in PART_COL_STATS and TAB_COL_STATS, which ALTER TABLE … ADD BIT_VECTOR VARBINARY(MAX) adds.",
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
    .verify("select schema_version from dbo.version on the copy returns the last version in /usr/hdp/<stack>/hive/scripts/metastore/upgrade/mssql/upgrade.order.mssql, and the schema compare reports no difference.")
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

/// 3.6 sources: a major compaction of every ACID table while the old Hive
/// still runs and nothing writes (Microsoft's Hive migration, step 1).
fn compact_step(c: &Context<'_>) -> Step {
    const PENDING: &str = r#"beeline -u 'jdbc:hive2://headnodehost:10001/;transportMode=http' --silent=true --outputformat=tsv2 -e 'SHOW COMPACTIONS;'"#;
    step(
        "cutover.compact",
        "Compact the transactional tables on the old cluster",
        "Hive 3 cannot safely read the delta files that Hive 1.2 and 2 leave in transactional (ACID) tables; Microsoft's guide compacts them on 3.6 first, now that nothing writes. In Beeline on the old cluster, for every table with transactional=true (SHOW TBLPROPERTIES): ALTER TABLE <table> COMPACT 'major' (per partition: ALTER TABLE <table> PARTITION (<spec>) COMPACT 'major'). The check waits until SHOW COMPACTIONS lists none initiated or working.",
    )
    .manual()
    .check(
        Check::new(
            c.ssh(Which::Old, vec![Word::Raw(PENDING)]),
            Expect::LacksMatch("initiated|working".into()),
            "no compaction is waiting or running on the old cluster",
        )
        .waiting(3600),
    )
    .verify("SHOW COMPACTIONS lists every requested compaction as succeeded (or ready for cleaning), none initiated or working.")
    .rollback("Nothing has changed but the compacted files, which the old Hive reads as before: restart the jobs if the window must close.")
    .source(sources::HIVE_MIGRATE)
    .done()
}
