//! The public pages the HDInsight rules and steps cite.

use crate::source::Source;

const fn learn(title: &'static str, url: &'static str) -> Source {
    Source::new(title, url)
}

pub const VERSIONING: Source = learn(
    "HDInsight: supported versions and support dates",
    "https://learn.microsoft.com/azure/hdinsight/hdinsight-component-versioning",
);
pub const RETIRED: Source = learn(
    "HDInsight: retired versions",
    "https://learn.microsoft.com/azure/hdinsight/hdinsight-retired-versions",
);
pub const V36: Source = learn(
    "HDInsight 3.6 component versions",
    "https://learn.microsoft.com/azure/hdinsight/hdinsight-36-component-versioning",
);
pub const V40: Source = learn(
    "HDInsight 4.0 component versions",
    "https://learn.microsoft.com/azure/hdinsight/hdinsight-40-component-versioning",
);
pub const V5X: Source = learn(
    "HDInsight 5.x component versions",
    "https://learn.microsoft.com/azure/hdinsight/hdinsight-5x-component-versioning",
);
pub const COMPONENT_VERSION: Source = learn(
    "HDInsight: componentVersion validation error (valid Major.minor values)",
    "https://learn.microsoft.com/azure/hdinsight/component-version-validation-error-arm-templates",
);
pub const UPGRADE: Source = learn(
    "HDInsight: migrate a cluster to a newer version",
    "https://learn.microsoft.com/azure/hdinsight/hdinsight-upgrade-cluster",
);
pub const BLOB_STORAGE: Source = learn(
    "HDInsight: use Azure Storage (one default container per cluster)",
    "https://learn.microsoft.com/azure/hdinsight/hdinsight-hadoop-use-blob-storage",
);
pub const METASTORE: Source = learn(
    "HDInsight: external metadata stores",
    "https://learn.microsoft.com/azure/hdinsight/hdinsight-use-external-metadata-stores",
);
pub const CREATE_CLI: Source = learn(
    "HDInsight: create clusters with the Azure CLI",
    "https://learn.microsoft.com/azure/hdinsight/hdinsight-hadoop-create-linux-clusters-azure-cli",
);
pub const AZ_HDINSIGHT: Source = learn(
    "Azure CLI: az hdinsight parameters (_params.py)",
    "https://github.com/Azure/azure-cli/blob/dev/src/azure-cli/azure/cli/command_modules/hdinsight/_params.py",
);
pub const DELETE: Source = learn(
    "HDInsight: delete a cluster",
    "https://learn.microsoft.com/azure/hdinsight/hdinsight-delete-cluster",
);
pub const HBASE_SAME_ACCOUNT: Source = learn(
    "HBase: migrate to a new version (same storage account)",
    "https://learn.microsoft.com/azure/hdinsight/hbase/apache-hbase-migrate-new-version",
);
pub const HBASE_51: Source = learn(
    "HBase: migrate to HDInsight 5.1 (same storage account)",
    "https://learn.microsoft.com/azure/hdinsight/hbase/apache-hbase-migrate-hdinsight-5-1",
);
pub const HBASE_NEW_ACCOUNT: Source = learn(
    "HBase: migrate to a new version and a new storage account",
    "https://learn.microsoft.com/azure/hdinsight/hbase/apache-hbase-migrate-new-version-new-storage-account",
);
pub const HBASE_51_NEW_ACCOUNT: Source = learn(
    "HBase: migrate to HDInsight 5.1 with a new storage account",
    "https://learn.microsoft.com/azure/hdinsight/hbase/apache-hbase-migrate-hdinsight-5-1-new-storage-account",
);
pub const HBASE_FLUSH_SCRIPT: Source = learn(
    "Azure/hbase-utils: flush_all_tables.sh",
    "https://github.com/Azure/hbase-utils/blob/master/scripts/flush_all_tables.sh",
);
pub const HBASE_MIGRATE_SCRIPTS: Source = learn(
    "Azure/hbase-utils: migrate-hbase-source.sh and migrate-hbase-dest.sh",
    "https://github.com/Azure/hbase-utils/tree/master/scripts",
);
pub const HBASE_BACKUP: Source = learn(
    "HBase on HDInsight: backup and replication",
    "https://learn.microsoft.com/azure/hdinsight/hbase/apache-hbase-backup-replication",
);
pub const HBASE_UPGRADE_PATHS: Source = learn(
    "Apache HBase: upgrade paths",
    "https://hbase.apache.org/docs/upgrading/paths",
);
pub const HBASE_ROLLBACK: Source = learn(
    "Apache HBase: rollback (restore a copy taken before the upgrade)",
    "https://hbase.apache.org/docs/upgrading/rollback",
);
pub const HBASE_INCOMPATIBILITIES: Source = learn(
    "Apache HBase: 2.0 incompatibilities",
    "https://hbase.apache.org/docs/hbase-incompatibilities",
);
pub const KAFKA_40: Source = learn(
    "Kafka: migrate workloads to HDInsight 4.0",
    "https://learn.microsoft.com/azure/hdinsight/kafka/migrate-versions",
);
pub const KAFKA_51: Source = learn(
    "Kafka: migrate workloads to HDInsight 5.1",
    "https://learn.microsoft.com/azure/hdinsight/kafka/migrate-5-1-versions",
);
pub const KAFKA_MM1: Source = learn(
    "Kafka: mirror topics with MirrorMaker",
    "https://learn.microsoft.com/azure/hdinsight/kafka/apache-kafka-mirroring",
);
pub const KAFKA_MM2: Source = learn(
    "Kafka: MirrorMaker 2.0 for migration and replication",
    "https://learn.microsoft.com/azure/hdinsight/kafka/kafka-mirrormaker-2-0-guide",
);
pub const KAFKA_QUICKSTART: Source = learn(
    "Kafka on HDInsight: quickstart (topics, brokers)",
    "https://learn.microsoft.com/azure/hdinsight/kafka/apache-kafka-get-started",
);
pub const KAFKA_TOPIC_CONFIGS: Source = learn(
    "Apache Kafka: topic-level configs",
    "https://kafka.apache.org/documentation/#topicconfigs",
);
pub const KAFKA_ACLS: Source = learn(
    "Apache Kafka: authorization and ACLs (kafka-acls.sh)",
    "https://kafka.apache.org/documentation/#security_authz",
);
pub const KAFKA_HA: Source = learn(
    "Kafka on HDInsight: high availability (fault and update domains, rebalance)",
    "https://learn.microsoft.com/azure/hdinsight/kafka/apache-kafka-high-availability",
);
pub const KAFKA_REBALANCE: Source = learn(
    "HDInsight Kafka partition rebalance tool (hdinsight-kafka-tools)",
    "https://github.com/hdinsight/hdinsight-kafka-tools/tree/master/src/python/rebalance",
);
pub const HIVE_MIGRATE: Source = learn(
    "Hive: migrate workloads to a newer HDInsight",
    "https://learn.microsoft.com/azure/hdinsight/interactive-query/apache-hive-migrate-workloads",
);
pub const HIVE_EXPORT: Source = learn(
    "Hive: export the default metastore to an external one",
    "https://learn.microsoft.com/azure/hdinsight/interactive-query/hive-default-metastore-export-import",
);
pub const HIVE_TROUBLESHOOT: Source = learn(
    "Interactive Query: troubleshoot the 3.6 to 4.0 migration",
    "https://learn.microsoft.com/azure/hdinsight/interactive-query/interactive-query-troubleshoot-migrate-36-to-40",
);
pub const SPARK_MIGRATE: Source = learn(
    "Spark: migrate workloads to newer versions",
    "https://learn.microsoft.com/azure/hdinsight/spark/migrate-versions",
);
pub const SPARK_GUIDE: Source = learn(
    "Apache Spark migration guide",
    "https://spark.apache.org/docs/latest/migration-guide.html",
);
pub const RANGER_51: Source = learn(
    "HDInsight: Apache Ranger in 5.1 (policies move by export and import)",
    "https://learn.microsoft.com/azure/hdinsight/hdinsight-ranger-5-1-migration",
);
pub const RANGER_IMPORT_EXPORT: Source = learn(
    "Apache Ranger: import and export of policies (override, service mapping)",
    "https://cwiki.apache.org/confluence/display/RANGER/User+Guide+For+Import-Export",
);
pub const RANGER_REST: Source = learn(
    "Apache Ranger REST API: ServiceREST (exportJson, importPoliciesFromFile)",
    "https://ranger.apache.org/apidocs/resource_ServiceREST.html",
);
pub const AZCOPY: Source = HBASE_51_NEW_ACCOUNT;
pub const CAPACITY: Source = learn(
    "HDInsight: capacity planning (regional core quotas)",
    "https://learn.microsoft.com/azure/hdinsight/hdinsight-capacity-planning",
);
pub const AMBARI_REST: Source = learn(
    "HDInsight: manage clusters with the Ambari REST API (service state)",
    "https://learn.microsoft.com/azure/hdinsight/hdinsight-hadoop-manage-ambari-rest-api",
);
pub const AZ_VM_USAGE: Source = learn(
    "Azure CLI: az vm list-usage (regional vCPU quotas per VM family)",
    "https://learn.microsoft.com/cli/azure/vm#az-vm-list-usage",
);
pub const AZ_SQL_DB: Source = learn(
    "Azure CLI: az sql db (show, copy)",
    "https://learn.microsoft.com/cli/azure/sql/db",
);
pub const HBASE_COMPACTION: Source = learn(
    "Apache HBase reference guide: compaction (hbase.hregion.majorcompaction)",
    "https://hbase.apache.org/book.html#compaction",
);

