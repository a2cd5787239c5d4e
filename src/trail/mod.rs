//! The audit trail: one JSON object per line in `.atom-sage/trail.jsonl` beside the wrangler
//! config, append-only, each line chained to the one before it by a SHA-256 hash.
//!
//! An operation (a deploy, a rollback) writes a `started` entry before it touches anything and
//! an outcome entry (`succeeded`, `failed`, ...) when it ends; the outcome entry names the
//! started entry's tag in `operation`. A one-shot record (a check) is a single entry whose
//! `operation` is its own tag. [`resume`] finds operations that started and never ended.
//!
//! Tags read `ATOM-<ACTION>-YYYYMMDD-NNN`: the UTC date of the entry and a counter of the
//! entries written that day, whatever their action, from 001 (more digits past 999). The counter
//! continues the tag of the last line, so appending reads only the end of the file.
//!
//! What the trail cannot catch on its own: the last lines removed cleanly (the chain of the
//! remaining lines is intact). `verify` prints the hash of the last line so it can be kept
//! elsewhere and compared. With `trail.sink` in the settings each line is also sent to an HTTP
//! endpoint (`sink.rs`).

mod chain;
mod export;
mod resume;
mod sink;
mod store;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use chain::{GENESIS, Problem, ProblemKind, Verification, entry_hash, verify, verify_text};
pub use export::{ExportFormat, export, table};
pub use resume::{Unfinished, resume};
pub use sink::{
    Delivery, SINK_POSITION_FILE, SinkError, SinkPosition, deliver, header_references,
    read_position, redact_url,
};
pub use store::{Trail, append, read};

use crate::diagnostic::Severity;

/// Where the trail lives, relative to the directory that holds the wrangler config.
pub const TRAIL_FILE: &str = ".atom-sage/trail.jsonl";

/// What happened to an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The operation began; an outcome entry follows when it ends.
    Started,
    /// It did what it set out to do (a check: no error findings).
    Succeeded,
    /// It did not (a check: error findings); nothing was rolled back.
    Failed,
    /// It failed and the previous version was put back.
    RolledBack,
    /// It was stopped before it changed anything (a failed validation, a refusal, Ctrl-C).
    Aborted,
    /// It went ahead although validation found errors; `reason` says why.
    Forced,
}

impl Outcome {
    /// Every outcome, in the order above.
    pub const ALL: [Outcome; 6] = [
        Outcome::Started,
        Outcome::Succeeded,
        Outcome::Failed,
        Outcome::RolledBack,
        Outcome::Aborted,
        Outcome::Forced,
    ];

    /// The `snake_case` name used in the trail.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Started => "started",
            Outcome::Succeeded => "succeeded",
            Outcome::Failed => "failed",
            Outcome::RolledBack => "rolled_back",
            Outcome::Aborted => "aborted",
            Outcome::Forced => "forced",
        }
    }

    /// Parses the name used in the trail.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|outcome| outcome.as_str() == text)
    }
}

/// The worker versions on either side of an operation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionIds {
    /// The version serving before the operation.
    pub before: Option<String>,
    /// The version serving after it.
    pub after: Option<String>,
}

/// The findings of the validation an entry records: counts by severity and the codes seen.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingsSummary {
    /// Error findings.
    pub errors: usize,
    /// Warning findings.
    pub warnings: usize,
    /// Info findings.
    pub infos: usize,
    /// Each code found, once, sorted.
    pub codes: Vec<String>,
}

impl FindingsSummary {
    /// The summary of a check's findings.
    #[must_use]
    pub fn of(diagnostics: &[crate::Diagnostic]) -> Self {
        let count = |severity| diagnostics.iter().filter(|d| d.severity == severity).count();
        let mut codes: Vec<String> = diagnostics.iter().map(|d| d.code.to_owned()).collect();
        codes.sort();
        codes.dedup();
        Self {
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
            codes,
        }
    }
}

/// One line of the trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// `ATOM-<ACTION>-YYYYMMDD-NNN`, unique in the file.
    pub tag: String,
    /// The tag of the `started` entry of the operation this entry belongs to; its own tag for a
    /// `started` entry or a one-shot record.
    pub operation: String,
    /// When it was written, RFC 3339 in UTC with milliseconds.
    pub time: String,
    /// Who ran it: git `user.name <user.email>` of the project, else the OS user.
    pub who: String,
    /// What the user said they meant to do, with secret-looking words redacted.
    pub intent: Option<String>,
    /// `DEPLOY`, `ROLLBACK`, `CHECK`, ...: upper case letters, digits and `_`.
    pub action: String,
    /// The environment; `None` for the top level.
    pub environment: Option<String>,
    /// The worker name.
    pub worker: Option<String>,
    /// The versions before and after.
    pub version_ids: VersionIds,
    /// The validation's findings, when one ran.
    pub findings: Option<FindingsSummary>,
    /// What happened.
    pub outcome: Outcome,
    /// Why a deploy was forced or aborted, with secret-looking words redacted.
    pub reason: Option<String>,
    /// The command that undoes the operation.
    pub rollback_command: Option<String>,
    /// The `hash` of the line before; [`GENESIS`] for the first line.
    pub prev_hash: String,
    /// SHA-256, lower-case hex, of the canonical form of this entry without `hash`.
    pub hash: String,
}

