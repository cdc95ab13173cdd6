//! The phases and steps of an HDInsight plan, with commands filled in from
//! the scenario.
//!
//! - [`hbase`]: the HBase guides (same storage account, or another one).
//! - [`kafka`]: side by side, producers first; [`kafka_topics`]: the
//!   topics with their configs, ACLs, rebalance and MirrorMaker's stop.
//! - [`general`]: Hadoop, Spark and Interactive Query: the general workflow
//!   with the Hive metastore steps.
//!
//! Commands that run on a cluster node go over SSH (`OLD_SSH`, `NEW_SSH`,
//! `TEST_SSH`) and never use secrets; commands that need a secret on a node
//! are shown for a person to run (`Host::Elsewhere`).

mod ambari;
mod definition;
mod general;
mod hbase;
mod kafka;
mod kafka_groups;
mod kafka_topics;
mod ssh;

pub use crate::plan::{lit, var};
use crate::plan::{
    Check, Command, Estimate, Expect, Frame, Host, Phase, PhaseId, Step, StepBuilder, Value,
    Variable, Word,
};

use super::scenario::{Metastore, Scenario, StorageKind};
use super::sources;
use super::versions::{self, ClusterType, Hdi};
use crate::source::Source;

pub fn join(parts: Vec<Word>) -> Word {
    Word::Join(parts)
}
pub fn words(list: &[&'static str]) -> Vec<Word> {
    list.iter().map(|w| lit(*w)).collect()
}

/// Which cluster a command or URL is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    Old,
    New,
    Test,
}

impl Which {
    pub fn name_var(self) -> &'static str {
        match self {
            Which::Old => "OLD_CLUSTER",
            Which::New => "NEW_CLUSTER",
            Which::Test => "TEST_CLUSTER",
        }
    }
    /// The captured name Azure reports once the cluster exists.
    fn created_var(self) -> &'static str {
        match self {
            Which::Old => "OLD_CREATED",
            Which::New => "NEW_CREATED",
            Which::Test => "TEST_CREATED",
        }
    }
    fn label(self) -> &'static str {
        match self {
            Which::Old => "old",
            Which::New => "new",
            Which::Test => "test",
        }
    }
    fn ssh_var(self) -> &'static str {
        match self {
            Which::Old => "OLD_SSH",
            Which::New => "NEW_SSH",
            Which::Test => "TEST_SSH",
        }
    }
}

/// Variables and helpers for one plan.
pub struct Context<'a> {
    pub s: &'a Scenario,
    pub vars: Vec<Variable>,
}

