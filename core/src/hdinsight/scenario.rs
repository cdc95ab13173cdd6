//! The HDInsight scenario and its link keys.
//!
//! `platform=hdinsight&from=4.0&to=5.1&cluster-type=hbase&cluster=sales-hb-40`
//! `&new-cluster=sales-hb-51&resource-group=data-rg&storage-account=salesdata…`
//! The README documents every key; [`KEYS`] is the list this code accepts.

use crate::link::{LinkWriter, Problem, Reader};
use crate::scenario::LINK_VERSION;

use super::date::Date;
use super::versions::{ClusterType, Hdi, CLUSTER_TYPES, NAMES};

/// Every key, for error messages.
pub const KEYS: &str = "v, platform, date, from, to, cluster-type, cluster, new-cluster, \
resource-group, location, vnet, subnet, storage-account, storage-container, new-container, \
new-storage-account, storage-kind, storage-identity, workers, disks-per-node, headnode-size, workernode-size, zookeepernode-size, \
encryption-in-transit, encryption-at-host, group<N>.name, group<N>.topics, accelerated-writes, new-accelerated-writes, esp, \
domain, cluster-admin-account, cluster-users-group, assign-identity, metastore, metastore-server, \
metastore-db, new-metastore-db, metastore-user, http-user, ssh-user";

/// Where the Hive, Oozie and Ambari metadata live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metastore {
    /// The cluster's built-in databases, deleted with the cluster.
    Default,
    /// An Azure SQL Database the scenario names.
    External,
}

pub const METASTORES: [(&str, Metastore); 2] = [
    ("default", Metastore::Default),
    ("external", Metastore::External),
];

pub const YES_NO: [(&str, bool); 2] = [("yes", true), ("no", false)];

/// The kind of the default storage of both clusters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorageKind {
    /// Azure Blob Storage (WASB): `--storage-container`, `wasbs://`.
    Blob,
    /// Azure Data Lake Storage Gen2: `--storage-filesystem` with a managed
    /// identity, `abfs://`.
    AdlsGen2,
}

pub const STORAGE_KINDS: [(&str, StorageKind); 2] = [
    ("blob", StorageKind::Blob),
    ("adls-gen2", StorageKind::AdlsGen2),
];

fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

/// The link keys of the head, worker and ZooKeeper node VM sizes.
pub const SIZE_KEYS: [&str; 3] = ["headnode-size", "workernode-size", "zookeepernode-size"];

/// What the new cluster's create sets beyond the basics, so that it matches
/// the old cluster (review H-M2).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Build {
    /// VM sizes of the head, worker and ZooKeeper nodes, in the order of
    /// [`super::runbook::ROLES`]; empty: the old cluster's, which the script
    /// reads before the first create.
    pub sizes: [String; 3],
    /// `--encryption-in-transit true`: encrypted traffic between the nodes.
    pub encryption_in_transit: bool,
    /// `--encryption-at-host true`: encrypted temp disks and caches.
    pub encryption_at_host: bool,
    /// The link sets `workers` (else the default, which the script checks
    /// against the old cluster).
    pub workers_given: bool,
}

/// A Kafka consumer group that moves, with the topics it reads: the offset
/// reset on the new cluster must name them (review H-C2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsumerGroup {
    pub name: String,
    pub topics: Vec<String>,
}

/// At most this many `group<N>` keys.
pub const MAX_GROUPS: u32 = 50;

