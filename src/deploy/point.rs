//! Rollback points: what a worker served before a deploy, kept as JSON under
//! `.atom-sage/rollback/<worker>/` so `atom-sage rollback` can return to it and say what it
//! cannot undo.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Where rollback points live, relative to the project directory.
pub const ROLLBACK_DIR: &str = ".atom-sage/rollback";

/// The worker as it was before a deploy. Names only: no var value or secret is ever kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RollbackPoint {
    /// The worker.
    pub worker: String,
    /// The environment; `None` for the top level.
    pub environment: Option<String>,
    /// The account.
    pub account_id: String,
    /// When it was recorded, in milliseconds since 1970 (UTC).
    pub recorded_at_ms: u64,
    /// The deployment serving then; `None` when the worker did not exist.
    pub deployment_id: Option<String>,
    /// Its main version; `None` when the worker did not exist.
    pub version_id: Option<String>,
    /// Bindings other than vars, `(name, type)`; `None` when they could not be read.
    pub bindings: Option<Vec<(String, String)>>,
    /// The names of its vars; `None` when they could not be read.
    pub vars: Option<Vec<String>>,
    /// The names of its secrets; `None` when they could not be read.
    pub secrets: Option<Vec<String>>,
    /// The migrations each bound D1 database had applied, by database id; a database whose
    /// list could not be read is left out.
    pub d1_migrations: BTreeMap<String, Vec<String>>,
    /// The Durable Object migration tag; `None` when it had none.
    pub migration_tag: Option<String>,
}

/// Why a rollback point could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum PointError {
    /// The file system refused.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What failed.
        source: std::io::Error,
    },
    /// A file is not a rollback point.
    #[error("{}: not a rollback point: {source}", .path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        source: serde_json::Error,
    },
}

/// How many rollback points to keep per worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// The newest this many are kept.
    pub count: usize,
    /// Points older than this many days are removed.
    pub days: u32,
}

/// The milliseconds since 1970 now.
#[must_use]
pub fn now_ms() -> u64 {
    let since =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    u64::try_from(since.as_millis()).unwrap_or(u64::MAX)
}

fn worker_dir(project_directory: &Path, worker: &str) -> PathBuf {
    // A worker name is lower-case letters, digits and dashes; anything else is kept out of the
    // path so a name cannot climb out of the folder.
    let safe: String = worker
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' })
        .collect();
    project_directory.join(ROLLBACK_DIR).join(safe)
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> PointError + '_ {
    move |source| PointError::Io { path: path.to_owned(), source }
}

/// Writes `point`, then removes the worker's points beyond `retention` (never the one just
/// written). Returns its path.
///
/// # Errors
/// When the folder or file cannot be written.
pub fn write(
    project_directory: &Path,
    point: &RollbackPoint,
    retention: Retention,
) -> Result<PathBuf, PointError> {
    let dir = worker_dir(project_directory, &point.worker);
    std::fs::create_dir_all(&dir).map_err(io(&dir))?;
    let path = dir.join(format!("{:013}.json", point.recorded_at_ms));
    let text = serde_json::to_string_pretty(point).expect("a rollback point serialises") + "\n";
    std::fs::write(&path, text).map_err(io(&path))?;

    let mut files = list(&dir)?;
    files.retain(|(_, file)| *file != path);
    let oldest_kept = point.recorded_at_ms.saturating_sub(u64::from(retention.days) * 86_400_000);
    // The newest first; the point just written counts as one of `count`.
    files.sort_by_key(|(recorded, _)| std::cmp::Reverse(*recorded));
    for (index, (recorded, file)) in files.iter().enumerate() {
        if index + 1 >= retention.count || *recorded < oldest_kept {
            std::fs::remove_file(file).map_err(io(file))?;
        }
    }
    Ok(path)
}

/// The rollback points of a worker, `(recorded_at_ms, path)`, in no order.
fn list(dir: &Path) -> Result<Vec<(u64, PathBuf)>, PointError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(io(dir)(error)),
    };
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.map_err(io(dir))?.path();
        let recorded = path
            .file_name()
            .and_then(|name| name.to_str())
            .and_then(|name| name.strip_suffix(".json"))
            .and_then(|stem| stem.parse::<u64>().ok());
        if let Some(recorded) = recorded {
            files.push((recorded, path));
        }
    }
    Ok(files)
}

/// The newest rollback point of `worker`, with its path; `None` when there is none.
///
/// # Errors
/// When the folder or the file cannot be read, or the file is not a rollback point.
pub fn latest(
    project_directory: &Path,
    worker: &str,
) -> Result<Option<(RollbackPoint, PathBuf)>, PointError> {
    let dir = worker_dir(project_directory, worker);
    let Some((_, path)) = list(&dir)?.into_iter().max_by_key(|(recorded, _)| *recorded) else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(&path).map_err(io(&path))?;
    let point = serde_json::from_str(&text)
        .map_err(|source| PointError::Invalid { path: path.clone(), source })?;
    Ok(Some((point, path)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(recorded_at_ms: u64, version: &str) -> RollbackPoint {
        RollbackPoint {
            worker: "api-staging".to_owned(),
            environment: Some("staging".to_owned()),
            account_id: "0123456789abcdef0123456789abcdef".to_owned(),
            recorded_at_ms,
            deployment_id: Some("d".to_owned()),
            version_id: Some(version.to_owned()),
            bindings: Some(vec![("DB".to_owned(), "d1".to_owned())]),
            vars: Some(vec!["LOG_LEVEL".to_owned()]),
            secrets: Some(vec!["API_KEY".to_owned()]),
            d1_migrations: BTreeMap::new(),
            migration_tag: Some("v1".to_owned()),
        }
    }

    #[test]
    fn keeps_the_newest_count_and_drops_old_ones() {
        let dir = tempfile::tempdir().unwrap();
        let day = 86_400_000;
        let retention = Retention { count: 3, days: 30 };
        let start = 100 * day;
        for (index, version) in ["a", "b", "c", "d"].iter().enumerate() {
            write(dir.path(), &point(start + index as u64, version), retention).unwrap();
        }
        let (newest, _) = latest(dir.path(), "api-staging").unwrap().unwrap();
        assert_eq!(newest.version_id.as_deref(), Some("d"));
        let mut kept = list(&worker_dir(dir.path(), "api-staging")).unwrap();
        kept.sort();
        assert_eq!(kept.iter().map(|(ms, _)| ms - start).collect::<Vec<_>>(), [1, 2, 3]);

        // Forty days later, everything from before the thirty days goes, however few remain.
        write(dir.path(), &point(start + 40 * day, "e"), retention).unwrap();
        let kept = list(&worker_dir(dir.path(), "api-staging")).unwrap();
        assert_eq!(kept.len(), 1);
    }

    #[test]
    fn a_worker_name_cannot_leave_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            worker_dir(dir.path(), "../../etc"),
            dir.path().join(".atom-sage/rollback/______etc")
        );
        assert!(latest(dir.path(), "nothing-yet").unwrap().is_none());
    }

    #[test]
    fn a_damaged_point_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let folder = worker_dir(dir.path(), "api");
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("0000000000001.json"), "{").unwrap();
        let error = latest(dir.path(), "api").unwrap_err().to_string();
        assert!(error.contains("0000000000001.json: not a rollback point"), "{error}");
    }
}
