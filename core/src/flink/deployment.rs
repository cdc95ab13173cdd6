//! Where the jobs run: the deployment targets of a Flink plan and the link
//! keys only some of them take.
//!
//! `deployment` defaults to the standalone session cluster, so a link without
//! the key keeps the meaning it had before the key existed. Each target takes
//! the cluster-level keys of [`TARGET_KEYS`] it needs and at most one
//! per-job key ([`Deployment::job_key`]); a key a target does not take is a
//! problem that names the targets that do, never silently ignored.

use crate::link::Reader;
use crate::version::Version;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Deployment {
    /// `bin/start-cluster.sh` on its own hosts; jobs submitted with `flink run`.
    #[default]
    StandaloneSession,
    /// One cluster per job, started with `bin/standalone-job.sh`.
    StandaloneApplication,
    /// A long-running `yarn-session.sh` application holding the jobs.
    YarnSession,
    /// One YARN application per job, submitted with `flink run -t yarn-per-job`
    /// (deprecated in 1.15, removed in 2.0).
    YarnPerJob,
    /// One YARN application per job whose `main()` runs on the JobManager.
    YarnApplication,
    /// A native Kubernetes session (`kubernetes-session.sh`).
    KubernetesSession,
    /// One native Kubernetes cluster per job (`-t kubernetes-application`).
    KubernetesApplication,
    /// The Flink Kubernetes Operator, one `FlinkDeployment` per job.
    Operator,
    /// The Flink Kubernetes Operator, `FlinkSessionJob`s in a session
    /// `FlinkDeployment`.
    OperatorSession,
    /// Amazon Managed Service for Apache Flink, one application per job.
    AmazonManaged,
}

/// Link spelling, target, label and a one-line hint for each deployment.
pub const DEPLOYMENTS: [(&str, Deployment, &str, &str); 10] = [
    (
        "standalone-session",
        Deployment::StandaloneSession,
        "Standalone session",
        "bin/start-cluster.sh; jobs submitted with flink run",
    ),
    (
        "standalone-application",
        Deployment::StandaloneApplication,
        "Standalone application",
        "One cluster per job, started with bin/standalone-job.sh",
    ),
    (
        "yarn-session",
        Deployment::YarnSession,
        "YARN session",
        "A yarn-session.sh application that holds the jobs",
    ),
    (
        "yarn-per-job",
        Deployment::YarnPerJob,
        "YARN per-job",
        "One YARN application per job (removed in Flink 2.0)",
    ),
    (
        "yarn-application",
        Deployment::YarnApplication,
        "YARN application",
        "One YARN application per job, main() on the JobManager",
    ),
    (
        "kubernetes-session",
        Deployment::KubernetesSession,
        "Native Kubernetes session",
        "kubernetes-session.sh, jobs submitted with flink run",
    ),
    (
        "kubernetes-application",
        Deployment::KubernetesApplication,
        "Native Kubernetes application",
        "One Kubernetes cluster per job (--target kubernetes-application)",
    ),
    (
        "operator",
        Deployment::Operator,
        "Flink Kubernetes Operator",
        "One FlinkDeployment per job",
    ),
    (
        "operator-session",
        Deployment::OperatorSession,
        "Flink Kubernetes Operator, session jobs",
        "FlinkSessionJobs in a session FlinkDeployment",
    ),
    (
        "amazon-managed-flink",
        Deployment::AmazonManaged,
        "Amazon Managed Service for Apache Flink",
        "One managed application per job, upgraded in place",
    ),
];

/// The cluster-level keys only some targets take.
pub const TARGET_KEYS: [&str; 10] = [
    "yarn-application",
    "provided-lib-dirs",
    "namespace",
    "cluster-id",
    "new-cluster-id",
    "image",
    "old-image",
    "session-resource",
    "operator-version",
    "aws-region",
];

