//! HBase: the new cluster takes over the old cluster's storage (same account)
//! or gets a copy of the `hbase` folder (another account).
//!
//! - [`backup`]: the copy taken before the new version touches the old
//!   container, and the rollback to it.
//! - [`verify`]: regions, row counts, the smoke test and Phoenix.
//! - [`wal`]: the write-ahead logs, for each Accelerated Writes case.
//!
//! Every hbase, hdfs and hadoop command runs as the hbase user, and on an
//! Enterprise Security Package cluster after a Kerberos ticket from the
//! hbase keytab ([`as_hbase`], [`shell`]).

mod backup;
mod verify;
mod wal;

use crate::plan::{Check, Command, Expect, Frame, Phase, PhaseId, Step, Word};

use super::super::sources;
use super::super::versions::Hdi;
use super::{ambari, estimate, lit, phase, step, var, words, Context, Which, CREATE_LONGER};

pub use backup::BACKUP_VAR;
pub use verify::{OLD_REGIONS, ROW_COUNTS};

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
        phase(PhaseId::Verify, "Check the new cluster and its tables.", verify::steps(c)),
        phase(PhaseId::Rollback, &backup::rollback_intro(c), backup::rollback(c)),
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
            if c.gen2() {
                "30 minutes plus the copy of the backup back into place"
            } else {
                "30 minutes plus about two full copies of the hbase folder (on Blob storage, moving the rewritten files aside copies them too)"
            },
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
                "hbck on the new cluster is not clean, or it serves fewer online regions or rows than the old cluster counted.".into(),
            ]);
            abort
        },
        estimates: vec![
            estimate(PhaseId::Prepare, "1 hour for the cluster, plus the application tests", CREATE_LONGER),
            estimate(PhaseId::Cutover, downtime, "many regions and large memstores (the flushes), pending procedures, the row counts (every table scanned once on each cluster), many WALs, the size of the hbase folder (the backup copy, or with a new storage account the AzCopy)"),
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
        "hbck must end with Status: OK (fix inconsistencies with HBCK2 on HBase 2 first). The cutover counts the old cluster's online regions once ingestion has stopped; the new cluster must serve as many.",
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
    let mut steps = vec![
        c.ssh_preflight(&[Which::Old, Which::New]),
        ambari::preflight("HBASE"),
    ];
    steps.push(health
        .verify(if s.to == Hdi::V51 {
            "hbck ends with Status: OK, and list_peers shows 0 row(s). If replication peers exist, note them and remove them before the cutover; add them on the new cluster afterwards."
        } else {
            "hbck ends with Status: OK."
        })
        .rollback("Fix the inconsistencies (or the replication peers) before going on; do not migrate an unhealthy cluster.")
        .source(sources::HBASE_MIGRATE_SCRIPTS)
        .done());
    steps.push(own_storage(c, "preflight.new-storage"));
    if s.new_accelerated_writes {
        steps.push(wal::wal_dir_check(c, "preflight.wal-dir"));
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
        as_hbase(c, Which::New, words(&["hdfs", "getconf", "-confKey", "fs.defaultFS"])),
        Expect::Matches(c.fs_pattern(&s.new_container, account)),
        "the new cluster's default file system is its own container",
    ))
    .verify("hdfs getconf prints the new cluster's own container.")
    .rollback("Set fs.defaultFS on the new cluster back to its own container before the cutover.")
    .source(sources::HBASE_SAME_ACCOUNT)
    .source(sources::BLOB_STORAGE)
    .done()
}

/// The Kerberos ticket of the hbase user, from its keytab, with the
/// principal the keytab holds (read with klist, as Azure's migration
/// scripts do).
macro_rules! kinit {
    () => {
        "sudo -u hbase kinit -kt /etc/security/keytabs/hbase.service.keytab \"$(sudo -u hbase klist -kt /etc/security/keytabs/hbase.service.keytab | awk '/hbase\\// {p = $4} END {print p}')\""
    };
}
const KINIT: &str = kinit!();
const KINIT_AND: &str = concat!(kinit!(), " &&");

