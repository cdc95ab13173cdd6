//! The write-ahead logs: backed up with Accelerated Writes (they live in
//! the old cluster's own HDFS), then moved to where the new cluster reads
//! them, for each combination of Accelerated Writes on the two clusters.
//! Every copy overwrites (-f), so a rerun after a cut-off copy goes through,
//! and a check compares files and bytes of the copy with its source.

use crate::plan::{Check, Command, Expect, Step, Word};

use super::super::super::sources;
use super::super::super::versions::Hdi;
use super::super::{lit, step, words, Context, Which};
use super::{as_hbase, hdfs, hdfs_as_hbase, ticket};

/// Sums `hdfs dfs -count` lines to `[N files, M bytes]`.
const SUM: &str = "| awk '{f += $2; b += $3} END {printf \"[%.0f files, %.0f bytes]\\n\", f, b}'";

/// On `w`: the files and bytes under `sources` equal those under `target`
/// (globs allowed; hdfs expands them).
fn same_count(c: &Context<'_>, w: Which, sources: Vec<Word>, target: Word, holds: &str) -> Check {
    let mut list = ticket(c);
    list.push(Word::Raw("src=$(sudo -u hbase hdfs dfs -count"));
    list.extend(sources);
    list.push(Word::Raw(SUM));
    list.push(Word::Raw(") && dst=$(sudo -u hbase hdfs dfs -count"));
    list.push(target);
    list.push(Word::Raw(SUM));
    list.push(Word::Raw(
        ") && echo \"WALs: $src, copy: $dst\" && [ \"$src\" = \"$dst\" ]",
    ));
    Check::new(c.ssh(w, list), Expect::Success, holds)
}

/// Accelerated Writes on the old cluster: its WALs go to the default
/// container before the cluster (and its HDFS) can go.
pub(super) fn backup(c: &Context<'_>) -> Step {
    step(
        "cutover.wal-backup",
        "Back up the write-ahead logs of the old cluster",
        "With Accelerated Writes the WALs live in the cluster's own HDFS, which is deleted with the cluster: copy them to the default container first. The copy overwrites (-f) what an earlier, cut-off attempt left, and the check compares its files and bytes with the WAL directory.",
    )
    .cmd(hdfs(c, Which::Old, words(&["-mkdir", "-p", "/hbase-wal-backup"])))
    .cmd(hdfs(c, Which::Old, words(&["-cp", "-f", "hdfs://mycluster/hbasewal", "/hbase-wal-backup"])))
    .check(same_count(
        c,
        Which::Old,
        vec![lit("hdfs://mycluster/hbasewal")],
        lit("/hbase-wal-backup/hbasewal"),
        "the WAL backup holds as many files and bytes as the WAL directory",
    ))
    .verify("The check prints the same counts for the WALs and the copy; hdfs dfs -ls /hbase-wal-backup/hbasewal lists WALs and MasterProcWALs.")
    .rollback("Rerun the step: the copy overwrites what is there. HBase on the old cluster is stopped, so its WALs do not change.")
    .source(sources::HBASE_SAME_ACCOUNT)
    .source(sources::HBASE_51_NEW_ACCOUNT)
    .done()
}

/// Another storage account: where the old cluster's WALs are in its
/// container, and where AzCopy puts them in the new one (the folder keeps
/// its name). None for a 3.6 source without Accelerated Writes: its WALs
/// are under /hbase and travel with it.
pub(super) fn other_account_source(c: &Context<'_>) -> Option<(&'static str, &'static str)> {
    if c.s.accelerated_writes {
        Some(("/hbase-wal-backup/hbasewal", "/hbase-wal-backup"))
    } else if c.s.from != Hdi::V36 {
        Some(("/hbase-wals", ""))
    } else {
        None
    }
}

