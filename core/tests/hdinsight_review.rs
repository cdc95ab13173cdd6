//! Regressions from the review of the HDInsight runbooks: Kafka CLI flags by
//! version, consumer offsets after the move, MirrorMaker 1 config, and the
//! default metastore that deleting the old cluster would lose.

mod hdinsight_common;

use hdinsight_common::link;
use waymark_core::plan::Verdict;
use waymark_core::render::Format;

fn markdown(link: &str) -> String {
    let plan = waymark_core::plan_link(link).unwrap_or_else(|p| panic!("{link}: {p:?}"));
    Format::Markdown.render(&plan)
}

#[test]
fn kafka_topic_commands_use_the_flags_of_the_tools_that_run_them() {
    // The new cluster's tools describe both clusters. 5.1's Kafka 3.2 has no
    // kafka-topics.sh --zookeeper (removed in 3.0): it reads the old 2.1.1
    // cluster through its brokers.
    let text = markdown(&link("kafka", "4.0", "5.1"));
    assert!(text.contains("kafka-topics.sh --describe --bootstrap-server \"$OLD_KAFKA\""));
    assert!(!text.contains("kafka-topics.sh --describe --zookeeper"));
    // The new 5.1 cluster (Kafka 3.2) uses --bootstrap-server.
    assert!(text.contains("--topic \"$TOPIC\" --bootstrap-server"));

    // A new 4.0 cluster (Kafka 2.1.1) creates topics through ZooKeeper and
    // its console producer takes --broker-list.
    let text = markdown(&(link("kafka", "3.6", "4.0") + "&date=2021-01-15"));
    assert!(!text.contains("Verdict: blocked"), "{text}");
    assert!(text.contains("\"${args[@]}\" --zookeeper \"$KAFKAZKHOSTS\""));
    // Its 2.1.1 tools (--bootstrap-server came in 2.2) read the old 1.1
    // cluster through ZooKeeper.
    assert!(text.contains("kafka-topics.sh --describe --zookeeper \"$OLD_KAFKA\""));
    assert!(text.contains("kafka-console-producer.sh --topic \"$TOPIC\" --broker-list"));
}

#[test]
fn kafka_consumers_start_from_the_earliest_offset() {
    for from in ["3.6", "4.0", "5.0"] {
        let text = markdown(&link("kafka", from, "5.1"));
        // A group new to the cluster has no offsets, so --all-topics would
        // reset nothing: the reset names the group's topics (review H-C2).
        assert!(
            text.contains(
                "--reset-offsets --to-earliest --execute --group \"$GROUP\" --topic \"$TOPIC\""
            ),
            "{from}: {text}"
        );
        assert!(!text.contains("--all-topics --execute"), "{from}");
        assert!(text.contains("auto.offset.reset=earliest"), "{from}");
        assert!(text.contains("--to-datetime"), "{from}");
        assert!(
            !text.contains("only hold messages produced since"),
            "{from}"
        );
    }
}

#[test]
fn kafka_groups_in_the_link_get_one_reset_per_group_naming_each_topic() {
    let groups =
        "&group1.name=billing&group1.topics=orders,payments&group2.name=audit&group2.topics=orders";
    let plan = waymark_core::plan_link(&(link("kafka", "4.0", "5.1") + groups)).unwrap();
    let text = Format::Markdown.render(&plan);
    assert!(text.contains("--reset-offsets --to-earliest --execute --group billing --topic orders --topic payments --bootstrap-server"), "{text}");
    assert!(text.contains("--reset-offsets --to-earliest --execute --group audit --topic orders --bootstrap-server"), "{text}");
    assert!(text.contains("--describe --group billing"), "{text}");
    for id in ["cutover.drain", "cutover.consumers", "verify.consumers"] {
        let st = step(&plan, id).unwrap_or_else(|| panic!("no {id}"));
        for c in &st.commands {
            let shown = plan.show(c);
            assert!(
                !shown.contains("$GROUP") && !shown.contains("$TOPIC"),
                "{id}: {shown}"
            );
        }
    }
    assert!(!text.contains("--all-topics --execute"));
    // The script shows the same commands for the person who runs them.
    let script = Format::Script.render(&plan);
    assert!(
        script.contains("--group billing --topic orders --topic payments"),
        "{script}"
    );
    // The link keeps the groups; their errors name the key.
    assert!(
        plan.link.contains("group1.topics=orders%2Cpayments")
            || plan.link.contains("group1.topics=orders,payments"),
        "{}",
        plan.link
    );
    assert_eq!(waymark_core::plan_link(&plan.link).unwrap().link, plan.link);
    for (bad, key) in [
        ("&group1.name=billing", "group1.topics"),
        (
            "&group1.name=bil%20ling&group1.topics=orders",
            "group1.name",
        ),
        (
            "&group1.name=billing&group1.topics=orders,pay%24",
            "group1.topics",
        ),
        ("&group1.topics=orders", "group1.name"),
    ] {
        let err = waymark_core::plan_link(&(link("kafka", "4.0", "5.1") + bad)).unwrap_err();
        assert!(format!("{err:?}").contains(key), "{bad}: {err:?}");
    }
    // Another cluster type keeps them out of the plan, with a note.
    let spark = waymark_core::plan_link(&(link("spark", "4.0", "5.1") + groups)).unwrap();
    assert!(!Format::Markdown.render(&spark).contains("--group billing"));
}