/// On an Enterprise Security Package cluster, the words that get the hbase
/// user's ticket before a command; nothing otherwise.
fn ticket(c: &Context<'_>) -> Vec<Word> {
    if c.s.esp.is_some() {
        vec![Word::Raw(KINIT_AND)]
    } else {
        Vec::new()
    }
}

/// `args` on a head node of `w` as the hbase user (after kinit on ESP).
fn as_hbase(c: &Context<'_>, w: Which, args: Vec<Word>) -> Command {
    let mut list = ticket(c);
    list.extend(words(&["sudo", "-u", "hbase"]));
    list.extend(args);
    c.ssh(w, list)
}

/// `hdfs dfs <args>` on `w` as the hbase user.
fn hdfs(c: &Context<'_>, w: Which, args: Vec<Word>) -> Command {
    let mut list = words(&["hdfs", "dfs"]);
    list.extend(args);
    as_hbase(c, w, list)
}

/// `echo <script> | hbase shell -n` on `w` as the hbase user: in
/// non-interactive mode the shell exits non-zero when a command fails.
/// `script` is fixed text (Ruby for the HBase shell), no scenario values.
fn shell(c: &Context<'_>, w: Which, script: &'static str) -> Command {
    shell_then(c, w, script, None)
}

/// [`shell`], its output piped through `tail` (fixed text).
fn shell_then(
    c: &Context<'_>,
    w: Which,
    script: &'static str,
    tail: Option<&'static str>,
) -> Command {
    let mut list = ticket(c);
    list.extend([lit("echo"), lit(script), Word::Raw("|")]);
    list.extend(words(&["sudo", "-u", "hbase", "hbase", "shell", "-n"]));
    if let Some(t) = tail {
        list.push(Word::Raw(t));
    }
    c.ssh(w, list)
}

/// hbck on cluster `w` ends with `Status: OK` (what the Azure migration
/// script greps for).
fn hdfs_as_hbase(c: &Context<'_>, args: Vec<Word>) -> Command {
    hdfs(c, Which::New, args)
}

fn hbck_ok(c: &Context<'_>, w: Which) -> Check {
    Check::new(
        as_hbase(c, w, words(&["hbase", "hbck"])),
        Expect::Contains("Status: OK".into()),
        format!("hbck on the {} cluster reports Status: OK", w.label()),
    )
}

/// `echo <command> | hbase shell -n` on `w` lists no rows.
fn no_rows(c: &Context<'_>, w: Which, command: &'static str, holds: &str, wait: u32) -> Check {
    Check::new(
        shell(c, w, command),
        Expect::Matches("^0 row\\(s\\)".into()),
        holds,
    )
    .waiting(wait)
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
    steps
}

/// Flushes every enabled table of the old cluster. A table that fails to
/// flush stops the shell (non-interactive) and so the run; a disabled table
/// has nothing in memory.
const FLUSH: &str =
    "list.each { |t| flush t unless is_disabled(t) }; puts \"Flushed every enabled table\"";

