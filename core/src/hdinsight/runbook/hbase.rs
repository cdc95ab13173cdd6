//! HBase: the new cluster takes over the old cluster's storage (same account)
//! or gets a copy of the `hbase` folder (another account).

use crate::plan::{Check, Command, Expect, Frame, Phase, PhaseId, Step, Word};

use super::super::sources;
use super::super::versions::Hdi;
use super::{estimate, lit, phase, step, var, words, Context, Which, CREATE_LONGER};

pub fn phases(c: &Context<'_>) -> Vec<Phase> {
    let s = c.s;
    let other = s.other_account();
    vec![
        phase(
            PhaseId::Prepare,
            "Before the downtime: test the application on the new version and create the new cluster beside the old one.",
            prepare(c),
        ),
        c.preflight(true, preflight(c)),
        phase(
            PhaseId::Cutover,
            if other {
                "In the downtime: flush and stop HBase on the old cluster, copy its hbase folder into the new cluster's container with AzCopy, and start HBase on the new cluster."
            } else if s.to == Hdi::V51 {
                "In the downtime (expect more than 20 minutes): flush and stop HBase on the old cluster, point the new cluster at the old container, move the write-ahead logs and start HBase on the new cluster."
            } else {
                "In the downtime (a few minutes): flush and stop HBase on the old cluster, point the new cluster at the old container, move the write-ahead logs and start HBase on the new cluster."
            },
            if other { cutover_other_account(c) } else { cutover_same_account(c) },
        ),
        phase(PhaseId::Verify, "Check the new cluster and its tables.", verify(c)),
        phase(PhaseId::Rollback, &rollback_intro(c), rollback(c)),
        c.decommission(
            if other {
                "Once the new cluster has served through the soak. The old container keeps the old cluster's data; delete it separately once nothing in it matters."
            } else {
                "Once the new cluster has served through the soak. Keep the old container: it is the new cluster's storage now. The new cluster's own first container is unused and can be deleted separately, and so can the rollback copy /hbase-pre-upgrade-backup in the old container once the old cluster is gone (hdfs dfs -rm -r on the new cluster): without the old cluster nothing can start on it."
            },
            sources::HBASE_SAME_ACCOUNT,
        ),
    ]
}

/// The change frame for HBase.
pub fn frame(c: &Context<'_>) -> Frame {
    let s = c.s;
    let downtime = if s.other_account() {
        "1–4 hours of downtime (the AzCopy of the hbase folder)"
    } else if s.to == Hdi::V51 {
        "30–90 minutes of downtime, plus the backup copy of the hbase folder"
    } else {
        "15–45 minutes of downtime, plus the backup copy of the hbase folder"
    };
    let rollback = if s.other_account() {
        estimate(
            PhaseId::Rollback,
            "15–30 minutes: stop the new HBase, start the old one, point the applications back",
            "writes since the cutover that must be replayed",
        )
    } else {
        estimate(
            PhaseId::Rollback,
            "30 minutes plus the copy of the backup back into place",
            "a large hbase folder (the copy back), writes since the cutover that must be replayed",
        )
    };
    let mut abort = vec![
        "Procedures stay pending on the old cluster 30 minutes after the flush: do not stop HBase; start ingestion again and find out why.".to_string(),
    ];
    if !s.other_account() {
        abort.push("The backup of the old cluster's HBase directories is not complete (its counts differ): do not point the new cluster at the old container; rerun the copy, or start HBase on the old cluster again.".into());
    }
    Frame {
        go_no_go: format!(
            "Go only if the pre-flight checks hold (hbck on the old cluster is clean, the new cluster runs), the application worked against the new HBase version, the writers' owners know the window and the approver agrees. After this, ingestion into {} stops. Go?",
            s.cluster
        ),
        abort: {
            abort.extend([
                "A write-ahead log copy fails, or the new cluster's WAL directory is not what the plan expects.".into(),
                "HBase on the new cluster does not come up, or regions stay in transition, 30 minutes after the restart and the guide's troubleshooting does not help.".into(),
                "hbck on the new cluster is not clean, or it serves fewer online regions than the old cluster had.".into(),
            ]);
            abort
        },
        estimates: vec![
            estimate(PhaseId::Prepare, "1 hour for the cluster, plus the application tests", CREATE_LONGER),
            estimate(PhaseId::Cutover, downtime, "many regions and large memstores (the flushes), pending procedures, many WALs, the size of the hbase folder (the backup copy, or with a new storage account the AzCopy)"),
            estimate(PhaseId::Verify, "30 minutes", "many tables to compare"),
            rollback,
        ],
        soak_days: 14,
        watch: "RegionServer crashes, regions in transition, hbck, the compaction queue and the applications' read and write latency and errors. Fourteen days cover two cycles of the weekly major compaction (hbase.hregion.majorcompaction, 7 days by default), which rewrites the store files under the new version: problems from the version change often show only then.".into(),
        decommission_confirm: None,
    }
}

/// Health of the old cluster: hbck clean and, before 5.1, no replication
/// peers (the Azure migration script requires both).
fn preflight(c: &Context<'_>) -> Vec<Step> {
    let s = c.s;
    let mut health = step(
        "preflight.hbck",
        "Check the old cluster's health",
        "hbck must end with Status: OK (fix inconsistencies with HBCK2 on HBase 2 first). Note the number of online regions from the HBase UI: the new cluster must show the same number.",
    )
    .check(hbck_ok(c, Which::Old));
    if s.to == Hdi::V51 {
        health = health
            .check(no_rows(
                c,
                Which::Old,
                "list_peers",
                "the old cluster has no replication peers",
                0,
            ))
            .source(sources::HBASE_51);
    }
    let mut steps = vec![health
        .verify(if s.to == Hdi::V51 {
            "hbck ends with Status: OK, and list_peers shows 0 row(s). If replication peers exist, note them and remove them before the cutover; add them on the new cluster afterwards."
        } else {
            "hbck ends with Status: OK."
        })
        .rollback("Fix the inconsistencies (or the replication peers) before going on; do not migrate an unhealthy cluster.")
        .source(sources::HBASE_MIGRATE_SCRIPTS)
        .done()];
    steps.push(own_storage(c, "preflight.new-storage"));
    if s.new_accelerated_writes {
        steps.push(wal_dir_check(c, "preflight.wal-dir"));
    }
    steps
}

