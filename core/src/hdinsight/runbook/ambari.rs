//! Services on either cluster through Ambari's REST API (Hive, HBase):
//! stopped and started, or checked, by the state Ambari reports; and the
//! table list of a cluster's Hive metastore, for comparing the old cluster
//! with the new one.
//!
//! The logins for curl go into the private directory: the old cluster's
//! from `OLD_HTTP_PASSWORD`, the new one's from `HTTP_PASSWORD`.

use crate::plan::{Check, Command, Expect, Step, Word};

use super::super::sources;
use super::{curl_login, join, lit, step, var, words, Context, Which};

/// The captured table list of the old cluster, `[N tables, <md5>]`.
pub const OLD_TABLES: &str = "OLD_TABLES";

fn login_file(w: Which) -> &'static str {
    if w == Which::Old {
        "/old-ambari.curl"
    } else {
        "/new-ambari.curl"
    }
}

/// Writes the Ambari login of cluster `w` for curl.
pub fn login(w: Which) -> Command {
    let password = if w == Which::Old {
        "OLD_HTTP_PASSWORD"
    } else {
        "HTTP_PASSWORD"
    };
    curl_login("HTTP_USER", password, login_file(w))
}

fn curl(w: Which) -> Vec<Word> {
    vec![
        lit("curl"),
        lit("-fsS"),
        lit("-K"),
        join(vec![var("SECRET_DIR"), lit(login_file(w))]),
    ]
}

/// `https://<w>.azurehdinsight.net/api/v1/clusters/<w>/services/<service><tail>`.
fn service_url(w: Which, service: &str, tail: &str) -> Word {
    join(vec![
        lit("https://"),
        var(w.name_var()),
        lit(".azurehdinsight.net/api/v1/clusters/"),
        var(w.name_var()),
        lit(format!("/services/{service}{tail}")),
    ])
}

/// Ambari reports `service` (HIVE, HBASE) of `w` in `state` (`INSTALLED`
/// is stopped), within `wait` seconds.
pub fn service_is(w: Which, service: &str, state: &str, wait: u32) -> Check {
    let mut list = curl(w);
    list.push(service_url(w, service, "?fields=ServiceInfo/state"));
    list.extend([
        Word::Raw("|"),
        lit("jq"),
        lit("-r"),
        lit(".ServiceInfo.state"),
    ]);
    let what = if state == "INSTALLED" {
        "stopped"
    } else {
        "started"
    };
    let name = if service == "HIVE" { "Hive" } else { "HBase" };
    Check::new(
        Command::local(list),
        Expect::Output(state.into()),
        format!("{name} on the {} cluster is {what}", w.label()),
    )
    .waiting(wait)
}

/// Asks Ambari to bring the Hive service of `w` to `state`.
fn set_hive(w: Which, state: &str) -> Command {
    let mut list = curl(w);
    list.extend(words(&["-H", "X-Requested-By: ambari", "-X", "PUT", "-d"]));
    list.push(lit(format!(
        "{{\"RequestInfo\": {{\"context\": \"Waymark: Hive to {state}\"}}, \"Body\": {{\"ServiceInfo\": {{\"state\": \"{state}\"}}}}}}"
    )));
    list.push(service_url(w, "HIVE", ""));
    Command::local(list)
}

/// After a person stopped HBase on `w` in Ambari: Ambari reports it
/// stopped, so two HBase versions never write one root directory.
pub fn hbase_stopped(w: Which) -> Step {
    step(
        &format!("cutover.hbase-stopped-{}", w.label()),
        &format!("Check that HBase is stopped on the {} cluster", w.label()),
        "The steps after this one copy and rewrite HBase's directories; they are safe only when no HMaster or RegionServer of this cluster runs.",
    )
    .cmd(login(w))
    .check(service_is(w, "HBASE", "INSTALLED", 600))
    .verify(format!("Ambari on the {} cluster reports the HBase service stopped (INSTALLED).", w.label()))
    .rollback("Stop HBase in Ambari (HBase → Actions → Stop) and wait until every component shows stopped, then rerun the step.")
    .source(sources::AMBARI_REST)
    .done()
}

/// A step that stops (`INSTALLED`) or starts (`STARTED`) Hive on `w`.
pub fn hive_step(id: &str, title: &str, detail: &str, w: Which, state: &str) -> Step {
    step(id, title, detail)
        .cmd(login(w))
        .cmd(set_hive(w, state))
        .check(service_is(w, "HIVE", state, 1800))
        .verify(format!(
            "Ambari on the {} cluster reports the Hive service {}.",
            w.label(),
            if state == "INSTALLED" { "stopped (INSTALLED)" } else { "STARTED" }
        ))
        .rollback("Read the failed operation in Ambari (Background Operations) and fix it there, then rerun the step.")
        .source(sources::AMBARI_REST)
        .done()
}

