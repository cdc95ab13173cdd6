//! What the new cluster must show: the old cluster's online regions and
//! rows per table (counted in the cutover once ingestion has stopped), a
//! create/put/scan/drop on a scratch table, and Phoenix's first connection.

use crate::plan::{Check, Expect, Step, Word};

use super::super::super::sources;
use super::super::super::versions::{self, Hdi};
use super::super::{lit, step, Context, Which};
use super::{as_hbase, hbck_ok, shell, shell_then, znode};

/// The captured online regions of the old cluster, `[N]`.
pub const OLD_REGIONS: &str = "OLD_REGIONS";
/// The captured rows per table of the old cluster, `[t1=N t2=M …]`.
pub const ROW_COUNTS: &str = "ROW_COUNTS";

/// `status "simple"` ends with `Aggregate load: L, regions: N` (HBase 1
/// and 2); the tail prints `Online regions: [N]`.
const STATUS: &str = "status \"simple\"";
const REGIONS_TAIL: &str = "| awk '/Aggregate load:/ {print \"Online regions: [\" $NF \"]\"}'";
/// Every enabled table's rows (`count` scans each row key once; it cannot
/// read a disabled table), sorted by table,
/// on one line.
const COUNT_ROWS: &str = "puts \"Row counts: [\" + list.sort.reject { |t| is_disabled(t) }.map { |t| t + \"=\" + count(t, INTERVAL => 100000000, CACHE => 10000).to_s }.join(\" \") + \"]\"";

const SMOKE_WRITE: &str = "create \"waymark_smoke_test\", \"f\" if list(\"waymark_smoke_test\").empty?; put \"waymark_smoke_test\", \"r1\", \"f:c\", \"waymark\"";
const SMOKE_SCAN: &str = "scan \"waymark_smoke_test\"";
const SMOKE_DROP: &str = "disable \"waymark_smoke_test\"; drop \"waymark_smoke_test\"";
const SMOKE_LIST: &str = "list \"waymark_smoke_test\"";

fn regions(c: &Context<'_>, w: Which) -> crate::plan::Command {
    shell_then(c, w, STATUS, Some(REGIONS_TAIL))
}

/// Cluster `w` serves as many online regions as the old cluster had when
/// ingestion stopped (waits while regions are assigned).
pub(super) fn regions_back(c: &Context<'_>, w: Which) -> Check {
    Check::new(
        regions(c, w).only_if_set(OLD_REGIONS),
        Expect::Mentions(OLD_REGIONS.into()),
        if w == Which::Old {
            "the old cluster serves as many online regions as before the cutover"
        } else {
            "the new cluster serves as many online regions as the old one did"
        },
    )
    .waiting(900)
}

/// In the cutover, once ingestion has stopped and the memstores are
/// flushed, before HBase stops: the numbers the new cluster must match.
pub(super) fn old_counts(c: &Context<'_>) -> Step {
    step(
        "cutover.old-counts",
        "Count the old cluster's regions and rows",
        "With ingestion stopped, the old cluster's online regions and every table's rows are what the new cluster must serve. The row count scans every row key of every table once from one client (the HBase shell's count): seconds for small tables, hours for billions of rows, and the new cluster is counted again before the applications move. The values are kept in the state file.",
    )
    .cmd(regions(c, Which::Old).capturing(
        OLD_REGIONS,
        "Online regions: ",
        "the old cluster's online regions",
    ))
    .cmd(shell(c, Which::Old, COUNT_ROWS).capturing(
        ROW_COUNTS,
        "Row counts: ",
        "the old cluster's rows per table",
    ))
    .verify("The commands print Online regions: [N] and Row counts: [table=rows …].")
    .rollback("A count that fails stops here, before HBase stops: fix the cause (a region offline) and rerun, or start ingestion again.")
    .source(sources::HBASE_51)
    .source(sources::HBASE_SHELL)
    .done()
}

/// In the cutover, once the new HBase runs and before the applications
/// move: the same regions and rows as the old cluster had.
pub(super) fn compare(c: &Context<'_>) -> Step {
    step(
        "cutover.compare",
        "Compare regions and rows with the old cluster",
        "Before any application writes to it, the new cluster must serve as many online regions as the old one did when ingestion stopped (the check waits while regions are assigned), and every table must hold as many rows. The row count scans every table once more.",
    )
    .check(regions_back(c, Which::New))
    .check(Check::new(
        shell(c, Which::New, COUNT_ROWS).only_if_set(ROW_COUNTS),
        Expect::Mentions(ROW_COUNTS.into()),
        "every table has as many rows as on the old cluster",
    ))
    .verify("The new cluster prints the same Online regions: [N] and Row counts: [table=rows …] as the old one did.")
    .rollback("Fewer regions: wait for the assignment, or use the guide's troubleshooting (dummy WAL directories, restart the active HMaster). Fewer rows: data was lost in the move (an unflushed memstore, a WAL not replayed); do not move the applications, roll back.")
    .source(sources::HBASE_51)
    .source(sources::HBASE_51_NEW_ACCOUNT)
    .source(sources::HBASE_SHELL)
    .done()
}

