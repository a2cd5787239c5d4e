//! Verifying a deploy: each health-check URL of the settings is requested a few times and must
//! answer as expected within the timeout.

use std::time::{Duration, Instant};

use crate::settings::HealthCheck;

/// What the requests to one URL found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckResult {
    /// The URL as it may be shown: a user and password in it are replaced by `***`.
    pub url: String,
    /// How long each answered request took, in order.
    pub latencies: Vec<Duration>,
    /// What went wrong, one line per failed request.
    pub failures: Vec<String>,
}

impl CheckResult {
    /// Whether every request answered as expected.
    #[must_use]
    pub fn passed(&self) -> bool {
        self.failures.is_empty() && !self.latencies.is_empty()
    }

    /// The fastest, median and slowest answer; `None` when nothing answered.
    #[must_use]
    pub fn latency(&self) -> Option<(Duration, Duration, Duration)> {
        let mut sorted = self.latencies.clone();
        sorted.sort();
        Some((*sorted.first()?, sorted[sorted.len() / 2], *sorted.last()?))
    }
}

/// Requests each URL `requests` times, one after the other, each within `timeout`.
///
/// # Errors
/// When the HTTP client cannot start.
pub fn verify(
    checks: &[&HealthCheck],
    requests: u32,
    timeout: Duration,
) -> Result<Vec<CheckResult>, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| error.to_string())?;
    // The client's timers belong to the runtime it is built in.
    let _context = runtime.enter();
    let http = reqwest::Client::builder()
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("atom-sage/", env!("CARGO_PKG_VERSION"), " (deploy verification)"))
        .build()
        .map_err(|error| error.to_string())?;
    let mut results = Vec::new();
    for check in checks {
        let mut result =
            CheckResult { url: shown(&check.url), latencies: Vec::new(), failures: Vec::new() };
        for _ in 0..requests {
            let started = Instant::now();
            let answer = runtime.block_on(http.get(&check.url).send());
            match answer.map(|response| response.status().as_u16()) {
                Ok(status) => {
                    let healthy = match check.expect_status {
                        Some(expected) => status == expected,
                        None => (200..300).contains(&status),
                    };
                    if healthy {
                        result.latencies.push(started.elapsed());
                    } else {
                        let expected = check
                            .expect_status
                            .map_or_else(|| "a 2xx status".to_owned(), |s| s.to_string());
                        result.failures.push(format!("answered {status}, expected {expected}"));
                    }
                }
                Err(error) if error.is_timeout() => {
                    result.failures.push(format!("no answer within {} ms", timeout.as_millis()));
                }
                Err(error) => {
                    let cause = std::error::Error::source(&error).map(ToString::to_string);
                    result.failures.push(format!(
                        "could not be reached: {}",
                        cause.unwrap_or_else(|| error.to_string())
                    ));
                }
            }
        }
        results.push(result);
    }
    Ok(results)
}

/// The URL without the user and password it may carry (`https://user:pass@host/`) and
/// without the values of its query, where keys and tokens are often passed (`?token=...`).
fn shown(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let rest = match rest[..authority_end].rfind('@') {
        Some(at) => format!("***@{}", &rest[at + 1..]),
        None => rest.to_owned(),
    };
    let rest = match rest.split_once('?') {
        Some((path, query)) => {
            let query = query.split('#').next().unwrap_or_default();
            let names: Vec<String> = query
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some((name, _)) => format!("{name}=***"),
                    None => pair.to_owned(),
                })
                .collect();
            format!("{path}?{}", names.join("&"))
        }
        None => rest,
    };
    format!("{scheme}://{rest}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_in_a_url_are_not_shown() {
        assert_eq!(
            shown("https://ops:hunter2@api.example.com/health?x=@"),
            "https://***@api.example.com/health?x=***"
        );
        assert_eq!(
            shown("http://127.0.0.1:18999/500?token=abcdEFGH0123&probe"),
            "http://127.0.0.1:18999/500?token=***&probe"
        );
        assert_eq!(shown("http://127.0.0.1:8080/health"), "http://127.0.0.1:8080/health");
    }

    #[test]
    fn latency_is_min_median_max() {
        let ms = Duration::from_millis;
        let result = CheckResult {
            url: "http://x/".to_owned(),
            latencies: vec![ms(30), ms(10), ms(20)],
            failures: Vec::new(),
        };
        assert_eq!(result.latency(), Some((ms(10), ms(20), ms(30))));
        assert!(result.passed());
        let silent = CheckResult { url: "u".to_owned(), latencies: vec![], failures: vec![] };
        assert!(!silent.passed(), "no answer at all is not a pass");
        assert_eq!(silent.latency(), None);
    }

    /// A server on 127.0.0.1 that answers each connection with `status`, or never when `None`.
    fn server(status: Option<u16>) -> String {
        use std::io::{Read as _, Write as _};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/health", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            let mut held = Vec::new();
            for mut stream in listener.incoming().flatten() {
                let _ = stream.read(&mut [0u8; 2048]);
                match status {
                    Some(code) => {
                        let _ = write!(
                            stream,
                            "HTTP/1.1 {code} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        );
                    }
                    None => held.push(stream),
                }
            }
        });
        url
    }

    fn check(url: &str, expect_status: Option<u16>) -> HealthCheck {
        HealthCheck { url: url.to_owned(), env: None, expect_status }
    }

    #[test]
    fn each_request_must_answer_as_expected_within_the_timeout() {
        let ok = server(Some(200));
        let silent = server(None);
        let closed = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            format!("http://{}/health", listener.local_addr().unwrap())
        };
        let checks =
            [check(&ok, None), check(&ok, Some(204)), check(&silent, None), check(&closed, None)];
        let results =
            verify(&checks.iter().collect::<Vec<_>>(), 2, Duration::from_millis(300)).unwrap();
        assert!(results[0].passed());
        assert_eq!(results[0].latencies.len(), 2);
        assert_eq!(
            results[1].failures,
            ["answered 200, expected 204", "answered 200, expected 204"]
        );
        assert_eq!(results[2].failures, ["no answer within 300 ms", "no answer within 300 ms"]);
        assert!(results[3].failures[0].starts_with("could not be reached: "), "{:?}", results[3]);
        assert!(!results[3].passed());
    }
}