impl Deployment {
    pub fn name(self) -> &'static str {
        DEPLOYMENTS.iter().find(|d| d.1 == self).map_or("", |d| d.0)
    }

    pub fn label(self) -> &'static str {
        DEPLOYMENTS.iter().find(|d| d.1 == self).map_or("", |d| d.2)
    }

    /// Where the jobs run, for a plan's title: "on a YARN session".
    pub fn where_phrase(self) -> &'static str {
        use Deployment::*;
        match self {
            StandaloneSession => "on a standalone session cluster",
            StandaloneApplication => "on standalone application clusters",
            YarnSession => "on a YARN session",
            YarnPerJob => "on YARN, one application per job",
            YarnApplication => "as YARN applications",
            KubernetesSession => "on a native Kubernetes session",
            KubernetesApplication => "as native Kubernetes applications",
            Operator => "with the Flink Kubernetes Operator",
            OperatorSession => "with the Flink Kubernetes Operator, as session jobs",
            AmazonManaged => "on Amazon Managed Service for Apache Flink",
        }
    }

    /// Whether this build plans the target (targets are added one by one).
    pub fn planned(self) -> bool {
        matches!(
            self,
            Deployment::StandaloneSession
                | Deployment::StandaloneApplication
                | Deployment::YarnSession
                | Deployment::YarnPerJob
                | Deployment::YarnApplication
                | Deployment::AmazonManaged
                | Deployment::KubernetesSession
                | Deployment::KubernetesApplication
                | Deployment::Operator
                | Deployment::OperatorSession
        )
    }

    /// Whether `strategy` (in-place or shadow copy) is a choice: only for a
    /// standalone session. Every other target starts the new version in a
    /// new cluster, application or resource of its own.
    pub fn has_strategy(self) -> bool {
        self == Deployment::StandaloneSession
    }

    /// Whether the plan runs a Flink distribution's `bin/` (the old and new
    /// installation directories, `old-home` and `new-home`).
    pub fn uses_homes(self) -> bool {
        !matches!(
            self,
            Deployment::Operator | Deployment::OperatorSession | Deployment::AmazonManaged
        )
    }

    /// Whether the JobManager addresses `old-jobmanager` and `new-jobmanager`
    /// apply.
    pub fn uses_jobmanagers(self) -> bool {
        self == Deployment::StandaloneSession
    }

    /// Whether each job's Flink job id is required (the targets that reach
    /// the job through `bin/flink`); elsewhere the platform knows it.
    pub fn needs_job_ids(self) -> bool {
        self.uses_homes()
    }

    /// The per-job key naming the job's own cluster, application or
    /// resource (`job<N>.<key>`), if this target has one.
    pub fn job_key(self) -> Option<&'static str> {
        match self {
            Deployment::StandaloneApplication => Some("jobmanager"),
            Deployment::YarnPerJob | Deployment::YarnApplication => Some("yarn-application"),
            Deployment::KubernetesApplication => Some("cluster-id"),
            Deployment::Operator | Deployment::OperatorSession => Some("resource"),
            Deployment::AmazonManaged => Some("application"),
            _ => None,
        }
    }

    /// Link keys that make a complete scenario of this target with the jobs
    /// `job1` to `job<jobs>` (sample values, for tests and for the form when
    /// the target is chosen): `&deployment=…` and the values it needs.
    pub fn sample_keys(self, jobs: usize) -> String {
        use Deployment::*;
        let mut out = String::new();
        if self != StandaloneSession {
            out.push_str("&deployment=");
            out.push_str(self.name());
        }
        out.push_str(match self {
            YarnSession => "&yarn-application=application_1700000000000_0001",
            KubernetesSession => "&namespace=flink&cluster-id=analytics&image=flink:2.0.0-java17",
            KubernetesApplication => "&namespace=flink&image=registry.example/jobs:new&old-image=registry.example/jobs:old",
            Operator => "&namespace=flink&image=registry.example/jobs:new&old-image=registry.example/jobs:old&operator-version=1.13.0",
            OperatorSession => "&namespace=flink&session-resource=analytics&image=flink:new&old-image=flink:old&operator-version=1.13.0",
            AmazonManaged => "&aws-region=eu-west-1",
            _ => "",
        });
        for n in 1..=jobs {
            let value = match self {
                StandaloneApplication => format!("job{n}-jobmanager:8081"),
                YarnPerJob | YarnApplication => format!("application_1700000000000_{:04}", n + 1),
                KubernetesApplication | Operator | OperatorSession => format!("job{n}"),
                AmazonManaged => format!("job{n}-app"),
                _ => continue,
            };
            if let Some(key) = self.job_key() {
                out.push_str(&format!("&job{n}.{key}={value}"));
            }
            if self == AmazonManaged {
                // The S3 key of the code the application runs now.
                out.push_str(&format!("&job{n}.old-jar=apps/job{n}-old.jar"));
            }
        }
        out
    }

    /// Whether the target takes cluster-level `key` (one of [`TARGET_KEYS`]),
    /// and whether it needs it (`Some(true)`).
    pub fn takes(self, key: &str) -> Option<bool> {
        use Deployment::*;
        let required = match (key, self) {
            ("yarn-application", YarnSession) => true,
            ("provided-lib-dirs", YarnSession | YarnPerJob | YarnApplication) => false,
            (
                "namespace",
                KubernetesSession | KubernetesApplication | Operator | OperatorSession,
            ) => false,
            ("cluster-id", KubernetesSession) => true,
            ("new-cluster-id", KubernetesSession) => false,
            ("image", KubernetesSession | KubernetesApplication | Operator | OperatorSession) => {
                true
            }
            ("old-image", KubernetesApplication | Operator | OperatorSession) => true,
            ("session-resource", OperatorSession) => true,
            ("operator-version", Operator | OperatorSession) => true,
            ("aws-region", AmazonManaged) => true,
            _ => return None,
        };
        Some(required)
    }

    /// The targets that take `key`, by link spelling, for messages.
    fn takers(key: &str, job_key: bool) -> Vec<&'static str> {
        DEPLOYMENTS
            .iter()
            .filter(|d| {
                if job_key {
                    d.1.job_key() == Some(key)
                } else {
                    d.1.takes(key).is_some()
                }
            })
            .map(|d| d.0)
            .collect()
    }
}

