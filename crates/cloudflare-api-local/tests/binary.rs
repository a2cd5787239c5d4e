//! The binary's contract with the tests that spawn it: one `listening on` line on stdout, one
//! log line per request on stderr without the token, exit 2 naming the place of a bad state.

mod support;

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

use cloudflare_api_local::DEFAULT_TOKEN as TOKEN;

const BINARY: &str = env!("CARGO_BIN_EXE_cloudflare-api-local");

#[test]
fn prints_one_line_when_ready_and_logs_requests_without_the_token() {
    let directory = tempfile::tempdir().unwrap();
    let state = directory.path().join("state.json");
    std::fs::write(&state, r#"{"zones": [{"name": "example.com"}]}"#).unwrap();
    let mut child = Command::new(BINARY)
        .arg("--state")
        .arg(&state)
        .arg("--data-dir")
        .arg(directory.path().join("data"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let base = line.trim_end().strip_prefix("listening on ").expect("the ready line").to_owned();
    assert!(base.starts_with("http://127.0.0.1:") && base.ends_with("/client/v4"), "{line}");

    let zones = support::get(&base, "/zones?name=example.com", TOKEN);
    assert_eq!(zones.json()["result"][0]["name"], "example.com");

    child.kill().unwrap();
    child.wait().unwrap();
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    assert_eq!(rest, "", "nothing but the ready line on stdout");
    let mut log = String::new();
    child.stderr.take().unwrap().read_to_string(&mut log).unwrap();
    assert!(log.contains("GET /client/v4/zones?name=example.com -> 200"), "{log}");
    assert!(!log.contains(TOKEN), "the token is never logged: {log}");
}

#[test]
fn a_bad_state_file_exits_2_naming_the_place() {
    let directory = tempfile::tempdir().unwrap();
    let state = directory.path().join("state.json");
    std::fs::write(&state, "{\n  \"zones\": [{\"name\": \"example.com\"}],\n  \"zone\": []\n}\n")
        .unwrap();
    let output = Command::new(BINARY).arg("--state").arg(&state).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(
        message.contains("state.json")
            && message.contains("unknown field `zone`")
            && message.contains("line 3"),
        "{message}"
    );
    assert!(output.stdout.is_empty());

    let missing = Command::new(BINARY).output().unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("--state is required"));
}
