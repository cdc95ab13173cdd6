//! The public pages the Flink rules cite.

use crate::source::Source;

pub const UPGRADING: Source = Source::new(
    "Flink docs: Upgrading Applications and Flink Versions",
    "https://nightlies.apache.org/flink/flink-docs-master/docs/ops/upgrading/",
);
pub const MATRIX_1_18: Source = Source::new(
    "Flink 1.18 docs: savepoint compatibility table",
    "https://nightlies.apache.org/flink/flink-docs-release-1.18/docs/ops/upgrading/#compatibility-table",
);
pub const SAVEPOINTS: Source = Source::new(
    "Flink docs: Savepoints",
    "https://nightlies.apache.org/flink/flink-docs-master/docs/ops/state/savepoints/",
);
pub const CLI: Source = Source::new(
    "Flink docs: Command-Line Interface",
    "https://nightlies.apache.org/flink/flink-docs-master/docs/deployment/cli/",
);
pub const REST: Source = Source::new(
    "Flink docs: REST API",
    "https://nightlies.apache.org/flink/flink-docs-master/docs/ops/rest_api/",
);
pub const RELEASES: Source = Source::new(
    "Flink release archive",
    "https://flink.apache.org/downloads/#all-stable-releases",
);
pub const JAVA: Source = Source::new(
    "Flink docs: Java compatibility",
    "https://nightlies.apache.org/flink/flink-docs-master/docs/deployment/java_compatibility/",
);
pub const PR_6517: Source = Source::new(
    "FLINK-9446 (PR 6517): 1.1 and 1.2 CEP compatibility removed",
    "https://github.com/apache/flink/pull/6517",
);
pub const MAGIC_NUMBER_1_0: Source = Source::new(
    "FLINK-4067 discussion: 1.0 savepoints are not readable by 1.1",
    "https://mail-archive.com/issues@flink.apache.org/msg57010.html",
);
pub const FLINK_11087: Source = Source::new(
    "FLINK-11087: broadcast state from 1.5 fails to restore",
    "https://issues.apache.org/jira/browse/FLINK-11087",
);
pub const FLINK_28861: Source = Source::new(
    "FLINK-28861: non-deterministic Table API uids in 1.15.0/1.15.1",
    "https://issues.apache.org/jira/browse/FLINK-28861",
);
pub const FLINK_29807: Source = Source::new(
    "FLINK-29807: savepoints from before 1.8 no longer supported",
    "https://issues.apache.org/jira/browse/FLINK-29807",
);
pub const KRYO_5: Source = Source::new(
    "PR 26444: Kryo 5 is not compatible with older Kryo state",
    "https://github.com/apache/flink/pull/26444",
);

/// Release notes of `major.minor`.
pub fn release_notes(major: u16, minor: u16) -> Source {
    // Release-note pages exist for 1.5 and later; all live under one pattern.
    let url: &'static str = match (major, minor) {
        (1, 9) => "https://nightlies.apache.org/flink/flink-docs-release-1.9/release-notes/flink-1.9.html",
        (1, 10) => "https://nightlies.apache.org/flink/flink-docs-release-1.10/release-notes/flink-1.10.html",
        (1, 11) => "https://nightlies.apache.org/flink/flink-docs-release-1.11/release-notes/flink-1.11.html",
        (1, 13) => "https://nightlies.apache.org/flink/flink-docs-release-1.13/release-notes/flink-1.13/",
        (1, 14) => "https://nightlies.apache.org/flink/flink-docs-release-1.14/release-notes/flink-1.14/",
        (1, 15) => "https://nightlies.apache.org/flink/flink-docs-release-1.15/release-notes/flink-1.15/",
        (1, 17) => "https://nightlies.apache.org/flink/flink-docs-release-1.17/release-notes/flink-1.17/",
        (1, 19) => "https://nightlies.apache.org/flink/flink-docs-release-1.19/release-notes/flink-1.19/",
        (1, 20) => "https://nightlies.apache.org/flink/flink-docs-release-1.20/release-notes/flink-1.20/",
        (2, 0) => "https://nightlies.apache.org/flink/flink-docs-release-2.0/release-notes/flink-2.0/",
        _ => "https://nightlies.apache.org/flink/flink-docs-master/release-notes/",
    };
    let title: &'static str = match (major, minor) {
        (1, 9) => "Flink 1.9 release notes",
        (1, 10) => "Flink 1.10 release notes",
        (1, 11) => "Flink 1.11 release notes",
        (1, 13) => "Flink 1.13 release notes",
        (1, 14) => "Flink 1.14 release notes",
        (1, 15) => "Flink 1.15 release notes",
        (1, 17) => "Flink 1.17 release notes",
        (1, 19) => "Flink 1.19 release notes",
        (1, 20) => "Flink 1.20 release notes",
        (2, 0) => "Flink 2.0 release notes",
        _ => "Flink release notes",
    };
    Source::new(title, url)
}