/// The new cluster's default file system is still its own container
/// (`hdfs getconf`), so what the cutover removes there is its own.
fn own_storage(c: &Context<'_>, id: &str) -> Step {
    let s = c.s;
    let account = if s.other_account() {
        &s.new_storage_account
    } else {
        &s.storage_account
    };
    step(
        id,
        "Check that the new cluster still uses its own container",
        "The cutover removes HBase data from the new cluster's file system; that must be its own, empty container, and no two clusters may run HBase on one container.",
    )
    .check(Check::new(
        c.ssh(Which::New, words(&["hdfs", "getconf", "-confKey", "fs.defaultFS"])),
        Expect::Matches(c.fs_pattern(&s.new_container, account)),
        "the new cluster's default file system is its own container",
    ))
    .verify("hdfs getconf prints the new cluster's own container.")
    .rollback("Set fs.defaultFS on the new cluster back to its own container before the cutover.")
    .source(sources::HBASE_SAME_ACCOUNT)
    .source(sources::BLOB_STORAGE)
    .done()
}

/// hbck on cluster `w` ends with `Status: OK` (what the Azure migration
/// script greps for).
fn hbck_ok(c: &Context<'_>, w: Which) -> Check {
    Check::new(
        c.ssh(w, words(&["hbase", "hbck"])),
        Expect::Contains("Status: OK".into()),
        format!("hbck on the {} cluster reports Status: OK", w.label()),
    )
}

/// `echo <command> | hbase shell` on `w` lists no rows.
fn no_rows(c: &Context<'_>, w: Which, command: &'static str, holds: &str, wait: u32) -> Check {
    Check::new(
        shell_pipe(c, w, command),
        Expect::Matches("^0 row\\(s\\)".into()),
        holds,
    )
    .waiting(wait)
}

fn shell_pipe(c: &Context<'_>, w: Which, command: &'static str) -> Command {
    // `echo "<command>" | hbase shell`: fixed text, no scenario values.
    c.ssh(
        w,
        vec![
            lit("echo"),
            lit(command),
            Word::Raw("|"),
            lit("hbase"),
            lit("shell"),
        ],
    )
}

