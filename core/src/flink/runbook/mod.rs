//! Builds the phases of a Flink plan, with commands in the syntax of the
//! version each runs against: [`prepare`], [`preflight`] (reads only),
//! [`cutover`] (per hop), [`verify`], [`rollback`] (from wherever the cutover
//! stopped) and [`decommission`] (the irreversible clean-up, with the
//! change frame).

mod cutover;
pub(crate) mod decommission;
pub(crate) mod preflight;
pub(crate) mod prepare;
mod rollback;
mod verify;

/// The change frame: the target's own, else the standalone session's.
pub fn frame(c: &Context<'_>) -> crate::plan::Frame {
    super::targets::frame(c).unwrap_or_else(|| decommission::frame(c))
}

/// The standalone session's change frame, which targets adapt.
pub fn standalone_frame(c: &Context<'_>) -> crate::plan::Frame {
    decommission::frame(c)
}

/// The standalone session's frame for a target: the go/no-go names what
/// the cutover stops (`old`) instead of the old cluster, and the cutover's
/// estimate says what one job and hop takes there (`per_hop`, then `more`
/// after the counts).
pub(in crate::flink) fn target_frame(
    c: &Context<'_>,
    old: &str,
    per_hop: &str,
    more: &str,
) -> crate::plan::Frame {
    let mut f = decommission::frame(c);
    f.go_no_go = f.go_no_go.replace(&c.name(0), old);
    for e in f
        .estimates
        .iter_mut()
        .filter(|e| e.phase == PhaseId::Cutover)
    {
        e.time = format!(
            "per job and hop: {per_hop} ({} jobs, {} hops){more}; the rehearsal gives the real figure",
            c.s.jobs.len(),
            c.path.len() - 1
        );
    }
    f
}

// Steps every target shares with the standalone session.
pub(in crate::flink) use cutover::savepoint_stop;
pub(in crate::flink) use decommission::{old_installations, savepoints as savepoints_step};
pub(in crate::flink) use preflight::{go, installations};
pub(in crate::flink) use prepare::{preconditions, rehearse};
pub(in crate::flink) use rollback::cancel_step;
pub(in crate::flink) use verify::{observe, restored_step};

pub(crate) use crate::plan::{lit, var};
use crate::plan::{Phase, PhaseId, Value, Variable};
use crate::version::Version;

use super::cli::{Cluster, RunSpec};
use super::scenario::{Job, Scenario, Strategy};

/// Variables and clusters for one plan.
pub struct Context<'a> {
    pub s: &'a Scenario,
    pub path: &'a [Version],
    pub vars: Vec<Variable>,
}