impl<'a> Context<'a> {
    pub fn new(s: &'a Scenario) -> Self {
        let mut c = Context {
            s,
            vars: Vec::new(),
        };
        let t = s.cluster_type;
        c.text(
            "RESOURCE_GROUP",
            "Resource group of the clusters",
            &s.resource_group,
        );
        if !s.location.is_empty() {
            c.text("LOCATION", "Azure region of the clusters", &s.location);
        }
        c.text(
            "OLD_CLUSTER",
            &format!("The HDInsight {} {} cluster to migrate", s.from, t.label()),
            &s.cluster,
        );
        c.text(
            "NEW_CLUSTER",
            &format!("The new HDInsight {} {} cluster", s.to, t.label()),
            &s.new_cluster,
        );
        if c.needs_test_cluster() {
            c.text(
                "TEST_CLUSTER",
                &format!("A temporary HDInsight {} cluster for tests", s.to),
                &format!("{}-test", s.new_cluster),
            );
            c.text(
                "TEST_CONTAINER",
                "Default container of the test cluster",
                &format!("{}-test", s.new_container),
            );
        }
        c.text(
            "CLUSTER_TYPE",
            "Cluster type (az hdinsight create --type)",
            t.name(),
        );
        c.text(
            "OLD_VERSION",
            "HDInsight version of the old cluster",
            s.from.name(),
        );
        c.text(
            "NEW_VERSION",
            "HDInsight version of the new cluster",
            s.to.name(),
        );
        if let Some(cv) = versions::component_version(t, s.to) {
            c.text(
                "COMPONENT_VERSION",
                "Component version of the new cluster (Major.minor; Azure rejects full versions)",
                &format!("{}={cv}", t.component()),
            );
        }
        c.text(
            "WORKERS",
            "Worker nodes of the new cluster",
            &s.workers.to_string(),
        );
        if t == ClusterType::Kafka {
            c.text(
                "DISKS_PER_NODE",
                "Managed data disks per Kafka worker node",
                &s.disks_per_node.to_string(),
            );
        }
        c.text(
            "STORAGE_ACCOUNT",
            "Storage account of the old cluster's default container",
            &s.storage_account,
        );
        c.text(
            "OLD_CONTAINER",
            "Default container of the old cluster",
            &s.storage_container,
        );
        if s.other_account() {
            c.text(
                "NEW_STORAGE_ACCOUNT",
                "Storage account of the new cluster",
                &s.new_storage_account,
            );
        }
        c.text(
            "NEW_CONTAINER",
            "Default container of the new cluster while both exist",
            &s.new_container,
        );
        if s.storage_kind == StorageKind::AdlsGen2 {
            c.text(
                "STORAGE_IDENTITY",
                "Resource ID of the managed identity that reaches the Data Lake Storage Gen2 account",
                &s.storage_identity,
            );
        }
        if !s.vnet.is_empty() {
            c.text("VNET", "Virtual network of the old cluster", &s.vnet);
        }
        if !s.subnet.is_empty() {
            c.text("SUBNET", "Subnet of the old cluster", &s.subnet);
        }
        c.text("HTTP_USER", "Cluster login (Ambari) user", &s.http_user);
        c.text("SSH_USER", "SSH user of the clusters", &s.ssh_user);
        for w in [Which::Old, Which::New] {
            let name = if w == Which::Old {
                &s.cluster
            } else {
                &s.new_cluster
            };
            c.text(
                w.ssh_var(),
                &format!(
                    "SSH endpoint of the {} cluster",
                    if w == Which::Old { "old" } else { "new" }
                ),
                &format!("{}@{}-ssh.azurehdinsight.net", s.ssh_user, name),
            );
        }
        if c.needs_test_cluster() {
            c.text(
                Which::Test.ssh_var(),
                "SSH endpoint of the test cluster",
                &format!(
                    "{}@{}-test-ssh.azurehdinsight.net",
                    s.ssh_user, s.new_cluster
                ),
            );
        }
        if let Some(e) = &s.esp {
            c.text(
                "DOMAIN",
                "Resource ID of the Entra Domain Services domain",
                &e.domain,
            );
            c.text(
                "CLUSTER_ADMIN_ACCOUNT",
                "Domain account that administers the cluster",
                &e.admin_account,
            );
            c.text(
                "CLUSTER_USERS_GROUP",
                "Domain group whose users may use the cluster",
                &e.users_group,
            );
            c.text(
                "ASSIGN_IDENTITY",
                "Resource ID of the managed identity for the domain",
                &e.identity,
            );
            c.text(
                RANGER_EXPORT,
                "The old cluster's Ranger policies, exported in the cutover (a file in the directory the script runs in; keep it)",
                &format!("ranger-policies-{}.json", s.cluster),
            );
        }
        if s.metastore == Metastore::External {
            c.text(
                "METASTORE_SERVER",
                "Azure SQL server of the Hive metastore (without .database.windows.net)",
                &s.metastore_server,
            );
            c.text(
                "METASTORE_DB",
                "Metastore database of the old cluster",
                &s.metastore_db,
            );
            c.text(
                "NEW_METASTORE_DB",
                "Copy of the metastore for the new cluster",
                &s.new_metastore_db,
            );
            c.text(
                "METASTORE_USER",
                "SQL login of the metastore",
                &s.metastore_user,
            );
        }
        c.secret(
            "HTTP_PASSWORD",
            "password of the cluster login (Ambari) for the new cluster",
        );
        c.secret("SSH_PASSWORD", "SSH password for the new cluster");
        if c.hive_data() || t == ClusterType::HBase {
            c.secret(
                "OLD_HTTP_PASSWORD",
                "password of the cluster login (Ambari) for the old cluster",
            );
        }
        if s.esp.is_some() {
            c.secret(
                "CLUSTER_ADMIN_PASSWORD",
                "password of the domain admin account",
            );
        }
        if s.metastore == Metastore::External && c.hive_data() {
            c.secret(
                "METASTORE_PASSWORD",
                "password of the SQL login of the metastore",
            );
        }
        if t == ClusterType::HBase && s.other_account() {
            c.secret(
                "SOURCE_SAS",
                "SAS token for the old container (a leading ? is dropped)",
            );
            c.secret(
                "DEST_SAS",
                "SAS token for the new container (a leading ? is dropped)",
            );
        }
        let build = definition::variables(&c);
        c.vars.extend(build);
        c.captured(
            Which::New.created_var(),
            "The new cluster's name as Azure reports it once the create has taken effect",
        );
        if s.esp.is_some() {
            c.captured(
                RANGER_POLICIES,
                "How many Ranger policies the export of the old cluster holds",
            );
        }
        if t == ClusterType::HBase {
            c.captured(
                hbase::OLD_REGIONS,
                "The old cluster's online regions, counted once ingestion stopped, as [N]",
            );
            c.captured(
                hbase::ROW_COUNTS,
                "The old cluster's rows per table, counted once ingestion stopped",
            );
        }
        if t == ClusterType::HBase && !s.other_account() {
            c.captured(
                hbase::BACKUP_VAR,
                "Files and bytes of the complete backup of the old cluster's HBase directories, set only when the copy matches them",
            );
        }
        if c.hive_data() && s.metastore == Metastore::External {
            c.captured(
                ambari::OLD_TABLES,
                "The old cluster's table count and the digest of its table list",
            );
        }
        if c.needs_test_cluster() {
            c.captured(
                Which::Test.created_var(),
                "The test cluster's name as Azure reports it once the create has taken effect",
            );
        }
        c
    }

    fn captured(&mut self, name: &str, description: &str) {
        self.vars.push(Variable {
            name: name.into(),
            description: description.into(),
            value: Value::Captured,
        });
    }

    fn text(&mut self, name: &str, description: &str, value: &str) {
        self.vars.push(Variable {
            name: name.into(),
            description: description.into(),
            value: Value::Text(value.into()),
        });
    }

    fn secret(&mut self, name: &str, description: &str) {
        self.vars.push(Variable {
            name: name.into(),
            description: description.into(),
            value: Value::Secret,
        });
    }

    pub fn hive_data(&self) -> bool {
        matches!(
            self.s.cluster_type,
            ClusterType::Hadoop | ClusterType::Spark | ClusterType::InteractiveHive
        )
    }

    pub fn needs_test_cluster(&self) -> bool {
        self.hive_data()
    }