fn znode(c: &Context<'_>) -> &'static str {
    if c.s.esp.is_some() {
        "/hbase-secure"
    } else {
        "/hbase-unsecure"
    }
}

fn prepare(c: &Context<'_>) -> Vec<Step> {
    let s = c.s;
    let mut steps = vec![step(
        "prepare.test-application",
        "Test the application against the new HBase version",
        &format!(
            "Run the application's reads and writes against an HBase {} test cluster (HDInsight {}). Across HBase versions client binaries and server-side APIs (coprocessors, custom filters) may differ.",
            super::super::versions::component(s.to, "HBase").unwrap_or("?"),
            s.to
        ),
    )
    .manual()
    .verify("The application works against the new version.")
    .rollback("Fix the application first; nothing has changed on the production cluster yet.")
    .source(sources::HBASE_SAME_ACCOUNT)
    .done()];

    let account = if s.other_account() {
        "NEW_STORAGE_ACCOUNT"
    } else {
        "STORAGE_ACCOUNT"
    };
    let mut create = c
        .create_step(
            "prepare.create",
            "Create the new cluster",
            &format!(
                "The new HDInsight {} HBase cluster gets {} and its own default container (one container cannot serve two clusters). {}{}",
                s.to,
                if s.other_account() { "the new storage account" } else { "the same storage account as the old cluster" },
                c.where_text(),
                if s.new_accelerated_writes {
                    " The Azure CLI has no flag for Accelerated Writes: create the cluster in the Azure portal (or an ARM template) with these values and Accelerated Writes turned on; the script then checks that it runs."
                } else {
                    ""
                }
            ),
            Which::New,
            account,
            "NEW_CONTAINER",
            false,
        )
        .source(sources::HBASE_SAME_ACCOUNT);
    if s.new_accelerated_writes {
        create = create.manual();
    }
    steps.push(create.done());
    steps.push(
        step(
            "prepare.flush-script",
            "Fetch the flush script on the old cluster",
            "flush_all_tables.sh lists the tables and flushes each one's memstore.",
        )
        .cmd(c.ssh(
            Which::Old,
            words(&[
                "curl",
                "-fsSL",
                "-o",
                "flush_all_tables.sh",
                "https://raw.githubusercontent.com/Azure/hbase-utils/master/scripts/flush_all_tables.sh",
            ]),
        ))
        .verify("The file flush_all_tables.sh is in the SSH user's home directory.")
        .source(sources::HBASE_FLUSH_SCRIPT)
        .done(),
    );
    steps
}

/// Flush, stop ingestion, flush, 5.1 checks, stop HBase on the old cluster.
fn stop_old(c: &Context<'_>) -> Vec<Step> {
    let s = c.s;
    let flush = |id: &str, title: &str| {
        step(
            id,
            title,
            "Writes the memstores to storage so that nothing lives only in memory.",
        )
        .cmd(c.ssh(Which::Old, words(&["bash", "flush_all_tables.sh"])))
        .verify("Every table is flushed without an error.")
        .source(sources::HBASE_SAME_ACCOUNT)
        .source(sources::HBASE_FLUSH_SCRIPT)
        .done()
    };
    let mut steps = vec![
        flush("cutover.flush-1", "Flush all tables"),
        step(
            "cutover.stop-ingestion",
            "Stop ingestion",
            "Stop every application and job that writes to HBase on the old cluster. The downtime starts here.",
        )
        .manual()
        .verify("No writes reach the old cluster.")
        .rollback("Restart the writers; nothing else has changed yet.")
        .source(sources::HBASE_SAME_ACCOUNT)
        .done(),
        flush("cutover.flush-2", "Flush all tables again"),
    ];
    if s.to == Hdi::V51 {
        steps.push(
            step(
                "cutover.procedures",
                "Wait until no procedure is pending",
                "HBase 2.4.11 cannot run some procedures of older versions. The guide says to wait about 15 minutes after the flush: the script asks list_procedures until it shows no rows (for up to 30 minutes), then you check the Procedures page of the HBase UI.",
            )
            .check(no_rows(c, Which::Old, "list_procedures", "no procedure is listed on the old cluster", 1800))
            .confirm("The Procedures page of the old cluster's HBase UI lists nothing pending, and the MasterProcWALs hold no pending procedure?")
            .verify("list_procedures shows 0 row(s) and the Procedures page has nothing pending.")
            .rollback("Wait longer; do not stop HBase while procedures are pending.")
            .source(sources::HBASE_51)
            .done(),
        );
    }
    let masters = if s.to == Hdi::V51 {
        " First stop the standby HBase Masters, then the active Master, then the whole HBase service."
    } else {
        ""
    };
    steps.push(
        step(
            "cutover.stop-old-hbase",
            "Stop HBase on the old cluster",
            &format!(
                "In Ambari on {}: HBase → Actions → Stop, and tick Turn On Maintenance Mode for HBase.{masters}",
                c.ambari(Which::Old)
            ),
        )
        .manual()
        .verify("Ambari shows HBase stopped and in maintenance mode.")
        .rollback("Start HBase again in Ambari and turn maintenance mode off.")
        .source(sources::HBASE_SAME_ACCOUNT)
        .source(sources::HBASE_51)
        .done(),
    );
    if s.accelerated_writes {
        steps.push(
            step(
                "cutover.wal-backup",
                "Back up the write-ahead logs of the old cluster",
                "With Accelerated Writes the WALs live in the cluster's own HDFS, which is deleted with the cluster: copy them to the default container first.",
            )
            .cmd(c.ssh(Which::Old, words(&["sudo", "-u", "hbase", "hdfs", "dfs", "-mkdir", "-p", "/hbase-wal-backup"])))
            .cmd(c.ssh(
                Which::Old,
                words(&["sudo", "-u", "hbase", "hdfs", "dfs", "-cp", "hdfs://mycluster/hbasewal", "/hbase-wal-backup"]),
            ))
            .verify("hdfs dfs -ls /hbase-wal-backup/hbasewal lists WALs and MasterProcWALs.")
            .source(sources::HBASE_SAME_ACCOUNT)
            .done(),
        );
    }
    steps
}

fn stop_new_hbase(c: &Context<'_>, id: &str) -> Step {
    step(
        id,
        "Stop HBase on the new cluster",
        &format!(
            "In Ambari on {}: HBase → Actions → Stop.",
            c.ambari(Which::New)
        ),
    )
    .manual()
    .verify("Ambari shows HBase stopped on the new cluster.")
    .source(sources::HBASE_SAME_ACCOUNT)
    .done()
}

fn clean_zookeeper(c: &Context<'_>, id: &str) -> Step {
    let rm = if c.s.to == Hdi::V51 {
        "deleteall"
    } else {
        "rmr"
    };
    let z = znode(c);
    let mut st = step(
        id,
        "Clean HBase's data in ZooKeeper on the new cluster",
        &format!(
            "The new cluster's ZooKeeper still holds the state of its own, empty HBase. Remove {z} from a ZooKeeper node of the new cluster{}.",
            if rm == "deleteall" { " (older ZooKeeper versions call the command rmr)" } else { "" }
        ),
    )
    .manual();
    if c.s.esp.is_some() {
        st = st.cmd(c.elsewhere(
            "a ZooKeeper node of the new cluster",
            vec![
                lit("kinit"),
                lit("-k"),
                lit("-t"),
                lit("/etc/security/keytabs/hbase.service.keytab"),
                Word::Raw("\"hbase/$(hostname -f)\""),
            ],
        ));
    }
    st.cmd(c.elsewhere(
        "a ZooKeeper node of the new cluster",
        words(&["hbase", "zkcli"]),
    ))
    .cmd(c.elsewhere("a ZooKeeper node of the new cluster", words(&[rm, z])))
    .cmd(c.elsewhere("a ZooKeeper node of the new cluster", words(&["quit"])))
    .verify(format!("ls / in zkcli no longer lists {}.", &z[1..]))
    .source(if c.s.to == Hdi::V51 {
        sources::HBASE_51
    } else {
        sources::HBASE_SAME_ACCOUNT
    })
    .done()
}

fn hdfs_as_hbase(c: &Context<'_>, args: Vec<Word>) -> Command {
    let mut list = words(&["sudo", "-u", "hbase", "hdfs", "dfs"]);
    list.extend(args);
    c.ssh(Which::New, list)
}

/// Accelerated Writes puts the WALs at hdfs://mycluster/hbasewal, the path
/// migrate-hbase-source.sh tests for; check the new cluster really has it
/// before anything there is removed.
fn wal_dir_check(c: &Context<'_>, id: &str) -> Step {
    step(
        id,
        "Check that the new cluster writes its WALs to hdfs://mycluster/hbasewal",
        "The WAL steps assume Accelerated Writes is on for the new cluster, which puts hbase.wal.dir at hdfs://mycluster/hbasewal, and clear that directory first.",
    )
    .check(Check::new(
        c.ssh(
            Which::New,
            words(&["sudo", "-u", "hbase", "hbase", "org.apache.hadoop.hbase.util.HBaseConfTool", "hbase.wal.dir"]),
        ),
        Expect::Output("hdfs://mycluster/hbasewal".into()),
        "the new cluster's hbase.wal.dir is hdfs://mycluster/hbasewal",
    ))
    .verify("It prints hdfs://mycluster/hbasewal. Anything else: Accelerated Writes is off, so recreate the cluster with it, or plan again with new-accelerated-writes=no.")
    .rollback("Nothing changed; the old cluster can still be started.")
    .source(sources::HBASE_MIGRATE_SCRIPTS)
    .source(sources::HBASE_SAME_ACCOUNT)
    .done()
}

/// The WAL commands for the source/destination Accelerated Writes case.
fn wal_step(c: &Context<'_>) -> Step {
    let s = c.s;
    let src_36 = s.from == Hdi::V36;
    let page_36 = lit("-Dfs.azure.page.blob.dir=/hbase/WALs,/hbase/MasterProcWALs,/hbase/oldWALs");
    let page_40 = lit("-Dfs.azure.page.blob.dir=/hbase-wals");
    let (case, cmds, note): (&str, Vec<Command>, &str) = match (s.accelerated_writes, s.new_accelerated_writes) {
        (true, true) => (
            "both clusters use Accelerated Writes",
            vec![
                hdfs_as_hbase(c, words(&["-rm", "-r", "-f", "hdfs://mycluster/hbasewal"])),
                hdfs_as_hbase(c, vec![lit("-cp"), c.old_fs("/hbase-wal-backup/hbasewal"), lit("hdfs://mycluster/")]),
            ],
            "",
        ),
        (false, true) => (
            if src_36 { "the source (3.6, WALs under /hbase) has no Accelerated Writes, the destination has" } else { "the source (WALs in /hbase-wals) has no Accelerated Writes, the destination has" },
            vec![
                hdfs_as_hbase(c, words(&["-rm", "-r", "-f", "hdfs://mycluster/hbasewal"])),
                hdfs_as_hbase(c, words(&["-mkdir", "-p", "hdfs://mycluster/hbasewal"])),
                if src_36 {
                    hdfs_as_hbase(c, vec![page_36, lit("-cp"), c.old_fs("/hbase/*WALs"), lit("hdfs://mycluster/hbasewal")])
                } else {
                    hdfs_as_hbase(c, vec![lit("-cp"), c.old_fs("/hbase-wals/*"), lit("hdfs://mycluster/hbasewal")])
                },
            ],
            " The target directory is created before the copy so that several sources can be copied into it.",
        ),
        (false, false) if src_36 => (
            "neither cluster uses Accelerated Writes; the 3.6 source keeps its WALs under /hbase",
            vec![
                hdfs_as_hbase(c, vec![lit("-mkdir"), lit("-p"), c.old_fs("/hbase-wals")]),
                hdfs_as_hbase(c, vec![lit("-rm"), lit("-r"), lit("-f"), c.old_fs("/hbase-wals/*")]),
                hdfs_as_hbase(c, vec![page_36, lit("-cp"), c.old_fs("/hbase/*WALs"), c.old_fs("/hbase-wals")]),
            ],
            " Paths are written in full so that they land in the old container whichever default file system the node's client still uses.",
        ),
        (false, false) => (
            "neither cluster uses Accelerated Writes and both keep WALs in /hbase-wals",
            vec![hdfs_as_hbase(c, vec![lit("-ls"), c.old_fs("/hbase-wals")])],
            " Once fs.defaultFS names the old container, the new cluster's /hbase-wals is the old cluster's, which already holds the WALs: only check they are there. (The guide's clean-then-copy pair would delete them if run after the switch.)",
        ),
        (true, false) => (
            "the source uses Accelerated Writes, the destination does not",
            vec![
                hdfs_as_hbase(c, vec![lit("-mkdir"), lit("-p"), c.old_fs("/hbase-wals")]),
                hdfs_as_hbase(c, vec![page_40, lit("-cp"), c.old_fs("/hbase-wal-backup/hbasewal/*"), c.old_fs("/hbase-wals")]),
            ],
            " The guides give this case only for 3.6 and 4.0 destinations; the 5.1 layout (/hbase-wals) is the 4.0 one.",
        ),
    };
    step(
        "cutover.wal",
        "Move the write-ahead logs to the new cluster",
        &format!("Case: {case}. The commands run on the new cluster as the hbase user.{note}"),
    )
    .cmds(cmds)
    .verify("Each command ends without an error; the target WAL directory lists WALs and MasterProcWALs.")
    .rollback("Do not start HBase on the new cluster; rerun the copy, or roll back to the old cluster.")
    .source(if s.to == Hdi::V51 && s.from != Hdi::V36 { sources::HBASE_51 } else { sources::HBASE_SAME_ACCOUNT })
    .done()
}

fn cutover_same_account(c: &Context<'_>) -> Vec<Step> {
    let s = c.s;
    let mut steps = stop_old(c);
    steps.push(backup_step(c));
    steps.push(stop_new_hbase(c, "cutover.stop-new-hbase"));
    let rootdir = if s.new_accelerated_writes {
        format!(
            " Accelerated Writes: also set hbase.rootdir (HBase → Configs → Advanced) to {}/hbase.",
            c.fs_text(&s.storage_container, &s.storage_account)
        )
    } else {
        String::new()
    };
    steps.push(
        step(
            "cutover.default-fs",
            "Point the new cluster at the old container",
            &format!(
                "In Ambari on {}: HDFS → Configs → Advanced → Advanced core-site, set fs.defaultFS to {}.{rootdir} Save, but leave HBase stopped.",
                c.ambari(Which::New),
                c.fs_text(&s.storage_container, &s.storage_account)
            ),
        )
        .manual()
        .verify("Ambari shows the new value and asks for a restart.")
        .rollback("Set fs.defaultFS back to the new cluster's own container.")
        .source(sources::HBASE_SAME_ACCOUNT)
        .done(),
    );
    steps.push(clean_zookeeper(c, "cutover.zookeeper"));
    if s.new_accelerated_writes {
        steps.push(wal_dir_check(c, "cutover.wal-dir-check"));
    }
    steps.push(wal_step(c));
    steps.push(
        step(
            "cutover.apps",
            "Copy the stack apps into the old container",
            "The new cluster's services load their libraries from /hdp/apps/<stack version> on the default file system, which is now the old container. The command reads the stack version on the node.",
        )
        .cmd(c.ssh(
            Which::New,
            vec![
                lit("sudo"),
                lit("-u"),
                lit("hdfs"),
                lit("hdfs"),
                lit("dfs"),
                lit("-cp"),
                Word::Join(vec![
                    c.fs_url("STORAGE_ACCOUNT", "NEW_CONTAINER", "/hdp/apps/"),
                    Word::Raw("\"$(hdp-select --version)\""),
                ]),
                c.old_fs("/hdp/apps"),
            ],
        ))
        .verify("The old container's /hdp/apps lists the new stack version next to the old one.")
        .source(sources::HBASE_SAME_ACCOUNT)
        .done(),
    );
    steps.push(start_new(c, "cutover.start"));
    if s.esp.is_some() {
        steps.push(c.ranger_step());
    }
    steps.push(switch_apps(c));
    steps
}

fn start_new(c: &Context<'_>, id: &str) -> Step {
    step(
        id,
        "Restart the new cluster's services",
        &format!(
            "In Ambari on {}: Restart All Required, then start HBase (and turn maintenance mode off if it is on).",
            c.ambari(Which::New)
        ),
    )
    .manual()
    .check(
        Check::new(
            shell_pipe(c, Which::New, "status"),
            Expect::Matches(format!("(^|[^0-9]){} servers, 0 dead", c.s.workers)),
            "every region server of the new cluster is live",
        )
        .waiting(900),
    )
    .verify("Every service is green in Ambari and the HBase Master UI lists all region servers.")
    .rollback("If HBase does not come up or regions stay in transition, see the 5.1 guide's troubleshooting (dummy WAL directories, restart the active HMaster) before giving up.")
    .source(sources::HBASE_SAME_ACCOUNT)
    .source(sources::HBASE_51)
    .done()
}

fn switch_apps(c: &Context<'_>) -> Step {
    step(
        "cutover.switch-applications",
        "Point the applications at the new cluster and restart ingestion",
        &format!(
            "Change the CNAME or configuration the applications use from {} to {}, then start the writers again. The downtime ends here.",
            c.s.cluster, c.s.new_cluster
        ),
    )
    .manual()
    .verify("Reads and writes succeed against the new cluster.")
    .rollback("Point the applications back and follow the rollback phase.")
    .source(sources::HBASE_SAME_ACCOUNT)
    .done()
}

fn cutover_other_account(c: &Context<'_>) -> Vec<Step> {
    let s = c.s;
    let mut steps = stop_old(c);
    steps.push(stop_new_hbase(c, "cutover.stop-new-hbase"));
    steps.push(clean_zookeeper(c, "cutover.zookeeper"));
    steps.push(own_storage(c, "cutover.new-storage"));
    if s.new_accelerated_writes {
        steps.push(wal_dir_check(c, "cutover.wal-dir-check"));
    }
    let wals = if s.new_accelerated_writes {
        "hdfs://mycluster/hbasewal"
    } else {
        "/hbase-wals"
    };
    let clean = step(
        "cutover.clean-new",
        "Remove the new cluster's own HBase data",
        "The new cluster's empty hbase folder and WALs make way for the copy. The checks before made sure these are the new cluster's own.",
    )
    .cmd(hdfs_as_hbase(c, words(&["-rm", "-r", "-f", "/hbase"])))
    .cmd(hdfs_as_hbase(c, words(&["-rm", "-r", "-f", wals])));
    steps.push(
        clean
            .verify("hdfs dfs -ls / on the new cluster no longer lists hbase.")
            .source(sources::HBASE_NEW_ACCOUNT)
            .done(),
    );
    // A SAS token pasted in the portal's "SAS URL" form starts with `?`:
    // the expansion drops one, so the URL always has exactly one (review H-m4).
    let endpoint = if c.gen2() {
        ".dfs.core.windows.net/"
    } else {
        ".blob.core.windows.net/"
    };
    let url = |account: &str, container: &str, path: &str, sas: &'static str| {
        Word::Join(vec![
            lit("https://"),
            var(account),
            lit(endpoint),
            var(container),
            lit(path),
            lit("?"),
            Word::Raw(sas),
        ])
    };
    steps.push(
        step(
            "cutover.azcopy",
            "Copy the hbase folder into the new cluster's container",
            "AzCopy copies the old cluster's hbase folder with SAS tokens for both containers (the script asks for them; a token pasted with its leading ? works too). Alternative on the new cluster: hadoop distcp <old container>/hbase / with the source account's key passed as -Dfs.azure.account.key…, then remove /hbase/hbase.id; distcp is faster for files that are not page blobs.",
        )
        .cmd(sas_looks_right("SOURCE_SAS", "the old container"))
        .cmd(sas_looks_right("DEST_SAS", "the new container"))
        .cmd(Command::local(vec![
            lit("azcopy"),
            lit("copy"),
            url("STORAGE_ACCOUNT", "OLD_CONTAINER", "/hbase", "\"${SOURCE_SAS#\\?}\""),
            url("NEW_STORAGE_ACCOUNT", "NEW_CONTAINER", "", "\"${DEST_SAS#\\?}\""),
            lit("--recursive"),
        ]))
        .verify("AzCopy's summary reports the job Completed with 0 failed transfers.")
        .rollback("Rerun the copy; the old cluster's data is untouched.")
        .source(sources::HBASE_51_NEW_ACCOUNT)
        .source(sources::HBASE_NEW_ACCOUNT)
        .done(),
    );
    if !c.gen2() {
        steps.push(
        step(
            "cutover.azcopy-cleanup",
            "Recreate the directory markers AzCopy skips",
            "On a Blob (not Data Lake Storage Gen2) container AzCopy leaves out the zero-size directory blobs; setting permissions recursively writes them again.",
        )
        .cmd(c.ssh(Which::New, words(&["sudo", "-u", "hbase", "hadoop", "fs", "-chmod", "-R", "0755", "/hbase"])))
        .verify("The command ends without an error.")
        .source(sources::HBASE_51_NEW_ACCOUNT)
        .done(),
        );
    }
    steps.push(start_new(c, "cutover.start"));
    if s.esp.is_some() {
        steps.push(c.ranger_step());
    }
    steps.push(switch_apps(c));
    steps
}

