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
pub const HA: Source = Source::new(
    "Flink docs: ZooKeeper HA services (high-availability.cluster-id per cluster)",
    "https://nightlies.apache.org/flink/flink-docs-master/docs/deployment/ha/zookeeper_ha/",
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

/// The release notes of every line from 1.5 (the first with a page) to the
/// newest, oldest first. The pages moved to a new site layout in 1.13.
const RELEASE_NOTES: [(u16, u16, Source); 20] = [
    (1, 5, Source::new("Flink 1.5 release notes", "https://nightlies.apache.org/flink/flink-docs-release-1.5/release-notes/flink-1.5.html")),
    (1, 6, Source::new("Flink 1.6 release notes", "https://nightlies.apache.org/flink/flink-docs-release-1.6/release-notes/flink-1.6.html")),
    (1, 7, Source::new("Flink 1.7 release notes", "https://nightlies.apache.org/flink/flink-docs-release-1.7/release-notes/flink-1.7.html")),
    (1, 8, Source::new("Flink 1.8 release notes", "https://nightlies.apache.org/flink/flink-docs-release-1.8/release-notes/flink-1.8.html")),
    (1, 9, Source::new("Flink 1.9 release notes", "https://nightlies.apache.org/flink/flink-docs-release-1.9/release-notes/flink-1.9.html")),
    (1, 10, Source::new("Flink 1.10 release notes", "https://nightlies.apache.org/flink/flink-docs-release-1.10/release-notes/flink-1.10.html")),
    (1, 11, Source::new("Flink 1.11 release notes", "https://nightlies.apache.org/flink/flink-docs-release-1.11/release-notes/flink-1.11.html")),
    (1, 12, Source::new("Flink 1.12 release notes", "https://nightlies.apache.org/flink/flink-docs-release-1.12/release-notes/flink-1.12.html")),
    (1, 13, Source::new("Flink 1.13 release notes", "https://nightlies.apache.org/flink/flink-docs-release-1.13/release-notes/flink-1.13/")),
    (1, 14, Source::new("Flink 1.14 release notes", "https://nightlies.apache.org/flink/flink-docs-release-1.14/release-notes/flink-1.14/")),
    (1, 15, Source::new("Flink 1.15 release notes", "https://nightlies.apache.org/flink/flink-docs-release-1.15/release-notes/flink-1.15/")),
    (1, 16, Source::new("Flink 1.16 release notes", "https://nightlies.apache.org/flink/flink-docs-release-1.16/release-notes/flink-1.16/")),
    (1, 17, Source::new("Flink 1.17 release notes", "https://nightlies.apache.org/flink/flink-docs-release-1.17/release-notes/flink-1.17/")),
    (1, 18, Source::new("Flink 1.18 release notes", "https://nightlies.apache.org/flink/flink-docs-release-1.18/release-notes/flink-1.18/")),
    (1, 19, Source::new("Flink 1.19 release notes", "https://nightlies.apache.org/flink/flink-docs-release-1.19/release-notes/flink-1.19/")),
    (1, 20, Source::new("Flink 1.20 release notes", "https://nightlies.apache.org/flink/flink-docs-release-1.20/release-notes/flink-1.20/")),
    (2, 0, Source::new("Flink 2.0 release notes", "https://nightlies.apache.org/flink/flink-docs-release-2.0/release-notes/flink-2.0/")),
    (2, 1, Source::new("Flink 2.1 release notes", "https://nightlies.apache.org/flink/flink-docs-release-2.1/release-notes/flink-2.1/")),
    (2, 2, Source::new("Flink 2.2 release notes", "https://nightlies.apache.org/flink/flink-docs-release-2.2/release-notes/flink-2.2/")),
    (2, 3, Source::new("Flink 2.3 release notes", "https://nightlies.apache.org/flink/flink-docs-release-2.3/release-notes/flink-2.3/")),
];

/// Release notes of `major.minor`; the index of all notes for a line
/// without a page of its own.
pub fn release_notes(major: u16, minor: u16) -> Source {
    RELEASE_NOTES
        .iter()
        .find(|(a, b, _)| (*a, *b) == (major, minor))
        .map_or(
            Source::new(
                "Flink release notes",
                "https://nightlies.apache.org/flink/flink-docs-master/release-notes/",
            ),
            |(_, _, source)| *source,
        )
}

/// Whether `major.minor` has a release-notes page.
pub fn has_release_notes(major: u16, minor: u16) -> bool {
    RELEASE_NOTES
        .iter()
        .any(|(a, b, _)| (*a, *b) == (major, minor))
}

// ---- Deployment targets: standalone application and YARN (issue 9) ----
pub const STANDALONE: Source = Source::new(
    "Flink docs: Standalone, application mode (standalone-job.sh, usrlib/)",
    "https://nightlies.apache.org/flink/flink-docs-master/docs/deployment/resource-providers/standalone/overview/",
);
pub const DEPLOYMENT_MODES: Source = Source::new(
    "Flink docs: Deployment overview (application, per-job and session modes)",
    "https://nightlies.apache.org/flink/flink-docs-master/docs/deployment/overview/",
);
pub const YARN: Source = Source::new(
    "Flink docs: Apache Hadoop YARN (modes, HADOOP_CLASSPATH, yarn.application.id)",
    "https://nightlies.apache.org/flink/flink-docs-master/docs/deployment/resource-providers/yarn/",
);
pub const YARN_HA: Source = Source::new(
    "Flink docs: high availability on YARN (do not set high-availability.cluster-id)",
    "https://nightlies.apache.org/flink/flink-docs-master/docs/deployment/resource-providers/yarn/#high-availability-on-yarn",
);
pub const YARN_CONFIG: Source = Source::new(
    "Flink docs: YARN options (yarn.provided.lib.dirs, yarn.application.name)",
    "https://nightlies.apache.org/flink/flink-docs-master/docs/deployment/config/#yarn",
);
pub const CLI_1_10: Source = Source::new(
    "Flink 1.10 docs: Command-Line Interface (-m yarn-cluster, -yid, -ynm)",
    "https://nightlies.apache.org/flink/flink-docs-release-1.10/ops/cli.html",
);
pub const FLINK_35625: Source = Source::new(
    "FLINK-35625 (PR 24948): application mode through flink run; run-application deprecated",
    "https://github.com/apache/flink/pull/24948",
);
pub const STREAMPARK_3397: Source = Source::new(
    "StreamPark issue 3397: mixed Flink jar versions in lib/ broke stopping a YARN job",
    "https://github.com/apache/streampark/issues/3397",
);

/// The sources of the deployment targets above, for tests.
pub const TARGET_SOURCES: [Source; 8] = [
    STANDALONE,
    DEPLOYMENT_MODES,
    YARN,
    YARN_HA,
    YARN_CONFIG,
    CLI_1_10,
    FLINK_35625,
    STREAMPARK_3397,
];

// ---- amazon-managed-flink: Amazon Managed Service for Apache Flink ----

pub const MSF_IN_PLACE: Source = Source::new(
    "Managed Service for Apache Flink: in-place version upgrades",
    "https://docs.aws.amazon.com/managed-flink/latest/java/how-in-place-version-upgrades.html",
);
pub const MSF_UPGRADING: Source = Source::new(
    "Managed Service for Apache Flink: upgrade an application to a new Flink version",
    "https://docs.aws.amazon.com/managed-flink/latest/java/upgrading-application-new-version.html",
);
pub const MSF_FLINK_2_2: Source = Source::new(
    "Managed Service for Apache Flink: upgrading to Flink 2.2",
    "https://docs.aws.amazon.com/managed-flink/latest/java/flink-2-2-upgrade-guide.html",
);
pub const MSF_STATE_COMPATIBILITY: Source = Source::new(
    "Managed Service for Apache Flink: state compatibility from Flink 1.x to 2.2",
    "https://docs.aws.amazon.com/managed-flink/latest/java/state-compatibility.html",
);
pub const MSF_PRECAUTIONS: Source = Source::new(
    "Managed Service for Apache Flink: precautions and known issues of version upgrades",
    "https://docs.aws.amazon.com/managed-flink/latest/java/precautions.html",
);
pub const MSF_SNAPSHOTS: Source = Source::new(
    "Managed Service for Apache Flink: restore from a snapshot",
    "https://docs.aws.amazon.com/managed-flink/latest/java/snapshots-restore.html",
);
pub const MSF_SYSTEM_ROLLBACK: Source = Source::new(
    "Managed Service for Apache Flink: system rollbacks",
    "https://docs.aws.amazon.com/managed-flink/latest/java/how-system-rollbacks.html",
);
pub const MSF_BEST_PRACTICES: Source = Source::new(
    "Managed Service for Apache Flink: best practices for version upgrades",
    "https://docs.aws.amazon.com/managed-flink/latest/java/best-practices-recommendations.html",
);
pub const MSF_METRICS: Source = Source::new(
    "Managed Service for Apache Flink: metrics and dimensions",
    "https://docs.aws.amazon.com/managed-flink/latest/java/metrics-dimensions.html",
);
pub const MSF_FLINK_2_3: Source = Source::new(
    "Managed Service for Apache Flink: Flink 2.3",
    "https://docs.aws.amazon.com/managed-flink/latest/java/flink-2-3.html",
);
pub const MSF_UPDATE_APPLICATION: Source = Source::new(
    "AWS CLI: aws kinesisanalyticsv2 update-application",
    "https://docs.aws.amazon.com/cli/latest/reference/kinesisanalyticsv2/update-application.html",
);
pub const MSF_ROLLBACK_APPLICATION: Source = Source::new(
    "AWS CLI: aws kinesisanalyticsv2 rollback-application",
    "https://docs.aws.amazon.com/cli/latest/reference/kinesisanalyticsv2/rollback-application.html",
);
pub const MSF_OPERATIONS: Source = Source::new(
    "Managed Service for Apache Flink API: DescribeApplicationOperation",
    "https://docs.aws.amazon.com/managed-flink/latest/apiv2/API_DescribeApplicationOperation.html",
);
pub const MSF_CREATE_SNAPSHOT: Source = Source::new(
    "AWS CLI: aws kinesisanalyticsv2 create-application-snapshot",
    "https://docs.aws.amazon.com/cli/latest/reference/kinesisanalyticsv2/create-application-snapshot.html",
);

// ---- Native Kubernetes and the Flink Kubernetes Operator (targets
// kubernetes-session, kubernetes-application, operator, operator-session).
pub const NATIVE_K8S: Source = Source::new(
    "Flink docs: Native Kubernetes (session and application mode, cluster ids, clean-up)",
    "https://nightlies.apache.org/flink/flink-docs-master/docs/deployment/resource-providers/native_kubernetes/",
);
pub const K8S_HA: Source = Source::new(
    "Flink docs: Kubernetes HA services (HA ConfigMaps outlive the deployment)",
    "https://nightlies.apache.org/flink/flink-docs-master/docs/deployment/ha/kubernetes_ha/",
);
pub const HA_LIFECYCLE: Source = Source::new(
    "Flink docs: High availability data lifecycle",
    "https://nightlies.apache.org/flink/flink-docs-master/docs/deployment/ha/overview/#high-availability-data-lifecycle",
);
pub const FLINK_29372: Source = Source::new(
    "FLINK-29372: kubernetes.container.image renamed kubernetes.container.image.ref in 1.17",
    "https://issues.apache.org/jira/browse/FLINK-29372",
);
pub const K8S_LABELS_CODE: Source = Source::new(
    "Flink source: KubernetesUtils, the labels of HA ConfigMaps (app, type, configmap-type)",
    "https://github.com/apache/flink/blob/master/flink-kubernetes/src/main/java/org/apache/flink/kubernetes/utils/KubernetesUtils.java",
);
pub const K8S_API_PROXY: Source = Source::new(
    "Kubernetes docs: reaching a service through the API server proxy",
    "https://kubernetes.io/docs/tasks/access-application-cluster/access-cluster-services/#manually-constructing-apiserver-proxy-urls",
);
pub const OP_OVERVIEW: Source = Source::new(
    "Flink Kubernetes Operator docs: overview (Flink versions each release supports)",
    "https://nightlies.apache.org/flink/flink-kubernetes-operator-docs-main/docs/concepts/overview/",
);
pub const OP_JOB_MANAGEMENT: Source = Source::new(
    "Flink Kubernetes Operator docs: job management (upgrade modes, manual recovery)",
    "https://nightlies.apache.org/flink/flink-kubernetes-operator-docs-main/docs/custom-resource/job-management/",
);
pub const OP_REFERENCE: Source = Source::new(
    "Flink Kubernetes Operator docs: resource reference (spec and status fields)",
    "https://nightlies.apache.org/flink/flink-kubernetes-operator-docs-main/docs/custom-resource/reference/",
);
pub const OP_SNAPSHOTS: Source = Source::new(
    "Flink Kubernetes Operator docs: FlinkStateSnapshot (operator 1.10 and later)",
    "https://nightlies.apache.org/flink/flink-kubernetes-operator-docs-main/docs/custom-resource/snapshots/",
);
pub const OP_RECONCILER: Source = Source::new(
    "Flink Kubernetes Operator source: AbstractJobReconciler (what each upgrade mode does on a Flink version change)",
    "https://github.com/apache/flink-kubernetes-operator/blob/main/flink-kubernetes-operator/src/main/java/org/apache/flink/kubernetes/operator/reconciler/deployment/AbstractJobReconciler.java",
);
pub const OP_VALIDATOR: Source = Source::new(
    "Flink Kubernetes Operator source: DefaultValidator (flinkVersion after a last-state suspend is refused)",
    "https://github.com/apache/flink-kubernetes-operator/blob/main/flink-kubernetes-operator/src/main/java/org/apache/flink/kubernetes/operator/validation/DefaultValidator.java",
);
pub const OP_SESSION_RECONCILER: Source = Source::new(
    "Flink Kubernetes Operator source: SessionReconciler (a session change redeploys without savepointing the session jobs)",
    "https://github.com/apache/flink-kubernetes-operator/blob/main/flink-kubernetes-operator/src/main/java/org/apache/flink/kubernetes/operator/reconciler/deployment/SessionReconciler.java",
);
pub const OP_FLINK_VERSION: Source = Source::new(
    "Flink Kubernetes Operator source: FlinkVersion (the enum and its deprecations)",
    "https://github.com/apache/flink-kubernetes-operator/blob/main/flink-kubernetes-operator-api/src/main/java/org/apache/flink/kubernetes/operator/api/spec/FlinkVersion.java",
);
pub const FLINK_30527: Source = Source::new(
    "FLINK-30527: last-state suspend followed by a flinkVersion change may lose state",
    "https://issues.apache.org/jira/browse/FLINK-30527",
);
pub const OP_PR_294: Source = Source::new(
    "Operator PR 294 (FLINK-28350): always a savepoint between Flink versions, HA metadata is not compatible",
    "https://github.com/apache/flink-kubernetes-operator/pull/294",
);

/// Every source of the Flink rules, for invariant tests.
pub const ALL: &[Source] = &[
    UPGRADING,
    MATRIX_1_18,
    SAVEPOINTS,
    CLI,
    REST,
    HA,
    RELEASES,
    JAVA,
    PR_6517,
    MAGIC_NUMBER_1_0,
    FLINK_11087,
    FLINK_28861,
    FLINK_29807,
    KRYO_5,
    // amazon-managed-flink
    MSF_IN_PLACE,
    MSF_UPGRADING,
    MSF_FLINK_2_2,
    MSF_STATE_COMPATIBILITY,
    MSF_PRECAUTIONS,
    MSF_SNAPSHOTS,
    MSF_SYSTEM_ROLLBACK,
    MSF_BEST_PRACTICES,
    MSF_METRICS,
    MSF_FLINK_2_3,
    MSF_UPDATE_APPLICATION,
    MSF_ROLLBACK_APPLICATION,
    MSF_OPERATIONS,
    MSF_CREATE_SNAPSHOT,
    // standalone application and YARN
    STANDALONE,
    DEPLOYMENT_MODES,
    YARN,
    YARN_HA,
    YARN_CONFIG,
    CLI_1_10,
    FLINK_35625,
    STREAMPARK_3397,
    // native Kubernetes and the operator
    NATIVE_K8S,
    K8S_HA,
    HA_LIFECYCLE,
    FLINK_29372,
    K8S_LABELS_CODE,
    K8S_API_PROXY,
    OP_OVERVIEW,
    OP_JOB_MANAGEMENT,
    OP_REFERENCE,
    OP_SNAPSHOTS,
    OP_RECONCILER,
    OP_VALIDATOR,
    OP_SESSION_RECONCILER,
    OP_FLINK_VERSION,
    FLINK_30527,
    OP_PR_294,
];