pub(super) fn steps(c: &Context<'_>) -> Vec<Step> {
    let s = c.s;
    let mut steps = vec![
        c.still_running("verify.state"),
        step(
            "verify.hbase",
            "Check HBase on the new cluster",
            "hbck must be clean and list must show every table.",
        )
        .cmd(shell(c, Which::New, "list"))
        .check(hbck_ok(c, Which::New))
        .verify("hbck reports Status: OK and list shows every table.")
        .rollback("Follow the rollback phase while the old cluster exists.")
        .source(sources::HBASE_SAME_ACCOUNT)
        .source(sources::HBASE_51)
        .source(sources::HBASE_MIGRATE_SCRIPTS)
        .done(),
        step(
            "verify.smoke",
            "Write and read a test table",
            "Creates waymark_smoke_test (unless a cut-off run left it), puts one cell and scans it back: DDL and DML work on the new cluster.",
        )
        .cmd(shell(c, Which::New, SMOKE_WRITE))
        .check(Check::new(
            shell(c, Which::New, SMOKE_SCAN),
            Expect::Contains("value=waymark".into()),
            "the test table returns the cell just put",
        ))
        .verify("The scan shows r1 column=f:c … value=waymark.")
        .rollback("Read the shell's error; a cluster that cannot create or write a table must not take the applications.")
        .source(sources::HBASE_51_NEW_ACCOUNT)
        .source(sources::HBASE_SHELL)
        .done(),
        step(
            "verify.smoke-drop",
            "Drop the test table",
            "Disables and drops waymark_smoke_test.",
        )
        .cmd(shell(c, Which::New, SMOKE_DROP))
        .check(Check::new(
            shell(c, Which::New, SMOKE_LIST),
            Expect::Matches("^0 row\\(s\\)".into()),
            "the test table is gone",
        ))
        .verify("list \"waymark_smoke_test\" shows 0 row(s).")
        .source(sources::HBASE_SHELL)
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

/// Phoenix upgrades its SYSTEM tables on the first connection of a newer
/// client: make that the new cluster's own sqlline, a person watching,
/// before any application connects.
pub(super) fn phoenix(c: &Context<'_>) -> Step {
    let s = c.s;
    let from = versions::component(s.from, "Phoenix").unwrap_or("?");
    let to = versions::component(s.to, "Phoenix").unwrap_or("?");
    let sqlline = vec![
        lit("/usr/hdp/current/phoenix-client/bin/sqlline.py"),
        Word::Join(vec![
            Word::Raw("\"$(hbase org.apache.hadoop.hbase.util.HBaseConfTool hbase.zookeeper.quorum)\":2181:"),
            lit(znode(c)),
        ]),
    ];
    step(
        "cutover.phoenix",
        "Make Phoenix's first connection on the new cluster",
        &format!(
            "Only if the applications use Phoenix ({from} on the old cluster, {to} on the new one). The first connection of a {to} client upgrades Phoenix's SYSTEM tables for good: make it yourself, with the new cluster's own sqlline, before any application connects, and watch it succeed. List the SYSTEM tables (none: Phoenix is not used, nothing to do), then start sqlline, run !tables and !quit. Move the applications to the {to} client: one more than two minor versions older, or of another major version, fails against the new server."
        ),
    )
    .manual()
    .cmd(shell(c, Which::New, "list \"SYSTEM.*\""))
    .cmd(as_hbase(c, Which::New, sqlline))
    .confirm("Either list showed no SYSTEM tables, or sqlline connected on the new cluster and !tables lists the Phoenix tables?")
    .verify("sqlline connects without an upgrade error and !tables lists SYSTEM.CATALOG and the applications' tables.")
    .rollback("If the upgrade fails, keep the applications away and read the sqlline error. The SYSTEM tables are HBase tables: a rollback gets the old ones back with the old cluster's data.")
    .source(sources::PHOENIX_UPGRADE)
    .source(sources::PHOENIX_HDI)
    .source(sources::V5X)
    .done()
}