    /// A command run over SSH on a node of `w`.
    pub fn ssh(&self, w: Which, list: Vec<Word>) -> Command {
        Command::on(
            Host::Ssh {
                target: w.ssh_var().into(),
                description: format!("a head node of the {} cluster (over SSH)", w.label()),
            },
            list,
        )
    }

    /// A command a person runs on a node the script does not reach.
    pub fn elsewhere(&self, description: &str, list: Vec<Word>) -> Command {
        Command::on(
            Host::Elsewhere {
                description: description.into(),
            },
            list,
        )
    }

    /// `az hdinsight create` for cluster `w` on `container_var` in `account_var`.
    pub fn create(
        &self,
        w: Which,
        account_var: &str,
        container_var: &str,
        config_file: bool,
    ) -> Command {
        let s = self.s;
        let mut list = words(&["az", "hdinsight", "create", "--name"]);
        list.push(var(w.name_var()));
        list.extend([lit("--resource-group"), var("RESOURCE_GROUP")]);
        if !s.location.is_empty() {
            list.extend([lit("--location"), var("LOCATION")]);
        }
        list.extend([
            lit("--type"),
            var("CLUSTER_TYPE"),
            lit("--version"),
            var("NEW_VERSION"),
            lit("--component-version"),
            var("COMPONENT_VERSION"),
            lit("--http-user"),
            var("HTTP_USER"),
            lit("--http-password"),
            var("HTTP_PASSWORD"),
            lit("--ssh-user"),
            var("SSH_USER"),
            lit("--ssh-password"),
            var("SSH_PASSWORD"),
            lit("--workernode-count"),
            var("WORKERS"),
        ]);
        if s.cluster_type == ClusterType::Kafka {
            list.extend([
                lit("--workernode-data-disks-per-node"),
                var("DISKS_PER_NODE"),
            ]);
        }
        list.extend(definition::create_flags(self));
        list.extend([lit("--storage-account"), var(account_var.to_owned())]);
        if self.gen2() {
            list.extend([
                lit("--storage-filesystem"),
                var(container_var.to_owned()),
                lit("--storage-account-managed-identity"),
                var("STORAGE_IDENTITY"),
            ]);
        } else {
            list.extend([lit("--storage-container"), var(container_var.to_owned())]);
        }
        if !s.vnet.is_empty() {
            list.extend([
                lit("--vnet-name"),
                var("VNET"),
                lit("--subnet"),
                var("SUBNET"),
            ]);
        }
        if s.esp.is_some() {
            list.extend([
                lit("--esp"),
                lit("--domain"),
                var("DOMAIN"),
                lit("--cluster-admin-account"),
                var("CLUSTER_ADMIN_ACCOUNT"),
                lit("--cluster-admin-password"),
                var("CLUSTER_ADMIN_PASSWORD"),
                lit("--cluster-users-group-dns"),
                var("CLUSTER_USERS_GROUP"),
                lit("--assign-identity"),
                var("ASSIGN_IDENTITY"),
            ]);
        }
        if config_file {
            list.extend([
                lit("--cluster-configurations"),
                join(vec![lit("@"), var("SECRET_DIR"), lit(CONFIG_PATH)]),
            ]);
        }
        // The id alone: the run keeps the name at its end as the sign that
        // the cluster exists.
        list.extend(words(&["--query", "id", "--output", "tsv"]));
        Command::local(list)
    }

    /// `az hdinsight show --name <w> … --query <query> --output tsv`.
    pub fn show(&self, w: Which, query: &str) -> Command {
        self.show_as(w, query, "tsv")
    }

    /// The same with another `--output` (`json` keeps keys and nesting).
    pub fn show_as(&self, w: Which, query: &str, output: &str) -> Command {
        let mut list = words(&["az", "hdinsight", "show", "--name"]);
        list.push(var(w.name_var()));
        list.extend([lit("--resource-group"), var("RESOURCE_GROUP")]);
        list.extend([
            lit("--query"),
            lit(query.to_owned()),
            lit("--output"),
            lit(output.to_owned()),
        ]);
        Command::local(list)
    }

    /// `az hdinsight show … --query properties.clusterState`.
    pub fn show_state(&self, w: Which) -> Command {
        self.show(w, "properties.clusterState")
    }

    /// `az hdinsight delete … --yes`.
    pub fn delete(&self, w: Which) -> Command {
        let mut list = words(&["az", "hdinsight", "delete", "--name"]);
        list.push(var(w.name_var()));
        list.extend([lit("--resource-group"), var("RESOURCE_GROUP"), lit("--yes")]);
        Command::local(list)
    }

    /// Is the default storage Data Lake Storage Gen2?
    pub fn gen2(&self) -> bool {
        self.s.storage_kind == StorageKind::AdlsGen2
    }

    /// The scheme and endpoint of the default storage: `wasbs://` on
    /// `blob.core.windows.net`, or `abfs://` on `dfs.core.windows.net`.
    fn fs_parts(&self) -> (&'static str, &'static str) {
        if self.gen2() {
            ("abfs://", ".dfs.core.windows.net")
        } else {
            ("wasbs://", ".blob.core.windows.net")
        }
    }

    /// `wasbs://<container>@<account>.blob.core.windows.net` (or the
    /// `abfs://…dfs…` form on Data Lake Storage Gen2) + `path`.
    pub fn fs_url(&self, account_var: &str, container_var: &str, path: &str) -> Word {
        let (scheme, host) = self.fs_parts();
        let mut parts = vec![
            lit(scheme),
            var(container_var.to_owned()),
            lit("@"),
            var(account_var.to_owned()),
            lit(host),
        ];
        if !path.is_empty() {
            parts.push(lit(path.to_owned()));
        }
        join(parts)
    }