#[test]
fn mirrormaker_1_consumer_uses_bootstrap_servers() {
    for from in ["3.6", "4.0"] {
        let text = markdown(&link("kafka", from, "5.1"));
        assert!(text.contains("MirrorMaker 1"), "{from}");
        // The MirrorMaker 1 consumer config (the ACL step's authorizer
        // properties may name ZooKeeper).
        let plan = waymark_core::plan_link(&link("kafka", from, "5.1")).unwrap();
        let mirror = step(&plan, "cutover.mirror").unwrap();
        assert!(!mirror.detail.contains("zookeeper.connect"), "{from}");
        assert!(
            mirror
                .detail
                .contains("bootstrap.servers=<old brokers>, group.id=mirrorgroup"),
            "{from}"
        );
    }
}

#[test]
fn default_metastore_blocks_hive_workloads() {
    for t in ["hadoop", "spark", "interactivehive"] {
        let l = format!("platform=hdinsight&from=4.0&to=5.1&cluster-type={t}&cluster=etl-40&resource-group=data-rg&storage-account=etldata&metastore=default");
        let plan = waymark_core::plan_link(&l).unwrap();
        assert_eq!(plan.verdict, Verdict::Blocked, "{t}");
        let f = plan
            .findings
            .iter()
            .find(|f| f.code == "hdinsight.default-metastore")
            .unwrap_or_else(|| panic!("{t}: no default-metastore finding"));
        assert!(f.action.contains("metastore=external"), "{t}");
        assert!(f.action.contains("hive_metastore_tool.py"), "{t}");
        assert!(f.action.contains("hive-ddls.sh"), "{t}");
        assert!(!f.sources.is_empty(), "{t}");
    }
    // HBase and Kafka keep no Hive data: not blocked by the default metastore.
    for t in ["hbase", "kafka"] {
        let plan = waymark_core::plan_link(&link(t, "4.0", "5.1")).unwrap();
        assert_ne!(plan.verdict, Verdict::Blocked, "{t}");
    }
}

fn step<'a>(plan: &'a waymark_core::plan::Plan, id: &str) -> Option<&'a waymark_core::plan::Step> {
    plan.steps().map(|(_, s)| s).find(|s| s.id == id)
}

fn position(plan: &waymark_core::plan::Plan, id: &str) -> usize {
    plan.steps()
        .position(|(_, s)| s.id == id)
        .unwrap_or_else(|| panic!("no step {id}"))
}

