//! The new cluster matches the old one (review H-M2): node sizes read from
//! the old cluster or taken from the link, worker and disk counts checked, TLS 1.2 and the
//! encryption flags on every create, the old cluster's create-time settings
//! checked before the first create, and a person's carry-over step after
//! the new cluster's create.

mod hdinsight_common;

use hdinsight_common::{args, both, link, World, TYPES};
use waymark_core::plan::{Plan, Step, Value, Word};

fn plan(link: &str) -> Plan {
    waymark_core::plan_link(link).unwrap_or_else(|p| panic!("{link}: {p:?}"))
}

/// Every step in order, with the index of its phase.
fn steps(p: &Plan) -> Vec<&Step> {
    p.steps().map(|(_, s)| s).collect()
}

/// The words of a command, shell variables as `$NAME`.
fn flat(words: &[Word]) -> Vec<String> {
    words
        .iter()
        .map(|w| match w {
            Word::Lit(t) => t.to_string(),
            Word::Var(n) | Word::Array(n) => format!("${n}"),
            Word::Join(parts) => flat(parts).concat(),
            Word::Raw(r) => r.to_string(),
        })
        .collect()
}

/// The `az hdinsight create` command lines of the plan, in order.
fn creates(p: &Plan) -> Vec<Vec<String>> {
    p.steps()
        .flat_map(|(_, s)| s.commands.iter())
        .map(|c| flat(&c.words))
        .filter(|w| w.len() > 2 && w[0] == "az" && w[1] == "hdinsight" && w[2] == "create")
        .collect()
}

fn flag<'a>(cmd: &'a [String], name: &str) -> Option<&'a str> {
    cmd.windows(2).find(|w| w[0] == name).map(|w| w[1].as_str())
}

#[test]
fn every_create_carries_sizes_tls_and_encryption_read_before_the_first_create() {
    for t in TYPES {
        let p = plan(&link(t, "4.0", "5.1"));
        let all = steps(&p);
        let first_create = all
            .iter()
            .position(|s| {
                s.commands.iter().any(|c| {
                    flat(&c.words).starts_with(&["az".into(), "hdinsight".into(), "create".into()])
                }) || s.id.ends_with(".create")
            })
            .unwrap_or_else(|| panic!("{t}: no create step"));
        let def = all
            .iter()
            .position(|s| s.id.ends_with(".definition"))
            .unwrap_or_else(|| panic!("{t}: no definition step"));
        assert!(
            def < first_create,
            "{t}: the definition is read after a create"
        );
        // Without size keys every size is read from the old cluster.
        for var in ["HEADNODE_SIZE", "WORKERNODE_SIZE", "ZOOKEEPERNODE_SIZE"] {
            let v = p.variables.iter().find(|v| v.name == var).unwrap();
            assert_eq!(v.value, Value::Captured, "{t}: {var}");
            assert!(
                all[def]
                    .commands
                    .iter()
                    .any(|c| c.capture.as_ref().is_some_and(|k| k.var == var)),
                "{t}: {var} is not read"
            );
        }
        // The definition step only reads.
        for c in &all[def].commands {
            let w = flat(&c.words);
            assert_eq!(&w[..3], ["az", "hdinsight", "show"], "{t}: {w:?}");
        }
        let holds: Vec<&str> = all[def].checks.iter().map(|c| c.holds.as_str()).collect();
        for needle in [
            "HDInsight 4.0",
            "worker nodes, as many as",
            "customer-managed key",
            "Private Link",
            "compute isolation",
            "between its nodes",
            "encryption at host",
            "ESP",
        ] {
            assert!(
                holds.iter().any(|h| h.contains(needle)),
                "{t}: no check of {needle}: {holds:?}"
            );
        }
        for cmd in creates(&p) {
            assert_eq!(flag(&cmd, "--headnode-size"), Some("$HEADNODE_SIZE"), "{t}");
            assert_eq!(
                flag(&cmd, "--workernode-size"),
                Some("$WORKERNODE_SIZE"),
                "{t}"
            );
            assert_eq!(
                flag(&cmd, "--zookeepernode-size"),
                Some("$ZOOKEEPERNODE_SIZE"),
                "{t}"
            );
            assert_eq!(flag(&cmd, "--minimal-tls-version"), Some("1.2"), "{t}");
            assert_eq!(flag(&cmd, "--encryption-in-transit"), None, "{t}");
            assert_eq!(flag(&cmd, "--encryption-at-host"), None, "{t}");
            // A data disk's type and size are read-only in the API.
            assert_eq!(flag(&cmd, "--workernode-data-disk-size"), None, "{t}");
        }
        // A person carries over the rest right after the new cluster's create.
        let carry = all
            .iter()
            .position(|s| s.id.ends_with(".carry-over"))
            .unwrap_or_else(|| panic!("{t}: no carry-over step"));
        assert!(
            all[carry - 1].id.ends_with(".create"),
            "{t}: carry-over after {}",
            all[carry - 1].id
        );
        assert!(
            !all[carry].confirm.is_empty(),
            "{t}: nobody confirms the carry-over"
        );
    }
}