    /// The same as text, for a step's detail.
    pub fn fs_text(&self, container: &str, account: &str) -> String {
        let (scheme, host) = self.fs_parts();
        format!("{scheme}{container}@{account}{host}")
    }

    /// An extended regular expression matching `fs.defaultFS` for
    /// `container` in `account` (names are lowercase letters, digits and
    /// hyphens: nothing to escape).
    pub fn fs_pattern(&self, container: &str, account: &str) -> String {
        if self.gen2() {
            format!("^abfss?://{container}@{account}\\.dfs\\.core\\.windows\\.net/?$")
        } else {
            format!("^wasbs?://{container}@{account}\\.blob\\.core\\.windows\\.net/?$")
        }
    }

    /// The old cluster's default file system, as the new cluster names it.
    pub fn old_fs(&self, path: &str) -> Word {
        self.fs_url("STORAGE_ACCOUNT", "OLD_CONTAINER", path)
    }

    /// Ambari of cluster `w`: `https://<name>.azurehdinsight.net`.
    pub fn ambari(&self, w: Which) -> String {
        let name = match w {
            Which::Old => self.s.cluster.clone(),
            Which::New => self.s.new_cluster.clone(),
            Which::Test => format!("{}-test", self.s.new_cluster),
        };
        format!("https://{name}.azurehdinsight.net")
    }

    /// Summary of the create step's detail.
    pub fn where_text(&self) -> String {
        let s = self.s;
        if s.vnet.is_empty() {
            "The scenario names no virtual network, so the cluster is created outside one; add vnet= and subnet= to the link to put it in the old cluster's subnet.".into()
        } else {
            format!(
                "It joins the old cluster's subnet ({}/{}).",
                s.vnet, s.subnet
            )
        }
    }
}

/// The cluster configuration with the metastore password: a file in the
/// script's private directory (`SECRET_DIR`, made for each run and removed
/// on every exit), so the password never lands in a file anyone else reads.
pub const CONFIG_PATH: &str = "/hdi-metastore.json";

/// Seconds a create or a delete may take before the script gives up.
pub const CLUSTER_WAIT: u32 = 3600;

fn config_file() -> Word {
    join(vec![var("SECRET_DIR"), lit(CONFIG_PATH)])
}

/// Writes the cluster configuration that names the metastore copy. It runs
/// again on every run that reaches the create: the private directory lives
/// for one run.
fn metastore_config() -> Command {
    // JSON with %s holes, filled by printf from the scenario's variables.
    const TEMPLATE: &str = "{\"hive-site\": {\"javax.jdo.option.ConnectionDriverName\": \"com.microsoft.sqlserver.jdbc.SQLServerDriver\", \"javax.jdo.option.ConnectionURL\": \"jdbc:sqlserver://%s.database.windows.net;database=%s;encrypt=true;trustServerCertificate=true;create=false;loginTimeout=300\", \"javax.jdo.option.ConnectionUserName\": \"%s\", \"javax.jdo.option.ConnectionPassword\": \"%s\"}, \"hive-env\": {\"hive_database\": \"Existing MSSQL Server database with SQL authentication\", \"hive_database_type\": \"mssql\", \"hive_existing_mssql_server_database\": \"%s\", \"hive_existing_mssql_server_host\": \"%s.database.windows.net\"}}\\n";
    Command::local(vec![
        Word::Raw("umask 077 &&"),
        lit("printf"),
        lit(TEMPLATE),
        var("METASTORE_SERVER"),
        var("NEW_METASTORE_DB"),
        var("METASTORE_USER"),
        // JSON-escaped: a backslash or double quote in the password gets a
        // backslash before it.
        Word::Raw("\"$(printf %s"),
        var("METASTORE_PASSWORD"),
        Word::Raw("| sed 's/[\"\\\\]/\\\\&/g')\""),
        var("NEW_METASTORE_DB"),
        var("METASTORE_SERVER"),
        Word::Raw(">"),
        config_file(),
    ])
    .each_run()
}

/// `az sql db show … --query status`: the metastore database `db_var`.
fn sql_db_status(db_var: &str) -> Command {
    Command::local(vec![
        lit("az"),
        lit("sql"),
        lit("db"),
        lit("show"),
        lit("--resource-group"),
        var("RESOURCE_GROUP"),
        lit("--server"),
        var("METASTORE_SERVER"),
        lit("--name"),
        var(db_var.to_owned()),
        lit("--query"),
        lit("status"),
        lit("--output"),
        lit("tsv"),
    ])
}

/// `az` found no such resource: exit status 3 (ResourceNotFound), not any
/// failure, which an expired login or a network error would also give.
fn not_found() -> Expect {
    Expect::ExitCode("3".into())
}

/// The metastore database `db_var` is Online (waiting `wait` seconds).
pub fn db_online(db_var: &str, what: &str, wait: u32) -> Check {
    Check::new(
        sql_db_status(db_var),
        Expect::Output("Online".into()),
        format!("{what} is Online"),
    )
    .waiting(wait)
}