/// Another storage account: AzCopy brought the WALs into the new cluster's
/// container; these commands put them where the new cluster's HBase reads
/// them (hbase.wal.dir), as the guides do on one account.
pub(super) fn other_account(c: &Context<'_>) -> Step {
    let s = c.s;
    let page_36 =
        || lit("-Dfs.azure.page.blob.dir=/hbase/WALs,/hbase/MasterProcWALs,/hbase/oldWALs");
    let page_40 = || lit("-Dfs.azure.page.blob.dir=/hbase-wals");
    let aw_dir = "hdfs://mycluster/hbasewal";
    let new = |args: Vec<Word>| hdfs(c, Which::New, args);
    let (case, target, from, cmds): (&str, &str, Vec<&str>, Vec<Command>) = match (
        s.accelerated_writes,
        s.from == Hdi::V36,
        s.new_accelerated_writes,
    ) {
        (true, _, true) => (
            "both clusters use Accelerated Writes",
            aw_dir,
            vec!["/hbase-wal-backup/hbasewal"],
            vec![new(words(&[
                "-cp",
                "-f",
                "/hbase-wal-backup/hbasewal",
                "hdfs://mycluster/",
            ]))],
        ),
        (true, _, false) => (
            "the old cluster uses Accelerated Writes, the new one does not",
            "/hbase-wals",
            vec!["/hbase-wal-backup/hbasewal/*"],
            vec![
                new(words(&["-mkdir", "-p", "/hbase-wals"])),
                new(vec![
                    page_40(),
                    lit("-cp"),
                    lit("-f"),
                    lit("/hbase-wal-backup/hbasewal/*"),
                    lit("/hbase-wals"),
                ]),
            ],
        ),
        (false, false, true) => (
            "the old cluster keeps its WALs in /hbase-wals, the new one uses Accelerated Writes",
            aw_dir,
            vec!["/hbase-wals/*"],
            vec![
                new(words(&["-mkdir", "-p", aw_dir])),
                new(vec![
                    page_40(),
                    lit("-cp"),
                    lit("-f"),
                    lit("/hbase-wals/*"),
                    lit(aw_dir),
                ]),
            ],
        ),
        (false, false, false) => (
            "both clusters keep their WALs in /hbase-wals",
            "/hbase-wals",
            vec!["/hbase-wals"],
            Vec::new(),
        ),
        (false, true, new_aw) => {
            let target = if new_aw { aw_dir } else { "/hbase-wals" };
            (
                "the 3.6 cluster keeps its WALs under /hbase, which AzCopy brought along",
                target,
                vec!["/hbase/*WALs"],
                vec![
                    new(words(&["-mkdir", "-p", target])),
                    new(vec![
                        page_36(),
                        lit("-cp"),
                        lit("-f"),
                        lit("/hbase/*WALs"),
                        lit(target),
                    ]),
                ],
            )
        }
    };
    let detail = if cmds.is_empty() {
        format!("Case: {case}. AzCopy put them at /hbase-wals in the new container, where the new cluster reads them: nothing to move, the check only makes sure the directory is there. Edits that were not flushed (a region server that did not close cleanly) are replayed from them when HBase starts.")
    } else {
        format!("Case: {case}. The commands run on the new cluster as the hbase user and copy the WALs to {target}, where its HBase reads them; copies overwrite (-f), so a rerun goes through. Edits that were not flushed (a region server that did not close cleanly) are replayed from them when HBase starts.")
    };
    // With nothing to move, the directory must be there; otherwise the copy
    // must hold what it copied.
    let check = if cmds.is_empty() {
        Check::new(
            hdfs(c, Which::New, words(&["-test", "-d", "/hbase-wals"])),
            Expect::Success,
            "the new cluster has the WAL directory /hbase-wals",
        )
    } else {
        same_count(
            c,
            Which::New,
            from.iter().map(|p| lit(p.to_string())).collect(),
            lit(target),
            "the new cluster's WAL directory holds as many files and bytes as the copied WALs",
        )
    };
    step(
        "cutover.wal",
        "Move the write-ahead logs into place on the new cluster",
        &detail,
    )
    .cmds(cmds)
    .check(check)
    .verify(format!("The check ends without an error; hdfs dfs -ls {target} on the new cluster lists WALs and MasterProcWALs."))
    .rollback("Do not start HBase on the new cluster; rerun the step (the copies overwrite), or roll back to the old cluster, whose data the cutover only read.")
    .source(sources::HBASE_51_NEW_ACCOUNT)
    .source(sources::HBASE_NEW_ACCOUNT)
    .done()
}

