//! The old cluster's definition, carried over to the new one (review H-M2).
//!
//! An `az hdinsight create` that names only the type, version and worker
//! count gets Azure's default VM sizes and none of the old cluster's
//! create-time settings, which cannot be added later. So:
//! - before the first create, the script reads the node sizes the link does
//!   not set from `az hdinsight show`, and checks that the old cluster's
//!   version, worker and disk counts, ESP, encryption and network settings
//!   are the ones the create will use: a setting the plan would drop stops
//!   the run before anything is created (a Kafka disk's type and size are
//!   read-only in the API: Azure chooses them);
//! - the create passes the sizes, TLS 1.2 and the encryption flags;
//! - after the new cluster's create, a person carries over what the create
//!   cannot: tags, autoscale, persisted script actions and tuned service
//!   settings, which the step lists from the old cluster.

use crate::plan::{Check, Command, Expect, Phase, Step, Value, Variable, Word};

use super::super::sources;
use super::super::versions::ClusterType;
use super::{lit, step, var, words, Context, Which};

/// One node role whose VM size the create sets.
pub struct Role {
    /// The role's name in `az hdinsight show` (`computeProfile.roles[].name`).
    pub name: &'static str,
    pub var: &'static str,
    pub flag: &'static str,
    /// What precedes the size in the read's output (`headnode=Standard_…`).
    after: &'static str,
    label: &'static str,
}

/// The roles every cluster type has, in the order of [`super::super::scenario::Build::sizes`].
pub const ROLES: [Role; 3] = [
    Role {
        name: "headnode",
        var: "HEADNODE_SIZE",
        flag: "--headnode-size",
        after: "headnode=",
        label: "head nodes",
    },
    Role {
        name: "workernode",
        var: "WORKERNODE_SIZE",
        flag: "--workernode-size",
        after: "workernode=",
        label: "worker nodes",
    },
    Role {
        name: "zookeepernode",
        var: "ZOOKEEPERNODE_SIZE",
        flag: "--zookeepernode-size",
        after: "zookeepernode=",
        label: "ZooKeeper nodes",
    },
];

/// The only minimum TLS version HDInsight accepts at create time.
const TLS: &str = "1.2";

/// The variables for the sizes and disks: the link's value, or read by the
/// script from the old cluster.
pub fn variables(c: &Context<'_>) -> Vec<Variable> {
    let mut vars = Vec::new();
    for (role, size) in ROLES.iter().zip(&c.s.build.sizes) {
        vars.push(Variable {
            name: role.var.into(),
            description: format!("VM size of the new cluster's {}", role.label),
            value: if size.is_empty() {
                Value::Captured
            } else {
                Value::Text(size.clone())
            },
        });
    }
    vars
}

/// The create's flags for sizes, disks, TLS and encryption.
pub fn create_flags(c: &Context<'_>) -> Vec<Word> {
    let mut list = Vec::new();
    for role in &ROLES {
        list.extend([lit(role.flag), var(role.var)]);
    }
    list.extend([lit("--minimal-tls-version"), lit(TLS)]);
    if c.s.build.encryption_in_transit {
        list.extend(words(&["--encryption-in-transit", "true"]));
    }
    if c.s.build.encryption_at_host {
        list.extend(words(&["--encryption-at-host", "true"]));
    }
    list
}

/// The old cluster's definition at `query` (`az hdinsight show`) is `expect`.
fn setting(c: &Context<'_>, query: &str, expect: Expect, holds: &str) -> Check {
    Check::new(c.show(Which::Old, query), expect, holds)
}

/// `want`: the old cluster must report `True` at `query`; otherwise it must not.
fn flag_check(c: &Context<'_>, query: &str, want: bool, yes: &str, no: &str) -> Check {
    if want {
        setting(c, query, Expect::Contains("True".into()), yes)
    } else {
        setting(c, query, Expect::Lacks("True".into()), no)
    }
}

