//! HDInsight versions: release, support and retirement dates, components,
//! and the `--component-version` values Azure accepts.
//!
//! Sources: the supported-versions table (09/2024), the retired-versions page,
//! the per-version component pages and the componentVersion validation page.

use std::fmt;

use super::date::Date;
use super::sources;
use crate::source::Source;

/// An HDInsight version this planner knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Hdi {
    V36,
    V40,
    V50,
    V51,
}

pub const ALL: [Hdi; 4] = [Hdi::V36, Hdi::V40, Hdi::V50, Hdi::V51];

/// Link spelling of each version.
pub const NAMES: [(&str, Hdi); 4] = [
    ("3.6", Hdi::V36),
    ("4.0", Hdi::V40),
    ("5.0", Hdi::V50),
    ("5.1", Hdi::V51),
];

impl Hdi {
    pub fn name(self) -> &'static str {
        NAMES
            .iter()
            .find(|(_, v)| *v == self)
            .map_or("", |(n, _)| n)
    }

    pub fn info(self) -> &'static VersionInfo {
        match self {
            Hdi::V36 => &INFO[0],
            Hdi::V40 => &INFO[1],
            Hdi::V50 => &INFO[2],
            Hdi::V51 => &INFO[3],
        }
    }
}

impl fmt::Display for Hdi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Dates and components of one version.
#[derive(Debug)]
pub struct VersionInfo {
    pub version: Hdi,
    pub os: &'static str,
    /// General availability.
    pub released: Date,
    /// From this day on the version is in Basic support (when known). For
    /// 4.0 and 5.0 this is the earliest date a source states it.
    pub basic_from: Option<Date>,
    /// The last day of support; `None` while not announced.
    pub support_ends: Option<Date>,
    /// From this day on no new cluster of this version can be created.
    pub retired_on: Option<Date>,
    /// (component, version), as the component page lists them.
    pub components: &'static [(&'static str, &'static str)],
    pub sources: &'static [Source],
}

const fn d(y: u16, m: u8, day: u8) -> Date {
    Date::ymd(y, m, day)
}

pub const INFO: [VersionInfo; 4] = [
    VersionInfo {
        version: Hdi::V36,
        os: "Ubuntu 16.04 LTS",
        released: d(2017, 4, 4),
        basic_from: Some(d(2021, 7, 1)),
        support_ends: Some(d(2022, 9, 30)),
        retired_on: Some(d(2022, 10, 1)),
        components: &[
            ("Hadoop", "2.7.3"),
            ("Hive", "1.2.1 (2.1.0 on ESP Interactive Query)"),
            ("Tez", "0.7.0"),
            ("Spark", "2.3.2"),
            ("Kafka", "1.1"),
            ("HBase", "1.1.2"),
            ("Phoenix", "4.7.0"),
            ("Oozie", "4.2.0"),
            ("ZooKeeper", "3.4.6"),
            ("Ambari", "2.6.0"),
        ],
        sources: &[sources::RETIRED, sources::V36],
    },
    VersionInfo {
        version: Hdi::V40,
        os: "Ubuntu 18.04 LTS",
        released: d(2018, 9, 24),
        basic_from: Some(d(2024, 3, 26)),
        support_ends: Some(d(2025, 3, 31)),
        retired_on: Some(d(2025, 3, 31)),
        components: &[
            ("Hadoop", "3.1.1"),
            ("Hive", "3.1.2"),
            ("Tez", "0.9.1"),
            ("Spark", "2.4.4"),
            ("Kafka", "2.1.1"),
            ("HBase", "2.1.6"),
            ("Phoenix", "5"),
            ("Oozie", "4.3.1"),
            ("ZooKeeper", "3.4.6"),
            ("Ambari", "2.7.0"),
        ],
        sources: &[sources::VERSIONING, sources::V40],
    },
    VersionInfo {
        version: Hdi::V50,
        os: "Ubuntu 18.04 LTS",
        released: d(2022, 3, 11),
        basic_from: Some(d(2024, 3, 26)),
        support_ends: Some(d(2025, 3, 31)),
        retired_on: Some(d(2025, 3, 31)),
        components: &[
            ("Hadoop", "3.1.1"),
            ("Hive", "3.1.2"),
            ("Tez", "0.9.1"),
            ("Spark", "3.1.3"),
            ("Kafka", "2.4.1"),
            ("Oozie", "4.3.1"),
            ("ZooKeeper", "3.4.6"),
            ("Ambari", "2.7.3"),
        ],
        sources: &[sources::VERSIONING, sources::V5X],
    },
    VersionInfo {
        version: Hdi::V51,
        os: "Ubuntu 18.04 LTS",
        released: d(2023, 11, 1),
        basic_from: None,
        support_ends: None,
        retired_on: None,
        components: &[
            ("Hadoop", "3.3.4"),
            ("Hive", "3.1.2"),
            ("Tez", "0.9.1"),
            ("Spark", "3.3.1"),
            ("Kafka", "3.2.0"),
            ("HBase", "2.4.11"),
            ("Phoenix", "5.1.2"),
            ("Oozie", "5.2.1"),
            ("ZooKeeper", "3.6.3"),
            ("Ambari", "2.7.3"),
        ],
        sources: &[sources::VERSIONING, sources::V5X],
    },
];

