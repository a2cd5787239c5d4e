//! Reading and appending: one lock, one write, one fsync per entry.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::{Entry, NewEntry, Outcome, TrailError, next_tag, now, trail_path, who};
use crate::secrets::redact_text;

/// The entries of a trail, as read.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Trail {
    /// Every complete entry, in file order.
    pub entries: Vec<Entry>,
    /// The line number of a last line that was cut off (no newline), which is not in `entries`.
    pub truncated_line: Option<usize>,
}

/// Reads a project's trail; a missing file is an empty trail.
///
/// # Errors
/// When the file cannot be read, or a line other than a cut-off last line is not an entry.
pub fn read(project_directory: &Path) -> Result<Trail, TrailError> {
    let path = trail_path(project_directory);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Trail::default()),
        Err(source) => return Err(TrailError::Io { path, source }),
    };
    let mut trail = Trail::default();
    let lines: Vec<&str> = text.split_terminator('\n').collect();
    for (index, line) in lines.iter().enumerate() {
        if index + 1 == lines.len() && !text.ends_with('\n') {
            trail.truncated_line = Some(index + 1);
            break;
        }
        let entry = serde_json::from_str(line).map_err(|error| TrailError::InvalidLine {
            path: path.clone(),
            line: index + 1,
            message: error.to_string(),
        })?;
        trail.entries.push(entry);
    }
    Ok(trail)
}

/// Appends an entry to a project's trail and returns it as written.
///
/// The file is opened for appending and locked exclusively (an advisory lock every atom-sage
/// process takes); the last line is read for its hash and tag, the new line is written in one
/// write, synced to disk, and the lock released. Free text is redacted first.
///
/// # Errors
/// When the action is not a word, the file cannot be locked, read or written, or its last line
/// was cut off.
pub fn append(project_directory: &Path, new: NewEntry) -> Result<Entry, TrailError> {
    let action = new.action.trim().to_ascii_uppercase();
    if action.is_empty() || !action.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err(TrailError::InvalidAction(new.action));
    }
    let outcome = new.outcome.unwrap_or(Outcome::Started);
    if outcome == Outcome::Started && new.operation.is_some() {
        return Err(TrailError::StartedWithOperation);
    }
    let who = new.who.unwrap_or_else(|| who(project_directory));
    let redact = |text: Option<String>| text.map(|t| redact_text(&t).0);
    let path = trail_path(project_directory);
    let io = |source| TrailError::Io { path: path.clone(), source };
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder).map_err(io)?;
    }
    let created = !path.exists();
    let mut file =
        OpenOptions::new().read(true).append(true).create(true).open(&path).map_err(io)?;
    file.lock().map_err(io)?;
    let written = (|| {
        if let Some(operation) = &new.operation
            && !has_started(&mut file, operation)
        {
            return Err(TrailError::UnknownOperation(operation.clone()));
        }
        let last = last_line(&mut file, &path)?;
        let (previous_tag, prev_hash) = match &last {
            Some(line) => {
                let value: serde_json::Value =
                    serde_json::from_str(line).map_err(|error| TrailError::InvalidLine {
                        path: path.clone(),
                        line: line_count(&mut file, &path),
                        message: error.to_string(),
                    })?;
                let field = |key: &str| value.get(key).and_then(|v| v.as_str()).map(str::to_owned);
                (field("tag"), field("hash").unwrap_or_default())
            }
            None => (None, super::GENESIS.to_owned()),
        };
        let (time, day) = now();
        let tag = next_tag(previous_tag.as_deref(), &action, &day);
        let mut entry = Entry {
            operation: new.operation.clone().unwrap_or_else(|| tag.clone()),
            tag,
            time,
            who: redact_text(&who).0,
            intent: redact(new.intent.clone()),
            action: action.clone(),
            environment: new.environment.clone(),
            worker: new.worker.clone(),
            version_ids: new.version_ids.clone(),
            findings: new.findings.clone(),
            outcome,
            reason: redact(new.reason.clone()),
            rollback_command: redact(new.rollback_command.clone()),
            prev_hash,
            hash: String::new(),
        };
        let value = serde_json::to_value(&entry).expect("an entry serialises");
        entry.hash = super::entry_hash(&value);
        let mut line = serde_json::to_string(&entry).expect("an entry serialises");
        line.push('\n');
        file.write_all(line.as_bytes()).map_err(io)?;
        file.sync_data().map_err(io)?;
        // A new file is durable only once its directory entry is.
        if created && let Some(folder) = path.parent() {
            File::open(folder).and_then(|folder| folder.sync_all()).map_err(io)?;
        }
        Ok(entry)
    })();
    // Closing the file releases the lock too; unlocking first says so.
    let _ = file.unlock();
    drop(file);
    if written.is_ok() {
        super::sink::after_append(project_directory);
    }
    written
}

/// Whether the file has a `started` entry with this tag. Reads the whole file, which only an
/// outcome entry (one per operation) asks for.
fn has_started(file: &mut File, tag: &str) -> bool {
    let mut all = Vec::new();
    if file.seek(SeekFrom::Start(0)).and_then(|_| file.read_to_end(&mut all)).is_err() {
        return false;
    }
    all.split(|b| *b == b'\n').any(|line| {
        serde_json::from_slice::<Entry>(line)
            .is_ok_and(|entry| entry.tag == tag && entry.outcome == Outcome::Started)
    })
}

/// How many lines the file has, for an error message (it means reading the whole file).
fn line_count(file: &mut File, path: &Path) -> usize {
    let mut all = Vec::new();
    let read = file.seek(SeekFrom::Start(0)).and_then(|_| file.read_to_end(&mut all));
    if let Err(error) = read {
        tracing::warn!(path = %path.display(), %error, "could not count the lines");
    }
    all.split(|b| *b == b'\n').filter(|line| !line.is_empty()).count()
}

/// The last line of the file, read backwards from the end in blocks.
fn last_line(file: &mut File, path: &Path) -> Result<Option<String>, TrailError> {
    const BLOCK: u64 = 64 * 1024;
    let io = |source| TrailError::Io { path: path.to_owned(), source };
    let length = file.seek(SeekFrom::End(0)).map_err(io)?;
    if length == 0 {
        return Ok(None);
    }
    let mut tail: Vec<u8> = Vec::new();
    let mut start = length;
    loop {
        let from = start.saturating_sub(BLOCK);
        let mut block = vec![0; usize::try_from(start - from).unwrap_or(0)];
        file.seek(SeekFrom::Start(from)).map_err(io)?;
        file.read_exact(&mut block).map_err(io)?;
        block.extend_from_slice(&tail);
        tail = block;
        start = from;
        // The newline that ends the line before the last one, ignoring the final newline.
        let body = tail.strip_suffix(b"\n").unwrap_or(&tail);
        if start == 0 || body.contains(&b'\n') {
            break;
        }
    }
    if tail.last() != Some(&b'\n') {
        return Err(TrailError::Truncated {
            path: PathBuf::from(path),
            line: line_count(file, path),
        });
    }
    let body = &tail[..tail.len() - 1];
    let text = body.rsplit(|b| *b == b'\n').next().unwrap_or(body);
    Ok(Some(String::from_utf8_lossy(text).into_owned()))
}
