//! Shared by the integration tests: a raw HTTP client (so faults are seen as a client sees them)
//! and the shared folder with the API examples and field reports.

#![allow(dead_code, reason = "each test binary uses its own part of this module")]

use std::fmt::Write as _;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;

/// An answer as it came off the socket.
#[derive(Debug)]
pub struct Answer {
    /// The status code.
    pub status: u16,
    /// Header names in lower case, with their values.
    pub headers: Vec<(String, String)>,
    /// The body bytes as received.
    pub raw: Vec<u8>,
}

impl Answer {
    /// The body as JSON; panics with the text when it is not.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.raw).unwrap_or_else(|error| {
            panic!("not JSON ({error}): {}", String::from_utf8_lossy(&self.raw))
        })
    }

    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    /// The `code` of each entry of `errors`.
    pub fn error_codes(&self) -> Vec<i64> {
        self.json()["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["code"].as_i64().unwrap())
            .collect()
    }
}

/// Sends one request with `Connection: close` and reads the answer until the server closes.
/// `base` is the server's base URL; `path` goes after it.
pub fn call(
    base: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<Answer> {
    exchange(base, method, path, headers, body, Duration::from_secs(20))
}

/// A GET that gives up after `timeout`.
pub fn call_with_timeout(
    base: &str,
    path: &str,
    token: &str,
    timeout: Duration,
) -> std::io::Result<Answer> {
    let bearer = format!("Bearer {token}");
    exchange(base, "GET", path, &[("Authorization", &bearer)], b"", timeout)
}

fn exchange(
    base: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    timeout: Duration,
) -> std::io::Result<Answer> {
    let rest = base.strip_prefix("http://").expect("an http URL");
    let (host, prefix) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let mut stream = TcpStream::connect(host)?;
    stream.set_read_timeout(Some(timeout))?;
    let mut head = format!(
        "{method} {prefix}{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        let _ = write!(head, "{name}: {value}\r\n");
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    let mut received = Vec::new();
    stream.read_to_end(&mut received)?;
    let split = received.windows(4).position(|w| w == b"\r\n\r\n").expect("a header block");
    let text = String::from_utf8_lossy(&received[..split]).into_owned();
    let mut lines = text.lines();
    let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Ok(Answer { status, headers, raw: received[split + 4..].to_vec() })
}

/// A GET with the given bearer token.
pub fn get(base: &str, path: &str, token: &str) -> Answer {
    let bearer = format!("Bearer {token}");
    call(base, "GET", path, &[("Authorization", &bearer)], b"").expect("the server answers")
}

/// A request with a JSON body and the given bearer token.
pub fn send(base: &str, method: &str, path: &str, token: &str, body: &Value) -> Answer {
    let bearer = format!("Bearer {token}");
    let headers = [("Authorization", bearer.as_str()), ("Content-Type", "application/json")];
    call(base, method, path, &headers, body.to_string().as_bytes()).expect("the server answers")
}

/// The shared folder beside the repository (or `ATOM_SAGE_SHARED`).
pub fn shared_dir() -> PathBuf {
    let dir = std::env::var_os("ATOM_SAGE_SHARED").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
        PathBuf::from,
    );
    assert!(
        dir.join("cloudflare-api/ENDPOINTS.md").is_file(),
        "the shared folder is not at {} (set ATOM_SAGE_SHARED)",
        dir.display()
    );
    dir
}

/// The repository root.
pub fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}