/// Fails, without showing the token, when the secret `name` has no
/// signature (`sig=`): a wrong paste is found before AzCopy runs. It also
/// names the secret in the step's words, so that the run asks for it.
fn sas_looks_right(name: &str, what: &'static str) -> Command {
    let tail: &'static str = if what == "the old container" {
        "in *sig=*) ;; *) echo 'SOURCE_SAS has no sig=: give the SAS token of the old container' >&2; exit 1 ;; esac"
    } else {
        "in *sig=*) ;; *) echo 'DEST_SAS has no sig=: give the SAS token of the new container' >&2; exit 1 ;; esac"
    };
    Command::local(vec![Word::Raw("case"), var(name), Word::Raw(tail)]).each_run()
}

fn verify(c: &Context<'_>) -> Vec<Step> {
    let s = c.s;
    let mut steps = vec![
        c.still_running("verify.state"),
        step(
            "verify.hbase",
            "Check HBase on the new cluster",
            "hbck must be clean, the HBase UI must show as many online regions as the old cluster had, and a test table must take a create, put, scan and drop.",
        )
        .cmd(shell_pipe(c, Which::New, "list"))
        .check(hbck_ok(c, Which::New))
        .confirm("list shows every table of the old cluster, the HBase UI shows as many online regions as the old cluster had, and a test table took a create, put, scan and drop?")
        .verify("hbck reports Status: OK and list shows every table.")
        .rollback("Follow the rollback phase while the old cluster exists.")
        .source(sources::HBASE_SAME_ACCOUNT)
        .source(sources::HBASE_51)
        .source(sources::HBASE_MIGRATE_SCRIPTS)
        .done(),
    ];
    if s.to == Hdi::V51 {
        steps.push(
            step(
                "verify.replication",
                "Re-enable replication",
                "If the old cluster had replication peers (see the health check), add them again on the new cluster.",
            )
            .manual()
            .verify("list_peers on the new cluster shows the peers.")
            .source(sources::HBASE_51)
            .done(),
        );
    }
    steps
}

