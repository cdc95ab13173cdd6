//! The HDInsight scenario form, drawn by the web app.

use crate::form::{choice, number, text, Form, Group, Section};

use super::versions::{self, CLUSTER_TYPES, INFO};

fn versions_options() -> Vec<(String, String)> {
    INFO.iter()
        .rev()
        .map(|i| {
            let status = match i.retired_on {
                Some(d) => format!("retired {d}"),
                None => format!("released {}", i.released),
            };
            (
                i.version.name().to_string(),
                format!("{} ({status})", i.version.name()),
            )
        })
        .collect()
}

fn yes_no() -> Vec<(String, String)> {
    vec![("no".into(), "No".into()), ("yes".into(), "Yes".into())]
}

pub fn form() -> Form {
    let types = CLUSTER_TYPES
        .iter()
        .map(|(k, t)| (k.to_string(), t.label().to_string()))
        .collect();
    let _ = versions::ALL;
    Form {
        platform: "hdinsight",
        sections: vec![
            Section {
                title: "Versions",
                fields: vec![
                    choice("from", "From", "The HDInsight version the cluster runs now (az hdinsight show lists it).", versions_options()),
                    choice("to", "To", "The version of the new cluster. Only versions that are not retired can be created.", versions_options()),
                    choice("cluster-type", "Cluster type", "The cluster's type, as az hdinsight create --type names it.", types),
                    text("date", "Plan as of", "YYYY-MM-DD. Empty means today; support and retirement rules depend on it.", crate::form::TODAY),
                ],
            },
            Section {
                title: "Clusters",
                fields: vec![
                    text("cluster", "Old cluster", "The name of the cluster to migrate.", "sales-hb-40"),
                    text("new-cluster", "New cluster", "The name of the new cluster. Empty derives it from the old name.", "sales-hb-51"),
                    text("resource-group", "Resource group", "Where both clusters live.", "data-rg"),
                    text("location", "Region", "Empty uses the resource group's region.", "westeurope"),
                    text("vnet", "Virtual network", "The old cluster's virtual network; the new cluster joins the same subnet.", "data-vnet"),
                    text("subnet", "Subnet", "The old cluster's subnet.", "hdi"),
                    number("workers", "Worker nodes", "Worker nodes of the new cluster (default 4).", 1, 500, "4"),
                    number("disks-per-node", "Disks per worker (Kafka)", "Managed data disks per Kafka worker (default 4).", 1, 16, "4"),
                    text("headnode-size", "Head node size", "Empty: the old cluster's, read by the script before the create.", "Standard_E8_v3"),
                    text("workernode-size", "Worker node size", "Empty: the old cluster's.", "Standard_E16_v3"),
                    text("zookeepernode-size", "ZooKeeper node size", "Empty: the old cluster's.", "Standard_A4_v2"),
                    choice("encryption-in-transit", "Encryption in transit", "Does the old cluster encrypt traffic between its nodes? The script checks.", yes_no()).when_unset("Not set: no"),
                    choice("encryption-at-host", "Encryption at host", "Does the old cluster use encryption at host? The script checks.", yes_no()).when_unset("Not set: no"),
                    text("http-user", "Cluster login", "The Ambari user (default admin).", "admin"),
                    text("ssh-user", "SSH user", "The SSH user (default sshuser).", "sshuser"),
                ],
            },
            Section {
                title: "Storage",
                fields: vec![
                    text("storage-account", "Storage account", "The account of the old cluster's default container.", "salesdata"),
                    text("storage-container", "Old container", "The old cluster's default container. Empty means the old cluster's name.", "sales-hb-40"),
                    text("new-container", "New container", "The new cluster's own default container while both exist.", "sales-hb-51"),
                    text("new-storage-account", "New storage account (HBase, Kafka)", "Only if the new cluster uses another account: HBase data is then copied with AzCopy.", ""),
                    choice("storage-kind", "Storage kind", "Blob Storage (wasbs://) or Data Lake Storage Gen2 (abfs://), for both clusters.", vec![("blob".into(), "Blob Storage".into()), ("adls-gen2".into(), "Data Lake Storage Gen2".into())]).when_unset("Not set: Blob Storage"),
                    text("storage-identity", "Storage identity (Gen2)", "Data Lake Storage Gen2 only: resource ID of the managed identity that reaches the account.", "/subscriptions/…/userAssignedIdentities/hdi-storage"),
                    choice("accelerated-writes", "Accelerated Writes (HBase, old)", "Does the old HBase cluster use Accelerated Writes?", yes_no()).when_unset("Not set: no"),
                    choice("new-accelerated-writes", "Accelerated Writes (HBase, new)", "Will the new HBase cluster? Empty: same as the old.", yes_no()).when_unset("Not set: same as the old"),
                ],
            },
            Section {
                title: "Metastore",
                fields: vec![
                    choice("metastore", "Hive metastore", "Default: the cluster's own database, deleted with it. External: an Azure SQL Database.", vec![("default".into(), "Default (built in)".into()), ("external".into(), "External (Azure SQL)".into())]).when_unset("Not set: default (built in)"),
                    choice("hive-tables", "Hive tables", "Only with the default metastore: None lets a cluster without Hive tables go ahead; the pre-flight counts them.", vec![("yes".into(), "Some, or not sure".into()), ("no".into(), "None".into())]).when_unset("Not set: some"),
                    text("metastore-server", "SQL server", "The Azure SQL server, without .database.windows.net.", "sales-sql"),
                    text("metastore-db", "Metastore database", "The old cluster's metastore database.", "sales-hive-40"),
                    text("new-metastore-db", "Copy for the new cluster", "Empty: the old name with the new version appended.", "sales-hive-51"),
                    text("metastore-user", "SQL login", "The password is never part of the link: the script asks for it.", "hiveadmin"),
                ],
            },
            Section {
                title: "Enterprise Security Package",
                fields: vec![
                    choice("esp", "ESP", "Is the cluster domain-joined (Enterprise Security Package)?", yes_no()).when_unset("Not set: no"),
                    text("domain", "Domain", "Resource ID of the Entra Domain Services domain.", "/subscriptions/…/providers/Microsoft.AAD/domainServices/contoso.com"),
                    text("cluster-admin-account", "Cluster admin", "Domain account that administers the cluster.", "hdiadmin@contoso.com"),
                    text("cluster-users-group", "Users group", "Domain group whose members may use the cluster.", "hdiusers"),
                    text("assign-identity", "Managed identity", "Resource ID of the user-assigned identity for the domain.", "/subscriptions/…/userAssignedIdentities/hdi-msi"),
                ],
            },
        ],
        group: Some(Group {
            prefix: "group",
            title: "Consumer groups (Kafka)",
            item: "consumer group",
            fields: vec![
                text("name", "Group id", "A consumer group that moves to the new cluster.", "billing"),
                text("topics", "Topics", "The topics it reads, comma-separated: the offset reset names them.", "orders,payments"),
            ],
            template: Vec::new(),
        }),
        example: super::example_link(),
    }
}
