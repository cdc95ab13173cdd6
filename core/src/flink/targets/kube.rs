//! Kubernetes pieces the native targets and the operator share: the
//! namespace variable, `kubectl` reads, fresh cluster ids, images per
//! version and the pre-flight checks of the Kubernetes access the script
//! needs.

pub use crate::plan::{lit, var};
use crate::plan::{Check, Command, Expect, Word};
use crate::version::Version;

use super::super::runbook::Context;
use super::super::sources;

/// The variable holding the namespace.
pub const NS: &str = "K8S_NAMESPACE";

/// `kubectl <words> -n <namespace>`.
pub fn kubectl(words: Vec<Word>) -> Command {
    let mut all = vec![lit("kubectl")];
    all.extend(words);
    all.push(lit("-n"));
    all.push(var(NS));
    Command::local(all)
}

/// `kubectl get <kind> <name> -n <ns> -o jsonpath=<path>`.
pub fn jsonpath(kind: &str, name: &str, path: &str) -> Command {
    kubectl(vec![
        lit("get"),
        lit(kind.to_owned()),
        var(name.to_owned()),
        lit("-o"),
        lit(format!("jsonpath={path}")),
    ])
}

/// Nothing of cluster id `id` is left in the namespace: no deployment and no
/// ConfigMap, HA ConfigMaps included, carries the label `app=<id>` Flink
/// puts on everything it creates for a cluster (`kubectl get` prints
/// nothing on standard output when nothing matches, and fails when it
/// cannot ask).
pub fn nothing_left(id: &str, holds: String) -> Check {
    Check::new(
        kubectl(vec![
            lit("get"),
            lit("deployments,configmaps"),
            lit("-l"),
            Word::Join(vec![lit("app="), var(id.to_owned())]),
            lit("-o"),
            lit("name"),
        ]),
        Expect::Output(String::new()),
        holds,
    )
}

/// `kubectl delete configmap -n <ns> -l app=<id>,configmap-type=high-availability`:
/// the HA ConfigMaps of cluster id `id`, which deleting the deployment
/// keeps. The selector comes from the labels Flink sets; no Flink page
/// shows this command.
pub fn delete_ha_configmaps(id: &str) -> Command {
    kubectl(vec![
        lit("delete"),
        lit("configmap"),
        lit("-l"),
        Word::Join(vec![
            lit("app="),
            var(id.to_owned()),
            lit(",configmap-type=high-availability"),
        ]),
    ])
}

/// The pre-flight's checks of the access the script needs: the namespace
/// exists and the current user may read services through the API server's
/// proxy (every REST check goes that way) and `verbs` on `resources`.
pub fn access_checks(c: &Context<'_>, rights: &[(&'static str, &str)]) -> Vec<Check> {
    let ns = c.s.target.namespace_or_default().to_string();
    let mut checks = vec![Check::new(
        Command::local(vec![lit("kubectl"), lit("get"), lit("namespace"), var(NS)]),
        Expect::Success,
        format!("kubectl reaches the cluster and namespace {ns} exists"),
    )];
    for (verb, resource) in [("get", "services/proxy")].iter().chain(rights) {
        // `services/proxy` is a subresource: `can-i get services/proxy`
        // would ask about a service named proxy.
        let mut words = vec![lit("auth"), lit("can-i"), lit(*verb)];
        match resource.split_once('/') {
            Some((kind, sub)) => {
                words.push(lit(kind.to_owned()));
                words.push(lit(format!("--subresource={sub}")));
            }
            None => words.push(lit(resource.to_string())),
        }
        checks.push(Check::new(
            kubectl(words),
            Expect::Output("yes".into()),
            format!("the current kubectl user may {verb} {resource} in {ns}"),
        ));
    }
    checks
}