/// The target's own values from the link; empty where the target does not
/// take the key.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Target {
    /// YARN session: the old session's application id.
    pub yarn_application: String,
    /// YARN: where the new version's `lib/` and `plugins/` were uploaded
    /// (`yarn.provided.lib.dirs`), if the deployment uses that.
    pub provided_lib_dirs: String,
    /// Kubernetes: the namespace (empty: `default`).
    pub namespace: String,
    /// Native Kubernetes session: the old session's `kubernetes.cluster-id`.
    pub cluster_id: String,
    /// Native Kubernetes session: the new session's cluster id (empty: the
    /// old one with the new version appended).
    pub new_cluster_id: String,
    /// Kubernetes: the new version's image.
    pub image: String,
    /// Kubernetes: the old version's image, for the rollback.
    pub old_image: String,
    /// Operator session jobs: the session `FlinkDeployment`.
    pub session_resource: String,
    /// Operator: the Flink Kubernetes Operator release that runs the jobs.
    pub operator_version: Option<Version>,
    /// Amazon Managed Flink: the AWS region.
    pub aws_region: String,
}

impl Target {
    /// The namespace commands name: `default` when the link does not say.
    pub fn namespace_or_default(&self) -> &str {
        if self.namespace.is_empty() {
            "default"
        } else {
            &self.namespace
        }
    }

    /// The value of cluster-level `key`, as the link spells it.
    pub fn get(&self, key: &str) -> String {
        match key {
            "yarn-application" => self.yarn_application.clone(),
            "provided-lib-dirs" => self.provided_lib_dirs.clone(),
            "namespace" => self.namespace.clone(),
            "cluster-id" => self.cluster_id.clone(),
            "new-cluster-id" => self.new_cluster_id.clone(),
            "image" => self.image.clone(),
            "old-image" => self.old_image.clone(),
            "session-resource" => self.session_resource.clone(),
            "operator-version" => self
                .operator_version
                .map(|v| v.to_string())
                .unwrap_or_default(),
            "aws-region" => self.aws_region.clone(),
            _ => String::new(),
        }
    }

    /// Reads the target keys: a key the target does not take, or one it
    /// needs and lacks, is a problem that says which targets take it.
    pub fn read(r: &mut Reader<'_>, d: Deployment) -> Target {
        let mut t = Target::default();
        for key in TARGET_KEYS {
            let value = r.text(key);
            match (d.takes(key), value) {
                (None, Some(_)) => r.report(
                    key,
                    format!(
                        "applies only to deployment={}; this link's deployment is {}",
                        Deployment::takers(key, false).join(", "),
                        d.name()
                    ),
                ),
                (Some(true), None) => r.report(
                    key,
                    format!("is missing: deployment={} needs {}", d.name(), what(key)),
                ),
                (Some(_), Some(v)) => match check(key, &v) {
                    Ok(()) => t.set(key, v),
                    Err(message) => r.report(key, message),
                },
                (_, None) => {}
            }
        }
        t
    }