#[test]
fn hbase_on_the_same_account_backs_up_before_the_handover_and_rolls_back_to_the_copy() {
    use waymark_core::plan::{Expect, Host, PhaseId, Value};
    let same = [
        ("4.0 AW", link("hbase", "4.0", "5.1"), vec!["/hbase"]),
        (
            "4.0 no AW",
            link("hbase", "4.0", "5.1").replace("accelerated-writes=yes", "accelerated-writes=no"),
            vec!["/hbase", "/hbase-wals"],
        ),
        (
            "3.6 no AW",
            link("hbase", "3.6", "5.1").replace("accelerated-writes=yes", "accelerated-writes=no"),
            vec!["/hbase"],
        ),
        (
            "3.6 to 4.0",
            link("hbase", "3.6", "4.0") + "&date=2021-01-15",
            vec!["/hbase"],
        ),
    ];
    for (name, l, dirs) in same {
        let plan = waymark_core::plan_link(&l).unwrap();
        assert!(
            plan.variables
                .iter()
                .any(|v| v.name == "HBASE_BACKUP" && v.value == Value::Captured),
            "{name}"
        );
        // The copy is taken once HBase has stopped, before the new cluster
        // is pointed at the old container.
        assert!(
            position(&plan, "cutover.stop-old-hbase") < position(&plan, "cutover.backup"),
            "{name}"
        );
        assert!(
            position(&plan, "cutover.backup") < position(&plan, "cutover.default-fs"),
            "{name}"
        );
        let backup = step(&plan, "cutover.backup").unwrap();
        assert!(!backup.manual, "{name}");
        let shown: Vec<String> = backup.commands.iter().map(|c| plan.show(c)).collect();
        for d in &dirs {
            assert!(
                shown
                    .iter()
                    .any(|c| c.contains(&format!(" {d} /hbase-pre-upgrade-backup"))),
                "{name}: {d} is not backed up: {shown:?}"
            );
        }
        if dirs.len() == 1 {
            assert!(
                !shown.iter().any(|c| c.contains("/hbase-wals")),
                "{name}: {shown:?}"
            );
        }
        let last = backup.commands.last().unwrap();
        assert_eq!(
            last.capture.as_ref().map(|c| c.var.as_str()),
            Some("HBASE_BACKUP"),
            "{name}"
        );
        assert!(
            backup
                .checks
                .iter()
                .any(|k| k.expect == Expect::Mentions("HBASE_BACKUP".into())),
            "{name}"
        );
        assert!(
            backup
                .commands
                .iter()
                .all(|c| !c.irreversible && !c.may_fail),
            "{name}"
        );

        // The rollback: honest about what it loses, restores the copy
        // before the old HBase starts, and only when the copy was complete.
        let rb = plan
            .phases
            .iter()
            .find(|p| p.id == PhaseId::Rollback)
            .unwrap();
        assert!(
            rb.intro.contains("lost to the old cluster"),
            "{name}: {}",
            rb.intro
        );
        assert!(rb.intro.contains("no downgrade with data"), "{name}");
        let ids: Vec<&str> = rb.steps.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "rollback.stop-new",
                "rollback.backup-check",
                "rollback.restore",
                "rollback.start-old",
                "rollback.applications"
            ],
            "{name}"
        );
        let restore = &rb.steps[2];
        for c in &restore.commands {
            assert_eq!(c.only_if_set.as_deref(), Some("HBASE_BACKUP"), "{name}");
            assert!(
                matches!(&c.host, Host::Ssh { target, .. } if target == "OLD_SSH"),
                "{name}"
            );
            assert!(!c.irreversible, "{name}");
        }
        let shown: Vec<String> = restore.commands.iter().map(|c| plan.show(c)).collect();
        for d in &dirs {
            assert!(
                shown
                    .iter()
                    .any(|c| c.contains(&format!("-mv {d} /hbase-upgrade-rollback"))),
                "{name}: {shown:?}"
            );
            assert!(
                shown
                    .iter()
                    .any(|c| c.contains(&format!("/hbase-pre-upgrade-backup{d} "))),
                "{name}: {shown:?}"
            );
        }
        assert!(
            !shown.iter().any(|c| c.contains("-rm")),
            "{name}: the rollback deletes"
        );
        assert!(rb.steps[1]
            .checks
            .iter()
            .all(|k| k.command.only_if_set.as_deref() == Some("HBASE_BACKUP")));
        assert!(
            !rb.steps[1].checks.is_empty() && !restore.checks.is_empty(),
            "{name}"
        );
        assert!(
            !rb.steps[3].checks.is_empty(),
            "{name}: the old HBase's start is not checked"
        );
    }

    // A new storage account: the cutover only reads the old folder, so the
    // rollback starts the old HBase on it and restores nothing.
    let plan = waymark_core::plan_link(
        &(link("hbase", "4.0", "5.1") + "&new-storage-account=salesdata51"),
    )
    .unwrap();
    assert!(step(&plan, "cutover.backup").is_none());
    assert!(step(&plan, "rollback.restore").is_none());
    let rb = plan
        .phases
        .iter()
        .find(|p| p.id == PhaseId::Rollback)
        .unwrap();
    assert!(
        rb.intro
            .contains("only read the old cluster's hbase folder"),
        "{}",
        rb.intro
    );
    assert!(rb.intro.contains("lost to the old cluster"), "{}", rb.intro);
    assert!(!plan.variables.iter().any(|v| v.name == "HBASE_BACKUP"));
}