/// A cluster id for a new cluster of version `v`, from `base`: a previous
/// `-v<major>-<minor>` suffix is replaced (`orders-v1-19` → `orders-v1-20`),
/// else the suffix is appended; cut to Flink's 45 characters.
pub fn derived_id(base: &str, v: Version) -> String {
    let suffix = format!("-v{}-{}", v.major, v.minor);
    let stem = strip_version_suffix(base);
    let room = 45 - suffix.len();
    let stem = stem[..stem.len().min(room)].trim_end_matches('-');
    format!("{stem}{suffix}")
}

/// `orders-v1-19` → `orders`; anything else unchanged.
fn strip_version_suffix(id: &str) -> &str {
    let parts: Vec<&str> = id.rsplitn(3, '-').collect();
    let numeric = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if parts.len() == 3
        && numeric(parts[0])
        && parts[1].len() > 1
        && parts[1].starts_with('v')
        && numeric(&parts[1][1..])
        && !parts[2].is_empty()
    {
        parts[2]
    } else {
        id
    }
}

/// The image of the version at path index `i`: `old-image` for the old
/// version, `image` for the new one, and for a stop `image` with the new
/// version replaced by the stop's (`flink:2.0.0-java17` → `flink:1.20.1-java17`),
/// or `None` when `image` does not name its version.
pub fn image_for(c: &Context<'_>, i: usize) -> Option<String> {
    let t = &c.s.target;
    let last = c.path.len() - 1;
    if i == 0 {
        return (!t.old_image.is_empty()).then(|| t.old_image.clone());
    }
    if i == last {
        return Some(t.image.clone());
    }
    replace_version(&t.image, c.path[last], c.path[i])
}

/// `image` with its token of version `to`'s line (`2.0` or `2.0.1`, not
/// inside `12.0` or `2.01`) replaced by `by`; `None` without such a token.
pub fn replace_version(image: &str, to: Version, by: Version) -> Option<String> {
    let line = to.line().to_string();
    let b = image.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    for (at, _) in image.match_indices(&line) {
        if at > 0 && (digit(at - 1) || b[at - 1] == b'.') {
            continue;
        }
        let mut end = at + line.len();
        if digit(end) {
            continue;
        }
        if b.get(end) == Some(&b'.') && digit(end + 1) {
            end += 1;
            while digit(end) {
                end += 1;
            }
        }
        if b.get(end) == Some(&b'.') && digit(end + 1) {
            continue;
        }
        return Some(format!("{}{by}{}", &image[..at], &image[end..]));
    }
    None
}

/// The variable holding the image at path index `i` (see [`image_for`]).
pub fn image_var(c: &Context<'_>, i: usize) -> String {
    let last = c.path.len() - 1;
    if i == 0 {
        "OLD_IMAGE".into()
    } else if i == last {
        "NEW_IMAGE".into()
    } else {
        format!("STOP{i}_IMAGE")
    }
}

/// Declares the images of the path (`OLD_IMAGE` when the target takes one).
pub fn image_variables(c: &mut Context<'_>) {
    let last = c.path.len() - 1;
    for i in 0..=last {
        if let Some(image) = image_for(c, i) {
            let what = match i {
                0 => format!(
                    "Container image of Flink {} (the old version, for the rollback)",
                    c.path[0]
                ),
                _ if i == last => {
                    format!("Container image of Flink {} (the new version)", c.path[i])
                }
                _ => format!(
                    "Container image of Flink {} (stop {i}), derived from image",
                    c.path[i]
                ),
            };
            c.text(&image_var(c, i), what, &image);
        }
    }
}

/// The findings every Kubernetes target shares: a stop whose image cannot
/// be derived blocks the plan.
pub fn image_findings(
    s: &super::super::scenario::Scenario,
    path: &[Version],
) -> Vec<crate::plan::Finding> {
    use crate::plan::{finding, Severity};
    let last = path.len() - 1;
    let mut out = Vec::new();
    for (i, stop) in path.iter().enumerate().take(last).skip(1) {
        let to = path[last];
        if replace_version(&s.target.image, to, *stop).is_none() {
            out.push(finding(
                Severity::Blocker,
                "kubernetes.stop-image",
                format!("No image for the stop at Flink {stop}"),
                format!("The route stops at Flink {stop} (stop {i}), which needs an image of that version. The plan derives it from image by replacing the new version it names, but {} does not name {to}.", s.target.image),
                format!("Give image a tag that names the new version (such as …:{to}-java17, where the stop's image is …:{stop}-java17), or choose a route without stops with via."),
                &[sources::NATIVE_K8S, sources::UPGRADING],
            ));
        }
    }
    out
}