pub const CLUSTER_PROPERTIES: Source = learn(
    "Azure REST API: HDInsight Clusters - Get (what az hdinsight show returns)",
    "https://learn.microsoft.com/rest/api/hdinsight/clusters/get",
);
pub const TLS: Source = learn(
    "HDInsight: transport layer security (minSupportedTlsVersion 1.2)",
    "https://learn.microsoft.com/azure/hdinsight/transport-layer-security",
);
pub const HBASE_AW: Source = learn(
    "HDInsight: Accelerated Writes for Apache HBase (at least three worker nodes)",
    "https://learn.microsoft.com/azure/hdinsight/hbase/apache-hbase-accelerated-writes",
);
pub const HBASE_SHELL: Source = learn(
    "Apache HBase: the shell (non-interactive mode, exit status)",
    "https://hbase.apache.org/docs/shell",
);
pub const AZCOPY_COPY: Source = learn(
    "AzCopy: azcopy copy (blob type kept between accounts)",
    "https://learn.microsoft.com/azure/storage/common/storage-ref-azcopy-copy",
);
pub const PHOENIX_UPGRADE: Source = learn(
    "Apache Phoenix: upgrading (system tables upgraded on the first connection)",
    "https://phoenix.apache.org/upgrading.html",
);
pub const PHOENIX_HDI: Source = learn(
    "HDInsight: query HBase with Apache Phoenix (sqlline.py)",
    "https://learn.microsoft.com/azure/hdinsight/hbase/apache-hbase-query-with-phoenix",
);
pub const PHOENIX_PQS: Source = learn(
    "HDInsight: Phoenix Query Server REST SDK (hbasephoenix<N> gateway endpoints)",
    "https://learn.microsoft.com/azure/hdinsight/hbase/apache-hbase-using-phoenix-query-server-rest-sdk",
);
pub const HDI_SSH: Source = learn(
    "HDInsight: connect with SSH (passwords or keys)",
    "https://learn.microsoft.com/azure/hdinsight/hdinsight-hadoop-linux-use-ssh-unix",
);
pub const SSH_CONFIG: Source = learn(
    "OpenSSH ssh_config(5): ControlMaster, ControlPath, ControlPersist",
    "https://man.openbsd.org/ssh_config",
);

