//! The Cloudflare API client: credentials, the response envelope, retries, pagination and a
//! memo so each resource is fetched once per run.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use tokio::sync::{OnceCell, Semaphore};

/// How atom-sage authenticates, as wrangler reads it from the environment.
#[derive(Clone)]
pub enum Credentials {
    /// `CLOUDFLARE_API_TOKEN`: sent as `Authorization: Bearer`.
    Token(String),
    /// `CLOUDFLARE_API_KEY` and `CLOUDFLARE_EMAIL`: the legacy global key.
    GlobalKey {
        /// The key.
        key: String,
        /// The account owner's email.
        email: String,
    },
}

impl std::fmt::Debug for Credentials {
    // Never shows the secret, whatever prints the value.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Credentials::Token(_) => f.write_str("Credentials::Token(<redacted>)"),
            Credentials::GlobalKey { email, .. } => {
                write!(f, "Credentials::GlobalKey {{ email: {email:?}, key: <redacted> }}")
            }
        }
    }
}

impl Credentials {
    /// The secret itself, so error text can be checked not to hold it.
    fn secret(&self) -> &str {
        match self {
            Credentials::Token(token) => token,
            Credentials::GlobalKey { key, .. } => key,
        }
    }
}

/// How the client talks to the API.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// The API root, e.g. `https://api.cloudflare.com/client/v4`.
    pub base_url: String,
    /// The longest a single request may take.
    pub timeout: Duration,
    /// Retries after a 429 or 5xx answer (so `retries + 1` attempts at most).
    pub retries: u32,
    /// The first pause between attempts; doubled each time.
    pub backoff: Duration,
    /// The longest a `Retry-After` is honoured for; longer waits are cut to this.
    pub max_retry_after: Duration,
    /// How many requests may be in flight at once.
    pub concurrency: usize,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            base_url: "https://api.cloudflare.com/client/v4".to_owned(),
            timeout: Duration::from_secs(20),
            retries: 3,
            backoff: Duration::from_millis(250),
            max_retry_after: Duration::from_secs(30),
            concurrency: 16,
        }
    }
}

/// Why a call gave no answer to use. Its text is what an unknown outcome shows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallError {
    /// The API answered with an error envelope.
    #[error("{status} {}", describe(.errors))]
    Api {
        /// The HTTP status.
        status: u16,
        /// `(code, message)` of each error the envelope lists.
        errors: Vec<(i64, String)>,
    },
    /// No answer within the timeout.
    #[error("no answer within {0} s")]
    Timeout(u64),
    /// The connection failed.
    #[error("could not reach the API: {0}")]
    Unreachable(String),
    /// The body was cut short or is not the API's JSON envelope.
    #[error("the answer is not a complete API response: {0}")]
    InvalidBody(String),
}

fn describe(errors: &[(i64, String)]) -> String {
    if errors.is_empty() {
        return "with no error code".to_owned();
    }
    errors.iter().map(|(code, message)| format!("{code} {message}")).collect::<Vec<_>>().join("; ")
}

