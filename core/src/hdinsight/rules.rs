//! The rules, as data: when each applies, what it says and where it comes from.
//!
//! - [`blockers`]: combinations that cannot be planned (downgrade, same
//!   version, a cluster type the version does not offer, a target that is
//!   retired or not yet released on the evaluation date, Hive data in a
//!   default metastore that deleting the old cluster would lose).
//! - [`date_findings`]: support-state warnings that depend on the date.
//! - [`RULES`]: workload rules that depend only on the scenario.
//!
//! `tests/hdinsight_rules.rs` checks the invariants (every finding cites a
//! source, codes are unique, dates are ordered…).

use crate::plan::{finding, Finding, Severity};
use crate::source::Source;

use super::date::Date;
use super::scenario::{Metastore, Scenario};
use super::sources;
use super::versions::{self, ClusterType, Hdi, Support};

/// What to choose instead of an unusable target.
fn choose_instead(s: &Scenario, on: Date) -> String {
    match versions::newest_creatable(on) {
        Some(v) if v > s.from && versions::offered(s.cluster_type, v) => {
            format!("Choose to={v}: it is the newest version new clusters can be created with on {on}.")
        }
        Some(v) => format!(
            "HDInsight {v} is the newest version new clusters can be created with on {on}; no newer target exists for a {} {} cluster.",
            s.cluster_type.label(),
            s.from
        ),
        None => format!("No HDInsight version can be created on {on}."),
    }
}

/// Findings that make the plan impossible. Empty when the plan can go ahead.
pub fn blockers(s: &Scenario, on: Date) -> Vec<Finding> {
    let mut out = Vec::new();
    let t = s.cluster_type;
    if s.to == s.from {
        out.push(finding(
            Severity::Blocker,
            "hdinsight.same-version",
            format!("The cluster already runs HDInsight {}", s.from),
            "A migration needs a newer target version; HDInsight never upgrades a cluster in place.",
            choose_instead(s, on),
            &[sources::UPGRADE],
        ));
    } else if s.to < s.from {
        out.push(finding(
            Severity::Blocker,
            "hdinsight.downgrade",
            format!("HDInsight {} is older than {}", s.to, s.from),
            "Going back to an older version is not a migration HDInsight supports: metastore schema upgrades and newer file formats cannot be undone.",
            match versions::newest_creatable(on) {
                Some(v) if v > s.from && versions::offered(t, v) => choose_instead(s, on),
                _ => format!(
                    "Keep the cluster on HDInsight {}: no newer version can be created on {on}, and an older one is not a migration target.",
                    s.from
                ),
            },
            &[sources::UPGRADE, sources::METASTORE],
        ));
    }
    if s.metastore == Metastore::Default && hive_data(s) && s.hive_tables {
        out.push(finding(
            Severity::Blocker,
            "hdinsight.default-metastore",
            "The default metastore is deleted with the old cluster",
            "The runbook deletes the old cluster, and its built-in metastore goes with it: every table definition would be lost. A default metastore cannot be shared with another cluster either.",
            "Keep the metadata first: export the default metastore to an Azure SQL Database. For clusters created after 2020-10-15, Microsoft's hive_metastore_tool.py writes a BACPAC with sqlpackage to import into a new database; for older clusters, use the storage-account copy method, or hive-ddls.sh for a shallow copy of non-transactional tables. Then plan again with metastore=external. If the cluster has no Hive tables at all, add hive-tables=no instead: the plan goes ahead with a warning, and its pre-flight stops if it finds any table.",
            &[sources::METASTORE, sources::HIVE_EXPORT],
        ));
    }
    if !versions::offered(t, s.from) {
        out.push(finding(
            Severity::Blocker,
            "hdinsight.source-type-missing",
            format!("HDInsight {} has no {} clusters", s.from, t.label()),
            format!(
                "Azure accepts no {} component version for HDInsight {}, so no such cluster exists.",
                t.label(),
                s.from
            ),
            "Check the cluster's real version with `az hdinsight show` and set from= to it.",
            &[sources::COMPONENT_VERSION],
        ));
    }
    if s.to > s.from && !versions::offered(t, s.to) {
        out.push(finding(
            Severity::Blocker,
            "hdinsight.target-type-missing",
            format!("HDInsight {} has no {} clusters", s.to, t.label()),
            format!(
                "Azure accepts no {} component version for HDInsight {}; creating the cluster would fail.",
                t.label(),
                s.to
            ),
            choose_instead(s, on),
            &[sources::COMPONENT_VERSION, sources::V5X],
        ));
    }
    if s.to > s.from && versions::offered(t, s.to) {
        match versions::support(s.to, on) {
            Support::Retired => {
                let when =
                    s.to.info()
                        .retired_on
                        .map_or(String::new(), |d| d.to_string());
                out.push(finding(
                    Severity::Blocker,
                    "hdinsight.target-retired",
                    format!("HDInsight {} is retired", s.to),
                    format!(
                        "Since {when}, new HDInsight {} clusters cannot be created by any means, CLI and SDKs included.",
                        s.to
                    ),
                    choose_instead(s, on),
                    s.to.info().sources,
                ));
            }
            Support::NotReleased => {
                out.push(finding(
                    Severity::Blocker,
                    "hdinsight.target-not-released",
                    format!("HDInsight {} is not generally available on {on}", s.to),
                    format!("It became generally available on {}.", s.to.info().released),
                    choose_instead(s, on),
                    s.to.info().sources,
                ));
            }
            _ => {}
        }
    }
    if t == ClusterType::HBase && s.new_accelerated_writes && s.workers < 3 {
        out.push(finding(
            Severity::Blocker,
            "hdinsight.hbase-aw-workers",
            format!(
                "Accelerated Writes needs at least 3 worker nodes, not workers={}",
                s.workers
            ),
            "The new cluster would use Accelerated Writes (new-accelerated-writes, which follows accelerated-writes unless set). Microsoft requires at least three worker nodes for it, so that the write-ahead logs on the nodes' disks stay durable, and such a cluster cannot be scaled below three.",
            "Set workers=3 or more, or new-accelerated-writes=no.",
            &[sources::HBASE_AW],
        ));
    }
    out
}