/// Whether `uri` can be a job's jar URI as Flink parses it (`java.net.URI`:
/// no whitespace, quotes, backslashes or angle brackets; the 1.20.1 CLI
/// refuses `local:///…/my job.jar` with "Illegal character in path").
pub fn is_plain_uri(uri: &str) -> bool {
    !uri.is_empty()
        && !uri
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "\"\\<>^`{|}".contains(c))
}

/// A blocker when a job's jar (or its old or stop jar) is not a plain URI.
pub fn jar_uri_findings(
    s: &super::super::scenario::Scenario,
    code: &'static str,
) -> Vec<crate::plan::Finding> {
    use crate::plan::{finding, Severity};
    let bad: Vec<String> = s
        .jobs
        .iter()
        .enumerate()
        .flat_map(|(i, j)| {
            let mut all = vec![(format!("job{}.jar", i + 1), j.jar.clone())];
            if !j.old_jar.is_empty() {
                all.push((format!("job{}.old-jar", i + 1), j.old_jar.clone()));
            }
            for (k, x) in j
                .stop_jars
                .iter()
                .enumerate()
                .filter(|(_, x)| !x.is_empty())
            {
                all.push((format!("job{}.stop{}-jar", i + 1, k + 1), x.clone()));
            }
            all
        })
        .filter(|(_, uri)| !is_plain_uri(uri))
        .map(|(key, _)| key)
        .collect();
    if bad.is_empty() {
        return Vec::new();
    }
    vec![finding(
        Severity::Blocker,
        code,
        "A jar is not a plain URI",
        format!("{} holds a space, a quote, a backslash or another character a URI cannot hold as it is. Flink reads the job's jar as a URI (local:///opt/flink/usrlib/… in the image), and the patches and commands carry it as written.", bad.join(", ")),
        "Give the jar as a URI, percent-encoding what it needs (a space as %20), such as local:///opt/flink/usrlib/orders.jar.",
        &[sources::NATIVE_K8S, sources::OP_REFERENCE],
    )]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stop_image_replaces_the_whole_version_token() {
        let (to, stop) = (Version::minor(2, 0), Version::patch(1, 20, 3));
        assert_eq!(
            replace_version("flink:2.0.0-java17", to, stop).unwrap(),
            "flink:1.20.3-java17"
        );
        assert_eq!(
            replace_version("reg/jobs:2.0", to, stop).unwrap(),
            "reg/jobs:1.20.3"
        );
        assert_eq!(
            replace_version("reg:5000/flink-2.0.1", to, stop).unwrap(),
            "reg:5000/flink-1.20.3"
        );
        assert!(replace_version("reg/jobs:12.0", to, stop).is_none());
        assert!(replace_version("reg/jobs:new", to, stop).is_none());
    }

    #[test]
    fn derived_ids_replace_a_version_suffix_and_fit_in_45() {
        let v = Version::minor(1, 20);
        assert_eq!(derived_id("analytics", v), "analytics-v1-20");
        assert_eq!(derived_id("analytics-v1-19", v), "analytics-v1-20");
        assert_eq!(derived_id("a-v1", v), "a-v1-v1-20");
        let long = derived_id(&"a".repeat(45), v);
        assert_eq!(long.len(), 45);
        assert!(long.ends_with("-v1-20"));
        let dashes = derived_id(&format!("{}-{}", "a".repeat(38), "b".repeat(6)), v);
        assert!(!dashes.contains("--"), "{dashes}");
    }
}