/// Enterprise Security Package: the old cluster's Ranger policies are
/// exported and imported into the new cluster before the workload moves,
/// and the decommission checks the export before deleting (review H-C5).
#[test]
fn esp_plans_carry_the_ranger_policies_over_before_anything_is_deleted() {
    use waymark_core::plan::{Expect, PhaseId, Severity};
    let moves = [
        ("hadoop", "cutover.start-jobs"),
        ("spark", "cutover.start-jobs"),
        ("interactivehive", "cutover.start-jobs"),
        ("hbase", "cutover.switch-applications"),
        ("kafka", "cutover.producers"),
    ];
    for (t, workload) in moves {
        for extra in ["", "&new-storage-account=other51"] {
            if !extra.is_empty() && !matches!(t, "hbase" | "kafka") {
                continue;
            }
            let l = link(t, "4.0", "5.1") + hdinsight_common::ESP + extra;
            let plan = waymark_core::plan_link(&l).unwrap_or_else(|p| panic!("{t}: {p:?}"));
            let f = plan
                .findings
                .iter()
                .find(|f| f.code == "hdinsight.ranger-policies")
                .unwrap_or_else(|| panic!("{t}: no Ranger finding"));
            assert_eq!(f.severity, Severity::Warning, "{t}");
            let ranger = step(&plan, "cutover.ranger")
                .unwrap_or_else(|| panic!("{t}{extra}: no Ranger step"));
            assert!(
                position(&plan, "cutover.ranger") < position(&plan, workload),
                "{t}"
            );
            assert!(!ranger.manual, "{t}");
            let shown: Vec<String> = ranger.commands.iter().map(|c| plan.show(c)).collect();
            let old = plan
                .variables
                .iter()
                .find(|v| v.name == "OLD_CLUSTER")
                .unwrap();
            let old = match &old.value {
                waymark_core::plan::Value::Text(t) => t.clone(),
                _ => unreachable!(),
            };
            assert!(
                shown.iter().any(|c| c.contains(&format!(
                    "https://{old}.azurehdinsight.net/ranger/service/plugins/policies/exportJson"
                ))),
                "{t}: {shown:?}"
            );
            assert!(
                shown.iter().any(|c| c.contains(
                    "/ranger/service/plugins/policies/importPoliciesFromFile?isOverride=true"
                ) && c.contains("servicesMapJson=@")),
                "{t}: {shown:?}"
            );
            // The password goes to curl as a file in the private directory,
            // never on a command line.
            assert!(shown.iter().all(|c| !c.contains("-u ")), "{t}");
            assert!(
                ranger.commands.iter().any(|c| c
                    .capture
                    .as_ref()
                    .is_some_and(|k| k.var == "RANGER_POLICIES")),
                "{t}"
            );
            assert!(
                ranger
                    .checks
                    .iter()
                    .any(|k| k.expect == Expect::Mentions("RANGER_POLICIES".into())
                        && plan.show(&k.command).contains("exportJson?serviceName=")),
                "{t}"
            );
            // Before anything is deleted, the decommission checks the export.
            let dec = plan
                .phases
                .iter()
                .find(|p| p.id == PhaseId::Decommission)
                .unwrap();
            assert_eq!(dec.steps[0].id, "decommission.ranger-export", "{t}");
            assert!(
                dec.steps[0]
                    .checks
                    .iter()
                    .any(|k| k.expect == Expect::Mentions("RANGER_POLICIES".into())),
                "{t}"
            );
            assert!(dec.steps[0].commands.is_empty(), "{t}");
        }
        // Without ESP there is no Ranger to carry over.
        let plan = waymark_core::plan_link(&link(t, "4.0", "5.1")).unwrap();
        assert!(step(&plan, "cutover.ranger").is_none(), "{t}");
        assert!(
            !plan
                .findings
                .iter()
                .any(|f| f.code == "hdinsight.ranger-policies"),
            "{t}"
        );
    }
}