/// Lists every table of the cluster's metastore through Beeline (Hive's
/// own information_schema and sys databases left out), sorted, and prints
/// `Hive tables: [N tables, <md5 of the list>]`. It fails when Beeline
/// lists no database at all (every metastore has `default`).
const TABLES: &str = r#"u='jdbc:hive2://headnodehost:10001/;transportMode=http'; b() { beeline -u "$u" --silent=true --showHeader=false --outputformat=tsv2 -e "$1" 2>/dev/null; }; dbs=$(b 'SHOW DATABASES;') && [ -n "$dbs" ] || { echo 'Beeline listed no database' >&2; exit 1; }; for d in $dbs; do case $d in information_schema|sys) continue ;; esac; b "SHOW TABLES IN \`$d\`;" | sed "s/^/$d./"; done | sort > waymark-hive-tables.txt && echo "Hive tables: [$(wc -l < waymark-hive-tables.txt) tables, $(md5sum < waymark-hive-tables.txt | cut -c1-32)]""#;

/// The table listing on cluster `w`.
pub fn tables(c: &Context<'_>, w: Which) -> Command {
    c.ssh(w, vec![Word::Raw(TABLES)])
}

/// Before the old Hive stops: the old cluster's table list, kept to compare
/// with the new cluster's.
pub fn list_old_tables(c: &Context<'_>) -> Step {
    step(
        "cutover.list-old-tables",
        "Note the old cluster's tables",
        "With the jobs stopped, Beeline lists every table of every database on the old cluster (database.table, sorted; the list stays in waymark-hive-tables.txt on its head node). The verify phase lists the new cluster's the same way, and the two must be equal: a stronger check than the copy's size.",
    )
    .cmd(tables(c, Which::Old).capturing(OLD_TABLES, "Hive tables: ", "the old cluster's table count and list digest"))
    .verify("The command prints Hive tables: [N tables, …] with N the number of tables you expect.")
    .rollback("Nothing changed. If Beeline fails, check HiveServer2 on the old cluster in Ambari.")
    .source(sources::HIVE_MIGRATE)
    .done()
}

/// The new cluster lists the same tables as the old one did.
pub fn verify_tables(c: &Context<'_>) -> Step {
    step(
        "verify.tables",
        "Check that the new cluster has the old cluster's tables",
        "Beeline on the new cluster lists every table of every database the same way as the cutover did on the old one; count and list must be equal. Their locations must point at storage the new cluster can reach (SHOW CREATE TABLE).",
    )
    .check(Check::new(
        tables(c, Which::New),
        Expect::Mentions(OLD_TABLES.into()),
        "the new cluster lists the same tables as the old one",
    ))
    .verify("The new cluster prints the same Hive tables: [N tables, …] as the old cluster; compare waymark-hive-tables.txt of both head nodes (diff) to find what differs.")
    .rollback("A table is missing or extra: compare the two lists, fix the metastore copy or roll back.")
    .source(sources::HIVE_MIGRATE)
    .done()
}

/// Before the downtime: jq is there and the old cluster's Ambari login
/// works, so that stopping its Hive cannot fail inside the downtime.
pub fn preflight(service: &str) -> Step {
    let mut read = curl(Which::Old);
    read.extend([
        service_url(Which::Old, service, "?fields=ServiceInfo/state"),
        Word::Raw("|"),
        lit("jq"),
        lit("-e"),
        lit(".ServiceInfo.state"),
    ]);
    let (name, does) = if service == "HIVE" {
        ("Hive", "stops Hive on the old cluster")
    } else {
        ("HBase", "checks that HBase has stopped on the old cluster")
    };
    step(
        "preflight.ambari",
        "Check the login to the old cluster's Ambari",
        &format!("The cutover {does} through Ambari's REST API with curl and jq, logged in as HTTP_USER with the old cluster's password (OLD_HTTP_PASSWORD). A wrong password or a missing tool is found here, before the downtime."),
    )
    .cmd(login(Which::Old))
    .check(Check::new(Command::local(words(&["jq", "--version"])), Expect::Success, "jq is installed"))
    .check(Check::new(Command::local(read), Expect::Success, format!("the login reads the old cluster's {name} service in Ambari")))
    .verify(format!("jq prints its version and curl reads the {name} service without an error."))
    .rollback("Install jq where the script runs, or fix http-user or OLD_HTTP_PASSWORD (an HTTP 401 means the login was refused).")
    .source(sources::AMBARI_REST)
    .done()
}

/// With the default metastore and `hive-tables=no`: the old cluster really
/// has no table, so nothing is lost with its built-in metastore.
pub fn no_tables(c: &Context<'_>) -> Step {
    step(
        "preflight.no-tables",
        "Check that the old cluster has no Hive tables",
        "The link says the cluster has no Hive tables (hive-tables=no), and its built-in metastore goes with it. Beeline lists the tables of every database on the old cluster; there must be none.",
    )
    .check(Check::new(
        tables(c, Which::Old),
        Expect::Contains("Hive tables: [0 tables,".into()),
        "the old cluster has no Hive tables",
    ))
    .verify("The command prints Hive tables: [0 tables, …].")
    .rollback("The old cluster has tables (waymark-hive-tables.txt on its head node lists them): export its metastore to an Azure SQL Database and plan again with metastore=external, without hive-tables=no.")
    .source(sources::HIVE_EXPORT)
    .done()
}