    fn set(&mut self, key: &str, v: String) {
        match key {
            "yarn-application" => self.yarn_application = v,
            "provided-lib-dirs" => self.provided_lib_dirs = v,
            "namespace" => self.namespace = v,
            "cluster-id" => self.cluster_id = v,
            "new-cluster-id" => self.new_cluster_id = v,
            "image" => self.image = v,
            "old-image" => self.old_image = v,
            "session-resource" => self.session_resource = v,
            "operator-version" => self.operator_version = Version::parse(&v).ok(),
            "aws-region" => self.aws_region = v,
            _ => {}
        }
    }
}

/// What a key holds, for "is missing" messages.
fn what(key: &str) -> &'static str {
    match key {
        "yarn-application" => "the YARN application id of the session (application_<cluster timestamp>_<number>, as `yarn application -list` shows)",
        "cluster-id" => "the session's kubernetes.cluster-id",
        "image" => "the container image of the new Flink version",
        "old-image" => "the container image the jobs run on now, for the rollback",
        "session-resource" => "the name of the session FlinkDeployment",
        "operator-version" => "the Flink Kubernetes Operator release that runs the jobs, such as 1.13.0 (helm list shows it)",
        "aws-region" => "the AWS region of the applications, such as eu-west-1",
        "jobmanager" => "the job cluster's JobManager REST address, host:port",
        "resource" => "the name of the job's resource",
        "application" => "the name of the job's Managed Flink application",
        _ => "a value",
    }
}

/// A Kubernetes object name that Flink also uses as `kubernetes.cluster-id`:
/// at most 45 characters of `[a-z]([-a-z0-9]*[a-z0-9])?`.
fn k8s_name(v: &str, max: usize) -> bool {
    let b = v.as_bytes();
    !b.is_empty()
        && b.len() <= max
        && b[0].is_ascii_lowercase()
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b[b.len() - 1] != b'-'
}

/// `application_<digits>_<digits>`.
pub fn is_yarn_application_id(v: &str) -> bool {
    let mut parts = v.split('_');
    parts.next() == Some("application")
        && parts
            .by_ref()
            .take(2)
            .filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            .count()
            == 2
        && parts.next().is_none()
}

/// Validates the value of a target key (cluster-level or per job).
pub fn check(key: &str, v: &str) -> Result<(), String> {
    let ok = match key {
        "yarn-application" => is_yarn_application_id(v),
        "namespace" => k8s_name(v, 63),
        "cluster-id" | "new-cluster-id" | "session-resource" | "resource" => k8s_name(v, 45),
        "image" | "old-image" => {
            !v.is_empty()
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"._-/:@".contains(&b))
        }
        "operator-version" => Version::parse(v).is_ok_and(|x| x.major == 1),
        "aws-region" => {
            let parts: Vec<&str> = v.split('-').collect();
            parts.len() >= 3
                && parts.iter().all(|p| {
                    !p.is_empty()
                        && p.bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                })
                && parts[parts.len() - 1].bytes().all(|b| b.is_ascii_digit())
        }
        "application" => {
            !v.is_empty()
                && v.len() <= 128
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b))
        }
        "jobmanager" => crate::flink::scenario::is_address(v),
        "provided-lib-dirs" => !v.chars().any(char::is_control),
        _ => true,
    };
    if ok {
        return Ok(());
    }
    Err(match key {
        "yarn-application" => format!("`{v}` is not a YARN application id (application_<cluster timestamp>_<number>, such as application_1700000000000_0042)"),
        "namespace" => format!("`{v}` is not a Kubernetes namespace (lower-case letters, digits and '-', starting with a letter, at most 63)"),
        "cluster-id" | "new-cluster-id" | "session-resource" | "resource" => format!("`{v}` is not a valid name: Flink uses it as kubernetes.cluster-id, which takes at most 45 lower-case letters, digits and '-', starting with a letter and not ending with '-'"),
        "image" | "old-image" => format!("`{v}` is not a container image reference (such as flink:1.20.1-java17 or registry.example/team/job:2.0)"),
        "operator-version" => format!("`{v}` is not a Flink Kubernetes Operator release (such as 1.13.0)"),
        "aws-region" => format!("`{v}` is not an AWS region (such as eu-west-1)"),
        "application" => format!("`{v}` is not a Managed Flink application name (1 to 128 letters, digits, '_', '.' and '-')"),
        "jobmanager" => format!("`{v}` is not host:port (for example orders-jobmanager:8081)"),
        _ => format!("`{v}` contains a line break or control character"),
    })
}

