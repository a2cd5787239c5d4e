//! The trail's HTTP sink against a real server on 127.0.0.1: order, bytes, retries, a sink that
//! is down or slow, headers from the environment, mistakes in the settings.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

mod common;

const CONFIG: &str =
    "name = \"user-auth\"\nmain = \"src/index.ts\"\ncompatibility_date = \"2025-01-15\"\n";

/// One request the server took: its headers (names lower-cased) and body.
#[derive(Debug, Clone)]
struct Received {
    headers: Vec<(String, String)>,
    body: String,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// A sink that records what it is sent and answers each request with the next status of its
/// script (200 when the script is spent), or never answers when `silent`.
struct Sink {
    port: u16,
    received: Arc<Mutex<Vec<Received>>>,
}

impl Sink {
    fn start(script: &[u16]) -> Self {
        Self::on(TcpListener::bind("127.0.0.1:0").unwrap(), script, false)
    }

    fn on(listener: TcpListener, script: &[u16], silent: bool) -> Self {
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(Mutex::new(script.to_vec()));
        let log = Arc::clone(&received);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                if silent {
                    // Held open, never answered.
                    std::thread::spawn(move || {
                        std::thread::sleep(Duration::from_secs(30));
                        drop(stream);
                    });
                    continue;
                }
                let status = {
                    let mut script = script.lock().unwrap();
                    if script.is_empty() { 200 } else { script.remove(0) }
                };
                if let Some(request) = answer(stream, status) {
                    log.lock().unwrap().push(request);
                }
            }
        });
        Self { port, received }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/audit", self.port)
    }

    fn bodies(&self) -> Vec<String> {
        self.received.lock().unwrap().iter().map(|r| r.body.clone()).collect()
    }
}

fn answer(stream: TcpStream, status: u16) -> Option<Received> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut headers = Vec::new();
    loop {
        line.clear();
        reader.read_line(&mut line).ok()?;
        let text = line.trim_end();
        if text.is_empty() {
            break;
        }
        let (name, value) = text.split_once(':')?;
        headers.push((name.to_ascii_lowercase(), value.trim().to_owned()));
    }
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    let mut stream = stream;
    let reply = format!("HTTP/1.1 {status} X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
    stream.write_all(reply.as_bytes()).ok()?;
    Some(Received { headers, body: String::from_utf8(body).ok()? })
}

fn project(settings: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("wrangler.toml"), CONFIG).unwrap();
    std::fs::create_dir_all(dir.path().join(".atom-sage")).unwrap();
    std::fs::write(dir.path().join(".atom-sage/cloudflare-config.yaml"), settings).unwrap();
    dir
}

fn sink_settings(url: &str, extra: &str) -> String {
    format!("trail:\n  sink:\n    url: {url}\n{extra}")
}

fn run(dir: &Path, args: &[&str]) -> (i32, String, String, Duration) {
    let started = Instant::now();
    let output = common::atom_sage_in(dir)
        .args(args)
        .env("SINK_TEST_TOKEN", "s3cr3t-sink-token")
        .output()
        .expect("atom-sage runs");
    (
        output.status.code().expect("an exit code"),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
        started.elapsed(),
    )
}

fn append(dir: &Path) -> (String, Duration) {
    let (code, _, stderr, took) = run(dir, &["trail", "append", "--action", "CHECK"]);
    assert_eq!(code, 0, "{stderr}");
    (stderr, took)
}

fn trail_lines(dir: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(dir.join(".atom-sage/trail.jsonl")).unwrap();
    text.lines().map(str::to_owned).collect()
}

fn position_tag(dir: &Path) -> String {
    let text = std::fs::read_to_string(dir.join(".atom-sage/trail-sink.json")).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    value["tag"].as_str().unwrap().to_owned()
}

#[test]
fn entries_arrive_in_order_as_written() {
    let sink = Sink::start(&[]);
    let dir = project(&sink_settings(&sink.url(), ""));
    for _ in 0..3 {
        let (stderr, _) = append(dir.path());
        assert_eq!(stderr, "");
    }
    let lines = trail_lines(dir.path());
    assert_eq!(lines.len(), 3);
    assert_eq!(sink.bodies(), lines, "each line once, byte for byte, in order");
    let first = sink.received.lock().unwrap()[0].clone();
    assert_eq!(first.header("content-type"), Some("application/json"));
    assert!(lines[2].contains(&format!("\"tag\":\"{}\"", position_tag(dir.path()))));
    let (code, stdout, _, _) = run(dir.path(), &["trail", "flush"]);
    assert_eq!((code, stdout.ends_with("/audit: delivered 0, none waiting\n")), (0, true));
    assert_eq!(sink.bodies().len(), 3, "nothing sent twice");
}

#[test]
fn a_sink_that_is_down_does_not_hold_up_the_append_and_gets_the_entries_later() {
    // A port that was just free: nothing listens on it.
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("http://127.0.0.1:{port}/audit");
    let dir = project(&sink_settings(&url, "    timeout_ms: 500\n    retries: 3\n"));
    for _ in 0..2 {
        let (stderr, took) = append(dir.path());
        // Three pauses of 50, 100 and 200 ms between four refused connections, plus the start
        // of the process; the budget is 500 ms × 3.
        assert!(took < Duration::from_millis(1500), "an append took {took:?}");
        assert!(stderr.contains("could not connect"), "{stderr}");
        assert!(stderr.contains("atom-sage trail flush"), "{stderr}");
    }
    assert!(!dir.path().join(".atom-sage/trail-sink.json").exists());
    let (code, stdout, _, _) = run(dir.path(), &["trail", "flush"]);
    assert_eq!((code, stdout.ends_with("could not connect; waiting: 2\n")), (1, true), "{stdout}");

    let sink = Sink::on(TcpListener::bind(("127.0.0.1", port)).unwrap(), &[], false);
    let (stderr, _) = append(dir.path());
    assert_eq!(stderr, "");
    assert_eq!(sink.bodies(), trail_lines(dir.path()), "the waiting ones first, in order");
}