/// Without `vnet`, the new cluster is outside every virtual network: a
/// warning, and a pre-flight check that the old cluster is in none either
/// (review H-M13).
#[test]
fn no_vnet_is_a_warning_and_the_preflight_checks_the_old_cluster() {
    use waymark_core::plan::{Expect, PhaseId, Severity};
    for t in hdinsight_common::TYPES {
        let l = link(t, "4.0", "5.1").replace("&vnet=data-vnet&subnet=hdi", "");
        let plan = waymark_core::plan_link(&l).unwrap_or_else(|p| panic!("{t}: {p:?}"));
        let f = plan
            .findings
            .iter()
            .find(|f| f.code == "hdinsight.no-vnet")
            .unwrap_or_else(|| panic!("{t}: no finding"));
        assert_eq!(f.severity, Severity::Warning, "{t}");
        assert!(
            f.action.contains("vnet=") && f.action.contains("subnet="),
            "{t}"
        );
        assert!(!f.sources.is_empty());
        let pre = plan
            .phases
            .iter()
            .find(|p| p.id == PhaseId::Preflight)
            .unwrap();
        let net = pre
            .steps
            .iter()
            .find(|s| s.id == "preflight.network")
            .unwrap_or_else(|| panic!("{t}: no network check"));
        assert_eq!(net.checks.len(), 1);
        assert_eq!(net.checks[0].expect, Expect::Output(String::new()));
        assert!(plan
            .show(&net.checks[0].command)
            .contains("virtualNetworkProfile"));

        let plan = waymark_core::plan_link(&link(t, "4.0", "5.1")).unwrap();
        assert!(
            !plan.findings.iter().any(|f| f.code == "hdinsight.no-vnet"),
            "{t}"
        );
        assert!(step(&plan, "preflight.network").is_none(), "{t}");
    }
}

/// Data Lake Storage Gen2 default storage for every cluster type: the
/// create takes --storage-filesystem and the managed identity, and every
/// path and check names abfs:// (review H-M3).
#[test]
fn adls_gen2_default_storage_for_every_cluster_type() {
    use hdinsight_common::GEN2;
    for t in hdinsight_common::TYPES {
        for extra in ["", "&new-storage-account=other51"] {
            if !extra.is_empty() && !matches!(t, "hbase" | "kafka") {
                continue;
            }
            let l = link(t, "4.0", "5.1") + GEN2 + extra;
            let plan = waymark_core::plan_link(&l).unwrap_or_else(|p| panic!("{t}: {p:?}"));
            let md = Format::Markdown.render(&plan);
            assert!(
                md.contains("storage-kind=adls-gen2&storage-identity=/subscriptions/"),
                "{t}: the link loses the keys"
            );
            assert!(
                !md.contains("wasbs://") && !md.contains(".blob.core.windows.net"),
                "{t}{extra}: a Blob path in a Gen2 plan"
            );
            let creates: Vec<String> = plan
                .steps()
                .flat_map(|(_, s)| s.commands.iter())
                .map(|c| plan.show(c))
                .filter(|c| c.starts_with("az hdinsight create"))
                .collect();
            assert!(!creates.is_empty(), "{t}");
            for c in &creates {
                assert!(c.contains("--storage-filesystem "), "{t}: {c}");
                assert!(
                    c.contains("--storage-account-managed-identity /subscriptions/0000/resourceGroups/data-rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/hdi-storage"),
                    "{t}: {c}"
                );
                assert!(!c.contains("--storage-container"), "{t}: {c}");
            }
            if t == "hbase" {
                let own = step(&plan, "preflight.new-storage").unwrap();
                assert!(
                    matches!(&own.checks[0].expect, waymark_core::plan::Expect::Matches(p) if p.starts_with("^abfss?://") && p.contains("\\.dfs\\.core")),
                    "{t}"
                );
                // AzCopy leaves out directory blobs only on Blob Storage.
                assert!(step(&plan, "cutover.azcopy-cleanup").is_none(), "{t}");
            }
        }
    }
    // Blob plans keep --storage-container.
    let plan = waymark_core::plan_link(&link("spark", "4.0", "5.1")).unwrap();
    let md = Format::Markdown.render(&plan);
    assert!(md.contains("--storage-container") && !md.contains("--storage-filesystem"));
}

#[test]
fn storage_keys_are_checked_and_named() {
    let problems = |l: &str| match waymark_core::plan_link(l) {
        Ok(_) => String::new(),
        Err(p) => format!("{p:?}"),
    };
    let base = link("spark", "4.0", "5.1");
    let p = problems(&(base.clone() + "&storage-kind=adls-gen2"));
    assert!(
        p.contains("storage-identity") && p.contains("is missing"),
        "{p}"
    );
    let p = problems(&(base.clone() + "&storage-identity=/subscriptions/0000/x"));
    assert!(
        p.contains("storage-identity") && p.contains("only used with storage-kind=adls-gen2"),
        "{p}"
    );
    let p = problems(&(base.clone() + "&storage-kind=adls-gen1"));
    assert!(p.contains("storage-kind") && p.contains("adls-gen2"), "{p}");
    let p = problems(&(base + "&storage-kind=adls-gen2&storage-identity=hdi-storage"));
    assert!(
        p.contains("storage-identity") && p.contains("not an Azure resource ID"),
        "{p}"
    );
}