impl<'a> Context<'a> {
    pub fn new(s: &'a Scenario, path: &'a [Version]) -> Self {
        let mut c = Context {
            s,
            path,
            vars: Vec::new(),
        };
        c.text(
            "OLD_HOME",
            format!("Flink {} installation directory (old cluster)", path[0]),
            &s.old_home,
        );
        for (i, &stop) in path
            .iter()
            .enumerate()
            .take(path.len().saturating_sub(1))
            .skip(1)
        {
            let home = s
                .stop_homes
                .get(i - 1)
                .filter(|h| !h.is_empty())
                .cloned()
                .unwrap_or_else(|| default_home(s, stop));
            c.text(
                &format!("STOP{i}_HOME"),
                format!("Flink {} installation directory (stop {i})", path[i]),
                &home,
            );
        }
        c.text(
            "NEW_HOME",
            format!(
                "Flink {} installation directory (new cluster)",
                path[path.len() - 1]
            ),
            &s.new_home,
        );
        if !s.old_jobmanager.is_empty() {
            c.text(
                "OLD_JOBMANAGER",
                "JobManager address of the old cluster".into(),
                &s.old_jobmanager,
            );
        }
        if !s.new_jobmanager.is_empty() {
            c.text(
                "NEW_JOBMANAGER",
                "JobManager address of the new cluster".into(),
                &s.new_jobmanager,
            );
        }
        let rest = |jm: &str| {
            if jm.is_empty() {
                "localhost:8081".to_string()
            } else {
                jm.to_string()
            }
        };
        c.text(
            "OLD_REST",
            "REST address of the old cluster (localhost:8081 unless old-jobmanager says otherwise)"
                .into(),
            &rest(&s.old_jobmanager),
        );
        c.text(
            "NEW_REST",
            "REST address of the new cluster (localhost:8081 unless new-jobmanager says otherwise)"
                .into(),
            &rest(&s.new_jobmanager),
        );
        if !s.savepoint_dir.is_empty() {
            c.text(
                "SAVEPOINT_DIR",
                "Where savepoints are written".into(),
                &s.savepoint_dir,
            );
        }
        for (i, job) in s.jobs.iter().enumerate() {
            let n = i + 1;
            let who = job.label().to_string();
            c.text(
                &format!("JOB{n}_ID"),
                format!("Job id of {who} on the old cluster"),
                &job.id,
            );
            c.text(&format!("JOB{n}_JAR"), format!("Jar of {who}"), &job.jar);
            for (k, jar) in job.stop_jars.iter().enumerate() {
                if !jar.is_empty() && k + 1 < path.len() - 1 {
                    c.text(
                        &stop_jar_var(n, k + 1),
                        format!("Jar of {who} for Flink {} (stop {})", path[k + 1], k + 1),
                        jar,
                    );
                }
            }
            if !job.class.is_empty() {
                c.text(
                    &format!("JOB{n}_CLASS"),
                    format!("Entry class of {who}"),
                    &job.class,
                );
            }
            if !job.args.is_empty() {
                c.vars.push(Variable {
                    name: format!("JOB{n}_ARGS"),
                    description: format!("Program arguments of {who}"),
                    value: Value::List(job.arg_words()),
                });
            }
            if !job.old_jar.is_empty() {
                c.text(
                    &format!("JOB{n}_OLD_JAR"),
                    format!("Jar of {who} for the old version (rollback)"),
                    &job.old_jar,
                );
            }
            if let Some(p) = job.parallelism {
                c.text(
                    &format!("JOB{n}_PARALLELISM"),
                    format!("Parallelism of {who}"),
                    &p.to_string(),
                );
            }
            c.captured(
                &rollback_id_var(n),
                format!("Job id of {who} on Flink {} after a rollback", path[0]),
            );
            for hop in 1..path.len() {
                c.captured(
                    &savepoint_var(n, hop),
                    format!("Savepoint of {who} taken on Flink {}", path[hop - 1]),
                );
                c.captured(
                    &id_var(n, hop, path.len() - 1),
                    format!("Job id of {who} on Flink {}", path[hop]),
                );
            }
        }
        super::targets::variables(&mut c);
        c
    }

    pub(crate) fn text(&mut self, name: &str, description: String, value: &str) {
        self.vars.push(Variable {
            name: name.into(),
            description,
            value: Value::Text(value.into()),
        });
    }

    pub(crate) fn captured(&mut self, name: &str, description: String) {
        self.vars.push(Variable {
            name: name.into(),
            description,
            value: Value::Captured,
        });
    }

    /// The cluster at path index `i`.
    pub fn cluster(&self, i: usize) -> Cluster {
        let last = self.path.len() - 1;
        let (home, jm) = if i == 0 {
            (
                "OLD_HOME".to_string(),
                (!self.s.old_jobmanager.is_empty()).then(|| "OLD_JOBMANAGER".to_string()),
            )
        } else if i == last {
            (
                "NEW_HOME".to_string(),
                (!self.s.new_jobmanager.is_empty()).then(|| "NEW_JOBMANAGER".to_string()),
            )
        } else {
            let jm = match self.s.strategy {
                Strategy::InPlace if !self.s.old_jobmanager.is_empty() => {
                    Some("OLD_JOBMANAGER".to_string())
                }
                _ => None,
            };
            (format!("STOP{i}_HOME"), jm)
        };
        Cluster::standalone(self.path[i], home, jm, self.rest_var(i))
    }

