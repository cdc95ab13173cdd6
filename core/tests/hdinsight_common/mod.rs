//! Shared by the HDInsight tests: the golden scenarios.
#![allow(dead_code)]

pub const VERSIONS: [&str; 4] = ["3.6", "4.0", "5.0", "5.1"];
pub const TYPES: [&str; 5] = ["hadoop", "spark", "kafka", "hbase", "interactivehive"];

fn d(v: &str) -> String {
    v.replace('.', "")
}

/// The scenario link for a type and version pair, with typical values.
pub fn link(t: &str, from: &str, to: &str) -> String {
    let (f, n) = (d(from), d(to));
    let common = "platform=hdinsight&resource-group=data-rg&location=westeurope&vnet=data-vnet&subnet=hdi&workers=4";
    match t {
        "hbase" => format!("{common}&from={from}&to={to}&cluster-type=hbase&cluster=sales-hb-{f}&new-cluster=sales-hb-{n}&storage-account=salesdata&accelerated-writes=yes"),
        "kafka" => format!("{common}&from={from}&to={to}&cluster-type=kafka&cluster=events-kf-{f}&new-cluster=events-kf-{n}&storage-account=eventsdata"),
        other => format!("{common}&from={from}&to={to}&cluster-type={other}&cluster=etl-{other}-{f}&new-cluster=etl-{other}-{n}&storage-account=etldata&metastore=external&metastore-server=etl-sql&metastore-db=etl-hive-{f}&metastore-user=hiveadmin"),
    }
}

/// (golden name, link) for every golden plan.
pub fn scenarios() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for t in TYPES {
        for (i, from) in VERSIONS.iter().enumerate() {
            for to in &VERSIONS[i + 1..] {
                out.push((format!("{t}-{from}-to-{to}"), link(t, from, to)));
            }
        }
    }
    let extra: [(&str, String); 14] = [
        ("hbase-5.1-to-5.1-same-version", link("hbase", "5.1", "5.1").replace("new-cluster=sales-hb-51", "new-cluster=sales-hb-51b")),
        ("spark-5.1-to-4.0-downgrade", link("spark", "5.1", "4.0")),
        ("hbase-4.0-to-5.1-new-storage-account", link("hbase", "4.0", "5.1") + "&new-storage-account=salesdata51"),
        ("hbase-4.0-to-5.1-no-aw", link("hbase", "4.0", "5.1").replace("accelerated-writes=yes", "accelerated-writes=no")),
        ("hbase-4.0-to-5.1-aw-to-no-aw", link("hbase", "4.0", "5.1") + "&new-accelerated-writes=no"),
        ("hbase-3.6-to-5.1-no-aw-to-aw", link("hbase", "3.6", "5.1").replace("accelerated-writes=yes", "accelerated-writes=no&new-accelerated-writes=yes")),
        ("hbase-3.6-to-5.1-no-aw", link("hbase", "3.6", "5.1").replace("accelerated-writes=yes", "accelerated-writes=no")),
        ("hbase-3.6-to-4.0-on-2021-01-15", link("hbase", "3.6", "4.0").replace("accelerated-writes=yes", "accelerated-writes=no") + "&date=2021-01-15"),
        ("spark-4.0-to-5.0-on-2024-06-01", link("spark", "4.0", "5.0") + "&date=2024-06-01"),
        ("spark-4.0-to-5.1-default-metastore", "platform=hdinsight&from=4.0&to=5.1&cluster-type=spark&cluster=etl-spark-40&resource-group=data-rg&storage-account=etldata".to_string()),
        ("interactivehive-3.6-to-5.1-esp", link("interactivehive", "3.6", "5.1") + "&esp=yes&domain=/subscriptions/0000/resourceGroups/aad-rg/providers/Microsoft.AAD/domainServices/contoso.com&cluster-admin-account=hdiadmin@contoso.com&cluster-users-group=hdiusers&assign-identity=/subscriptions/0000/resourceGroups/aad-rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/hdi-msi"),
        ("kafka-3.6-to-4.0-on-2021-01-15", link("kafka", "3.6", "4.0") + "&date=2021-01-15"),
        ("kafka-4.0-to-5.0-on-2024-06-01", link("kafka", "4.0", "5.0") + "&date=2024-06-01"),
        ("kafka-5.0-to-5.1-new-storage-account", link("kafka", "5.0", "5.1") + "&new-storage-account=eventsdata51&disks-per-node=8"),
    ];
    out.extend(extra.into_iter().map(|(n, l)| (n.to_string(), l)));
    out
}