/// Settings of an Enterprise Security Package cluster, passed to `az hdinsight create`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Esp {
    /// Resource ID of the Microsoft Entra Domain Services domain (`--domain`).
    pub domain: String,
    pub admin_account: String,
    pub users_group: String,
    /// Resource ID of the user-assigned managed identity (`--assign-identity`).
    pub identity: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// The day the date-dependent rules are evaluated on; `None` uses
    /// [`super::TODAY`].
    pub date: Option<Date>,
    pub from: Hdi,
    pub to: Hdi,
    pub cluster_type: ClusterType,
    pub cluster: String,
    pub new_cluster: String,
    pub resource_group: String,
    pub location: String,
    pub vnet: String,
    pub subnet: String,
    pub storage_account: String,
    pub storage_container: String,
    pub new_container: String,
    /// A different storage account for the new cluster (HBase and Kafka).
    pub new_storage_account: String,
    /// Blob or Data Lake Storage Gen2, for both clusters.
    pub storage_kind: StorageKind,
    /// Data Lake Storage Gen2: resource ID of the user-assigned managed
    /// identity that reaches the storage account
    /// (`--storage-account-managed-identity`).
    pub storage_identity: String,
    pub workers: u32,
    pub disks_per_node: u32,
    /// Boxed to keep the scenario small.
    pub build: Box<Build>,
    /// Kafka only: the consumer groups the link names (`group<N>.name`,
    /// `group<N>.topics`); empty: the runbook shows the commands with
    /// placeholders.
    pub consumer_groups: Vec<ConsumerGroup>,
    pub accelerated_writes: bool,
    pub new_accelerated_writes: bool,
    /// Boxed to keep the scenario small (it sits in an enum beside Flink's).
    pub esp: Option<Box<Esp>>,
    pub metastore: Metastore,
    /// With the default metastore: `hive-tables=no` says the old cluster
    /// has no Hive tables (the pre-flight counts them).
    pub hive_tables: bool,
    pub metastore_server: String,
    pub metastore_db: String,
    pub new_metastore_db: String,
    pub metastore_user: String,
    pub http_user: String,
    pub ssh_user: String,
    /// Keys the link gave that do not apply to this cluster type, with why:
    /// kept out of the plan and reported as a note, not an error, so that
    /// switching the cluster type loses nothing.
    pub ignored: Vec<(&'static str, &'static str)>,
}

impl Scenario {
    /// The example a first visit opens on: HBase 4.0 → 5.1.
    pub fn example() -> Scenario {
        Scenario {
            date: None,
            from: Hdi::V40,
            to: Hdi::V51,
            cluster_type: ClusterType::HBase,
            cluster: "sales-hb-40".into(),
            new_cluster: "sales-hb-51".into(),
            resource_group: "data-rg".into(),
            location: "westeurope".into(),
            vnet: "data-vnet".into(),
            subnet: "hdi".into(),
            storage_account: "salesdata".into(),
            storage_container: "sales-hb-40".into(),
            new_container: "sales-hb-51".into(),
            new_storage_account: String::new(),
            storage_kind: StorageKind::Blob,
            storage_identity: String::new(),
            workers: 4,
            disks_per_node: 4,
            build: Box::new(Build {
                workers_given: true,
                ..Build::default()
            }),
            consumer_groups: Vec::new(),
            accelerated_writes: true,
            new_accelerated_writes: true,
            esp: None,
            metastore: Metastore::External,
            hive_tables: true,
            metastore_server: String::new(),
            metastore_db: String::new(),
            new_metastore_db: String::new(),
            metastore_user: String::new(),
            http_user: "admin".into(),
            ssh_user: "sshuser".into(),
            ignored: Vec::new(),
        }
    }

    /// Does the new cluster use another storage account than the old one?
    pub fn other_account(&self) -> bool {
        !self.new_storage_account.is_empty() && self.new_storage_account != self.storage_account
    }

    /// The storage account of the new cluster's default container.
    pub fn new_account(&self) -> &str {
        if self.new_storage_account.is_empty() {
            &self.storage_account
        } else {
            &self.new_storage_account
        }
    }

