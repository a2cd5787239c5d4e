//! Sending entries to an HTTP sink: each line of the trail is `POST`ed, exactly as written, to
//! the URL of `trail.sink` in the settings.
//!
//! The sink never stands in the way of the command that appends: every delivery has a budget
//! (`timeout_ms × retries`, at least one timeout), a failure is a warning and the entries not
//! delivered wait. The last line delivered is kept in `.atom-sage/trail-sink.json` (its tag and
//! hash, replaced atomically), and each delivery starts after it, in file order. A line can be
//! sent twice (the answer was lost, two processes delivered at once): delivery is at least once,
//! and the receiver tells copies apart by `hash`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::{Entry, trail_path};
use crate::settings::{Settings, SinkSettings};

/// Where the delivery position lives, relative to the project directory.
pub const SINK_POSITION_FILE: &str = ".atom-sage/trail-sink.json";

/// The first pause between attempts; doubled after each.
const BACKOFF: Duration = Duration::from_millis(50);

/// The last line the sink took.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SinkPosition {
    /// Its tag.
    pub tag: String,
    /// Its hash.
    pub hash: String,
}

/// What a delivery did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Delivery {
    /// Lines the sink took.
    pub delivered: usize,
    /// Lines still waiting.
    pub pending: usize,
}

/// Why lines were not delivered. The text never holds a header value, nor the URL's user,
/// password or query.
#[derive(Debug, thiserror::Error)]
pub enum SinkError {
    /// The settings hold no usable `trail.sink`.
    #[error("no `trail.sink` in {}", crate::settings::SETTINGS_PATH)]
    NotConfigured,
    /// A header names a variable that is not set.
    #[error("header `{header}` needs the environment variable `{variable}`, which is not set")]
    MissingVariable {
        /// The header name.
        header: String,
        /// The variable.
        variable: String,
    },
    /// The sink did not take a line within the budget.
    #[error("{url}: {message}")]
    Failed {
        /// The URL, redacted.
        url: String,
        /// What went wrong last.
        message: String,
    },
    /// The trail or the position could not be read or written.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What failed.
        source: std::io::Error,
    },
}

/// The URL without user, password, query or fragment, for messages.
#[must_use]
pub fn redact_url(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let end = rest.find(['?', '#']).unwrap_or(rest.len());
    let (place, tail) = rest.split_at(end);
    let slash = place.find('/').unwrap_or(place.len());
    let (authority, path) = place.split_at(slash);
    let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    let hidden = if tail.is_empty() { "" } else { "?<redacted>" };
    let user = if authority.contains('@') { "<redacted>@" } else { "" };
    format!("{scheme}://{user}{host}{path}{hidden}")
}

/// The names a header value refers to with `${NAME}`, or the first malformed reference.
///
/// # Errors
/// The text of a `${` that does not start a `${NAME}` reference.
pub fn header_references(value: &str) -> Result<Vec<&str>, String> {
    let mut names = Vec::new();
    let mut rest = value;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let end = after.find('}');
        let name = end.map_or(after, |end| &after[..end]);
        let valid = end.is_some()
            && name.bytes().next().is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if !valid {
            let shown = end.map_or(&rest[start..], |end| &rest[start..start + end + 3]);
            return Err(shown.to_owned());
        }
        names.push(name);
        rest = &after[name.len() + 1..];
    }
    Ok(names)
}

/// A header value with its `${NAME}` references read from the environment.
fn expand(header: &str, value: &str) -> Result<String, SinkError> {
    let names = header_references(value).unwrap_or_default();
    let mut out = value.to_owned();
    for name in names {
        let Ok(found) = std::env::var(name) else {
            return Err(SinkError::MissingVariable {
                header: header.to_owned(),
                variable: name.to_owned(),
            });
        };
        out = out.replacen(&format!("${{{name}}}"), &found, 1);
    }
    Ok(out)
}