/// Where the cutover copies the old cluster's HBase directories once HBase
/// has stopped (same storage account): beside them in the old container.
pub const BACKUP_DIR: &str = "/hbase-pre-upgrade-backup";
/// Where the rollback moves the directories the new version rewrote.
pub const ASIDE_DIR: &str = "/hbase-upgrade-rollback";
/// The captured size of a complete backup, `[N files, M bytes]`: set only
/// when the backup holds as many files and bytes as the directories it
/// copies, so the rollback restores only from a complete backup.
pub const BACKUP_VAR: &str = "HBASE_BACKUP";

/// Sums `hdfs dfs -count` (dirs, files, bytes, path per directory) to
/// `[N files, M bytes]`; %.0f, not %d: mawk's %d stops at 2^31.
const SUM: &str = "| awk '{f += $2; b += $3} END {printf \"[%.0f files, %.0f bytes]\\n\", f, b}'";

/// The old cluster's directories that the new cluster opens with the new
/// version when it takes over the old container: the root, and the WAL
/// directory when it lives in storage (a 4.0 source without Accelerated
/// Writes; a 3.6 source keeps its WALs under the root, and Accelerated
/// Writes keeps them in the old cluster's own HDFS, which nothing else
/// touches).
fn taken_over(c: &Context<'_>) -> Vec<&'static str> {
    let mut dirs = vec!["/hbase"];
    if !c.s.accelerated_writes && c.s.from != Hdi::V36 {
        dirs.push("/hbase-wals");
    }
    dirs
}

fn backup_of(dir: &str) -> String {
    format!("{BACKUP_DIR}{dir}")
}

fn hdfs_on(c: &Context<'_>, w: Which, args: Vec<Word>) -> Command {
    let mut list = words(&["sudo", "-u", "hbase"]);
    list.extend(args);
    c.ssh(w, list)
}

/// `[N files, M bytes]` of `dirs` on the old cluster.
fn count(c: &Context<'_>, dirs: &[String]) -> Command {
    let mut list = words(&["hdfs", "dfs", "-count"]);
    list.extend(dirs.iter().map(|d| lit(d)));
    list.push(Word::Raw(SUM));
    hdfs_on(c, Which::Old, list)
}

/// The backup still holds what the cutover counted (`HBASE_BACKUP`).
fn backup_complete(c: &Context<'_>, dirs: &[String], holds: &str) -> Check {
    Check::new(
        count(c, dirs).only_if_set(BACKUP_VAR),
        Expect::Mentions(BACKUP_VAR.into()),
        holds,
    )
}

/// Same storage account: the new cluster will open the old cluster's root
/// (and WAL directory) with the new version, which rewrites it; HBase offers
/// no downgrade with data, only a rollback to a copy taken before. The copy
/// is taken after the flush and the stop, before anything of the new
/// cluster touches the old container.
fn backup_step(c: &Context<'_>) -> Step {
    let dirs = taken_over(c);
    let backups: Vec<String> = dirs.iter().map(|d| backup_of(d)).collect();
    let originals: Vec<String> = dirs.iter().map(|d| d.to_string()).collect();
    let mut st = step(
        "cutover.backup",
        "Back up the old cluster's HBase directories",
        &format!(
            "The new cluster will open {} in the old container with HBase {}, which rewrites them (meta, the procedure store, compactions); the old version cannot start on them again. The only way back is a copy taken now, with HBase stopped and flushed: it goes to {BACKUP_DIR} in the old container. distcp is a MapReduce job on the old cluster's YARN, which still runs; -update copies only what is missing, so a rerun is safe. The last command compares the files and bytes of the copy with the originals and records {BACKUP_VAR} only when they agree. This adds the time of a full copy of the hbase folder to the downtime.",
            dirs.join(" and "),
            super::super::versions::component(c.s.to, "HBase").unwrap_or("?"),
        ),
    )
    .cmd(hdfs_on(c, Which::Old, vec![lit("hdfs"), lit("dfs"), lit("-mkdir"), lit("-p"), lit(BACKUP_DIR)]));
    for d in &dirs {
        st = st.cmd(if *d == "/hbase" {
            hdfs_on(
                c,
                Which::Old,
                vec![
                    lit("hadoop"),
                    lit("distcp"),
                    lit("-update"),
                    lit(d),
                    lit(&backup_of(d)),
                ],
            )
        } else {
            // WALs are page blobs; the guide copies them with hdfs dfs -cp.
            // -f overwrites what an earlier attempt left.
            hdfs_on(
                c,
                Which::Old,
                vec![
                    lit("hdfs"),
                    lit("dfs"),
                    lit("-cp"),
                    lit("-f"),
                    lit(d),
                    lit(BACKUP_DIR),
                ],
            )
        });
    }
    let mut gate = vec![Word::Raw("src=$(sudo -u hbase hdfs dfs -count")];
    gate.extend(originals.iter().map(|d| lit(d)));
    gate.push(Word::Raw(SUM));
    gate.push(Word::Raw(") && dst=$(sudo -u hbase hdfs dfs -count"));
    gate.extend(backups.iter().map(|d| lit(d)));
    gate.push(Word::Raw(SUM));
    gate.push(Word::Raw(") && echo \"HBase directories: $src, backup: $dst\" && [ \"$src\" != \"[0 files, 0 bytes]\" ] && [ \"$src\" = \"$dst\" ] && echo \"Backup complete: $dst\""));
    st.cmd(
        c.ssh(Which::Old, gate)
            .capturing(BACKUP_VAR, "Backup complete: ", "the size of the complete backup"),
    )
    .check(backup_complete(
        c,
        &backups,
        "the backup holds as many files and bytes as the old cluster's HBase directories",
    ))
    .verify(format!("The last command prints Backup complete: [N files, M bytes], the same counts for the originals and for {BACKUP_DIR}."))
    .rollback("The counts differ or a copy failed: rerun the step (distcp -update copies only what is missing). Do not go on without a complete backup; until the next step nothing has changed, and starting HBase on the old cluster again is safe.")
    .source(sources::HBASE_ROLLBACK)
    .source(sources::HBASE_BACKUP)
    .source(sources::HBASE_NEW_ACCOUNT)
    .done()
}

fn stop_new_for_rollback(c: &Context<'_>) -> Step {
    let s = c.s;
    let own = if s.other_account() {
        String::new()
    } else {
        format!(
            " Then set its fs.defaultFS back to its own container ({}){} and restart the required services, or stop all its services: two clusters must never run on one default container, and nothing of the new cluster may write to the old container again.",
            c.fs_text(&s.new_container, &s.storage_account),
            if s.new_accelerated_writes { ", and hbase.rootdir with it" } else { "" }
        )
    };
    step(
        "rollback.stop-new",
        "Stop HBase on the new cluster",
        &format!(
            "Stop the writers that moved to the new cluster. In Ambari on {}: HBase → Actions → Stop, and turn on maintenance mode for HBase.{own}",
            c.ambari(Which::New)
        ),
    )
    .manual()
    .verify("Ambari on the new cluster shows HBase stopped and in maintenance mode; no application writes to it.")
    .rollback("Do not go on while the new cluster's HBase runs or takes writes: what it takes now is lost, and with the same storage account the old HBase must never start beside it on the same container.")
    .source(sources::HBASE_SAME_ACCOUNT)
    .source(sources::BLOB_STORAGE)
    .done()
}

fn start_old_for_rollback(c: &Context<'_>) -> Step {
    step(
        "rollback.start-old",
        "Start HBase on the old cluster",
        &format!(
            "In Ambari on {}: turn maintenance mode off for HBase and start it (the active Master, then the standby Masters).",
            c.ambari(Which::Old)
        ),
    )
    .manual()
    .check(
        Check::new(
            shell_pipe(c, Which::Old, "status"),
            Expect::Matches("(^|[^0-9])[1-9][0-9]* servers, 0 dead".into()),
            "the old cluster's region servers are live again, none dead",
        )
        .waiting(900),
    )
    .check(hbck_ok(c, Which::Old))
    .confirm("The HBase UI of the old cluster shows as many online regions as before the cutover, and a scan of a known row returns it?")
    .verify("status shows every region server live and hbck reports Status: OK.")
    .rollback("If regions stay in transition, use the migration guide's troubleshooting (dummy WAL directories, restart the active HMaster) on the old cluster; keep the applications away until hbck is clean.")
    .source(sources::HBASE_ROLLBACK)
    .source(sources::HBASE_SAME_ACCOUNT)
    .done()
}

fn applications_back(c: &Context<'_>) -> Step {
    let s = c.s;
    let peers = if s.to == Hdi::V51 {
        " Add the replication peers noted in the pre-flight again on the old cluster."
    } else {
        ""
    };
    step(
        "rollback.applications",
        "Point the applications back at the old cluster",
        &format!(
            "Change the CNAME or configuration back from {} to {} and start the writers. Replay what was written to the new cluster since the cutover from the applications' sources.{peers}",
            s.new_cluster, s.cluster,
        ),
    )
    .manual()
    .verify("Reads and writes succeed against the old cluster.")
    .source(sources::HBASE_ROLLBACK)
    .source(sources::HBASE_SAME_ACCOUNT)
    .done()
}

/// The rollback's intro: what it restores and what it loses.
pub fn rollback_intro(c: &Context<'_>) -> String {
    let s = c.s;
    let aw = if s.new_accelerated_writes {
        " With Accelerated Writes, the new cluster's unflushed edits are in its own HDFS WALs: they are lost too."
    } else {
        ""
    };
    if s.other_account() {
        format!("Only while the old cluster still exists. The cutover only read the old cluster's hbase folder (the copy went to the new account), so the old HBase starts on its own data as it was when it stopped. Everything written to the new cluster after the cutover is lost to the old cluster: HBase has no downgrade that keeps data written by the newer version. Replay those writes from the applications' sources.{aw}")
    } else {
        format!("Only while the old cluster still exists. HBase has no downgrade with data, only a rollback to a copy taken before the upgrade: the new version rewrote the old cluster's directories ({}), so the rollback moves them aside to {ASIDE_DIR} and copies back the backup the cutover took after HBase stopped ({BACKUP_DIR}), then starts the old HBase on it. Everything written to the new cluster after the cutover is lost to the old cluster; replay it from the applications' sources.{aw} If the cutover stopped before its backup was complete, the new cluster never used the old container: the restore is skipped and the old HBase starts on its untouched data.", taken_over(c).join(", "))
    }
}

fn rollback(c: &Context<'_>) -> Vec<Step> {
    if c.s.other_account() {
        return vec![
            stop_new_for_rollback(c),
            start_old_for_rollback(c),
            applications_back(c),
        ];
    }
    let dirs = taken_over(c);
    let backups: Vec<String> = dirs.iter().map(|d| backup_of(d)).collect();
    let originals: Vec<String> = dirs.iter().map(|d| d.to_string()).collect();
    let check = step(
        "rollback.backup-check",
        "Check that the backup is complete",
        &format!(
            "Before anything moves: {BACKUP_DIR} must still hold what the cutover counted ({BACKUP_VAR}). Skipped when the cutover never completed its backup (the old directories are then untouched)."
        ),
    )
    .check(backup_complete(c, &backups, "the backup still holds what the cutover counted"))
    .verify(format!("hdfs dfs -count of {BACKUP_DIR} shows the files and bytes recorded as {BACKUP_VAR}."))
    .rollback("Stop: do not start the old HBase on directories the new version rewrote. Find out what changed the backup; without a complete copy there is no rollback, only fixing forward on the new cluster.")
    .source(sources::HBASE_ROLLBACK)
    .done();
    let mut restore = step(
        "rollback.restore",
        "Restore the backup on the old cluster",
        &format!(
            "On the old cluster, as the hbase user: move the rewritten directories aside to {ASIDE_DIR} (kept, not deleted: the new version's files, for a later look), then copy the backup back into place. The WAL directory is copied with the page-blob setting the guide uses for it."
        ),
    )
    .cmd(hdfs_on(c, Which::Old, vec![lit("hdfs"), lit("dfs"), lit("-mkdir"), lit("-p"), lit(ASIDE_DIR)]).only_if_set(BACKUP_VAR));
    for d in &dirs {
        restore = restore.cmd(
            hdfs_on(
                c,
                Which::Old,
                vec![lit("hdfs"), lit("dfs"), lit("-mv"), lit(d), lit(ASIDE_DIR)],
            )
            .only_if_set(BACKUP_VAR),
        );
    }
    for d in &dirs {
        restore = restore.cmd(
            if *d == "/hbase" {
                hdfs_on(
                    c,
                    Which::Old,
                    vec![
                        lit("hadoop"),
                        lit("distcp"),
                        lit("-update"),
                        lit(&backup_of(d)),
                        lit(d),
                    ],
                )
            } else {
                hdfs_on(
                    c,
                    Which::Old,
                    vec![
                        lit("hdfs"),
                        lit("dfs"),
                        lit("-Dfs.azure.page.blob.dir=/hbase-wals"),
                        lit("-cp"),
                        lit(&backup_of(d)),
                        lit("/"),
                    ],
                )
            }
            .only_if_set(BACKUP_VAR),
        );
    }
    let restore = restore
        .check(backup_complete(c, &originals, "the old cluster's HBase directories hold the backup again"))
        .verify(format!("hdfs dfs -count of {} shows the files and bytes recorded as {BACKUP_VAR}.", dirs.join(" and ")))
        .rollback(format!("Rerun the step: the moves that finished are not repeated, and distcp -update copies only what is missing. The backup in {BACKUP_DIR} stays as it was."))
        .source(sources::HBASE_ROLLBACK)
        .source(sources::HBASE_SAME_ACCOUNT)
        .done();
    vec![
        stop_new_for_rollback(c),
        check,
        restore,
        start_old_for_rollback(c),
        applications_back(c),
    ]
}