impl CallError {
    /// The HTTP status of an API error.
    #[must_use]
    pub fn status(&self) -> Option<u16> {
        match self {
            CallError::Api { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Whether the envelope holds this error code.
    #[must_use]
    pub fn has_code(&self, code: i64) -> bool {
        matches!(self, CallError::Api { errors, .. } if errors.iter().any(|(c, _)| *c == code))
    }

    /// One of the given not-found codes: the thing asked for does not exist. A 404 alone is not
    /// enough: a path the API cannot route, or a proxy in the way, answers 404 too, and reading
    /// that as "absent" would report a thing missing that nobody looked at.
    #[must_use]
    pub fn is_not_found(&self, codes: &[i64]) -> bool {
        codes.iter().any(|&code| self.has_code(code))
    }

    /// The API has no endpoint at this path (7003 or 7000): the base URL or an id in the path
    /// is wrong, whatever the credentials.
    #[must_use]
    pub fn is_unroutable(&self) -> bool {
        self.has_code(7003) || self.has_code(7000)
    }

    /// The token may not read this: 403, or the codes Cloudflare uses for it.
    #[must_use]
    pub fn is_denied(&self) -> bool {
        self.status() == Some(403) || self.has_code(10000) || self.has_code(9109)
    }
}

/// A successful envelope: its `result` and its `result_info`.
#[derive(Debug, Clone)]
pub struct Answer {
    /// `result`.
    pub result: Value,
    /// `result_info`, when there is one.
    pub info: Option<Value>,
}

type Memo = Mutex<HashMap<String, Arc<OnceCell<Result<Answer, CallError>>>>>;

/// One client per run, shared by every fetch.
pub struct Client {
    http: reqwest::Client,
    credentials: Credentials,
    options: ClientOptions,
    pool: Semaphore,
    memo: Memo,
    calls: std::sync::atomic::AtomicUsize,
}

impl Client {
    /// A client with these credentials.
    ///
    /// # Errors
    /// When the HTTP stack cannot start (no TLS backend).
    pub fn new(credentials: Credentials, options: ClientOptions) -> Result<Self, CallError> {
        let http = reqwest::Client::builder()
            .timeout(options.timeout)
            .user_agent(concat!("atom-sage/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|error| CallError::Unreachable(error.to_string()))?;
        Ok(Self {
            http,
            credentials,
            pool: Semaphore::new(options.concurrency.max(1)),
            options,
            memo: Mutex::new(HashMap::new()),
            calls: std::sync::atomic::AtomicUsize::new(0),
        })
    }

    /// The API root every path is appended to.
    #[must_use]
    pub fn base_url(&self) -> &str {
        &self.options.base_url
    }

    /// How many HTTP requests were sent, retries included.
    #[must_use]
    pub fn calls(&self) -> usize {
        self.calls.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// `GET path`, once per run: a second ask for the same path waits for the first answer.
    pub async fn get(&self, path: &str) -> Result<Answer, CallError> {
        self.get_with(path, None).await
    }

    /// `GET path` with an extra header (R2's `cf-r2-jurisdiction`), once per run.
    pub async fn get_with(
        &self,
        path: &str,
        header: Option<(&'static str, &str)>,
    ) -> Result<Answer, CallError> {
        let key = format!("GET {path} {header:?}");
        self.memoised(key, || self.send(reqwest::Method::GET, path, None, header)).await
    }

    /// `POST path` with a JSON body, once per run for the same path and body.
    pub async fn post(&self, path: &str, body: &Value) -> Result<Answer, CallError> {
        let key = format!("POST {path} {body}");
        self.memoised(key, || self.send(reqwest::Method::POST, path, Some(body), None)).await
    }

    async fn memoised<F, Fut>(&self, key: String, call: F) -> Result<Answer, CallError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Answer, CallError>>,
    {
        let once = {
            let mut memo = self.memo.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            Arc::clone(memo.entry(key).or_default())
        };
        once.get_or_init(call).await.clone()
    }

    /// Every item of a page-paginated list: pages are asked for until `page * per_page` reaches
    /// `total_count` (or a page comes back short, for servers that leave the count out).
    pub async fn get_all_pages(&self, path: &str, per_page: u32) -> Result<Vec<Value>, CallError> {
        let separator = if path.contains('?') { '&' } else { '?' };
        let mut items = Vec::new();
        for page in 1u32.. {
            let answer =
                self.get(&format!("{path}{separator}page={page}&per_page={per_page}")).await?;
            let batch = as_array(&answer.result)?;
            let count = batch.len();
            items.extend(batch.iter().cloned());
            let total =
                answer.info.as_ref().and_then(|i| i.get("total_count")).and_then(Value::as_u64);
            let size = answer.info.as_ref().and_then(|i| i.get("per_page")).and_then(Value::as_u64);
            let size = size.unwrap_or(u64::from(per_page));
            let done = match total {
                Some(total) => u64::from(page) * size >= total,
                None => (count as u64) < size,
            };
            if done || count == 0 {
                break;
            }
        }
        Ok(items)
    }

    /// Every item of a cursor-paginated list, `items` picking them out of each `result`: pages
    /// are asked for until the cursor is missing or empty.
    pub async fn get_all_cursor(
        &self,
        path: &str,
        header: Option<(&'static str, &str)>,
        items: impl Fn(&Value) -> Option<&Vec<Value>>,
    ) -> Result<Vec<Value>, CallError> {
        let separator = if path.contains('?') { '&' } else { '?' };
        let mut out = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let url = match &cursor {
                Some(cursor) => format!("{path}{separator}cursor={}", encode(cursor)),
                None => path.to_owned(),
            };
            let answer = self.get_with(&url, header).await?;
            let batch = items(&answer.result).ok_or_else(|| {
                CallError::InvalidBody("the result does not hold the expected list".to_owned())
            })?;
            out.extend(batch.iter().cloned());
            let next = answer
                .info
                .as_ref()
                .and_then(|info| {
                    info.get("cursor").or_else(|| info.get("cursors").and_then(|c| c.get("after")))
                })
                .and_then(Value::as_str)
                .filter(|next| !next.is_empty());
            match next {
                Some(next) if cursor.as_deref() != Some(next) => cursor = Some(next.to_owned()),
                _ => break,
            }
        }
        Ok(out)
    }

    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
        header: Option<(&'static str, &str)>,
    ) -> Result<Answer, CallError> {
        let url = format!("{}{path}", self.options.base_url.trim_end_matches('/'));
        let mut attempt = 0;
        loop {
            let outcome = {
                let _permit =
                    self.pool.acquire().await.map_err(|_| {
                        CallError::Unreachable("the request pool is closed".to_owned())
                    })?;
                self.calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                self.attempt(method.clone(), &url, body, header).await
            };
            let (result, wait) = outcome;
            match wait {
                Some(wait) if attempt < self.options.retries => {
                    let wait = wait.unwrap_or(self.options.backoff * 2u32.pow(attempt));
                    tracing::debug!(path, attempt, wait_ms = wait.as_millis(), "retrying");
                    tokio::time::sleep(wait.min(self.options.max_retry_after)).await;
                    attempt += 1;
                }
                _ => return result.map_err(|error| self.scrub(error)),
            }
        }
    }

    /// One request. The second value says whether to retry: `Some(Some(pause))` as the server
    /// asked, `Some(None)` after the usual backoff, `None` not at all.
    async fn attempt(
        &self,
        method: reqwest::Method,
        url: &str,
        body: Option<&Value>,
        header: Option<(&'static str, &str)>,
    ) -> (Result<Answer, CallError>, Option<Option<Duration>>) {
        let mut request = self.http.request(method, url);
        if let Some((name, value)) = header {
            request = request.header(name, value);
        }
        request = match &self.credentials {
            Credentials::Token(token) => request.bearer_auth(token),
            Credentials::GlobalKey { key, email } => {
                request.header("X-Auth-Key", key).header("X-Auth-Email", email)
            }
        };
        if let Some(body) = body {
            request = request.header("content-type", "application/json").body(body.to_string());
        }
        let response = match request.send().await {
            Ok(response) => response,
            Err(error) => return (Err(self.transport_error(&error)), None),
        };
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let text = match response.bytes().await {
            Ok(bytes) => bytes,
            Err(error) => {
                let error = if error.is_timeout() {
                    self.transport_error(&error)
                } else {
                    CallError::InvalidBody(format!("the body was cut short ({status})"))
                };
                return (Err(error), (status >= 500).then_some(None));
            }
        };
        let retry = match status {
            429 => Some(retry_after),
            500..=599 => Some(None),
            _ => None,
        };
        (parse_envelope(status, &text), retry)
    }

    fn transport_error(&self, error: &reqwest::Error) -> CallError {
        if error.is_timeout() {
            CallError::Timeout(self.options.timeout.as_secs().max(1))
        } else {
            // reqwest's text names the URL, never the headers; the cause says what failed.
            let cause = std::error::Error::source(error).map(ToString::to_string);
            CallError::Unreachable(cause.unwrap_or_else(|| error.to_string()))
        }
    }

    /// Removes the secret from an error's text, should a server echo it back.
    fn scrub(&self, error: CallError) -> CallError {
        let secret = self.credentials.secret();
        if secret.is_empty() {
            return error;
        }
        let clean = |text: String| text.replace(secret, "<redacted>");
        match error {
            CallError::Api { status, errors } => CallError::Api {
                status,
                errors: errors.into_iter().map(|(code, text)| (code, clean(text))).collect(),
            },
            CallError::Unreachable(text) => CallError::Unreachable(clean(text)),
            CallError::InvalidBody(text) => CallError::InvalidBody(clean(text)),
            timeout @ CallError::Timeout(_) => timeout,
        }
    }
}

/// Reads the API's envelope: `result` on success, the error codes otherwise.
fn parse_envelope(status: u16, body: &[u8]) -> Result<Answer, CallError> {
    let value: Value = serde_json::from_slice(body).map_err(|error| {
        CallError::InvalidBody(format!("HTTP {status}, {} bytes, {error}", body.len()))
    })?;
    let Some(envelope) = value.as_object() else {
        return Err(CallError::InvalidBody(format!("HTTP {status}, not a JSON object")));
    };
    let errors: Vec<(i64, String)> = envelope
        .get("errors")
        .and_then(Value::as_array)
        .map(|errors| {
            errors
                .iter()
                .map(|e| {
                    let code = e.get("code").and_then(Value::as_i64).unwrap_or(0);
                    let message = e.get("message").and_then(Value::as_str).unwrap_or("");
                    (code, message.chars().take(200).collect())
                })
                .collect()
        })
        .unwrap_or_default();
    let success = envelope.get("success").and_then(Value::as_bool);
    if !(200..300).contains(&status) || success == Some(false) {
        return Err(CallError::Api { status, errors });
    }
    if success.is_none() {
        return Err(CallError::InvalidBody(format!("HTTP {status}, no `success` field")));
    }
    Ok(Answer {
        result: envelope.get("result").cloned().unwrap_or(Value::Null),
        info: envelope.get("result_info").cloned(),
    })
}

fn as_array(value: &Value) -> Result<&Vec<Value>, CallError> {
    value.as_array().ok_or_else(|| CallError::InvalidBody("the result is not a list".to_owned()))
}

/// Percent-encodes a path segment or query value.
#[must_use]
pub fn encode(text: &str) -> String {
    crate::render::percent_encode(text, b"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelopes_are_read_by_code_and_status() {
        let ok = parse_envelope(
            200,
            br#"{"success":true,"errors":[],"result":[1],"result_info":{"total_count":1}}"#,
        )
        .unwrap();
        assert_eq!(ok.result, serde_json::json!([1]));
        let denied = parse_envelope(
            403,
            br#"{"success":false,"errors":[{"code":10000,"message":"Authentication error"}],"result":null}"#,
        )
        .unwrap_err();
        assert!(denied.is_denied());
        assert_eq!(denied.to_string(), "403 10000 Authentication error");
        let cut = parse_envelope(200, br#"{"success":true,"result":[{"id":"#).unwrap_err();
        assert!(matches!(cut, CallError::InvalidBody(_)), "{cut:?}");
        let not_envelope = parse_envelope(200, b"[]").unwrap_err();
        assert!(matches!(not_envelope, CallError::InvalidBody(_)));
        let missing =
            parse_envelope(404, br#"{"success":false,"errors":[{"code":10013,"message":"x"}]}"#)
                .unwrap_err();
        assert!(missing.is_not_found(&[10013]) && !missing.is_denied());
        let elsewhere =
            parse_envelope(404, br#"{"success":false,"errors":[{"code":10002,"message":"x"}]}"#)
                .expect_err("an error");
        assert!(!elsewhere.is_not_found(&[10013]), "a 404 without the product's code");
    }

    #[test]
    fn credentials_never_print_their_secret() {
        let token = Credentials::Token("abc-secret-123".to_owned());
        assert!(!format!("{token:?}").contains("abc-secret-123"));
        let key = Credentials::GlobalKey { key: "k-secret".to_owned(), email: "a@b.c".to_owned() };
        assert!(!format!("{key:?}").contains("k-secret"));
    }

    #[test]
    fn encoding_keeps_safe_characters() {
        assert_eq!(encode("a b/c~d"), "a%20b%2Fc~d");
    }
}
