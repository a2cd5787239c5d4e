//! Operations that started and never ended: a deploy killed halfway, a machine that went down.

use std::collections::HashSet;

use serde::Serialize;

use super::{Entry, Outcome};

/// An operation with a `started` entry and no outcome entry, and what to run about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unfinished {
    /// The tag of the `started` entry (the operation id).
    pub tag: String,
    /// When it started.
    pub time: String,
    /// Who started it.
    pub who: String,
    /// The action, e.g. `DEPLOY`.
    pub action: String,
    /// The environment; `None` for the top level.
    pub environment: Option<String>,
    /// The worker.
    pub worker: Option<String>,
    /// The version serving before it started.
    pub version_before: Option<String>,
    /// The intent it was started with.
    pub intent: Option<String>,
    /// The command that undoes it: the recorded rollback command, else a `wrangler rollback` to
    /// the version before; `None` when neither was recorded.
    pub undo_command: Option<String>,
    /// The command that records how it ended, once that is known (`--outcome` to be chosen).
    pub close_command: String,
}

/// Every operation of the trail that started and has no later entry with an outcome naming it,
/// in file order.
#[must_use]
pub fn resume(entries: &[Entry]) -> Vec<Unfinished> {
    let ended: HashSet<&str> = entries
        .iter()
        .filter(|entry| entry.outcome != Outcome::Started)
        .map(|entry| entry.operation.as_str())
        .collect();
    entries
        .iter()
        .filter(|entry| entry.outcome == Outcome::Started && !ended.contains(entry.tag.as_str()))
        .map(|entry| {
            let env_flag =
                entry.environment.as_ref().map(|env| format!(" --env {env}")).unwrap_or_default();
            let undo_command = entry.rollback_command.clone().or_else(|| {
                entry.version_ids.before.as_ref().map(|version| {
                    let name =
                        entry.worker.as_ref().map(|w| format!(" --name {w}")).unwrap_or_default();
                    format!("npx wrangler rollback {version}{name}{env_flag}")
                })
            });
            Unfinished {
                tag: entry.tag.clone(),
                time: entry.time.clone(),
                who: entry.who.clone(),
                action: entry.action.clone(),
                environment: entry.environment.clone(),
                worker: entry.worker.clone(),
                version_before: entry.version_ids.before.clone(),
                intent: entry.intent.clone(),
                undo_command,
                close_command: format!(
                    "atom-sage trail append --operation {} --action {}{env_flag} --outcome <succeeded|failed|rolled_back|aborted>",
                    entry.tag, entry.action
                ),
            }
        })
        .collect()
}