/// Support-state findings for the source and target on `on`.
pub fn date_findings(s: &Scenario, on: Date) -> Vec<Finding> {
    let mut out = Vec::new();
    let newest = versions::newest_creatable(on).map_or("5.1".to_string(), |v| v.to_string());
    match versions::support(s.from, on) {
        Support::Retired | Support::Expired => out.push(finding(
            Severity::Warning,
            "hdinsight.source-retired",
            format!("The source version, HDInsight {}, is out of support", s.from),
            format!(
                "On {on} HDInsight {} is {}: the existing cluster keeps running, but Microsoft no longer supports it and scaling (manual or automatic) is not guaranteed to work.",
                s.from,
                versions::support(s.from, on).label()
            ),
            "Migrate soon, and avoid resizing the old cluster in the meantime.",
            &[sources::VERSIONING, sources::RETIRED],
        )),
        Support::Basic => out.push(finding(
            Severity::Warning,
            "hdinsight.source-basic",
            format!("The source version, HDInsight {}, is in Basic support", s.from),
            "Basic support keeps critical security fixes but no image or component fixes, no troubleshooting and no root-cause analysis.",
            format!("Migrate to HDInsight {newest}, the newest fully supported version."),
            &[sources::VERSIONING],
        )),
        _ => {}
    }
    if versions::support(s.to, on) == Support::Basic {
        out.push(finding(
            Severity::Warning,
            "hdinsight.target-basic",
            format!("The target version, HDInsight {}, is in Basic support", s.to),
            format!(
                "New clusters can still be created on {on}, but they get only critical security fixes{}.",
                s.to.info()
                    .retired_on
                    .map_or(String::new(), |d| format!(", and the version retires on {d}"))
            ),
            format!("Prefer HDInsight {newest}, unless a component you need exists only on {}.", s.to),
            &[sources::VERSIONING],
        ));
    }
    if s.cluster_type == ClusterType::Spark && s.from == Hdi::V40 && on > Date::ymd(2024, 2, 10) {
        out.push(finding(
            Severity::Warning,
            "hdinsight.spark-2.4-ended",
            "Spark 2.4 support has ended",
            "Basic support for Spark 2.4 on HDInsight ended on 2024-02-10 (standard support on 2023-08-10).",
            "Move the applications to Spark 3 as part of this migration (see the Spark finding).",
            &[sources::V5X],
        ));
    }
    out
}