/// Accelerated Writes puts the WALs at hdfs://mycluster/hbasewal, the path
/// migrate-hbase-source.sh tests for; check the new cluster really has it
/// before anything there is removed.
pub(super) fn wal_dir_check(c: &Context<'_>, id: &str) -> Step {
    step(
        id,
        "Check that the new cluster writes its WALs to hdfs://mycluster/hbasewal",
        "The WAL steps assume Accelerated Writes is on for the new cluster, which puts hbase.wal.dir at hdfs://mycluster/hbasewal, and clear that directory first.",
    )
    .check(Check::new(
        as_hbase(
            c,
            Which::New,
            words(&["hbase", "org.apache.hadoop.hbase.util.HBaseConfTool", "hbase.wal.dir"]),
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

/// Same storage account: the WAL commands for the source/destination
/// Accelerated Writes case. Copies overwrite (-f): a rerun after a cut-off
/// copy does not fail on what it left.
pub(super) fn same_account(c: &Context<'_>) -> Step {
    let s = c.s;
    let src_36 = s.from == Hdi::V36;
    let page_36 = lit("-Dfs.azure.page.blob.dir=/hbase/WALs,/hbase/MasterProcWALs,/hbase/oldWALs");
    let page_40 = lit("-Dfs.azure.page.blob.dir=/hbase-wals");
    let (case, cmds, note): (&str, Vec<Command>, &str) = match (s.accelerated_writes, s.new_accelerated_writes) {
        (true, true) => (
            "both clusters use Accelerated Writes",
            vec![
                hdfs_as_hbase(c, words(&["-rm", "-r", "-f", "hdfs://mycluster/hbasewal"])),
                hdfs_as_hbase(c, vec![lit("-cp"), lit("-f"), c.old_fs("/hbase-wal-backup/hbasewal"), lit("hdfs://mycluster/")]),
            ],
            "",
        ),
        (false, true) => (
            if src_36 { "the source (3.6, WALs under /hbase) has no Accelerated Writes, the destination has" } else { "the source (WALs in /hbase-wals) has no Accelerated Writes, the destination has" },
            vec![
                hdfs_as_hbase(c, words(&["-rm", "-r", "-f", "hdfs://mycluster/hbasewal"])),
                hdfs_as_hbase(c, words(&["-mkdir", "-p", "hdfs://mycluster/hbasewal"])),
                if src_36 {
                    hdfs_as_hbase(c, vec![page_36, lit("-cp"), lit("-f"), c.old_fs("/hbase/*WALs"), lit("hdfs://mycluster/hbasewal")])
                } else {
                    hdfs_as_hbase(c, vec![lit("-cp"), lit("-f"), c.old_fs("/hbase-wals/*"), lit("hdfs://mycluster/hbasewal")])
                },
            ],
            " The target directory is created before the copy so that several sources can be copied into it.",
        ),
        (false, false) if src_36 => (
            "neither cluster uses Accelerated Writes; the 3.6 source keeps its WALs under /hbase",
            vec![
                hdfs_as_hbase(c, vec![lit("-mkdir"), lit("-p"), c.old_fs("/hbase-wals")]),
                hdfs_as_hbase(c, vec![lit("-rm"), lit("-r"), lit("-f"), c.old_fs("/hbase-wals/*")]),
                hdfs_as_hbase(c, vec![page_36, lit("-cp"), lit("-f"), c.old_fs("/hbase/*WALs"), c.old_fs("/hbase-wals")]),
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
                hdfs_as_hbase(c, vec![page_40, lit("-cp"), lit("-f"), c.old_fs("/hbase-wal-backup/hbasewal/*"), c.old_fs("/hbase-wals")]),
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