impl Context<'_> {
    /// Cluster `w` is Running. A create may take `wait` seconds; a state
    /// with `Error` in it stops the wait at once.
    pub fn running(&self, w: Which, wait: u32) -> Check {
        Check::new(
            self.show_state(w),
            Expect::Output("Running".into()),
            format!("the {} cluster is Running", w.label()),
        )
        .waiting(wait)
        .failing_on("Error")
    }

    /// No cluster of `w`'s name exists: `az hdinsight show` fails
    /// (ResourceNotFound).
    pub fn absent(&self, w: Which, wait: u32, holds: &str) -> Check {
        Check::new(self.show(w, "name"), not_found(), holds).waiting(wait)
    }

    /// Creates cluster `w` and waits until it is Running. A rerun never
    /// creates it twice: a finished create is skipped, and a create that
    /// failed or was cut off is followed by `az hdinsight show`, which finds
    /// the cluster if it exists.
    #[allow(clippy::too_many_arguments)]
    pub fn create_step(
        &self,
        id: &str,
        title: &str,
        detail: &str,
        w: Which,
        account_var: &str,
        container_var: &str,
        config: bool,
    ) -> StepBuilder {
        let what = format!("the {} cluster's name as Azure reports it", w.label());
        let read = self
            .show(w, "id")
            .capturing(w.created_var(), "/clusters/", what.clone());
        let create = self
            .create(w, account_var, container_var, config)
            .capturing(w.created_var(), "/clusters/", what)
            .recovering_with(read);
        let mut detail = format!("{detail} Creating a cluster takes 20–60 minutes; the script waits until Azure reports it Running and stops at once if it ends in an error state.");
        let mut st = step(id, title, "");
        if config {
            detail.push_str(" The first command writes the cluster configuration with the metastore password (from METASTORE_PASSWORD, JSON-escaped) into the private directory SECRET_DIR: the script makes one per run and removes it on exit; by hand, make one with SECRET_DIR=$(umask 077 && mktemp -d) and remove it after the create.");
            st = st.cmd(metastore_config());
        }
        st = st.cmd(create);
        if config {
            st = st.cmd(Command::local(vec![lit("rm"), lit("-f"), config_file()]));
        }
        st.detail(detail)
            .check(self.running(w, CLUSTER_WAIT))
            .verify("az hdinsight show reports the cluster Running.")
            .rollback("If the create fails before the cluster exists, fix the cause (quota, name, network) and run again: the create runs again only when Azure has no cluster of that name. If the cluster ends in an error state, read the deployment error in the Azure portal, delete that cluster there and rerun this step with --redo.")
            .source(sources::AZ_HDINSIGHT)
            .source(sources::CREATE_CLI)
    }

    /// A step that only checks that the new cluster still runs.
    pub fn still_running(&self, id: &str) -> Step {
        step(
            id,
            "Check that the new cluster is running",
            "Azure must still report the new cluster Running.",
        )
        .check(self.running(Which::New, 0))
        .verify("az hdinsight show reports the new cluster Running.")
        .rollback("Read the cluster's state and alerts in the Azure portal; roll back if it cannot be fixed soon.")
        .source(sources::CREATE_CLI)
        .done()
    }

    /// The pre-flight: reads only, fails before production is touched, and
    /// ends with the go/no-go. `new_exists`: the new cluster was created in
    /// prepare and must be running; otherwise its name must be free.
    /// `extra` comes between the shared checks and the go/no-go.
    pub fn preflight(&self, new_exists: bool, extra: Vec<Step>) -> Phase {
        let mut steps = vec![
            step(
                "preflight.login",
                "Check the Azure CLI login",
                "Every az command runs with this login; it must be the subscription of the clusters.",
            )
            .check(Check::new(
                Command::local(words(&["az", "account", "show", "--query", "name", "--output", "tsv"])),
                Expect::Success,
                "the Azure CLI is logged in",
            ))
            .verify("az account show prints the clusters' subscription.")
            .rollback("Log in with az login and choose the subscription with az account set --subscription <id>.")
            .source(sources::CREATE_CLI)
            .done(),
            step(
                "preflight.old-cluster",
                "Check that the old cluster is running",
                &format!("{} is the production cluster this plan migrates from.", self.s.cluster),
            )
            .check(self.running(Which::Old, 0))
            .verify("az hdinsight show reports the old cluster Running.")
            .rollback("Check the cluster name and resource group in the link, or fix the old cluster first.")
            .source(sources::CREATE_CLI)
            .done(),
        ];
        steps.push(if new_exists {
            step(
                "preflight.new-cluster",
                "Check that the new cluster is running",
                &format!("{} was created in the prepare phase.", self.s.new_cluster),
            )
            .check(self.running(Which::New, 0))
            .verify("az hdinsight show reports the new cluster Running.")
            .rollback("Run the prepare phase first, or fix the new cluster.")
            .source(sources::CREATE_CLI)
            .done()
        } else {
            step(
                "preflight.new-name",
                "Check that the new cluster's name is free",
                &format!(
                    "The cutover creates {}; no cluster of that name may exist yet.",
                    self.s.new_cluster
                ),
            )
            .check(self.absent(Which::New, 0, "no cluster has the new cluster's name yet"))
            .verify("az hdinsight show for the new name fails with ResourceNotFound.")
            .rollback(
                "Choose another new-cluster name, or find out why a cluster of that name exists.",
            )
            .source(sources::CREATE_CLI)
            .done()
        });
        if self.s.vnet.is_empty() {
            steps.push(
                step(
                    "preflight.network",
                    "Check that the old cluster is in no virtual network either",
                    "The plan names no virtual network, so the new cluster will be outside every one; its network cannot change after the create. If the old cluster is in a virtual network, its clients are too, and they could not reach the new cluster.",
                )
                .check(Check::new(
                    self.show(
                        Which::Old,
                        "properties.computeProfile.roles[0].virtualNetworkProfile.id",
                    ),
                    Expect::Output(String::new()),
                    "the old cluster is in no virtual network",
                ))
                .verify("az hdinsight show prints no virtual network for the old cluster.")
                .rollback("The command printed the old cluster's virtual network: add vnet= and subnet= (its subnet) to the link and make the plan again.")
                .source(sources::UPGRADE)
                .source(sources::AZ_HDINSIGHT)
                .done(),
            );
        }
        if self.s.esp.is_some() {
            steps.push(self.ranger_preflight());
        }
        if self.s.metastore == Metastore::External {
            let hive = self.hive_data();
            steps.push(
                step(
                    "preflight.metastore",
                    "Check the metastore database",
                    if hive {
                        "The old cluster's metastore database must be online, and so must the copy the new cluster was created on in the prepare phase. The commands assume the SQL server is in the clusters' resource group."
                    } else {
                        "The old cluster's metastore database must be online, and the name of its copy still free. The commands assume the SQL server is in the clusters' resource group."
                    },
                )
                .check(db_online("METASTORE_DB", "the old cluster's metastore database", 0))
                .check(if hive {
                    db_online("NEW_METASTORE_DB", "the new cluster's metastore copy", 0)
                } else {
                    Check::new(
                        sql_db_status("NEW_METASTORE_DB"),
                        not_found(),
                        "no database has the copy's name yet",
                    )
                })
                .verify(if hive {
                    "az sql db show reports both databases Online."
                } else {
                    "az sql db show reports the metastore Online, and fails for the copy's name."
                })
                .rollback("Fix metastore-server, metastore-db or new-metastore-db in the link, or drop a leftover copy from an earlier attempt.")
                .source(sources::METASTORE)
                .source(sources::AZ_SQL_DB)
                .done(),
            );
        }
        steps.extend(extra);
        steps.push(
            step(
                "preflight.go",
                "Go or no-go",
                "The last point where stopping costs nothing: production is unchanged.",
            )
            .confirm(frame(self).go_no_go)
            .source(sources::UPGRADE)
            .done(),
        );
        phase(
            PhaseId::Preflight,
            "Reads only: checks the login, the clusters and their names, then asks for the go/no-go. Nothing in production changes.",
            steps,
        )
    }

    /// Free cores in the region for `what`, judged by a person: HDInsight's
    /// own quota and the subscription's vCPU quotas per VM family.
    pub fn quota_step(&self, id: &str, what: &str) -> Step {
        let detail = format!("HDInsight counts cores per region and subscription, and the nodes are virtual machines that also count against the regional vCPU quotas (total and per VM family): {what}. A create that exceeds a quota fails after minutes.");
        let usage = |group: &str| {
            Command::local(vec![
                lit("az"),
                lit(group.to_owned()),
                lit("list-usage"),
                lit("--location"),
                var("LOCATION"),
                lit("--output"),
                lit("table"),
            ])
        };
        let st = if self.s.location.is_empty() {
            step(id, "Check the regional core quotas", &format!("{detail} In the Azure portal: Subscriptions → Usage + quotas, providers HDInsight and Compute, the clusters' region (add location= to the link and the script lists them)."))
        } else {
            step(id, "Check the regional core quotas", &detail)
                .cmd(usage("hdinsight"))
                .cmd(usage("vm"))
        };
        st.confirm("The region has enough free HDInsight cores and vCPUs of the new cluster's VM families for the new cluster?")
            .verify("For HDInsight cores, Total Regional vCPUs and each VM family the nodes use, the limit minus the current use covers the new cluster's head, worker and ZooKeeper nodes.")
            .rollback("Request a quota increase (a support request) before going on.")
            .source(sources::CAPACITY)
            .source(sources::AZ_HDINSIGHT)
            .source(sources::AZ_VM_USAGE)
            .done()
    }

    /// Decommission: after the soak, the old cluster goes for good.
    pub fn decommission(&self, detail: &str, source: Source) -> Phase {
        let mut steps = Vec::new();
        if self.s.esp.is_some() {
            steps.push(self.ranger_kept());
        }
        steps.push(
            step("decommission.delete-old", "Delete the old cluster", detail)
                .cmd(self.delete(Which::Old).irreversible())
                .check(self.absent(Which::Old, CLUSTER_WAIT, "the old cluster is gone"))
                .verify("az hdinsight show for the old cluster fails with ResourceNotFound.")
                .source(sources::DELETE)
                .source(source)
                .done(),
        );
        phase(
            PhaseId::Decommission,
            &format!(
                "After the soak ({} days on the new cluster): delete the old cluster. This cannot be undone, and a retired version cannot be created again. The script asks you to type the old cluster's name first.",
                frame(self).soak_days
            ),
            steps,
        )
    }

    /// `https://<w>.azurehdinsight.net/ranger/service/plugins/policies/<path>`.
    fn ranger_url(&self, w: Which, path: &str) -> Word {
        join(vec![
            lit("https://"),
            var(w.name_var()),
            lit(format!(
                ".azurehdinsight.net/ranger/service/plugins/policies/{path}"
            )),
        ])
    }

    /// `curl -fsS -K <the login file>` and `rest`.
    fn ranger_curl(&self, rest: Vec<Word>) -> Command {
        let mut list = vec![
            lit("curl"),
            lit("-fsS"),
            lit("-K"),
            join(vec![var("SECRET_DIR"), lit(RANGER_LOGIN)]),
        ];
        list.extend(rest);
        Command::local(list)
    }

    /// `jq` prints the number of policies in the export as
    /// `Ranger policies: [N policies]` (brackets, so that one count is never
    /// part of another).
    fn ranger_count(&self, file: Vec<Word>) -> Vec<Word> {
        let mut list = vec![lit("jq"), lit("-r"), lit(RANGER_COUNT)];
        list.extend(file);
        list
    }

    /// Enterprise Security Package: the old cluster's Ranger policies go
    /// with the old cluster. The cutover exports them through Ranger's REST
    /// API and imports them into the new cluster, with the service names
    /// mapped and the override flag set (Microsoft's 5.1 Ranger page), before
    /// the workload moves; a check counts them on the new cluster.
    pub fn ranger_step(&self) -> Step {
        let s = self.s;
        let export = || var(RANGER_EXPORT);
        let map = || join(vec![var(RANGER_EXPORT), lit(".map")]);
        let login = ranger_login();
        let fetch = self.ranger_curl(vec![
            lit("-o"),
            export(),
            self.ranger_url(Which::Old, "exportJson"),
        ]);
        let count = Command::local(self.ranger_count(vec![export()])).capturing(
            RANGER_POLICIES,
            "Ranger policies: ",
            "the number of policies exported",
        );
        // HDInsight names each Ranger service after its cluster
        // (<cluster>_hive, <cluster>_hbase, …): the map gives each old
        // service the new cluster's name.
        let mut mapping = words(&["jq", "-c", "--arg", "old"]);
        mapping.push(var(Which::Old.name_var()));
        mapping.extend([lit("--arg"), lit("new"), var(Which::New.name_var())]);
        mapping.push(lit("[.policies[].service] | unique | map({key: ., value: sub(\"^\" + $old; $new; \"i\")}) | from_entries"));
        mapping.extend([export(), Word::Raw(">"), map()]);
        let import = self.ranger_curl(vec![
            lit("-F"),
            join(vec![lit("file=@"), export()]),
            lit("-F"),
            join(vec![
                lit("servicesMapJson=@"),
                map(),
                lit(";type=application/json"),
            ]),
            self.ranger_url(Which::New, "importPoliciesFromFile?isOverride=true"),
        ]);
        let mut read_back = vec![
            lit("curl"),
            lit("-fsS"),
            lit("-K"),
            join(vec![var("SECRET_DIR"), lit(RANGER_LOGIN)]),
            join(vec![
                self.ranger_url(Which::New, "exportJson?serviceName="),
                Word::Raw("\"$(jq -r '[.[]] | join(\",\")' "),
                var(RANGER_EXPORT),
                lit(".map"),
                Word::Raw(")\""),
            ]),
            Word::Raw("|"),
        ];
        read_back.extend(self.ranger_count(vec![]));
        let defaults = if s.to == Hdi::V51 {
            " On 5.1 the new cluster's Hive service starts with default policies that let every user create databases and use the default database; the override replaces them with the old cluster's policies."
        } else {
            ""
        };
        step(
            "cutover.ranger",
            "Carry the Ranger policies over to the new cluster",
            &format!(
                "On an Enterprise Security Package cluster the policies live in the old cluster's Ranger, which goes when the old cluster is deleted, and without them the new cluster denies or allows the wrong users. Microsoft's way is Ranger's own export and import (reusing the Ranger database is not supported): the commands export every policy of {old} through Ranger's REST API into ranger-policies-{old}.json, map each service to the new cluster's service of the same kind, assuming HDInsight's names <cluster>_<kind> (<cluster>_hive, <cluster>_hbase, …; a service named otherwise makes the import fail, naming it), and import them into {new} with the override flag, which replaces the policies of those services there.{defaults} The login is the domain admin account (from CLUSTER_ADMIN_PASSWORD, which must not contain a double quote or backslash), written for curl into the private directory. curl and jq must be installed where the script runs. Every user and group the policies name must exist on the new cluster (synced from the domain).",
                old = s.cluster,
                new = s.new_cluster,

            ),
        )
        .cmd(login)
        .cmd(fetch)
        .cmd(count)
        .cmd(Command::local(mapping))
        .cmd(import)
        .check(Check::new(
            Command::local(read_back),
            Expect::Mentions(RANGER_POLICIES.into()),
            "the new cluster's Ranger holds as many policies in the mapped services as the export",
        ))
        .verify("The new cluster's Ranger lists the old cluster's policies under its own services; a test user's query is allowed or denied as before.")
        .rollback("If the import fails (a service missing on the new cluster, a user or group it does not know), fix that in the new cluster's Ranger (Service Manager, users synced from the domain) and rerun the step; the export stays in its file, and the old cluster's Ranger is untouched. Do not move the workload before the policies are in.")
        .source(sources::RANGER_51)
        .source(sources::RANGER_IMPORT_EXPORT)
        .source(sources::RANGER_REST)
        .source(sources::HIVE_MIGRATE)
        .done()
    }

    /// Before the downtime: curl and jq are there, and the domain admin's
    /// login reaches the old cluster's Ranger (a read of its service list).
    fn ranger_preflight(&self) -> Step {
        step(
            "preflight.ranger",
            "Check the login to the old cluster's Ranger",
            "The cutover carries the Ranger policies over with curl and jq, logged in as the domain admin account (CLUSTER_ADMIN_ACCOUNT, password from CLUSTER_ADMIN_PASSWORD). A wrong password or a missing tool is found here, before the downtime.",
        )
        .cmd(ranger_login())
        .check(Check::new(
            Command::local(words(&["jq", "--version"])),
            Expect::Success,
            "jq is installed",
        ))
        .check(Check::new(
            Command::local(vec![
                lit("curl"),
                lit("-fsS"),
                lit("-K"),
                join(vec![var("SECRET_DIR"), lit(RANGER_LOGIN)]),
                lit("-o"),
                lit("/dev/null"),
                join(vec![
                    lit("https://"),
                    var(Which::Old.name_var()),
                    lit(".azurehdinsight.net/ranger/service/public/v2/api/service"),
                ]),
            ]),
            Expect::Success,
            "the domain admin can read the old cluster's Ranger",
        ))
        .verify("jq prints its version and curl reads Ranger's service list without an error.")
        .rollback("Install curl and jq where the script runs, or fix cluster-admin-account or CLUSTER_ADMIN_PASSWORD (an HTTP 401 means the login was refused).")
        .source(sources::RANGER_REST)
        .source(sources::RANGER_51)
        .done()
    }

    /// Before the old cluster, and its Ranger, go: the export of its
    /// policies is still there and whole.
    fn ranger_kept(&self) -> Step {
        step(
            "decommission.ranger-export",
            "Check that the Ranger policies were exported",
            &format!(
                "The old cluster's Ranger goes with it. The cutover exported its policies to ranger-policies-{}.json (in the directory the script runs in); it must still hold them all before anything is deleted. Keep the file with the change record.",
                self.s.cluster
            ),
        )
        .check(Check::new(
            Command::local(self.ranger_count(vec![var(RANGER_EXPORT)])),
            Expect::Mentions(RANGER_POLICIES.into()),
            "the export of the old cluster's Ranger policies is still whole",
        ))
        .verify("jq counts as many policies in the file as the cutover exported.")
        .rollback("Run the script from the directory that holds the export, or export the policies again from the old cluster's Ranger (Service Manager → Export) before deleting it.")
        .source(sources::RANGER_51)
        .source(sources::RANGER_IMPORT_EXPORT)
        .done()
    }
}

