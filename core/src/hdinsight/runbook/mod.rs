//! The phases and steps of an HDInsight plan, with commands filled in from
//! the scenario.
//!
//! - [`hbase`]: the HBase guides (same storage account, or another one).
//! - [`kafka`]: side by side, producers first.
//! - [`general`]: Hadoop, Spark and Interactive Query: the general workflow
//!   with the Hive metastore steps.
//!
//! Commands that run on a cluster node go over SSH (`OLD_SSH`, `NEW_SSH`,
//! `TEST_SSH`) and never use secrets; commands that need a secret on a node
//! are shown for a person to run (`Host::Elsewhere`).

mod general;
mod hbase;
mod kafka;

use crate::plan::{Command, Host, Phase, Step, StepBuilder, Value, Variable, Word};

use super::scenario::{Metastore, Scenario};
use super::sources;
use super::versions::{self, ClusterType};

#[inline(never)]
pub fn lit(s: &str) -> Word {
    Word::Lit(s.to_string())
}
#[inline(never)]
pub fn var(s: &str) -> Word {
    Word::Var(s.to_string())
}
pub fn join(parts: Vec<Word>) -> Word {
    Word::Join(parts)
}
pub fn words(list: &[&str]) -> Vec<Word> {
    list.iter().map(|w| lit(w)).collect()
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
                "SAS token for the old container, without the leading ?",
            );
            c.secret(
                "DEST_SAS",
                "SAS token for the new container, without the leading ?",
            );
        }
        c
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
        let what = match w {
            Which::Old => "old",
            Which::New => "new",
            Which::Test => "test",
        };
        Command::on(
            Host::Ssh {
                target: w.ssh_var().into(),
                description: format!("a head node of the {what} cluster (over SSH)"),
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
        list.extend([
            lit("--storage-account"),
            var(account_var),
            lit("--storage-container"),
            var(container_var),
        ]);
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
            list.extend([lit("--cluster-configurations"), lit(CONFIG_FILE_ARG)]);
        }
        Command::local(list)
    }

    /// `az hdinsight show … --query properties.clusterState`.
    pub fn show_state(&self, w: Which) -> Command {
        let mut list = words(&["az", "hdinsight", "show", "--name"]);
        list.push(var(w.name_var()));
        list.extend([
            lit("--resource-group"),
            var("RESOURCE_GROUP"),
            lit("--query"),
            lit("properties.clusterState"),
            lit("--output"),
            lit("tsv"),
        ]);
        Command::local(list)
    }

    /// `az hdinsight delete … --yes`.
    pub fn delete(&self, w: Which) -> Command {
        let mut list = words(&["az", "hdinsight", "delete", "--name"]);
        list.push(var(w.name_var()));
        list.extend([lit("--resource-group"), var("RESOURCE_GROUP"), lit("--yes")]);
        Command::local(list)
    }

    /// `wasbs://<container>@<account>.blob.core.windows.net` + `path`.
    pub fn wasbs(&self, account_var: &str, container_var: &str, path: &str) -> Word {
        let mut parts = vec![
            lit("wasbs://"),
            var(container_var),
            lit("@"),
            var(account_var),
            lit(".blob.core.windows.net"),
        ];
        if !path.is_empty() {
            parts.push(lit(path));
        }
        join(parts)
    }

    /// The old cluster's default file system, as the new cluster names it.
    pub fn old_fs(&self, path: &str) -> Word {
        self.wasbs("STORAGE_ACCOUNT", "OLD_CONTAINER", path)
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

    /// The wait-and-check step after creating cluster `w`.
    pub fn wait_step(&self, id: &str, w: Which, what: &str) -> Step {
        step(id, &format!("Check that the {what} is running"), "Creating a cluster takes a while; `az hdinsight create` returns when it is done.")
            .cmd(self.show_state(w))
            .verify("The command prints Running.")
            .rollback("If it prints anything else, open the cluster in the Azure portal, read the deployment error, delete the cluster and create it again.")
            .source(sources::CREATE_CLI)
            .done()
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

/// The `--cluster-configurations` argument: a file written by the runbook.
pub const CONFIG_FILE: &str = "hdi-metastore.json";
pub const CONFIG_FILE_ARG: &str = "@hdi-metastore.json";

/// Starts a step (see [`crate::plan::step`]) from borrowed text.
pub fn step(id: &str, title: &str, detail: &str) -> StepBuilder {
    crate::plan::step(id.into(), title.into(), detail.into())
}

pub fn phases(c: &Context<'_>) -> Vec<Phase> {
    match c.s.cluster_type {
        ClusterType::HBase => hbase::phases(c),
        ClusterType::Kafka => kafka::phases(c),
        _ => general::phases(c),
    }
}

/// The change frame of an HDInsight plan.
pub fn frame(c: &Context<'_>) -> crate::plan::Frame {
    let _ = c;
    crate::plan::Frame::default()
}