/// Reads `job<N>.<job key>` for deployment `d`, and reports the per-job keys
/// of other targets. `fields` are the job's keys in the link, without the
/// `job<N>.` prefix.
pub fn read_job_target(r: &mut Reader<'_>, d: Deployment, n: u32, fields: &[&str]) -> String {
    let mut own = String::new();
    for key in [
        "jobmanager",
        "yarn-application",
        "cluster-id",
        "resource",
        "application",
    ] {
        let mine = d.job_key() == Some(key);
        // Another target's key is read only when the link has it.
        if !mine && !fields.contains(&key) {
            continue;
        }
        let full = format!("job{n}.{key}");
        let value = r.text(&full);
        if mine {
            match value {
                Some(v) => match check(key, &v) {
                    Ok(()) => own = v,
                    Err(message) => r.report(full, message),
                },
                // Standalone application jobs default to localhost:8081 when
                // there is one job; every other target needs the value.
                None if key == "jobmanager" => {}
                None => r.report(
                    full,
                    format!(
                        "is missing: deployment={} needs {}",
                        d.name(),
                        job_what(key)
                    ),
                ),
            }
        } else if value.is_some() {
            r.report(
                full,
                format!(
                    "applies only to deployment={}; this link's deployment is {}",
                    Deployment::takers(key, true).join(", "),
                    d.name()
                ),
            );
        }
    }
    own
}

fn job_what(key: &str) -> &'static str {
    match key {
        "yarn-application" => {
            "each job's YARN application id (application_<cluster timestamp>_<number>)"
        }
        "cluster-id" => "each job's kubernetes.cluster-id",
        "resource" => "the name of each job's resource (FlinkDeployment or FlinkSessionJob)",
        "application" => "the name of each job's Managed Flink application",
        _ => what(key),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_target_has_a_distinct_spelling_and_roundtrips() {
        for (name, d, label, hint) in DEPLOYMENTS {
            assert_eq!(d.name(), name);
            assert_eq!(d.label(), label);
            assert!(!hint.is_empty());
            assert_eq!(DEPLOYMENTS.iter().filter(|x| x.0 == name).count(), 1);
        }
    }

    #[test]
    fn sample_keys_make_complete_scenarios() {
        for (_, d, _, _) in DEPLOYMENTS.iter().filter(|d| d.1.planned()) {
            for jobs in [0, 1, 3] {
                let mut link = String::from("platform=flink&from=1.18&to=1.20");
                link.push_str(&d.sample_keys(jobs));
                for n in 1..=jobs {
                    link.push_str(&format!("&job{n}.id={n:032x}&job{n}.jar=/apps/job{n}.jar"));
                }
                if let Err(p) = crate::plan_link(&link) {
                    panic!("{link}: {p:?}");
                }
            }
        }
    }

    #[test]
    fn every_target_key_is_taken_by_some_target() {
        for key in TARGET_KEYS {
            assert!(!Deployment::takers(key, false).is_empty(), "{key}");
        }
    }

    #[test]
    fn values_are_checked() {
        assert!(is_yarn_application_id("application_1700000000000_0042"));
        for bad in [
            "application_1",
            "application__1",
            "app_1_2",
            "application_1_2_3",
            "application_a_1",
        ] {
            assert!(!is_yarn_application_id(bad), "{bad}");
        }
        assert!(check("cluster-id", "orders-v1").is_ok());
        assert!(check("cluster-id", "Orders").is_err());
        assert!(check("cluster-id", "orders-").is_err());
        assert!(check("cluster-id", &"a".repeat(46)).is_err());
        assert!(check("aws-region", "eu-west-1").is_ok());
        assert!(check("aws-region", "us-gov-west-1").is_ok());
        assert!(check("aws-region", "europe").is_err());
        assert!(check("image", "flink:1.20.1-java17").is_ok());
        assert!(check("image", "flink 1.20").is_err());
        assert!(check("operator-version", "1.13.0").is_ok());
        assert!(check("operator-version", "latest").is_err());
    }
}