/// Writes the domain admin's login for curl into the private directory
/// (rewritten on every run that reaches it: the directory lives for one).
fn ranger_login() -> Command {
    curl_login(
        "CLUSTER_ADMIN_ACCOUNT",
        "CLUSTER_ADMIN_PASSWORD",
        RANGER_LOGIN,
    )
}

/// Writes a login for curl (`-K`) from `user_var` and `password_var` into
/// `file` in the private directory, rewritten on every run that reaches it.
pub fn curl_login(user_var: &str, password_var: &str, file: &str) -> Command {
    Command::local(vec![
        Word::Raw("umask 077 &&"),
        lit("printf"),
        lit("user = \"%s:%s\"\\n"),
        var(user_var.to_owned()),
        var(password_var.to_owned()),
        Word::Raw(">"),
        join(vec![var("SECRET_DIR"), lit(file.to_owned())]),
    ])
    .each_run()
}

/// The plan variable naming the file the Ranger export goes to.
pub const RANGER_EXPORT: &str = "RANGER_EXPORT";
/// The captured number of exported Ranger policies, `[N policies]`.
pub const RANGER_POLICIES: &str = "RANGER_POLICIES";
/// The curl configuration with the domain admin's login, in `SECRET_DIR`.
const RANGER_LOGIN: &str = "/ranger.curl";
const RANGER_COUNT: &str = "\"Ranger policies: [\\(.policies | length) policies]\"";