#[test]
fn flush_sends_what_waits() {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let dir =
        project(&sink_settings(&format!("http://127.0.0.1:{port}/audit"), "    retries: 0\n"));
    append(dir.path());
    append(dir.path());
    let sink = Sink::on(TcpListener::bind(("127.0.0.1", port)).unwrap(), &[], false);
    let (code, stdout, _, _) = run(dir.path(), &["trail", "flush"]);
    assert_eq!(code, 0);
    assert!(stdout.ends_with("/audit: delivered 2, none waiting\n"), "{stdout}");
    assert_eq!(sink.bodies(), trail_lines(dir.path()));
}

#[test]
fn a_sink_that_never_answers_is_given_up_within_the_budget() {
    let sink = Sink::on(TcpListener::bind("127.0.0.1:0").unwrap(), &[], true);
    let dir = project(&sink_settings(&sink.url(), "    timeout_ms: 300\n    retries: 2\n"));
    let (stderr, took) = append(dir.path());
    assert!(took < Duration::from_millis(1500), "an append took {took:?}");
    assert!(took >= Duration::from_millis(600), "the budget is 300 ms × 2: {took:?}");
    assert!(stderr.contains("no answer within 300ms"), "{stderr}");
    assert_eq!(trail_lines(dir.path()).len(), 1);
}

#[test]
fn server_errors_are_retried_and_client_errors_are_not() {
    let sink = Sink::start(&[500, 503, 200]);
    let dir = project(&sink_settings(&sink.url(), ""));
    let (stderr, _) = append(dir.path());
    assert_eq!(stderr, "");
    let line = trail_lines(dir.path())[0].clone();
    assert_eq!(sink.bodies(), [line.clone(), line.clone(), line], "two retries, then taken");

    let refusing = Sink::start(&[400]);
    let dir = project(&sink_settings(&refusing.url(), ""));
    let (stderr, _) = append(dir.path());
    assert!(stderr.contains("answered 400 Bad Request"), "{stderr}");
    assert_eq!(refusing.bodies().len(), 1, "a 400 is not retried");
}

#[test]
fn a_header_from_the_environment_is_sent_and_never_printed() {
    let sink = Sink::start(&[401]);
    let url = format!("http://user:hunter2@127.0.0.1:{}/audit?key=query-secret", sink.port);
    let headers = "    headers:\n      X-Audit-Token: \"Bearer ${SINK_TEST_TOKEN}\"\n";
    let dir = project(&sink_settings(&url, headers));
    let (code, stdout, stderr, _) =
        run(dir.path(), &["-vv", "trail", "append", "--action", "CHECK"]);
    assert_eq!(code, 0);
    let received = sink.received.lock().unwrap()[0].clone();
    assert_eq!(received.header("x-audit-token"), Some("Bearer s3cr3t-sink-token"));
    let (_, flushed, _, _) = run(dir.path(), &["-vv", "trail", "flush"]);
    for text in [&stdout, &stderr, &flushed] {
        for secret in ["s3cr3t-sink-token", "hunter2", "query-secret"] {
            assert!(!text.contains(secret), "{secret} printed in {text}");
        }
    }
    assert!(stderr.contains("http://<redacted>@127.0.0.1:"), "{stderr}");
    assert!(stderr.contains("/audit?<redacted>: answered 401"), "{stderr}");

    let unset = "    headers:\n      X-Key: \"${SINK_TEST_UNSET}\"\n";
    let dir = project(&sink_settings(&sink.url(), unset));
    let (stderr, _) = append(dir.path());
    assert!(
        stderr.contains(
            "header `X-Key` needs the environment variable `SINK_TEST_UNSET`, which is not set"
        ),
        "{stderr}"
    );
}

#[test]
fn mistakes_in_the_section_are_reported_at_their_line() {
    let dir = project(
        "trail:\n  sink:\n    url: audit.example.com/in\n    retries: 3\n    headers:\n      Authorization: \"Bearer 0123456789abcdef0123456789abcdef\"\n",
    );
    std::fs::create_dir_all(dir.path().join("src")).unwrap();
    std::fs::write(dir.path().join("src/index.ts"), "export default {};\n").unwrap();
    let (code, stdout, _, _) = run(dir.path(), &["check"]);
    assert_eq!(code, 1);
    assert!(stdout.contains("error[SET001] `trail.sink.url` must be an http:// or https:// URL\n    --> .atom-sage/cloudflare-config.yaml:3:10"), "{stdout}");
    assert!(stdout.contains("error[SET001] header `Authorization` holds a secret in the settings file\n    --> .atom-sage/cloudflare-config.yaml:6:22"), "{stdout}");
    assert!(!stdout.contains("0123456789abcdef"), "the secret is masked: {stdout}");
    // An append still succeeds, says the sink is not used, and sends nothing.
    let (stderr, _) = append(dir.path());
    assert!(stderr.contains("the `trail` section of the settings has mistakes"), "{stderr}");
}