/// Reads the old cluster's definition before the first create.
fn definition_step(c: &Context<'_>, id: &str) -> Step {
    let s = c.s;
    let mut st = step(
        id,
        "Read the old cluster's definition",
        "The new cluster must match the old one, and most of a cluster's shape is fixed at create time. This step only reads: it takes the VM sizes the link does not set from the old cluster, and checks that its version, worker count (and Kafka's disks per worker), Enterprise Security Package, encryption and network settings are the ones the create sets. A setting the plan would drop stops the run here, before anything is created.",
    );
    for (role, size) in ROLES.iter().zip(&s.build.sizes) {
        if size.is_empty() {
            let query = format!(
                "properties.computeProfile.roles[?name=='{}'].join('=', [name, hardwareProfile.vmSize]) | [0]",
                role.name
            );
            st = st.cmd(c.show(Which::Old, &query).capturing(
                role.var,
                role.after,
                format!("the VM size of the old cluster's {}", role.label),
            ));
        }
    }
    let version = s.from.name();
    st = st
        .check(setting(
            c,
            "properties.clusterVersion",
            Expect::Matches(format!("^{}\\.", version.replace('.', "\\."))),
            &format!("the old cluster runs HDInsight {version}, as the link says"),
        ))
        .check(setting(
            c,
            "properties.computeProfile.roles[?name=='workernode'].targetInstanceCount | [0]",
            Expect::Output(s.workers.to_string()),
            &format!(
                "the old cluster has {} worker nodes, as many as the new one gets{}",
                s.workers,
                if s.build.workers_given {
                    ""
                } else {
                    " (workers is not in the link, so the default)"
                }
            ),
        ));
    if s.cluster_type == ClusterType::Kafka {
        st = st.check(setting(
            c,
            "properties.computeProfile.roles[?name=='workernode'].dataDisksGroups[0].disksPerNode | [0]",
            Expect::Output(s.disks_per_node.to_string()),
            &format!("the old Kafka workers have {} managed disks each, as the new ones get", s.disks_per_node),
        ));
    }
    st = st
        .check(if s.esp.is_some() {
            setting(
                c,
                "properties.securityProfile.directoryType",
                Expect::Contains("ActiveDirectory".into()),
                "the old cluster is domain-joined (ESP), as the link says",
            )
        } else {
            setting(
                c,
                "properties.securityProfile.directoryType",
                Expect::Output(String::new()),
                "the old cluster is not domain-joined (no ESP), as the link says",
            )
        })
        .check(flag_check(
            c,
            "properties.encryptionInTransitProperties.isEncryptionInTransitEnabled",
            s.build.encryption_in_transit,
            "the old cluster encrypts traffic between its nodes, as the new one will",
            "the old cluster does not encrypt traffic between its nodes either",
        ))
        .check(flag_check(
            c,
            "properties.diskEncryptionProperties.encryptionAtHost",
            s.build.encryption_at_host,
            "the old cluster uses encryption at host, as the new one will",
            "the old cluster does not use encryption at host either",
        ))
        .check(setting(
            c,
            "properties.diskEncryptionProperties.vaultUri",
            Expect::Output(String::new()),
            "the old cluster's disks use no customer-managed key, which this plan cannot set",
        ))
        .check(setting(
            c,
            "properties.networkProperties.privateLink",
            Expect::Lacks("Enabled".into()),
            "the old cluster has no Private Link, which this plan cannot set",
        ))
        .check(setting(
            c,
            "properties.networkProperties.resourceProviderConnection",
            Expect::Lacks("Outbound".into()),
            "the old cluster's resource provider connection is not outbound-only, which this plan cannot set",
        ))
        .check(setting(
            c,
            "properties.computeIsolationProperties.enableComputeIsolation",
            Expect::Lacks("True".into()),
            "the old cluster uses no compute isolation, which this plan cannot set",
        ));
    st.verify("The sizes are read, and every setting check holds.")
        .rollback("A check names what differs. A wrong version, worker count, disk count or ESP: fix from, workers, disks-per-node or esp in the link (a new cluster meant to have another worker count: set workers to the old count here and resize it with az hdinsight resize once it runs). Encryption in transit or at host: add encryption-in-transit=yes or encryption-at-host=yes. A customer-managed key, Private Link, an outbound-only connection or compute isolation can only be set when a cluster is created, and this plan's create does not set them: create the new cluster yourself with them (portal or ARM template) rather than run this plan's create.")
        .source(sources::CLUSTER_PROPERTIES)
        .source(sources::AZ_HDINSIGHT)
        .source(sources::TLS)
        .done()
}

/// After the new cluster's create: what a person carries over by hand.
fn carry_over_step(c: &Context<'_>, id: &str) -> Step {
    let mut scripts = words(&["az", "hdinsight", "script-action", "list", "--cluster-name"]);
    scripts.push(var(Which::Old.name_var()));
    scripts.extend([
        lit("--resource-group"),
        var("RESOURCE_GROUP"),
        lit("--output"),
        lit("table"),
    ]);
    step(
        id,
        "Carry over what the create does not",
        "The create set the node sizes, disks, TLS and encryption. Tags, autoscale, persisted script actions and tuned service settings are not create flags here: the commands list them from the old cluster. Set the tags and autoscale on the new cluster (az hdinsight update, az hdinsight autoscale create), run the script actions that still apply to the new version, and compare each service's configuration in the two clusters' Ambari (Service → Configs): apply the tuned values that still exist in the new version, and nothing more.",
    )
    .cmd(c.show_as(Which::Old, "tags", "json"))
    .cmd(c.show_as(
        Which::Old,
        "properties.computeProfile.roles[?name=='workernode'].autoscaleConfiguration | [0]",
        "json",
    ))
    .cmd(Command::local(scripts))
    .confirm("The new cluster has the old one's tags, autoscale, script actions and tuned settings that still apply?")
    .verify("Each item listed for the old cluster is set on the new one, or left out on purpose.")
    .rollback("Nothing to undo: the new cluster takes no work yet. Fix the setting on the new cluster and answer again.")
    .source(sources::CLUSTER_PROPERTIES)
    .source(sources::AZ_HDINSIGHT)
    .source(sources::UPGRADE)
    .done()
}

/// Adds the definition step before the first step that creates a cluster,
/// and the carry-over step after the step that creates the new cluster.
/// A create step's id ends in `.create` or `.test-cluster`.
pub fn insert_steps(c: &Context<'_>, phases: &mut [Phase]) {
    let creates = |st: &Step| st.id.ends_with(".create") || st.id.ends_with(".test-cluster");
    if let Some((p, i)) = find(phases, &creates) {
        let id = format!("{}.definition", phases[p].id.as_str());
        phases[p].steps.insert(i, definition_step(c, &id));
    }
    if let Some((p, i)) = find(phases, &|st: &Step| st.id.ends_with(".create")) {
        let id = format!("{}.carry-over", phases[p].id.as_str());
        phases[p].steps.insert(i + 1, carry_over_step(c, &id));
    }
}

fn find(phases: &[Phase], pred: &dyn Fn(&Step) -> bool) -> Option<(usize, usize)> {
    phases
        .iter()
        .enumerate()
        .find_map(|(p, phase)| phase.steps.iter().position(pred).map(|i| (p, i)))
}