/// A phase with its standard title.
pub fn phase(id: PhaseId, intro: &str, steps: Vec<Step>) -> Phase {
    crate::plan::phase(id, intro.into(), steps)
}

/// Starts a step (see [`crate::plan::step`]) from borrowed text.
pub fn step(id: &str, title: &str, detail: &str) -> StepBuilder {
    crate::plan::step(id.into(), title.into(), detail.into())
}

pub fn phases(c: &Context<'_>) -> Vec<Phase> {
    let mut phases = match c.s.cluster_type {
        ClusterType::HBase => hbase::phases(c),
        ClusterType::Kafka => kafka::phases(c),
        _ => general::phases(c),
    };
    definition::insert_steps(c, &mut phases);
    phases
}

/// How long a phase takes, and what makes it longer.
pub fn estimate(phase: PhaseId, time: &str, longer: &str) -> Estimate {
    Estimate {
        phase,
        time: time.into(),
        longer: longer.into(),
    }
}

/// What makes any cluster create longer.
pub const CREATE_LONGER: &str = "a cluster create takes 20–60 minutes, longer with many worker nodes, ESP (domain join), a virtual network with custom DNS or a busy region";

/// The change frame of an HDInsight plan: who decides, when to stop, how
/// long each phase takes, and how long to watch before the decommission.
pub fn frame(c: &Context<'_>) -> Frame {
    let mut f = match c.s.cluster_type {
        ClusterType::HBase => hbase::frame(c),
        ClusterType::Kafka => kafka::frame(c),
        _ => general::frame(c),
    };
    // The types give prepare, cutover, verify and rollback, in that order.
    f.estimates.insert(
        1,
        estimate(
            PhaseId::Preflight,
            "a few minutes",
            "nothing: it only reads",
        ),
    );
    f.estimates.push(estimate(
        PhaseId::Decommission,
        "10–20 minutes (the delete)",
        "nothing usually; Azure deletes the nodes, the storage stays",
    ));
    f.decommission_confirm = Some(("OLD_CLUSTER".into(), "the old cluster's name".into()));
    f
}