#[test]
fn sizes_and_encryption_from_the_link_go_to_the_create_and_are_checked() {
    let p = plan(
        &(link("spark", "4.0", "5.1")
            + "&workernode-size=Standard_E16_v3&encryption-in-transit=yes&encryption-at-host=yes"),
    );
    let v = |n: &str| {
        p.variables
            .iter()
            .find(|v| v.name == n)
            .unwrap()
            .value
            .clone()
    };
    assert_eq!(v("WORKERNODE_SIZE"), Value::Text("Standard_E16_v3".into()));
    assert_eq!(v("HEADNODE_SIZE"), Value::Captured);
    let def = p
        .steps()
        .map(|(_, s)| s)
        .find(|s| s.id.ends_with(".definition"))
        .unwrap();
    assert!(
        !def.commands.iter().any(|c| c
            .capture
            .as_ref()
            .is_some_and(|k| k.var == "WORKERNODE_SIZE")),
        "a size the link sets is still read from the old cluster"
    );
    for cmd in creates(&p) {
        assert_eq!(flag(&cmd, "--encryption-in-transit"), Some("true"));
        assert_eq!(flag(&cmd, "--encryption-at-host"), Some("true"));
    }
    // The link keeps the keys, and a bad size names its key.
    let again = plan(&p.link);
    assert_eq!(again.link, p.link);
    let err =
        waymark_core::plan_link(&(link("spark", "4.0", "5.1") + "&headnode-size=Standard%20E8"))
            .unwrap_err();
    assert!(format!("{err:?}").contains("headnode-size"), "{err:?}");
}

#[test]
fn the_script_reads_the_old_sizes_and_stops_before_any_create_on_a_setting_it_would_drop() {
    // The sizes the old cluster reports go to the create.
    let w = World::new(&link("kafka", "4.0", "5.1"));
    let new = w.value("NEW_CLUSTER");
    let out = w.run(
        &args(&["prepare", "--yes"]),
        &[("FAKE_VM_SIZE", "Standard_D13_v2")],
        "",
    );
    assert_eq!(out.status.code(), Some(3), "{}", both(&out));
    let create = w
        .calls()
        .into_iter()
        .find(|c| c.len() > 3 && c[1] == "hdinsight" && c[2] == "create")
        .unwrap_or_else(|| panic!("no create: {}", both(&out)));
    for f in [
        "--headnode-size",
        "--workernode-size",
        "--zookeepernode-size",
    ] {
        assert_eq!(flag(&create, f), Some("Standard_D13_v2"), "{f}: {create:?}");
    }
    assert_eq!(flag(&create, "--minimal-tls-version"), Some("1.2"));
    let state = std::fs::read_to_string(w.state_file()).unwrap();
    assert!(state.contains("HEADNODE_SIZE\tStandard_D13_v2"), "{state}");
    assert_eq!(w.az(&["hdinsight", "create"], &new), 1);

    // A setting the plan would drop stops the run before any create.
    for (env, named) in [
        (
            ("FAKE_CMK", "https://vault.vault.azure.net"),
            "customer-managed key",
        ),
        (
            ("FAKE_IN_TRANSIT", "True"),
            "does not encrypt traffic between its nodes either",
        ),
        (
            ("FAKE_WORKERS", "12"),
            "worker nodes, as many as the new one gets",
        ),
    ] {
        let w = World::new(&link("kafka", "4.0", "5.1"));
        let out = w.run(&args(&["prepare", "--yes"]), &[env], "");
        assert_eq!(out.status.code(), Some(1), "{}", both(&out));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("Read the old cluster's definition"), "{err}");
        assert!(err.contains(named), "{err}");
        assert_eq!(
            w.az(&["hdinsight", "create"], &w.value("NEW_CLUSTER")),
            0,
            "created despite {named}"
        );
    }

    // Said in the link, encryption in transit is expected and passed on.
    let w = World::new(&(link("kafka", "4.0", "5.1") + "&encryption-in-transit=yes"));
    let out = w.run(
        &args(&["prepare", "--yes"]),
        &[("FAKE_IN_TRANSIT", "True")],
        "",
    );
    assert_eq!(out.status.code(), Some(3), "{}", both(&out));
    let create = w
        .calls()
        .into_iter()
        .find(|c| c.len() > 3 && c[2] == "create")
        .unwrap();
    assert_eq!(flag(&create, "--encryption-in-transit"), Some("true"));
}