/// A workload rule: applies when `when` says so.
pub struct Rule {
    pub code: &'static str,
    pub severity: Severity,
    pub when: fn(&Scenario) -> bool,
    pub title: &'static str,
    pub detail: &'static str,
    pub action: &'static str,
    pub sources: &'static [Source],
}

fn is(s: &Scenario, t: ClusterType) -> bool {
    s.cluster_type == t
}
fn hive_data(s: &Scenario) -> bool {
    matches!(
        s.cluster_type,
        ClusterType::Hadoop | ClusterType::Spark | ClusterType::InteractiveHive
    )
}

pub const RULES: &[Rule] = &[
    Rule {
        code: "hdinsight.no-in-place",
        severity: Severity::Info,
        when: |_| true,
        title: "A new cluster, not an in-place upgrade",
        detail: "HDInsight cannot upgrade a running cluster to a newer version: you create a cluster of the new version and move the workload to it.",
        action: "Follow the runbook: it creates the new cluster and moves the workload across.",
        sources: &[sources::UPGRADE],
    },
    Rule {
        code: "hdinsight.one-default-container",
        severity: Severity::Info,
        when: |_| true,
        title: "Each cluster needs its own default container",
        detail: "One blob container cannot be the default file system of two clusters at once, so any cluster that runs beside the old one gets its own container.",
        action: "Keep storage-container and new-container different; the runbook only points a cluster at the old container once the old cluster has stopped or been deleted.",
        sources: &[sources::BLOB_STORAGE, sources::HBASE_SAME_ACCOUNT],
    },
    Rule {
        code: "hdinsight.default-metastore-empty",
        severity: Severity::Warning,
        when: |s| s.metastore == Metastore::Default && hive_data(s) && !s.hive_tables,
        title: "The default metastore goes with the old cluster",
        detail: "The link says the cluster has no Hive tables (hive-tables=no), so nothing in its built-in metastore needs to move; the new cluster starts with its own. Oozie's and Ambari's metadata in the built-in databases go with the old cluster too.",
        action: "The pre-flight lists the old cluster's tables through Beeline and stops if there is any; then export the metastore (see hive-default-metastore-export-import) and plan with metastore=external.",
        sources: &[sources::METASTORE, sources::HIVE_EXPORT],
    },
    Rule {
        code: "hdinsight.no-vnet",
        severity: Severity::Warning,
        when: |s| s.vnet.is_empty(),
        title: "The new cluster is created outside any virtual network",
        detail: "The link names no vnet, so az hdinsight create puts the new cluster outside every virtual network. Microsoft's upgrade guide creates the new cluster in the old cluster's subnet: clients inside a virtual network (HBase and Kafka clients usually are) cannot reach a cluster outside it, and the network cannot be changed after the create.",
        action: "Add vnet= and subnet= with the old cluster's virtual network and subnet. The pre-flight stops if the old cluster is in a virtual network and the plan names none.",
        sources: &[sources::UPGRADE, sources::AZ_HDINSIGHT],
    },
    Rule {
        code: "hdinsight.metastore-schema-upgrade",
        severity: Severity::Warning,
        when: |s| s.metastore == Metastore::External && hive_data(s),
        title: "A newer cluster upgrades the metastore schema for good",
        detail: "When a newer HDInsight version is created on an existing external metastore, it upgrades the schema, and only a database backup undoes that. Clusters sharing one metastore must all run the same version.",
        action: "Give the new cluster a copy of the metastore (new-metastore-db), never the database the old cluster uses.",
        sources: &[sources::METASTORE],
    },
    Rule {
        code: "hdinsight.metastore-not-for-workload",
        severity: Severity::Info,
        when: |s| s.metastore == Metastore::External && !hive_data(s),
        title: "The external metastore does not hold this cluster's data",
        detail: "HBase and Kafka keep their data in storage and on the brokers; the metastore only holds Hive, Oozie and Ambari metadata.",
        action: "Nothing to migrate for it beyond what the runbook does; keep it if other tools use it.",
        sources: &[sources::METASTORE],
    },
    // HBase
    Rule {
        code: "hdinsight.hbase-major",
        severity: Severity::Warning,
        when: |s| is(s, ClusterType::HBase) && s.from == Hdi::V36,
        title: "HBase 1.1 to 2.x is a major-version change",
        detail: "Wire protocol, file format and client binaries can be incompatible across HBase major versions; HBase 1.x cannot read files HBase 2 writes; coprocessor and replication APIs changed. Never run the HBase 1.x hbck against HBase 2: it damages the tables (use HBCK2).",
        action: "Rebuild clients and coprocessors for HBase 2 and test them on the test cluster before the cutover.",
        sources: &[sources::HBASE_SAME_ACCOUNT, sources::HBASE_INCOMPATIBILITIES],
    },
    Rule {
        code: "hdinsight.hbase-3.6-to-5.1",
        severity: Severity::Warning,
        when: |s| is(s, ClusterType::HBase) && s.from == Hdi::V36 && s.to == Hdi::V51,
        title: "No guide covers HBase 3.6 straight to 5.1",
        detail: "Microsoft's guides cover 3.6 → 4.0 and 4.0 → 5.1, and 4.0 clusters can no longer be created. This plan combines them: the 3.6 WAL layout from the first guide, the 5.1 checks (no pending procedures, replication off) from the second.",
        action: "Rehearse the whole runbook on a copy of the data (a snapshot exported to a scratch container) before the real cutover.",
        sources: &[sources::HBASE_SAME_ACCOUNT, sources::HBASE_51, sources::HBASE_UPGRADE_PATHS],
    },
    Rule {
        code: "hdinsight.hbase-5.1-procedures",
        severity: Severity::Warning,
        when: |s| is(s, ClusterType::HBase) && s.to == Hdi::V51,
        title: "HBase 2.4.11 drops some old procedures",
        detail: "The source must be healthy (hbck clean), have no pending procedures and no replication peers before HBase stops, and the standby masters must stop before the active one. Expect more than 20 minutes of downtime.",
        action: "The cutover checks each of these before stopping HBase; re-enable replication on the new cluster afterwards.",
        sources: &[sources::HBASE_51],
    },
    Rule {
        code: "hdinsight.hbase-dns",
        severity: Severity::Info,
        when: |s| is(s, ClusterType::HBase),
        title: "The cluster's address changes",
        detail: "The new cluster has its own DNS name; applications that name the old cluster stop working when it is deleted.",
        action: "Point applications at the cluster through a CNAME or a configuration file, so that the switch is one change.",
        sources: &[sources::HBASE_SAME_ACCOUNT],
    },
    Rule {
        code: "hdinsight.hbase-scripts",
        severity: Severity::Info,
        when: |s| is(s, ClusterType::HBase) && !s.other_account(),
        title: "Microsoft's scripts automate the same steps",
        detail: "migrate-hbase-source.sh (or migrate-to-HDI5.1-hbase-source.sh) and migrate-hbase-dest.sh run on a ZooKeeper node and do the stop, WAL backup, fs.defaultFS change, ZooKeeper clean-up and WAL restore. They do not copy old WALs, so they must not be used when HBase Backup or Replication is enabled.",
        action: "Use either the scripts or this runbook's steps, not a mix of both.",
        sources: &[sources::HBASE_MIGRATE_SCRIPTS, sources::HBASE_51],
    },
    Rule {
        code: "hdinsight.hbase-phoenix",
        severity: Severity::Warning,
        when: |s| is(s, ClusterType::HBase),
        title: "Phoenix: the first connection upgrades the SYSTEM tables",
        detail: "The new cluster ships a newer Phoenix (5.1.2 on HDInsight 5.1, 5 on 4.0, 4.7.0 on 3.6). The first time a client of the new version connects, Phoenix upgrades its SYSTEM tables (SYSTEM.CATALOG and others) for good. Clients up to two minor versions older than the server keep working, newer ones and other major versions (4.x against 5.x) do not. Thin clients reach the Phoenix Query Server through the cluster's name (https://<cluster>.azurehdinsight.net/hbasephoenix<N>/), which changes.",
        action: "If the applications use Phoenix: test them on the new version first; in the cutover the first connection is yours, with the new cluster's own sqlline, before any application connects; point thin clients at the new cluster's Query Server; then move the applications to the new version's Phoenix client.",
        sources: &[sources::PHOENIX_UPGRADE, sources::V5X, sources::PHOENIX_HDI, sources::PHOENIX_PQS],
    },
    Rule {
        code: "hdinsight.hbase-accelerated-writes-create",
        severity: Severity::Info,
        when: |s| is(s, ClusterType::HBase) && s.new_accelerated_writes,
        title: "Accelerated Writes is chosen when the cluster is created",
        detail: "The Azure CLI has no flag for Accelerated Writes, so the runbook's create step is done in the Azure portal (or an ARM template) with the values of the az command it shows.",
        action: "Tick Accelerated Writes for HBase when creating the new cluster.",
        sources: &[sources::HBASE_SAME_ACCOUNT, sources::AZ_HDINSIGHT],
    },
    // Kafka
    Rule {
        code: "hdinsight.kafka-side-by-side",
        severity: Severity::Info,
        when: |s| is(s, ClusterType::Kafka),
        title: "Kafka moves side by side",
        detail: "Upgrading Kafka on an existing cluster is not supported. The new cluster runs beside the old one; producers move first, consumers follow once they have read everything left on the old cluster.",
        action: "Create the topics on the new cluster with the same names, then switch clients in that order.",
        sources: &[sources::KAFKA_40, sources::KAFKA_51],
    },
    Rule {
        code: "hdinsight.kafka-clients",
        severity: Severity::Warning,
        when: |s| is(s, ClusterType::Kafka),
        title: "Check client versions against the new brokers",
        detail: "Newer brokers accept older clients, but a client does not necessarily work with older brokers. For 5.1 (Kafka 3.2) Microsoft recommends clients of the cluster's version, and the command-line tools take --bootstrap-server instead of --zookeeper.",
        action: "Upgrade client libraries only after they have moved to the new cluster, and update scripts that pass --zookeeper.",
        sources: &[sources::KAFKA_40, sources::KAFKA_51],
    },
    Rule {
        code: "hdinsight.kafka-mirrormaker",
        severity: Severity::Info,
        when: |s| is(s, ClusterType::Kafka),
        title: "Replicate topics with MirrorMaker when the data must move",
        detail: "The standard path lets consumers drain the old cluster instead of copying data. If the new cluster must hold the old messages, MirrorMaker copies them: MirrorMaker 2 needs Kafka 2.4 or later at the source and also carries consumer offsets; older sources use MirrorMaker 1. Auto topic creation is off on HDInsight, and MirrorMaker 2 does not copy the replication factor.",
        action: "Pre-create the topics with replication factor 3 (4 in regions with two fault domains) and run MirrorMaker from the new cluster.",
        sources: &[sources::KAFKA_MM1, sources::KAFKA_MM2],
    },
    Rule {
        code: "hdinsight.kafka-3.6-to-5.1",
        severity: Severity::Warning,
        when: |s| is(s, ClusterType::Kafka) && s.from == Hdi::V36 && s.to > Hdi::V40,
        title: "Kafka 1.1 clients against Kafka 3.2 brokers",
        detail: "Microsoft documents 3.6 → 4.0 and 4.0 → 5.1; 4.0 can no longer be created, so the clients jump from Kafka 1.x brokers straight to 3.2.",
        action: "Test every producer and consumer against the new cluster before moving the production clients.",
        sources: &[sources::KAFKA_40, sources::KAFKA_51],
    },
    // Hive and Interactive Query
    Rule {
        code: "hdinsight.hive3-acid",
        severity: Severity::Warning,
        when: |s| hive_data(s) && s.from == Hdi::V36,
        title: "Hive 3 makes managed tables transactional",
        detail: "In Hive 3 managed tables are ACID by default, and a strict check forbids non-ACID managed tables; managed tables move from /apps/hive/warehouse to /hive/warehouse/managed. The strict managed migration turns non-ACID managed tables into external tables that delete their data on drop. Do not set hive.strict.managed.tables=false: joins of ACID and non-ACID tables then give wrong results.",
        action: "Run a major compaction of any ACID table on 3.6 first; the runbook runs the strict managed migration on the new cluster.",
        sources: &[sources::HIVE_MIGRATE],
    },
    Rule {
        code: "hdinsight.hive3-queries",
        severity: Severity::Warning,
        when: |s| hive_data(s) && s.from == Hdi::V36,
        title: "Hive 3 changes how queries are written and run",
        detail: "Only Beeline connects (the Hive CLI is gone); Tez replaces MapReduce; db.table must be written `db`.`table`; CAST of a number to TIMESTAMP now means UTC; impersonation (doAs) is off by default; MultiDelimitSerDe moved to org.apache.hadoop.hive.serde2.",
        action: "Run every job's queries on the test cluster and fix them before the cutover.",
        sources: &[sources::HIVE_MIGRATE],
    },
    Rule {
        code: "hdinsight.hive-no-shared-managed-storage",
        severity: Severity::Warning,
        when: |s| hive_data(s) && s.from == Hdi::V36,
        title: "Do not share managed-table storage between Hive 1/2 and Hive 3",
        detail: "A 3.6 cluster and a 4.0 or later cluster must not both write the same managed tables.",
        action: "Stop writes on the old cluster before the new one takes over the tables.",
        sources: &[sources::HIVE_TROUBLESHOOT],
    },
    Rule {
        code: "hdinsight.hive-same-version-schema",
        severity: Severity::Info,
        when: |s| hive_data(s) && s.from >= Hdi::V40,
        title: "Hive stays on 3.1",
        detail: "4.0, 5.0 and 5.1 all ship Hive 3.1, so no table conversion is needed. No Microsoft page says whether the metastore schema needs an explicit schematool run between them; the new cluster upgrades a metastore it is created on if needed.",
        action: "Give the new cluster a copy of the metastore so the old one stays usable for rollback.",
        sources: &[sources::METASTORE, sources::COMPONENT_VERSION],
    },
    Rule {
        code: "hdinsight.hive-primary-container",
        severity: Severity::Info,
        when: |s| is(s, ClusterType::InteractiveHive),
        title: "Copy only the configured data folders",
        detail: "When the new Hive cluster gets a primary container of its own, do not copy the whole old container into it: copy only the data folders the tables are configured to use. Tables keep working where they are as long as the new cluster can reach the same storage accounts.",
        action: "List table locations with SHOW CREATE TABLE and attach every storage account they use to the new cluster.",
        sources: &[sources::UPGRADE, sources::HIVE_MIGRATE],
    },
    Rule {
        code: "hdinsight.ranger-policies",
        severity: Severity::Warning,
        when: |s| s.esp.is_some(),
        title: "The Ranger policies go with the old cluster",
        detail: "On Enterprise Security Package clusters the access policies (Hive, HBase, Kafka, YARN…) live in the old cluster's Ranger, which is deleted with it; a new cluster starts with default policies only. Microsoft supports moving them only by Ranger's export and import, not by reusing the Ranger database.",
        action: "The cutover exports every policy through Ranger's REST API and imports it into the new cluster (services mapped, override set) before the workload moves, and the decommission checks the export is still there before deleting. Every user and group the policies name must exist on the new cluster.",
        sources: &[sources::RANGER_51, sources::RANGER_IMPORT_EXPORT, sources::HIVE_MIGRATE],
    },
    // Spark
    Rule {
        code: "hdinsight.spark-3",
        severity: Severity::Warning,
        when: |s| is(s, ClusterType::Spark) && s.from <= Hdi::V40 && s.to >= Hdi::V50,
        title: "Spark 2 applications need changes for Spark 3",
        detail: "The move crosses from Spark 2 to Spark 3; HDInsight points to the Apache Spark migration guide for what changed.",
        action: "Rebuild the applications against the target's Spark and go through the migration guide for each version crossed.",
        sources: &[sources::SPARK_GUIDE, sources::V5X],
    },
    Rule {
        code: "hdinsight.spark-catalogs",
        severity: Severity::Warning,
        when: |s| is(s, ClusterType::Spark) && s.from == Hdi::V36,
        title: "Spark and Hive use separate catalogs from 4.0",
        detail: "From HDInsight 4.0 Spark has its own catalog; Hive tables are reached through the Hive Warehouse Connector. Setting metastore.catalog.default=hive shares external tables only, not managed or ACID ones.",
        action: "Use the Hive Warehouse Connector for managed tables. For external ones, set metastore.catalog.default=hive in Ambari: in spark2-hive-site-override on HDInsight 4.0 (Spark 2), in spark3-hive-site-override on 5.x (Spark 3).",
        sources: &[sources::SPARK_MIGRATE],
    },
    // Hadoop
    Rule {
        code: "hdinsight.sqoop-pig-gone",
        severity: Severity::Warning,
        when: |s| is(s, ClusterType::Hadoop) && s.to == Hdi::V51,
        title: "HDInsight 5.1 has no Sqoop or Pig",
        detail: "The Sqoop and Pig add-ons were discontinued in 5.1.",
        action: "Move Sqoop and Pig jobs to other tools (for example Azure Data Factory or Hive/Spark) before the cutover.",
        sources: &[sources::V5X],
    },
    Rule {
        code: "hdinsight.hive-cli-gone",
        severity: Severity::Info,
        when: |s| is(s, ClusterType::Hadoop) && s.from == Hdi::V36,
        title: "Hadoop 2 to 3",
        detail: "The cluster moves from Hadoop 2.7 to Hadoop 3; Hive jobs on it are affected by the Hive 3 changes above.",
        action: "Run the jobs on the test cluster before the cutover.",
        sources: &[sources::V36, sources::V5X],
    },
    // ESP
    Rule {
        code: "hdinsight.esp-create",
        severity: Severity::Info,
        when: |s| s.esp.is_some() && !is(s, ClusterType::HBase),
        title: "Enterprise Security Package cluster",
        detail: "The create command passes --esp with the domain, the cluster admin account and password, the users group and the managed identity.",
        action: "Check that the managed identity still has access to the domain before creating the cluster.",
        sources: &[sources::AZ_HDINSIGHT],
    },
    Rule {
        code: "hdinsight.esp-create-hbase",
        severity: Severity::Info,
        when: |s| s.esp.is_some() && is(s, ClusterType::HBase),
        title: "Enterprise Security Package cluster",
        detail: "The create command passes --esp with the domain, the cluster admin account and password, the users group and the managed identity. HBase on ESP keeps its ZooKeeper data in /hbase-secure, and every hbase, hdfs and hadoop command of the runbook first takes a Kerberos ticket from the hbase keytab (kinit as the hbase user, with the principal the keytab holds).",
        action: "Check that the managed identity still has access to the domain before creating the cluster.",
        sources: &[sources::AZ_HDINSIGHT, sources::HBASE_MIGRATE_SCRIPTS],
    },
];

/// Every finding for a plannable scenario, most severe first.
pub fn findings(s: &Scenario, on: Date) -> Vec<Finding> {
    let mut out = date_findings(s, on);
    for r in RULES.iter().filter(|r| (r.when)(s)) {
        out.push(finding(
            r.severity, r.code, r.title, r.detail, r.action, r.sources,
        ));
    }
    crate::plan::sort_by_severity(&mut out);
    out
}