/// Flush, stop ingestion, flush, 5.1 checks, counts, stop HBase on the old
/// cluster, then the WAL backup with Accelerated Writes.
fn stop_old(c: &Context<'_>) -> Vec<Step> {
    let s = c.s;
    let flush = |id: &str, title: &str| {
        step(
            id,
            title,
            "Writes every table's memstore to storage so that nothing lives only in memory. The HBase shell runs non-interactively: a flush that fails stops the run with its error (Azure's flush_all_tables.sh would discard it).",
        )
        .cmd(shell(c, Which::Old, FLUSH))
        .verify("The shell prints Flushed every enabled table; any error stops the run.")
        .rollback("Read the error (a region in transition, a server down), fix it and rerun; nothing has changed yet.")
        .source(sources::HBASE_51)
        .source(sources::HBASE_SHELL)
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
    steps.push(verify::old_counts(c));
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
    steps.push(ambari::hbase_stopped(Which::Old));
    if s.accelerated_writes {
        steps.push(wal::backup(c));
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
            vec![Word::Raw(KINIT)],
        ));
    }
    st.cmd(c.elsewhere(
        "a ZooKeeper node of the new cluster",
        words(&["sudo", "-u", "hbase", "hbase", "zkcli"]),
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

fn cutover_same_account(c: &Context<'_>) -> Vec<Step> {
    let s = c.s;
    let mut steps = stop_old(c);
    steps.push(backup::backup_step(c));
    steps.push(stop_new_hbase(c, "cutover.stop-new-hbase"));
    steps.push(ambari::hbase_stopped(Which::New));
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
        steps.push(wal::wal_dir_check(c, "cutover.wal-dir-check"));
    }
    steps.push(wal::same_account(c));
    // On ESP the copy runs with the hbase user's ticket, as Azure's
    // migrate-hbase-dest.sh says; otherwise as hdfs, as the guide does.
    let user = if s.esp.is_some() { "hbase" } else { "hdfs" };
    let mut apps = ticket(c);
    apps.extend(words(&["sudo", "-u", user, "hdfs", "dfs", "-cp", "-f"]));
    apps.extend([
        Word::Join(vec![
            c.fs_url("STORAGE_ACCOUNT", "NEW_CONTAINER", "/hdp/apps/"),
            Word::Raw("\"$(hdp-select --version)\""),
        ]),
        c.old_fs("/hdp/apps"),
    ]);
    steps.push(
        step(
            "cutover.apps",
            "Copy the stack apps into the old container",
            "The new cluster's services load their libraries from /hdp/apps/<stack version> on the default file system, which is now the old container. The command reads the stack version on the node; -f overwrites what an earlier attempt left.",
        )
        .cmd(c.ssh(Which::New, apps))
        .verify("The old container's /hdp/apps lists the new stack version next to the old one.")
        .source(sources::HBASE_SAME_ACCOUNT)
        .source(sources::HBASE_MIGRATE_SCRIPTS)
        .done(),
    );
    steps.extend(after_start(c));
    steps
}

/// From the new cluster's start to the applications' switch: HBase up,
/// the Ranger policies (ESP), Phoenix's first connection, the switch.
fn after_start(c: &Context<'_>) -> Vec<Step> {
    let mut steps = vec![start_new(c, "cutover.start"), verify::compare(c)];
    if c.s.esp.is_some() {
        let mut ranger = c.ranger_step();
        ranger.detail.push_str(&format!(
            " For HBase that includes {old}_hbase: its table, column-family and namespace policies map to {new}_hbase.",
            old = c.s.cluster,
            new = c.s.new_cluster
        ));
        steps.push(ranger);
    }
    steps.push(verify::phoenix(c));
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
            shell(c, Which::New, "status"),
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
            "Change the CNAME or configuration the applications use from {} to {}, then start the writers again; Phoenix thin clients move to the new cluster's Query Server (https://{1}.azurehdinsight.net/hbasephoenix<N>/). The downtime ends here.",
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
    steps.push(ambari::hbase_stopped(Which::New));
    steps.push(clean_zookeeper(c, "cutover.zookeeper"));
    steps.push(own_storage(c, "cutover.new-storage"));
    if s.new_accelerated_writes {
        steps.push(wal::wal_dir_check(c, "cutover.wal-dir-check"));
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
            var(account.to_owned()),
            lit(endpoint),
            var(container.to_owned()),
            lit(path.to_owned()),
            lit("?"),
            Word::Raw(sas),
        ])
    };
    let wal_source = wal::other_account_source(c);
    let mut copy = step(
        "cutover.azcopy",
        "Copy the hbase folder and the WALs into the new cluster's container",
        &format!(
            "AzCopy copies the old cluster's hbase folder{} with SAS tokens for both containers (the script asks for them; a token pasted with its leading ? works too). AzCopy keeps each blob's type between accounts, so page blobs (the WALs in /hbase-wals) stay page blobs. Alternative on the new cluster: hadoop distcp <old container>/hbase / with the source account's key passed as -Dfs.azure.account.key…; distcp is faster for files that are not page blobs.",
            match wal_source {
                Some((dir, _)) => format!(" and its WALs ({dir})"),
                None => " (a 3.6 cluster keeps its WALs in it)".to_string(),
            }
        ),
    )
    .cmd(sas_looks_right("SOURCE_SAS", "the old container"))
    .cmd(sas_looks_right("DEST_SAS", "the new container"))
    .cmd(Command::local(vec![
        lit("azcopy"),
        lit("copy"),
        url("STORAGE_ACCOUNT", "OLD_CONTAINER", "/hbase", "\"${SOURCE_SAS#\\?}\""),
        url("NEW_STORAGE_ACCOUNT", "NEW_CONTAINER", "", "\"${DEST_SAS#\\?}\""),
        lit("--recursive"),
    ]));
    if let Some((dir, into)) = wal_source {
        copy = copy.cmd(Command::local(vec![
            lit("azcopy"),
            lit("copy"),
            url(
                "STORAGE_ACCOUNT",
                "OLD_CONTAINER",
                dir,
                "\"${SOURCE_SAS#\\?}\"",
            ),
            url(
                "NEW_STORAGE_ACCOUNT",
                "NEW_CONTAINER",
                into,
                "\"${DEST_SAS#\\?}\"",
            ),
            lit("--recursive"),
        ]));
    }
    steps.push(
        copy.verify("AzCopy's summary reports each job Completed with 0 failed transfers.")
            .rollback("Rerun the copy; the old cluster's data is untouched.")
            .source(sources::HBASE_51_NEW_ACCOUNT)
            .source(sources::HBASE_NEW_ACCOUNT)
            .source(sources::AZCOPY_COPY)
            .done(),
    );
    // The folders AzCopy wrote on the new cluster's file system.
    let mut copied = vec!["/hbase"];
    if let Some((dir, into)) = wal_source {
        copied.push(if into.is_empty() { dir } else { into });
    }
    if !c.gen2() {
        let mut markers = step(
            "cutover.azcopy-cleanup",
            "Recreate the directory markers AzCopy skips",
            "On a Blob (not Data Lake Storage Gen2) container AzCopy leaves out the zero-size directory blobs; setting permissions recursively writes them again.",
        );
        for dir in &copied[1..] {
            // A WAL folder without files has no blob AzCopy could copy.
            markers = markers.cmd(hdfs_as_hbase(c, words(&["-mkdir", "-p", dir])));
        }
        for dir in &copied {
            markers = markers.cmd(as_hbase(
                c,
                Which::New,
                words(&["hadoop", "fs", "-chmod", "-R", "0755", dir]),
            ));
        }
        steps.push(
            markers
                .verify("The commands end without an error.")
                .source(sources::HBASE_51_NEW_ACCOUNT)
                .done(),
        );
    }
    steps.push(
        step(
            "cutover.hbase-id",
            "Remove the old cluster's hbase.id from the copy",
            "/hbase/hbase.id holds the old cluster's ID; the guide removes it before the new HBase starts, which then writes its own.",
        )
        .cmd(hdfs_as_hbase(c, words(&["-rm", "-f", "/hbase/hbase.id"])))
        .check(Check::new(
            hdfs_as_hbase(c, words(&["-ls", "/hbase"])),
            Expect::Lacks("/hbase/hbase.id".into()),
            "the copy holds no hbase.id",
        ))
        .verify("hdfs dfs -ls /hbase on the new cluster lists no hbase.id.")
        .source(sources::HBASE_51_NEW_ACCOUNT)
        .done(),
    );
    steps.push(wal::other_account(c));
    steps.extend(after_start(c));
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
    Command::local(vec![
        Word::Raw("case"),
        var(name.to_owned()),
        Word::Raw(tail),
    ])
    .each_run()
}