/// What the caller says about an entry to append; the trail fills in the tag, time, who and
/// the hashes. Every field but `action` may be left out of its JSON form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewEntry {
    /// The action, e.g. `DEPLOY`; upper-cased when written.
    pub action: String,
    /// What happened; `None` is read as `started`.
    pub outcome: Option<Outcome>,
    /// The tag of the `started` entry this outcome ends; `None` for a new operation.
    pub operation: Option<String>,
    /// The user's intent (redacted before it is written).
    pub intent: Option<String>,
    /// The environment; `None` for the top level.
    pub environment: Option<String>,
    /// The worker name.
    pub worker: Option<String>,
    /// The versions before and after.
    pub version_ids: VersionIds,
    /// The validation's findings.
    pub findings: Option<FindingsSummary>,
    /// Why (redacted before it is written).
    pub reason: Option<String>,
    /// The command that undoes the operation.
    pub rollback_command: Option<String>,
    /// Who; `None` asks git and the OS (see [`who`]).
    pub who: Option<String>,
}

/// Why the trail could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum TrailError {
    /// No wrangler config was found from the path given.
    #[error("no wrangler.json, wrangler.jsonc or wrangler.toml found from {}", .0.display())]
    NoProject(PathBuf),
    /// Reading, locking or writing the file failed.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What failed.
        source: std::io::Error,
    },
    /// A line is not an entry.
    #[error("{}:{line}: not a trail entry: {message}", .path.display())]
    InvalidLine {
        /// The file.
        path: PathBuf,
        /// The line number, from 1.
        line: usize,
        /// What is wrong with it.
        message: String,
    },
    /// The last line was cut off; nothing is appended after it.
    #[error("{}:{line}: the last line was cut off (no newline at its end); `atom-sage trail verify` shows it. Move it out of the file before recording more", .path.display())]
    Truncated {
        /// The file.
        path: PathBuf,
        /// The line number, from 1.
        line: usize,
    },
    /// The action is not a word of upper case letters, digits and `_`.
    #[error("action `{0}` must be letters, digits and `_` (e.g. DEPLOY)")]
    InvalidAction(String),
    /// No entry has the tag asked for.
    #[error("no entry in the trail has the tag `{0}`")]
    UnknownTag(String),
    /// An outcome names an operation that has no `started` entry.
    #[error(
        "no operation in the trail started with the tag `{0}`; `atom-sage trail resume` lists the open ones"
    )]
    UnknownOperation(String),
    /// A `started` entry was given an operation; it starts its own.
    #[error("a `started` entry begins its own operation; --operation goes with an outcome")]
    StartedWithOperation,
}

/// The directory holding the wrangler config found from `path` (a directory to search upward
/// from, or a config file): where `.atom-sage/` lives.
///
/// # Errors
/// When no config is found.
pub fn project_directory(path: &Path) -> Result<PathBuf, TrailError> {
    let config =
        if path.is_file() { Some(path.to_owned()) } else { crate::project::find_config(path) };
    config
        .and_then(|config| std::path::absolute(&config).ok())
        .and_then(|config| config.parent().map(Path::to_path_buf))
        .ok_or_else(|| TrailError::NoProject(path.to_owned()))
}

/// The trail file of a project directory.
#[must_use]
pub fn trail_path(project_directory: &Path) -> PathBuf {
    project_directory.join(TRAIL_FILE)
}

/// Who is acting: git's `user.name <user.email>` as configured for the project, else the OS
/// user (`USER`, `USERNAME`), else `unknown`.
#[must_use]
pub fn who(project_directory: &Path) -> String {
    let git = |key: &str| {
        std::process::Command::new("git")
            .arg("-C")
            .arg(project_directory)
            .args(["config", "--get", key])
            .stderr(std::process::Stdio::null())
            .output()
            .ok()
            .filter(|output| output.status.success())
            .and_then(|output| String::from_utf8(output.stdout).ok())
            .map(|text| text.trim().to_owned())
            .filter(|text| !text.is_empty())
    };
    match (git("user.name"), git("user.email")) {
        (Some(name), Some(email)) => format!("{name} <{email}>"),
        (Some(one), None) | (None, Some(one)) => one,
        (None, None) => ["USER", "USERNAME", "LOGNAME"]
            .iter()
            .find_map(|key| std::env::var(key).ok().filter(|v| !v.is_empty()))
            .unwrap_or_else(|| "unknown".to_owned()),
    }
}

/// The date and time now, RFC 3339 in UTC with milliseconds, and the date as `YYYYMMDD`.
fn now() -> (String, String) {
    let since =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    let seconds = since.as_secs();
    let date =
        crate::date::Date::from_days_since_epoch(i64::try_from(seconds / 86_400).unwrap_or(0));
    let of_day = seconds % 86_400;
    let time = format!(
        "{date}T{:02}:{:02}:{:02}.{:03}Z",
        of_day / 3600,
        of_day / 60 % 60,
        of_day % 60,
        since.subsec_millis()
    );
    let compact = format!("{:04}{:02}{:02}", date.year, date.month, date.day);
    (time, compact)
}

/// The tag after `previous` (the last line's tag) for an entry of `action` written on `day`
/// (`YYYYMMDD`): the day's counter goes on, whatever the action; a new day starts at 001.
#[must_use]
pub fn next_tag(previous: Option<&str>, action: &str, day: &str) -> String {
    let count = previous
        .and_then(|tag| {
            let (rest, number) = tag.rsplit_once('-')?;
            let (_, date) = rest.rsplit_once('-')?;
            (date == day).then(|| number.parse::<u64>().ok()).flatten()
        })
        .unwrap_or(0);
    format!("ATOM-{action}-{day}-{:03}", count + 1)
}

#[cfg(test)]
mod tests;
