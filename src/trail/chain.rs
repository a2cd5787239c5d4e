//! The hash chain: each entry's hash covers its canonical form, which includes the previous
//! line's hash.
//!
//! The canonical form is the entry as JSON without its `hash` key, keys sorted by their bytes at
//! every level, no whitespace, strings escaped as `serde_json` escapes them. It is written out
//! here rather than left to `serde_json::Value`'s map order, which a cargo feature elsewhere in a
//! build could change.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::{Entry, TrailError, trail_path};

/// The `prev_hash` of the first line.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The hash an entry (as a JSON object) should carry.
#[must_use]
pub fn entry_hash(entry: &Value) -> String {
    let mut text = String::new();
    match entry {
        Value::Object(map) => {
            let without: serde_json::Map<String, Value> = map
                .iter()
                .filter(|(key, _)| *key != "hash")
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            canonical(&Value::Object(without), &mut text);
        }
        other => canonical(other, &mut text),
    }
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().fold(String::with_capacity(64), |mut hex, byte| {
        let _ = write!(hex, "{byte:02x}");
        hex
    })
}

fn canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (index, key) in keys.into_iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                canonical(&map[key], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// What is wrong with a line of the trail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// The line's content no longer matches its hash, or it is not an entry at all.
    Changed,
    /// The line does not follow the one before it: an entry between them was removed, or the
    /// one before was rewritten with a new hash.
    Removed,
    /// The line is not part of the chain: the lines around it chain to each other.
    Inserted,
    /// The line follows a line that comes after it in the file.
    Reordered,
    /// The last line has no newline: a write was cut off.
    Truncated,
}

/// The first problem found in the trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The line number, from 1.
    pub line: usize,
    /// The line's tag, when it has one.
    pub tag: Option<String>,
    /// What kind of problem.
    pub kind: ProblemKind,
    /// A sentence saying what was found.
    pub message: String,
}

/// The result of recomputing the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verification {
    /// The trail file.
    pub path: String,
    /// Whether the file exists at all.
    pub exists: bool,
    /// The number of complete lines read (a cut-off last line not included).
    pub entries: usize,
    /// The line number of a last line cut off by a crash (no newline at its end).
    pub truncated_line: Option<usize>,
    /// The hash of the last line; keep it elsewhere to notice lines removed from the end.
    pub head: Option<String>,
    /// The first problem, in file order; `None` when the chain is intact.
    pub problem: Option<Problem>,
}

/// Recomputes the chain of a project's trail.
///
/// # Errors
/// When the file exists but cannot be read.
pub fn verify(project_directory: &Path) -> Result<Verification, TrailError> {
    let path = trail_path(project_directory);
    let display = path.display().to_string();
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Verification {
                path: display,
                exists: false,
                entries: 0,
                truncated_line: None,
                head: None,
                problem: None,
            });
        }
        Err(source) => return Err(TrailError::Io { path, source }),
    };
    let mut verification = verify_text(&String::from_utf8_lossy(&bytes));
    verification.path = display;
    Ok(verification)
}

/// One line as read: its tag, the hashes it carries and the hash it should carry.
struct Line {
    tag: Option<String>,
    prev_hash: Option<String>,
    hash: Option<String>,
    /// Why the line is not an entry exactly as atom-sage writes it.
    malformed: Option<String>,
    recomputed: Option<String>,
}

impl Line {
    /// Reads a line, which must be byte for byte the serialisation atom-sage writes for its
    /// entry: JSON that parses as a map but has a key twice, extra keys, other spacing or a
    /// `\r` before the newline is not what was hashed, even when its hash still matches.
    fn read(text: &str) -> Self {
        let value = serde_json::from_str::<Value>(text).ok().filter(Value::is_object);
        let field = |key: &str| {
            value.as_ref().and_then(|v| v.get(key)).and_then(Value::as_str).map(str::to_owned)
        };
        let mut line = Line {
            tag: field("tag"),
            prev_hash: field("prev_hash"),
            hash: field("hash"),
            malformed: None,
            recomputed: value.as_ref().map(entry_hash),
        };
        line.malformed = match serde_json::from_str::<Entry>(text) {
            _ if value.is_none() => Some("the line is not a JSON object".to_owned()),
            Err(error) => {
                // serde's position counts within the line, which reads as a file line number.
                let error = error.to_string();
                let what = error.rsplit_once(" at line ").map_or(error.as_str(), |(what, _)| what);
                Some(format!("the line is not a trail entry: {what}"))
            }
            Ok(entry) if serde_json::to_string(&entry).ok().as_deref() != Some(text) => Some(
                "the line is not exactly as atom-sage wrote it (its keys, spacing or line ending differ)"
                    .to_owned(),
            ),
            Ok(_) => None,
        };
        line
    }
}

