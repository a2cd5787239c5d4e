//! Each fault as a raw HTTP client sees it: the delay, 429 with `Retry-After`, the 5xx, the body
//! cut short, the request never answered. Set from the state file and at runtime.

mod support;

use std::io::ErrorKind;
use std::time::{Duration, Instant};

use cloudflare_api_local::{DEFAULT_TOKEN as TOKEN, Server, State};
use serde_json::{Value, json};
use support::{call, get};

fn start(state: Value) -> Server {
    Server::start(State::from_json(&state.to_string()).unwrap()).unwrap()
}

fn set_faults(server: &Server, faults: &Value) {
    let control = server.base_url().replace("/client/v4", "");
    let answer =
        call(&control, "POST", "/__control/faults", &[], faults.to_string().as_bytes()).unwrap();
    assert_eq!(answer.status, 200, "{}", String::from_utf8_lossy(&answer.raw));
}

#[test]
fn latency_and_delays_slow_the_answers_down() {
    let server = start(json!({ "faults": { "latency_ms": 150 } }));
    let started = Instant::now();
    assert_eq!(get(server.base_url(), "/zones", TOKEN).status, 200);
    assert!(started.elapsed() >= Duration::from_millis(150), "{:?}", started.elapsed());

    set_faults(
        &server,
        &json!({ "rules": [{ "method": "GET", "path": "/zones/*", "delay_ms": 300 }] }),
    );
    let started = Instant::now();
    get(server.base_url(), "/zones", TOKEN);
    assert!(started.elapsed() < Duration::from_millis(150), "the global latency is gone");
    let started = Instant::now();
    get(server.base_url(), "/zones/0123456789abcdef0123456789abcdef", TOKEN);
    assert!(started.elapsed() >= Duration::from_millis(300), "{:?}", started.elapsed());
}

#[test]
fn rate_limits_answer_429_with_retry_after_then_let_through() {
    let server = start(json!({
        "faults": { "rules": [{ "path": "/zones", "rate_limited": 2, "retry_after": 3 }] },
    }));
    for _ in 0..2 {
        let limited = get(server.base_url(), "/zones", TOKEN);
        assert_eq!((limited.status, limited.error_codes()), (429, vec![971]));
        assert_eq!(limited.header("retry-after"), Some("3"));
    }
    let through = get(server.base_url(), "/zones", TOKEN);
    assert_eq!((through.status, through.header("retry-after")), (200, None));
    assert!(through.header("ratelimit").is_some());
}

#[test]
fn server_errors_come_the_given_number_of_times() {
    let server = start(json!({}));
    set_faults(
        &server,
        &json!({ "rules": [{ "path": "/accounts/**", "server_errors": 2, "status": 503 }] }),
    );
    let path = format!("/accounts/{}/storage/kv/namespaces", server.account_id());
    let statuses: Vec<u16> = (0..3).map(|_| get(server.base_url(), &path, TOKEN).status).collect();
    assert_eq!(statuses, [503, 503, 200]);
    assert_eq!(get(server.base_url(), "/zones", TOKEN).status, 200, "other paths are untouched");
}

#[test]
fn a_truncated_body_promises_more_than_it_sends() {
    let server = start(json!({ "zones": [{ "name": "example.com" }] }));
    set_faults(&server, &json!({ "rules": [{ "path": "/zones", "truncated": 1 }] }));
    let cut = get(server.base_url(), "/zones", TOKEN);
    assert_eq!(cut.status, 200);
    let promised: usize = cut.header("content-length").unwrap().parse().unwrap();
    assert!(cut.raw.len() < promised, "{} of {promised} bytes", cut.raw.len());
    assert!(serde_json::from_slice::<Value>(&cut.raw).is_err(), "the body is cut mid-JSON");
    let whole = get(server.base_url(), "/zones", TOKEN);
    assert_eq!(whole.raw.len(), promised);
}

#[test]
fn a_hanging_request_is_never_answered_until_the_client_gives_up() {
    let server = start(json!({ "faults": { "rules": [{ "path": "/zones", "hang": 1 }] } }));
    let started = Instant::now();
    let error =
        support::call_with_timeout(server.base_url(), "/zones", TOKEN, Duration::from_millis(400))
            .expect_err("no answer");
    assert!(matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut), "{error:?}");
    assert!(started.elapsed() >= Duration::from_millis(400));
    assert_eq!(get(server.base_url(), "/zones", TOKEN).status, 200, "the next request is answered");
    let statuses: Vec<u16> = server.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [0, 200], "the unanswered request is logged with status 0");
}

#[test]
fn the_control_endpoint_refuses_faults_it_cannot_read() {
    let server = start(json!({}));
    let control = server.base_url().replace("/client/v4", "");
    let answer =
        call(&control, "POST", "/__control/faults", &[], br#"{"rules": [{"paht": "/zones"}]}"#)
            .unwrap();
    assert_eq!((answer.status, answer.error_codes()), (400, vec![10040]));
    assert!(
        answer.json()["errors"][0]["message"].as_str().unwrap().contains("unknown field `paht`")
    );
}