    pub(crate) fn name(&self, i: usize) -> String {
        let last = self.path.len() - 1;
        if i == 0 {
            format!("the old Flink {} cluster", self.path[i])
        } else if i == last {
            format!("the new Flink {} cluster", self.path[i])
        } else {
            format!("the Flink {} cluster (stop {i})", self.path[i])
        }
    }

    /// The REST address variable of the cluster at path index `i`. A stop of
    /// an in-place upgrade runs on the old cluster's hosts; a stop of a shadow
    /// copy on the new cluster's.
    fn rest_var(&self, i: usize) -> String {
        let last = self.path.len() - 1;
        let old_side = i == 0 || (i != last && self.s.strategy == Strategy::InPlace);
        if old_side {
            "OLD_REST".into()
        } else {
            "NEW_REST".into()
        }
    }

    /// The REST address of the cluster at path index `i`, as text.
    pub(crate) fn rest_text(&self, i: usize) -> String {
        self.text_of(self.cluster(i).rest)
    }

    /// The installation directory of the cluster at path index `i`, as text.
    pub(crate) fn home_path(&self, i: usize) -> String {
        self.text_of(self.cluster(i).home)
    }

    /// The text value of the variable `name`, or its name.
    fn text_of(&self, name: String) -> String {
        self.vars
            .iter()
            .find(|v| v.name == name)
            .and_then(|v| match &v.value {
                Value::Text(t) => Some(t.clone()),
                _ => None,
            })
            .unwrap_or(name)
    }
}

/// `/opt/flink-1.7` → `/opt/flink-1.16` when the old home names its version.
/// `/opt/flink-1.7` -> `/opt/flink-1.16.3` when the old home names the
/// source version as a whole token (`1.1` inside `/opt/flink-1.10` does not
/// count); otherwise `/opt/flink-<version>`.
fn default_home(s: &Scenario, v: Version) -> String {
    let from = s.from.to_string();
    let bytes = s.old_home.as_bytes();
    let digit_at = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    let standalone = |at: usize| {
        let end = at + from.len();
        let before_ok = at == 0 || !(digit_at(at - 1) || bytes[at - 1] == b'.');
        let dot_then_digit = bytes.get(end) == Some(&b'.') && digit_at(end + 1);
        let after_ok = !(digit_at(end) || dot_then_digit);
        before_ok && after_ok
    };
    match s
        .old_home
        .match_indices(&from)
        .map(|(i, _)| i)
        .find(|&i| standalone(i))
    {
        Some(at) => format!("{}{v}{}", &s.old_home[..at], &s.old_home[at + from.len()..]),
        None => format!("/opt/flink-{v}"),
    }
}

/// The variables `flink run` takes to resume job `n` (1-based) from the
/// savepoint in `savepoint` with the jar in `jar`: the cutover's resumes
/// and the rollback's use the same.
pub(crate) struct RunVars {
    savepoint: String,
    jar: String,
    class: String,
    args: String,
    parallelism: String,
}

impl RunVars {
    pub(crate) fn new(n: usize, savepoint: String, jar: String) -> RunVars {
        RunVars {
            savepoint,
            jar,
            class: format!("JOB{n}_CLASS"),
            args: format!("JOB{n}_ARGS"),
            parallelism: format!("JOB{n}_PARALLELISM"),
        }
    }

    /// The spec for `job`: only the options the job sets.
    pub(crate) fn spec(&self, job: &Job) -> RunSpec<'_> {
        RunSpec {
            savepoint: &self.savepoint,
            jar: &self.jar,
            class: (!job.class.is_empty()).then_some(self.class.as_str()),
            args: (!job.args.is_empty()).then_some(self.args.as_str()),
            parallelism: job
                .parallelism
                .is_some()
                .then_some(self.parallelism.as_str()),
        }
    }
}