/// Recomputes the chain of a trail's text (the `path` of the result is left empty).
#[must_use]
pub fn verify_text(text: &str) -> Verification {
    let complete = text.is_empty() || text.ends_with('\n');
    let raw: Vec<&str> = text.split_terminator('\n').collect();
    let mut verification = Verification {
        path: String::new(),
        exists: true,
        entries: raw.len() - usize::from(!complete),
        truncated_line: (!complete).then_some(raw.len()),
        head: None,
        problem: None,
    };
    let problem = |line: usize, tag: Option<&String>, kind, message: String| Problem {
        line: line + 1,
        tag: tag.cloned(),
        kind,
        message,
    };
    let mut lines = Vec::with_capacity(raw.len());
    // Reported only when every line before it is sound: the first problem is what counts.
    let mut truncated = None;
    for (index, text) in raw.iter().enumerate() {
        if index + 1 == raw.len() && !complete {
            let tag = serde_json::from_str::<Value>(text)
                .ok()
                .and_then(|v| v.get("tag").and_then(Value::as_str).map(str::to_owned));
            truncated = Some(problem(
                index,
                tag.as_ref(),
                ProblemKind::Truncated,
                "the last line has no newline at its end: the write was cut off".to_owned(),
            ));
            break;
        }
        lines.push(Line::read(text));
    }
    verification.head = lines.last().and_then(|line| line.hash.clone());
    let position: HashMap<&str, usize> = lines
        .iter()
        .enumerate()
        .filter_map(|(index, line)| line.hash.as_deref().map(|hash| (hash, index)))
        .collect();
    for (index, line) in lines.iter().enumerate() {
        let tag = line.tag.as_ref();
        if let Some(message) = &line.malformed {
            verification.problem = Some(problem(index, tag, ProblemKind::Changed, message.clone()));
            return verification;
        }
        if line.hash != line.recomputed {
            verification.problem = Some(problem(
                index,
                tag,
                ProblemKind::Changed,
                "the line's content does not match its hash: it was edited".to_owned(),
            ));
            return verification;
        }
        let expected = if index == 0 { Some(GENESIS) } else { lines[index - 1].hash.as_deref() };
        let previous = line.prev_hash.as_deref();
        if previous == expected {
            continue;
        }
        let follows = previous.and_then(|hash| position.get(hash).copied());
        let next_follows_previous =
            lines.get(index + 1).is_some_and(|next| next.prev_hash.as_deref() == expected);
        verification.problem = Some(match follows {
            Some(later) if later > index => problem(
                index,
                tag,
                ProblemKind::Reordered,
                format!("the line follows line {}, which comes after it", later + 1),
            ),
            Some(earlier) if index > 0 && earlier + 1 < index => problem(
                earlier + 1,
                lines[earlier + 1].tag.as_ref(),
                ProblemKind::Inserted,
                format!(
                    "line {} follows line {}: the lines between them are not in the chain",
                    index + 1,
                    earlier + 1
                ),
            ),
            _ if next_follows_previous => problem(
                index,
                tag,
                ProblemKind::Inserted,
                "the line is not in the chain: the next line follows the one before it".to_owned(),
            ),
            _ if index == 0 => problem(
                index,
                tag,
                ProblemKind::Removed,
                "the first line does not start the chain: lines were removed from the start"
                    .to_owned(),
            ),
            _ => problem(
                index,
                tag,
                ProblemKind::Removed,
                format!(
                    "the line does not follow line {index}: an entry between them was removed, or line {index} was rewritten"
                ),
            ),
        });
        return verification;
    }
    verification.problem = truncated;
    verification
}
