//! The SSH connections a run opens: one per cluster, shared by all its
//! commands (the script's `ssh` uses ControlMaster; see `script_lib.sh`).

use crate::plan::{Check, Expect, Step};

use super::super::sources;
use super::{lit, step, Context, Which};

impl Context<'_> {
    /// Opens the SSH connection to each of `clusters` before anything else
    /// needs it, and says how to avoid the password prompts.
    pub fn ssh_preflight(&self, clusters: &[Which]) -> Step {
        let mut st = step(
            "preflight.ssh",
            "Check SSH to the clusters",
            "The script opens one SSH connection per cluster and reuses it for the whole run (ControlMaster, its socket in the run's private directory), so each cluster's SSH password is asked once per run. With an SSH key nothing is asked: load it into ssh-agent (ssh-add) if the cluster was created with its public key, or add the key to the SSH user's ~/.ssh/authorized_keys on the head nodes. By hand, add -o ControlMaster=auto -o ControlPath=~/.ssh/cm-%C -o ControlPersist=30m to ssh for the same effect.",
        );
        for w in clusters {
            st = st.check(Check::new(
                self.ssh(*w, vec![lit("true")]),
                Expect::Success,
                format!("SSH to the {} cluster works", w.label()),
            ));
        }
        st.verify("ssh logs in to each cluster's head node.")
            .rollback("Check SSH_USER and the password or key; the SSH endpoint is <cluster>-ssh.azurehdinsight.net, port 22.")
            .source(sources::HDI_SSH)
            .source(sources::SSH_CONFIG)
            .done()
    }
}