/// The jar job `n` runs from at stop `k` (1-based), when it has its own.
pub fn stop_jar_var(n: usize, k: usize) -> String {
    format!("JOB{n}_STOP{k}_JAR")
}

/// The variable of the jar job `n` (1-based) is submitted with at path
/// index `i`: a stop's own jar when given, else the job's jar.
pub(crate) fn jar_var(c: &Context<'_>, n: usize, i: usize) -> String {
    let own = i > 0
        && i < c.path.len() - 1
        && c.s.jobs[n - 1]
            .stop_jars
            .get(i - 1)
            .is_some_and(|j| !j.is_empty());
    if own {
        stop_jar_var(n, i)
    } else {
        format!("JOB{n}_JAR")
    }
}

/// The savepoint taken at the start of hop `hop` (1-based).
pub fn savepoint_var(job: usize, hop: usize) -> String {
    if hop == 1 {
        format!("JOB{job}_SAVEPOINT")
    } else {
        format!("JOB{job}_SAVEPOINT_STOP{}", hop - 1)
    }
}

/// The job's id on the old version after a rollback resumed it.
pub fn rollback_id_var(job: usize) -> String {
    format!("JOB{job}_ROLLBACK_ID")
}

/// The job's id after hop `hop`; `hops` is the number of hops.
pub fn id_var(job: usize, hop: usize, hops: usize) -> String {
    if hop == 0 {
        format!("JOB{job}_ID")
    } else if hop == hops {
        format!("JOB{job}_NEW_ID")
    } else {
        format!("JOB{job}_ID_STOP{hop}")
    }
}

pub fn phases(c: &Context<'_>) -> Vec<Phase> {
    use crate::plan::phase;
    if c.s.deployment != super::deployment::Deployment::StandaloneSession {
        return super::targets::phases(c);
    }
    vec![
        phase(
            PhaseId::Prepare,
            "Before the change window: check the preconditions, install the new release and rehearse the upgrade in a test environment.".into(),
            prepare::steps(c),
        ),
        phase(
            PhaseId::Preflight,
            "Right before the cutover, reading only: the installations, jars and clusters are as planned and exactly the planned jobs run. Nothing changes here; a failed check stops before production is touched.".into(),
            preflight::steps(c),
        ),
        phase(PhaseId::Cutover, cutover::intro(c), cutover::steps(c)),
        phase(
            PhaseId::Verify,
            "Confirm that every job runs on the new version, resumed from its own savepoint and checkpoints again.".into(),
            verify::steps(c),
        ),
        phase(PhaseId::Rollback, rollback::intro(c), rollback::steps(c)),
        phase(
            PhaseId::Decommission,
            format!(
                "After the soak ({} days without a rollback): remove what the rollback needed. This cannot be undone.",
                frame(c).soak_days
            ),
            decommission::steps(c),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn home_for(from: &str, old_home: &str, stop: Version) -> String {
        let mut s = Scenario::example();
        s.from = Version::parse(from).unwrap();
        s.old_home = old_home.into();
        default_home(&s, stop)
    }

    #[test]
    fn stop_homes_follow_the_old_home_naming() {
        let stop = Version::patch(1, 16, 3);
        assert_eq!(home_for("1.7", "/opt/flink-1.7", stop), "/opt/flink-1.16.3");
        assert_eq!(
            home_for("1.7", "/srv/flink-1.7/current", stop),
            "/srv/flink-1.16.3/current"
        );
        assert_eq!(
            home_for("1.1", "/opt/flink-1.10", stop),
            "/opt/flink-1.16.3"
        );
        assert_eq!(
            home_for("1.1", "/opt/flink-1.1.5", stop),
            "/opt/flink-1.16.3"
        );
        assert_eq!(home_for("1.7", "/opt/flink", stop), "/opt/flink-1.16.3");
    }
}