/// Every source, for invariant tests.
pub const ALL: [Source; 54] = [
    VERSIONING,
    RETIRED,
    V36,
    V40,
    V5X,
    COMPONENT_VERSION,
    UPGRADE,
    BLOB_STORAGE,
    METASTORE,
    CREATE_CLI,
    AZ_HDINSIGHT,
    DELETE,
    HBASE_SAME_ACCOUNT,
    HBASE_51,
    HBASE_NEW_ACCOUNT,
    HBASE_51_NEW_ACCOUNT,
    HBASE_FLUSH_SCRIPT,
    HBASE_MIGRATE_SCRIPTS,
    HBASE_BACKUP,
    HBASE_UPGRADE_PATHS,
    HBASE_ROLLBACK,
    HBASE_INCOMPATIBILITIES,
    KAFKA_40,
    KAFKA_51,
    KAFKA_MM1,
    KAFKA_MM2,
    KAFKA_QUICKSTART,
    KAFKA_TOPIC_CONFIGS,
    KAFKA_ACLS,
    KAFKA_HA,
    KAFKA_REBALANCE,
    HIVE_MIGRATE,
    RANGER_51,
    RANGER_IMPORT_EXPORT,
    RANGER_REST,
    HIVE_EXPORT,
    HIVE_TROUBLESHOOT,
    SPARK_MIGRATE,
    SPARK_GUIDE,
    CAPACITY,
    AMBARI_REST,
    AZ_VM_USAGE,
    AZ_SQL_DB,
    HBASE_COMPACTION,
    CLUSTER_PROPERTIES,
    TLS,
    HBASE_AW,
    HBASE_SHELL,
    AZCOPY_COPY,
    PHOENIX_UPGRADE,
    PHOENIX_HDI,
    PHOENIX_PQS,
    HDI_SSH,
    SSH_CONFIG,
];