/// Sends the lines after the delivery position, in order, and moves the position past each one
/// the sink takes. Stops at the first line not taken, or when the budget is spent.
///
/// # Errors
/// When the trail cannot be read, a header's variable is not set, or a line was not taken.
pub fn deliver(project_directory: &Path, sink: &SinkSettings) -> Result<Delivery, SinkError> {
    let path = trail_path(project_directory);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(source) => return Err(SinkError::Io { path, source }),
    };
    // Complete lines only: a cut-off last line is not an entry yet.
    let lines: Vec<&str> =
        text.split_inclusive('\n').filter_map(|l| l.strip_suffix('\n')).collect();
    let position = read_position(project_directory);
    let start = position.as_ref().map_or(0, |position| {
        lines
            .iter()
            .rposition(|line| {
                serde_json::from_str::<Entry>(line).is_ok_and(|entry| entry.hash == position.hash)
            })
            // Searched from the end, where it usually is. A position the trail does not hold
            // (a trail replaced): everything again.
            .map_or(0, |index| index + 1)
    });
    let pending = &lines[start..];
    let mut delivery = Delivery { delivered: 0, pending: pending.len() };
    if pending.is_empty() {
        return Ok(delivery);
    }
    let mut headers = Vec::new();
    for (name, value) in &sink.headers {
        headers.push((name.as_str(), expand(name, value)?));
    }
    let failed = |message: String| SinkError::Failed { url: redact_url(&sink.url), message };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| failed(format!("could not start the HTTP client: {error}")))?;
    let http = reqwest::Client::builder()
        .user_agent(concat!("atom-sage/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|error| failed(format!("could not start the HTTP client: {error}")))?;
    let timeout = Duration::from_millis(sink.timeout_ms);
    let deadline = Instant::now() + timeout * sink.retries.max(1);
    for line in pending {
        runtime.block_on(post(&http, sink, &headers, line, deadline)).map_err(failed)?;
        delivery.delivered += 1;
        delivery.pending -= 1;
        if let Ok(entry) = serde_json::from_str::<Entry>(line) {
            write_position(project_directory, &SinkPosition { tag: entry.tag, hash: entry.hash })?;
        }
    }
    Ok(delivery)
}

/// One line, retried on a connection error, a timeout, 429 and 5xx until taken, out of
/// attempts or past the deadline. The error says what happened last.
async fn post(
    http: &reqwest::Client,
    sink: &SinkSettings,
    headers: &[(&str, String)],
    line: &str,
    deadline: Instant,
) -> Result<(), String> {
    let timeout = Duration::from_millis(sink.timeout_ms);
    let mut last = String::from("no time left to send");
    for attempt in 0..=sink.retries {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        let mut request = http
            .post(&sink.url)
            .timeout(timeout.min(left))
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(line.to_owned());
        for (name, value) in headers {
            request = request.header(*name, value.as_str());
        }
        last = match request.send().await {
            Ok(answer) if answer.status().is_success() => return Ok(()),
            Ok(answer) => {
                let status = answer.status();
                if status.as_u16() != 429 && !status.is_server_error() {
                    return Err(format!("answered {status}"));
                }
                format!("answered {status}")
            }
            // reqwest's error text holds the URL: only its kind is shown.
            Err(error) if error.is_timeout() => format!("no answer within {timeout:?}"),
            Err(error) if error.is_connect() => String::from("could not connect"),
            Err(error) if error.is_builder() => {
                return Err("the request could not be built (a header value?)".to_owned());
            }
            Err(_) => String::from("the request failed"),
        };
        if attempt < sink.retries {
            let pause = (BACKOFF * 2u32.saturating_pow(attempt))
                .min(deadline.saturating_duration_since(Instant::now()));
            tokio::time::sleep(pause).await;
        }
    }
    Err(last)
}

/// The delivery position; `None` when nothing was delivered yet or the file is unreadable.
#[must_use]
pub fn read_position(project_directory: &Path) -> Option<SinkPosition> {
    let text = std::fs::read_to_string(project_directory.join(SINK_POSITION_FILE)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Replaces the position file through a temporary file and a rename, so it is whole or old.
fn write_position(project_directory: &Path, position: &SinkPosition) -> Result<(), SinkError> {
    let path = project_directory.join(SINK_POSITION_FILE);
    let temporary = path.with_extension(format!("json.{}", std::process::id()));
    let text = serde_json::to_string(position).unwrap_or_default() + "\n";
    let io = |source| SinkError::Io { path: path.clone(), source };
    std::fs::write(&temporary, text).map_err(io)?;
    std::fs::rename(&temporary, &path).map_err(io)
}

/// Sends what waits to the project's sink, if it has one; a failure is a warning. Runs on its
/// own thread so a caller inside an async runtime is not disturbed, and a panic stays there.
pub(super) fn after_append(project_directory: &Path) {
    let settings = Settings::load(project_directory);
    let Some(sink) = settings.trail.sink else {
        if settings.problems.iter().any(|problem| problem.message.contains("`trail")) {
            tracing::warn!(
                "trail sink: the `trail` section of the settings has mistakes (`atom-sage check` shows them); no entry is sent until they are fixed"
            );
        }
        return;
    };
    let directory = project_directory.to_owned();
    let url = redact_url(&sink.url);
    let worker = std::thread::spawn(move || deliver(&directory, &sink));
    match worker.join() {
        Ok(Ok(_)) => {}
        Ok(Err(error)) => tracing::warn!(
            "trail sink: {error}; the entries not delivered are sent by the next append or `atom-sage trail flush`"
        ),
        Err(_) => tracing::warn!("trail sink {url}: delivery stopped unexpectedly"),
    }
}
