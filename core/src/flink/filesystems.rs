//! The file system a savepoint directory lives on, and what a Flink
//! installation needs to reach it: a plugin jar (shipped in `opt/`, to be
//! copied into `plugins/<name>/`; into `lib/` before plugins existed in 1.9),
//! or the Hadoop classpath (Flink has not bundled Hadoop since 1.8).
//!
//! Sources: the Flink file systems docs (overview, S3, GCS, Azure, OSS) and
//! the Hadoop dependencies page.

use crate::plan::{lit, var, Check, Command, Expect, Word};
use crate::source::Source;
use crate::version::Version;

pub const FILESYSTEMS: Source = Source::new(
    "Flink docs: File Systems",
    "https://nightlies.apache.org/flink/flink-docs-master/docs/deployment/filesystems/overview/",
);
pub const HADOOP: Source = Source::new(
    "Flink docs: Hadoop dependencies",
    "https://nightlies.apache.org/flink/flink-docs-master/docs/dev/configuration/advanced/#hadoop-dependencies",
);

/// What a scheme needs.
pub enum Needs {
    /// A plugin: the jar names that serve the scheme (any one will do).
    Plugin(&'static [&'static str]),
    /// Hadoop's classes on the classpath.
    Hadoop,
}

/// Schemes and what serves them.
pub const SCHEMES: [(&str, Needs); 9] = [
    (
        "s3",
        Needs::Plugin(&["flink-s3-fs-hadoop", "flink-s3-fs-presto"]),
    ),
    ("s3a", Needs::Plugin(&["flink-s3-fs-hadoop"])),
    ("s3p", Needs::Plugin(&["flink-s3-fs-presto"])),
    ("gs", Needs::Plugin(&["flink-gs-fs-hadoop"])),
    ("wasb", Needs::Plugin(&["flink-azure-fs-hadoop"])),
    ("wasbs", Needs::Plugin(&["flink-azure-fs-hadoop"])),
    ("abfs", Needs::Plugin(&["flink-azure-fs-hadoop"])),
    ("abfss", Needs::Plugin(&["flink-azure-fs-hadoop"])),
    ("oss", Needs::Plugin(&["flink-oss-fs-hadoop"])),
];

/// The scheme of a savepoint directory (`s3` for `s3://b/p`), if it has one.
pub fn scheme(dir: &str) -> Option<&str> {
    let (scheme, _) = dir.split_once("://")?;
    (!scheme.is_empty() && scheme.bytes().all(|b| b.is_ascii_alphanumeric())).then_some(scheme)
}

/// What the scheme of `dir` needs; `None` for local paths, `file:` and
/// schemes Waymark does not know.
pub fn needs(dir: &str) -> Option<&'static Needs> {
    let scheme = scheme(dir)?.to_ascii_lowercase();
    if scheme == "hdfs" || scheme == "viewfs" {
        return Some(&Needs::Hadoop);
    }
    SCHEMES.iter().find(|(s, _)| *s == scheme).map(|(_, n)| n)
}

/// Plugins live in `plugins/<name>/` from 1.9; before, jars go into `lib/`.
fn has_plugins(v: Version) -> bool {
    v >= Version::minor(1, 9)
}

/// What to do in the installation of `v`, in words.
pub fn setup(dir: &str, v: Version) -> Option<String> {
    let scheme = scheme(dir)?;
    Some(match needs(dir)? {
        Needs::Plugin(jars) => {
            let jar = jars[0];
            if has_plugins(v) {
                let name = jar.trim_start_matches("flink-");
                format!("The savepoints are on {scheme}://: copy opt/{jar}-{v}*.jar into plugins/{name}/ of this installation{}.", if jars.len() > 1 { format!(" (or {} instead)", jars[1]) } else { String::new() })
            } else {
                format!("The savepoints are on {scheme}://: copy opt/{jar}-*.jar into lib/ of this installation (Flink {v} predates plugins).")
            }
        }
        Needs::Hadoop => format!("The savepoints are on {scheme}://: Flink does not bundle Hadoop, so export HADOOP_CLASSPATH=$(hadoop classpath) on every host before starting this cluster."),
    })
}

/// A check that the installation in `home` (a variable) of version `v` can
/// reach `dir`'s file system, or `None` when there is nothing to check.
pub fn check(dir: &str, home: &str, home_path: &str, v: Version) -> Option<Check> {
    let scheme = scheme(dir)?;
    let join = |tail: &'static str| Word::Join(vec![var(home.to_owned()), lit(tail)]);
    Some(match needs(dir)? {
        Needs::Plugin(jars) => {
            let mut words = vec![lit("find"), join("/lib")];
            if has_plugins(v) {
                words.push(join("/plugins"));
            }
            words.extend(["-name", "*.jar"].map(lit));
            Check::new(
                Command::local(words),
                Expect::Matches(format!("/({})-[^/]*\\.jar$", jars.join("|"))),
                format!(
                    "{home_path} has the {} file system plugin ({}) for {scheme}://",
                    jars[0].trim_start_matches("flink-").trim_end_matches("-fs-hadoop"),
                    jars.join(" or ")
                ),
            )
        }
        Needs::Hadoop => Check::new(
            Command::local(vec![Word::Raw(
                "[ -n \"${HADOOP_CLASSPATH:-}\" ] || hadoop classpath >/dev/null",
            )]),
            Expect::Success,
            format!("this host has the Hadoop classpath (HADOOP_CLASSPATH or `hadoop classpath`) that Flink needs for {scheme}://"),
        ),
    })
}
