//! Same storage account: the copy of the old cluster's HBase directories
//! the cutover takes once HBase has stopped, and the rollback that restores
//! it (HBase offers no downgrade with data, only a copy taken before).

use crate::plan::{Check, Command, Expect, Step, Word};

use super::super::super::sources;
use super::super::super::versions::Hdi;
use super::super::{lit, step, Context, Which};
use super::verify::regions_back;
use super::{as_hbase, hbck_ok, shell, ticket};

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

/// `[N files, M bytes]` of `dirs` on the old cluster.
fn count(c: &Context<'_>, dirs: &[String]) -> Command {
    let mut list = vec![lit("hdfs"), lit("dfs"), lit("-count")];
    list.extend(dirs.iter().map(|d| lit(d.to_owned())));
    list.push(Word::Raw(SUM));
    as_hbase(c, Which::Old, list)
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
pub(super) fn backup_step(c: &Context<'_>) -> Step {
    let dirs = taken_over(c);
    let backups: Vec<String> = dirs.iter().map(|d| backup_of(d)).collect();
    let originals: Vec<String> = dirs.iter().map(|d| d.to_string()).collect();
    let mut st = step(
        "cutover.backup",
        "Back up the old cluster's HBase directories",
        &format!(
            "The new cluster will open {} in the old container with HBase {}, which rewrites them (meta, the procedure store, compactions); the old version cannot start on them again. The only way back is a copy taken now, with HBase stopped and flushed: it goes to {BACKUP_DIR} in the old container. distcp is a MapReduce job on the old cluster's YARN, which still runs; -update copies only what is missing, so a rerun is safe. The last command compares the files and bytes of the copy with the originals and records {BACKUP_VAR} only when they agree. This adds the time of a full copy of the hbase folder to the downtime.",
            dirs.join(" and "),
            super::super::super::versions::component(c.s.to, "HBase").unwrap_or("?"),
        ),
    )
    .cmd(as_hbase(c, Which::Old, vec![lit("hdfs"), lit("dfs"), lit("-mkdir"), lit("-p"), lit(BACKUP_DIR)]));
    for d in &dirs {
        st = st.cmd(if *d == "/hbase" {
            as_hbase(
                c,
                Which::Old,
                vec![
                    lit("hadoop"),
                    lit("distcp"),
                    lit("-update"),
                    lit(*d),
                    lit(backup_of(d)),
                ],
            )
        } else {
            // WALs are page blobs; the guide copies them with hdfs dfs -cp.
            // -f overwrites what an earlier attempt left.
            as_hbase(
                c,
                Which::Old,
                vec![
                    lit("hdfs"),
                    lit("dfs"),
                    lit("-cp"),
                    lit("-f"),
                    lit(*d),
                    lit(BACKUP_DIR),
                ],
            )
        });
    }
    let mut gate = ticket(c);
    gate.push(Word::Raw("src=$(sudo -u hbase hdfs dfs -count"));
    gate.extend(originals.iter().map(|d| lit(d.clone())));
    gate.push(Word::Raw(SUM));
    gate.push(Word::Raw(") && dst=$(sudo -u hbase hdfs dfs -count"));
    gate.extend(backups.iter().map(|d| lit(d.clone())));
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
            shell(c, Which::Old, "status"),
            Expect::Matches("(^|[^0-9])[1-9][0-9]* servers, 0 dead".into()),
            "the old cluster's region servers are live again, none dead",
        )
        .waiting(900),
    )
    .check(hbck_ok(c, Which::Old))
    .check(regions_back(c, Which::Old))
    .confirm("A scan of a known row on the old cluster returns it?")
    .verify("status shows every region server live, hbck reports Status: OK and the old cluster serves as many regions as before the cutover.")
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
pub(super) fn rollback_intro(c: &Context<'_>) -> String {
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

pub(super) fn rollback(c: &Context<'_>) -> Vec<Step> {
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
            "On the old cluster, as the hbase user: move the rewritten directories aside to {ASIDE_DIR} (kept, not deleted: the new version's files, for a later look), then copy the backup back into place.{}{}",
            if dirs.len() > 1 { " The WAL directory is copied with the page-blob setting the guide uses for it." } else { "" },
            if c.gen2() { "" } else { " On Blob storage a move is a copy and a delete of every file, so this step takes about two full copies of the hbase folder." }
        ),
    )
    .cmd(as_hbase(c, Which::Old, vec![lit("hdfs"), lit("dfs"), lit("-mkdir"), lit("-p"), lit(ASIDE_DIR)]).only_if_set(BACKUP_VAR));
    for d in &dirs {
        restore = restore.cmd(
            as_hbase(
                c,
                Which::Old,
                vec![lit("hdfs"), lit("dfs"), lit("-mv"), lit(*d), lit(ASIDE_DIR)],
            )
            .only_if_set(BACKUP_VAR),
        );
    }
    for d in &dirs {
        restore = restore.cmd(
            if *d == "/hbase" {
                as_hbase(
                    c,
                    Which::Old,
                    vec![
                        lit("hadoop"),
                        lit("distcp"),
                        lit("-update"),
                        lit(backup_of(d)),
                        lit(*d),
                    ],
                )
            } else {
                as_hbase(
                    c,
                    Which::Old,
                    vec![
                        lit("hdfs"),
                        lit("dfs"),
                        lit("-Dfs.azure.page.blob.dir=/hbase-wals"),
                        lit("-cp"),
                        lit("-f"),
                        lit(backup_of(d)),
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
        .rollback(format!("Rerun the step: the moves that finished are not repeated{}. The backup in {BACKUP_DIR} stays as it was.", if dirs.len() > 1 { ", distcp -update copies only what is missing and the WAL copy overwrites (-f)" } else { " and distcp -update copies only what is missing" }))
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