/// Where a version stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Support {
    NotReleased,
    Standard,
    Basic,
    /// Support ended but new clusters can still be created.
    Expired,
    /// New clusters can no longer be created.
    Retired,
}

impl Support {
    pub fn label(self) -> &'static str {
        match self {
            Support::NotReleased => "not yet generally available",
            Support::Standard => "in Standard support",
            Support::Basic => "in Basic support",
            Support::Expired => "out of support",
            Support::Retired => "retired",
        }
    }
}

pub fn support(v: Hdi, on: Date) -> Support {
    let i = v.info();
    if i.retired_on.is_some_and(|r| on >= r) {
        Support::Retired
    } else if i.support_ends.is_some_and(|e| on > e) {
        Support::Expired
    } else if i.basic_from.is_some_and(|b| on >= b) {
        Support::Basic
    } else if on >= i.released {
        Support::Standard
    } else {
        Support::NotReleased
    }
}

/// The newest version a new cluster can be created with on `on`.
pub fn newest_creatable(on: Date) -> Option<Hdi> {
    ALL.iter()
        .rev()
        .copied()
        .find(|v| !matches!(support(*v, on), Support::Retired | Support::NotReleased))
}

/// A cluster type, spelled as `az hdinsight create --type` takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ClusterType {
    Hadoop,
    Spark,
    Kafka,
    HBase,
    InteractiveHive,
}

pub const CLUSTER_TYPES: [(&str, ClusterType); 5] = [
    ("hadoop", ClusterType::Hadoop),
    ("spark", ClusterType::Spark),
    ("kafka", ClusterType::Kafka),
    ("hbase", ClusterType::HBase),
    ("interactivehive", ClusterType::InteractiveHive),
];

impl ClusterType {
    /// The `--type` value.
    pub fn name(self) -> &'static str {
        CLUSTER_TYPES
            .iter()
            .find(|(_, t)| *t == self)
            .map_or("", |(n, _)| n)
    }

    /// The name people use.
    pub fn label(self) -> &'static str {
        match self {
            ClusterType::Hadoop => "Hadoop",
            ClusterType::Spark => "Spark",
            ClusterType::Kafka => "Kafka",
            ClusterType::HBase => "HBase",
            ClusterType::InteractiveHive => "Interactive Query",
        }
    }

    /// The key of `--component-version KEY=Major.minor`.
    pub fn component(self) -> &'static str {
        match self {
            ClusterType::Hadoop => "Hadoop",
            ClusterType::Spark => "Spark",
            ClusterType::Kafka => "Kafka",
            ClusterType::HBase => "HBase",
            ClusterType::InteractiveHive => "InteractiveHive",
        }
    }

    /// The component whose version the runbook names (Hive for Interactive Query).
    pub fn main_component(self) -> &'static str {
        match self {
            ClusterType::InteractiveHive => "Hive",
            other => other.component(),
        }
    }
}

/// The `--component-version` value (Major.minor) for a cluster type and
/// version, or `None` when that version has no such cluster type. A full
/// version such as Kafka 2.4.1 is rejected by Azure. HDInsight 3.6 is never a
/// target, so it has no entry.
pub fn component_version(t: ClusterType, v: Hdi) -> Option<&'static str> {
    use ClusterType::*;
    match (t, v) {
        (_, Hdi::V36) => None,
        (Hadoop, Hdi::V40) => Some("3.1"),
        (Hadoop, Hdi::V50) => None,
        (Hadoop, Hdi::V51) => Some("3.3"),
        (Spark, Hdi::V40) => Some("2.4"),
        (Spark, Hdi::V50) => Some("3.1"),
        (Spark, Hdi::V51) => Some("3.3"),
        (Kafka, Hdi::V40) => Some("2.1"),
        (Kafka, Hdi::V50) => Some("2.4"),
        (Kafka, Hdi::V51) => Some("3.2"),
        (HBase, Hdi::V40) => Some("2.1"),
        (HBase, Hdi::V50) => None,
        (HBase, Hdi::V51) => Some("2.4"),
        (InteractiveHive, _) => Some("3.1"),
    }
}

/// Did clusters of this type exist on this version? (3.6 had all five.)
pub fn offered(t: ClusterType, v: Hdi) -> bool {
    v == Hdi::V36 || component_version(t, v).is_some()
}

/// The version of a component on an HDInsight version, as listed.
pub fn component(v: Hdi, name: &str) -> Option<&'static str> {
    v.info()
        .components
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, ver)| *ver)
}

/// The stack apps directory that the HBase guide copies (`/hdp/apps/<x>`).
/// The guide gives 4.1.3.6 as an example only; the runbook reads the real
/// name on the new cluster.
pub const HDP_APPS: &str = "/hdp/apps";