    /// Reads the HDInsight keys; `platform` and `v` were read by the caller.
    pub fn read(mut r: Reader<'_>) -> Result<Scenario, Vec<Problem>> {
        let date = match r.text("date") {
            Some(text) => match Date::parse(&text) {
                Ok(d) => Some(d),
                Err(e) => {
                    r.report("date", e);
                    None
                }
            },
            None => None,
        };
        let from = version_key(&mut r, "from");
        let to = version_key(&mut r, "to");
        let cluster_type = match r.text("cluster-type") {
            None => {
                r.report(
                    "cluster-type",
                    format!("is missing: give one of {}", names(&CLUSTER_TYPES)),
                );
                None
            }
            Some(t) => match CLUSTER_TYPES.iter().find(|(n, _)| *n == t) {
                Some((_, v)) => Some(*v),
                None => {
                    r.report(
                        "cluster-type",
                        format!(
                            "`{t}` is not allowed; use one of: {}",
                            names(&CLUSTER_TYPES)
                        ),
                    );
                    None
                }
            },
        };
        let cluster = name_key(&mut r, "cluster", &CLUSTER_NAME, true);
        let new_cluster = name_key(&mut r, "new-cluster", &NEW_CLUSTER_NAME, false);
        let resource_group = name_key(&mut r, "resource-group", &RESOURCE_GROUP, true);
        let location = name_key(&mut r, "location", &LOCATION, false);
        let vnet = name_key(&mut r, "vnet", &VNET, false);
        let subnet = name_key(&mut r, "subnet", &SUBNET, false);
        let storage_account = name_key(&mut r, "storage-account", &STORAGE_ACCOUNT, true);
        let storage_container = name_key(&mut r, "storage-container", &CONTAINER, false);
        let new_container = name_key(&mut r, "new-container", &CONTAINER, false);
        let mut new_storage_account =
            name_key(&mut r, "new-storage-account", &STORAGE_ACCOUNT, false);
        let storage_kind = r.choice("storage-kind", &STORAGE_KINDS);
        let storage_identity = resource_id_key(&mut r, "storage-identity");
        match (storage_kind, &storage_identity) {
            (Some(StorageKind::AdlsGen2), None) => r.report(
                "storage-identity",
                "is missing: storage-kind=adls-gen2 needs the resource ID of the user-assigned managed identity that reaches the storage account (az hdinsight create --storage-account-managed-identity)",
            ),
            (Some(StorageKind::Blob) | None, Some(_)) => r.report(
                "storage-identity",
                "is only used with storage-kind=adls-gen2; remove it or set storage-kind=adls-gen2",
            ),
            _ => {}
        }
        let workers = r.number("workers", 1..=500);
        let mut disks_per_node = r.number("disks-per-node", 1..=16);
        let sizes = SIZE_KEYS.map(|key| name_key(&mut r, key, &VM_SIZE, false).unwrap_or_default());
        let encryption_in_transit = r.choice("encryption-in-transit", &YES_NO);
        let encryption_at_host = r.choice("encryption-at-host", &YES_NO);
        let mut consumer_groups = Vec::new();
        for n in r.groups("group", MAX_GROUPS) {
            let (name_key, topics_key) = (format!("group{n}.name"), format!("group{n}.topics"));
            let name = kafka_name(&mut r, &name_key, "a consumer group id");
            let topics = match r.text(&topics_key) {
                None => {
                    r.report(&topics_key, format!("is missing: list the topics group {n} reads, comma-separated; the offset reset must name them"));
                    Vec::new()
                }
                Some(list) => {
                    let mut topics = Vec::new();
                    for t in list.split(',') {
                        if is_kafka_name(t) {
                            topics.push(t.to_string());
                        } else {
                            r.report(
                                &topics_key,
                                format!("`{t}` is not a Kafka topic name ({KAFKA_NAME})"),
                            );
                        }
                    }
                    topics
                }
            };
            if let Some(name) = name {
                consumer_groups.push(ConsumerGroup { name, topics });
            }
        }
        let mut aw = r.choice("accelerated-writes", &YES_NO);
        let mut new_aw = r.choice("new-accelerated-writes", &YES_NO);
        let esp = r.choice("esp", &YES_NO).unwrap_or(false);
        let domain = resource_id_key(&mut r, "domain");
        let admin_account = name_key(&mut r, "cluster-admin-account", &PRINCIPAL, false);
        let users_group = name_key(&mut r, "cluster-users-group", &GROUP, false);
        let identity = resource_id_key(&mut r, "assign-identity");
        let metastore = r.choice("metastore", &METASTORES);
        let hive_tables = r.choice("hive-tables", &YES_NO);
        let metastore_server = name_key(&mut r, "metastore-server", &SQL_SERVER, false);
        let metastore_db = name_key(&mut r, "metastore-db", &SQL_DB, false);
        let new_metastore_db = name_key(&mut r, "new-metastore-db", &SQL_DB, false);
        let metastore_user = name_key(&mut r, "metastore-user", &ACCOUNT, false);
        let http_user = name_key(&mut r, "http-user", &ACCOUNT, false);
        let ssh_user = name_key(&mut r, "ssh-user", &ACCOUNT, false);

        let metastore = metastore.unwrap_or(Metastore::Default);
        let hive_data = matches!(
            cluster_type,
            Some(ClusterType::Hadoop | ClusterType::Spark | ClusterType::InteractiveHive)
        );
        if metastore == Metastore::External && !hive_data {
            for (key, value) in [
                ("metastore-server", &metastore_server),
                ("metastore-db", &metastore_db),
                ("new-metastore-db", &new_metastore_db),
                ("metastore-user", &metastore_user),
            ] {
                if value.is_some() {
                    r.report(key, "is only used for cluster types with Hive tables (hadoop, spark, interactivehive)");
                }
            }
        } else if metastore == Metastore::External {
            for (key, value) in [
                ("metastore-server", &metastore_server),
                ("metastore-db", &metastore_db),
                ("metastore-user", &metastore_user),
            ] {
                if value.is_none() {
                    r.report(key, "is missing: metastore=external needs the Azure SQL server, database and login of the metastore");
                }
            }
        } else {
            for (key, value) in [
                ("metastore-server", &metastore_server),
                ("metastore-db", &metastore_db),
                ("new-metastore-db", &new_metastore_db),
                ("metastore-user", &metastore_user),
            ] {
                if value.is_some() {
                    r.report(
                        key,
                        "is only used with metastore=external; remove it or set metastore=external",
                    );
                }
            }
        }
        if esp {
            for (key, value) in [
                ("domain", &domain),
                ("cluster-admin-account", &admin_account),
                ("cluster-users-group", &users_group),
                ("assign-identity", &identity),
            ] {
                if value.is_none() {
                    r.report(key, "is missing: esp=yes needs the domain, admin account, users group and managed identity for az hdinsight create");
                }
            }
        } else {
            for (key, value) in [
                ("domain", &domain),
                ("cluster-admin-account", &admin_account),
                ("cluster-users-group", &users_group),
                ("assign-identity", &identity),
            ] {
                if value.is_some() {
                    r.report(key, "is only used with esp=yes; remove it or set esp=yes");
                }
            }
        }
        if vnet.is_some() != subnet.is_some() {
            let missing = if vnet.is_none() { "vnet" } else { "subnet" };
            r.report(missing, "is missing: give both vnet and subnet (the subnet is looked up by name in the virtual network), or neither");
        }
        let mut ignored = Vec::new();
        if let Some(t) = cluster_type {
            if t != ClusterType::HBase {
                for key in ["accelerated-writes", "new-accelerated-writes"] {
                    if r_has(&aw, &new_aw, key) {
                        ignored.push((key, "it only applies to cluster-type=hbase"));
                    }
                }
                aw = None;
                new_aw = None;
            }
            if t != ClusterType::Kafka && !consumer_groups.is_empty() {
                ignored.push((
                    "group<N>.name",
                    "consumer groups only apply to cluster-type=kafka",
                ));
                consumer_groups.clear();
            }
            if t != ClusterType::Kafka && disks_per_node.is_some() {
                ignored.push(("disks-per-node", "it only applies to cluster-type=kafka"));
                disks_per_node = None;
            }
            if !matches!(t, ClusterType::HBase | ClusterType::Kafka)
                && new_storage_account.is_some()
            {
                ignored.push((
                    "new-storage-account",
                    "it only applies to cluster-type=hbase or kafka; for the other types the reference keeps the same storage account",
                ));
                new_storage_account = None;
            }
        }

        let problems = r.finish(KEYS);
        let (
            Some(from),
            Some(to),
            Some(cluster_type),
            Some(cluster),
            Some(resource_group),
            Some(storage_account),
        ) = (
            from,
            to,
            cluster_type,
            cluster,
            resource_group,
            storage_account,
        )
        else {
            return Err(problems);
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        let new_cluster = new_cluster.unwrap_or_else(|| default_new_name(&cluster, from, to));
        let storage_container = storage_container.unwrap_or_else(|| cluster.to_ascii_lowercase());
        let new_container = new_container.unwrap_or_else(|| new_cluster.to_ascii_lowercase());
        let mut problems = Vec::new();
        if new_cluster == cluster {
            problems.push(Problem::at(
                "new-cluster",
                "must differ from cluster: both exist side by side for a while",
            ));
        }
        if new_container == storage_container
            && new_storage_account
                .as_deref()
                .is_none_or(|a| a == storage_account)
        {
            problems.push(Problem::at(
                "new-container",
                "must differ from storage-container: one blob container cannot be the default storage of two clusters at once",
            ));
        }
        if new_cluster.len() > 54 {
            problems.push(Problem::at("new-cluster", "is too long: at most 54 characters, so that `<new-cluster>-test` fits the 59-character limit"));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let metastore_db = metastore_db.unwrap_or_default();
        let new_metastore_db = match (metastore, new_metastore_db) {
            (Metastore::External, None) if !metastore_db.is_empty() => {
                default_new_name(&metastore_db, from, to)
            }
            (_, v) => v.unwrap_or_default(),
        };
        Ok(Scenario {
            date,
            from,
            to,
            cluster_type,
            cluster,
            new_cluster,
            resource_group,
            location: location.unwrap_or_default(),
            vnet: vnet.unwrap_or_default(),
            subnet: subnet.unwrap_or_default(),
            storage_account,
            storage_container,
            new_container,
            new_storage_account: new_storage_account.unwrap_or_default(),
            storage_kind: storage_kind.unwrap_or(StorageKind::Blob),
            storage_identity: storage_identity.unwrap_or_default(),
            workers: workers.unwrap_or(4),
            disks_per_node: disks_per_node.unwrap_or(4),
            build: Box::new(Build {
                sizes,
                encryption_in_transit: encryption_in_transit.unwrap_or(false),
                encryption_at_host: encryption_at_host.unwrap_or(false),
                workers_given: workers.is_some(),
            }),
            consumer_groups,
            accelerated_writes: aw.unwrap_or(false),
            new_accelerated_writes: new_aw.or(aw).unwrap_or(false),
            esp: esp.then(|| {
                Box::new(Esp {
                    domain: domain.unwrap_or_default(),
                    admin_account: admin_account.unwrap_or_default(),
                    users_group: users_group.unwrap_or_default(),
                    identity: identity.unwrap_or_default(),
                })
            }),
            metastore,
            hive_tables: hive_tables.unwrap_or(true),
            metastore_server: metastore_server.unwrap_or_default(),
            metastore_db,
            new_metastore_db,
            metastore_user: metastore_user.unwrap_or_default(),
            http_user: http_user.unwrap_or_else(|| "admin".into()),
            ssh_user: ssh_user.unwrap_or_else(|| "sshuser".into()),
            ignored,
        })
    }

    /// The canonical link query string.
    pub fn to_link(&self) -> String {
        let mut w = LinkWriter::default();
        w.put("v", LINK_VERSION);
        w.put("platform", "hdinsight");
        if let Some(d) = self.date {
            w.put("date", &d.to_string());
        }
        w.put("from", self.from.name());
        w.put("to", self.to.name());
        w.put("cluster-type", self.cluster_type.name());
        w.put("cluster", &self.cluster);
        w.put("new-cluster", &self.new_cluster);
        w.put("resource-group", &self.resource_group);
        w.put("location", &self.location);
        w.put("vnet", &self.vnet);
        w.put("subnet", &self.subnet);
        w.put("storage-account", &self.storage_account);
        w.put("storage-container", &self.storage_container);
        w.put("new-container", &self.new_container);
        w.put("new-storage-account", &self.new_storage_account);
        if self.storage_kind == StorageKind::AdlsGen2 {
            w.put("storage-kind", "adls-gen2");
            w.put("storage-identity", &self.storage_identity);
        }
        if self.build.workers_given {
            w.put("workers", &self.workers.to_string());
        }
        if self.cluster_type == ClusterType::Kafka {
            w.put("disks-per-node", &self.disks_per_node.to_string());
        }
        for (key, size) in SIZE_KEYS.iter().zip(&self.build.sizes) {
            w.put(key, size);
        }
        if self.build.encryption_in_transit {
            w.put("encryption-in-transit", "yes");
        }
        if self.build.encryption_at_host {
            w.put("encryption-at-host", "yes");
        }
        for (i, g) in self.consumer_groups.iter().enumerate() {
            w.put(&format!("group{}.name", i + 1), &g.name);
            w.put(&format!("group{}.topics", i + 1), &g.topics.join(","));
        }
        if self.cluster_type == ClusterType::HBase {
            w.put("accelerated-writes", yes_no(self.accelerated_writes));
            w.put(
                "new-accelerated-writes",
                yes_no(self.new_accelerated_writes),
            );
        }
        w.put("esp", yes_no(self.esp.is_some()));
        if let Some(e) = &self.esp {
            w.put("domain", &e.domain);
            w.put("cluster-admin-account", &e.admin_account);
            w.put("cluster-users-group", &e.users_group);
            w.put("assign-identity", &e.identity);
        }
        w.put(
            "metastore",
            match self.metastore {
                Metastore::Default => "default",
                Metastore::External => "external",
            },
        );
        if !self.hive_tables {
            w.put("hive-tables", "no");
        }
        w.put("metastore-server", &self.metastore_server);
        w.put("metastore-db", &self.metastore_db);
        w.put("new-metastore-db", &self.new_metastore_db);
        w.put("metastore-user", &self.metastore_user);
        if self.http_user != "admin" {
            w.put("http-user", &self.http_user);
        }
        if self.ssh_user != "sshuser" {
            w.put("ssh-user", &self.ssh_user);
        }
        w.finish()
    }
}

fn r_has(aw: &Option<bool>, new_aw: &Option<bool>, key: &str) -> bool {
    match key {
        "accelerated-writes" => aw.is_some(),
        _ => new_aw.is_some(),
    }
}

fn names<T>(options: &[(&str, T)]) -> String {
    options
        .iter()
        .map(|(n, _)| *n)
        .collect::<Vec<_>>()
        .join(", ")
}

/// `4.0` → `40`.
pub fn digits(v: Hdi) -> String {
    v.name().replace('.', "")
}

/// `sales-hb-40` → `sales-hb-51`; otherwise `<cluster>-51`.
fn default_new_name(cluster: &str, from: Hdi, to: Hdi) -> String {
    let (f, t) = (digits(from), digits(to));
    if cluster.contains(&f) {
        cluster.replacen(&f, &t, 1)
    } else {
        format!("{cluster}-{t}")
    }
}

fn version_key(r: &mut Reader<'_>, key: &str) -> Option<Hdi> {
    let Some(text) = r.text(key) else {
        r.report(
            key,
            format!(
                "is missing: give an HDInsight version, one of {}",
                names(&NAMES)
            ),
        );
        return None;
    };
    match NAMES.iter().find(|(n, _)| *n == text) {
        Some((_, v)) => Some(*v),
        None => {
            r.report(
                key,
                format!("`{text}` is not allowed; use one of: {}", names(&NAMES)),
            );
            None
        }
    }
}

/// What a name may look like, for validation and messages.
struct NameRule {
    what: &'static str,
    min: usize,
    max: usize,
    /// Allowed bytes besides ASCII letters and digits.
    extra: &'static str,
    lowercase: bool,
    /// Must start and end with a letter or digit.
    alnum_ends: bool,
}

const CLUSTER_NAME: NameRule = NameRule { what: "an HDInsight cluster name (3–59 letters, digits or hyphens, not starting or ending with a hyphen)", min: 3, max: 59, extra: "-", lowercase: false, alnum_ends: true };
const NEW_CLUSTER_NAME: NameRule = CLUSTER_NAME;
const RESOURCE_GROUP: NameRule = NameRule {
    what: "a resource group name (1–90 letters, digits, `-`, `_`, `.`, `(`, `)`)",
    min: 1,
    max: 90,
    extra: "-_.()",
    lowercase: false,
    alnum_ends: false,
};
const LOCATION: NameRule = NameRule {
    what: "an Azure region name such as westeurope",
    min: 2,
    max: 40,
    extra: "",
    lowercase: true,
    alnum_ends: true,
};
const VNET: NameRule = NameRule {
    what: "a virtual network name (2–64 letters, digits, `-`, `_`, `.`)",
    min: 2,
    max: 64,
    extra: "-_.",
    lowercase: false,
    alnum_ends: true,
};
const SUBNET: NameRule = NameRule {
    what: "a subnet name (1–80 letters, digits, `-`, `_`, `.`)",
    min: 1,
    max: 80,
    extra: "-_.",
    lowercase: false,
    alnum_ends: false,
};
const STORAGE_ACCOUNT: NameRule = NameRule {
    what: "a storage account name (3–24 lowercase letters and digits)",
    min: 3,
    max: 24,
    extra: "",
    lowercase: true,
    alnum_ends: true,
};
const CONTAINER: NameRule = NameRule {
    what: "a blob container name (3–63 lowercase letters, digits and hyphens)",
    min: 3,
    max: 63,
    extra: "-",
    lowercase: true,
    alnum_ends: true,
};
const ACCOUNT: NameRule = NameRule {
    what: "a user name (letters, digits, `-`, `_`, `.`)",
    min: 1,
    max: 64,
    extra: "-_.",
    lowercase: false,
    alnum_ends: false,
};
const PRINCIPAL: NameRule = NameRule {
    what: "a domain account such as hdiadmin@contoso.com",
    min: 1,
    max: 256,
    extra: "-_.@",
    lowercase: false,
    alnum_ends: false,
};
const GROUP: NameRule = NameRule {
    what: "a group name (letters, digits, `-`, `_`, `.`, `@`, spaces)",
    min: 1,
    max: 128,
    extra: "-_.@ ",
    lowercase: false,
    alnum_ends: false,
};
const SQL_SERVER: NameRule = NameRule { what: "an Azure SQL server name without .database.windows.net (lowercase letters, digits, hyphens)", min: 1, max: 63, extra: "-", lowercase: true, alnum_ends: true };
const VM_SIZE: NameRule = NameRule {
    what: "an Azure VM size such as Standard_E8_v3 (letters, digits, `_`, `-`)",
    min: 2,
    max: 64,
    extra: "_-",
    lowercase: false,
    alnum_ends: true,
};
const SQL_DB: NameRule = NameRule {
    what: "a database name (letters, digits, `-`, `_`)",
    min: 1,
    max: 128,
    extra: "-_",
    lowercase: false,
    alnum_ends: false,
};

fn name_key(r: &mut Reader<'_>, key: &str, rule: &NameRule, required: bool) -> Option<String> {
    let value = if required {
        r.required(key, rule.what)
    } else {
        r.text(key)
    }?;
    let ok = (rule.min..=rule.max).contains(&value.len())
        && value.bytes().all(|b| {
            (b.is_ascii_digit()
                || b.is_ascii_lowercase()
                || (!rule.lowercase && b.is_ascii_uppercase()))
                || rule.extra.as_bytes().contains(&b)
        })
        && (!rule.alnum_ends
            || (value
                .bytes()
                .next()
                .is_some_and(|b| b.is_ascii_alphanumeric())
                && value
                    .bytes()
                    .last()
                    .is_some_and(|b| b.is_ascii_alphanumeric())));
    if ok {
        Some(value)
    } else {
        r.report(key, format!("`{value}` is not {}", rule.what));
        None
    }
}

const KAFKA_NAME: &str = "1–249 letters, digits, `.`, `_` or `-`";

/// A Kafka topic name or consumer group id as the link accepts them.
fn is_kafka_name(t: &str) -> bool {
    (1..=249).contains(&t.len())
        && t.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
}

fn kafka_name(r: &mut Reader<'_>, key: &str, what: &str) -> Option<String> {
    let value = r.required(key, what)?;
    if is_kafka_name(&value) {
        Some(value)
    } else {
        r.report(key, format!("`{value}` is not {what} ({KAFKA_NAME})"));
        None
    }
}

/// An Azure resource ID: `/subscriptions/…`.
fn resource_id_key(r: &mut Reader<'_>, key: &str) -> Option<String> {
    let value = r.text(key)?;
    let ok = value.starts_with("/subscriptions/")
        && value.len() <= 512
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/-_.()".contains(&b));
    if ok {
        Some(value)
    } else {
        r.report(key, format!("`{value}` is not an Azure resource ID (/subscriptions/…/resourceGroups/…/providers/…)"));
        None
    }
}
