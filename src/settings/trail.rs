//! The `trail` section of the settings file: where every entry appended to the audit trail is
//! also sent.
//!
//! ```yaml
//! trail:
//!   sink:
//!     url: https://audit.example.com/atom-sage    # http:// or https://
//!     headers:                                    # optional
//!       Authorization: "Bearer ${AUDIT_TOKEN}"    # ${NAME} is read from the environment
//!     timeout_ms: 2000                            # one request at most (default 2000)
//!     retries: 3                                  # attempts after the first (default 3)
//! ```

use crate::syntax::{Node, Span, Value};

use super::Settings;
use super::deploy::is_http_url;

/// The keys of the `trail` section.
const TRAIL_KEYS: &[&str] = &["sink"];

/// The keys of `trail.sink`.
const SINK_KEYS: &[&str] = &["url", "headers", "timeout_ms", "retries"];

/// The `trail` section.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrailSettings {
    /// Where entries are sent; `None` when not set or not valid.
    pub sink: Option<SinkSettings>,
}

/// An HTTP endpoint that receives each trail entry as a JSON `POST`.
#[derive(Clone, PartialEq, Eq)]
pub struct SinkSettings {
    /// An `http://` or `https://` URL.
    pub url: String,
    /// Headers sent with each request; values may hold `${NAME}` references.
    pub headers: Vec<(String, String)>,
    /// The longest one request may take, in milliseconds.
    pub timeout_ms: u64,
    /// Attempts after the first on a connection error, a timeout, 429 or 5xx.
    pub retries: u32,
}

impl std::fmt::Debug for SinkSettings {
    // Header values may be written in the file; the URL may hold a key. Neither is shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("SinkSettings")
            .field("url", &crate::trail::redact_url(&self.url))
            .field("headers", &names)
            .field("timeout_ms", &self.timeout_ms)
            .field("retries", &self.retries)
            .finish()
    }
}

impl Settings {
    pub(super) fn read_trail(&mut self, node: &Node) {
        for (_, sink) in self.section(node, "trail", TRAIL_KEYS) {
            self.trail.sink = self.read_sink(sink);
        }
    }

    fn read_sink(&mut self, node: &Node) -> Option<SinkSettings> {
        let mut sink =
            SinkSettings { url: String::new(), headers: Vec::new(), timeout_ms: 2000, retries: 3 };
        let problems = self.problems.len();
        for (key, value) in self.section(node, "trail.sink", SINK_KEYS) {
            match key {
                "url" => match value.as_str() {
                    Some(url) if is_http_url(url) => url.clone_into(&mut sink.url),
                    _ => self.invalid(
                        value.span,
                        "`trail.sink.url` must be an http:// or https:// URL".to_owned(),
                        Some("e.g. `url: https://audit.example.com/atom-sage`".to_owned()),
                    ),
                },
                "headers" => {
                    for (name, header_value) in self.section_of_any(value, "trail.sink.headers") {
                        if let Some(header) = self.header(name, header_value) {
                            sink.headers.push(header);
                        }
                    }
                }
                "timeout_ms" => {
                    if let Some(ms) = self.whole(value, "trail.sink.timeout_ms", 60_000) {
                        sink.timeout_ms = ms;
                    }
                }
                _ => match value.value {
                    Value::Integer(n @ 0..=10) => sink.retries = u32::try_from(n).unwrap_or(3),
                    _ => self.invalid(
                        value.span,
                        "`trail.sink.retries` must be a whole number from 0 to 10".to_owned(),
                        None,
                    ),
                },
            }
        }
        if node.is_table() && node.get("url").is_none() {
            self.invalid(node.span, "`trail.sink` needs a `url`".to_owned(), None);
        }
        // A sink half written is not used: the problems say what to fix.
        (self.problems.len() == problems && !sink.url.is_empty()).then_some(sink)
    }

    /// Every entry of a mapping with its key span, or a problem when it is not one.
    fn section_of_any<'a>(
        &mut self,
        node: &'a Node,
        place: &str,
    ) -> Vec<((&'a str, Span), &'a Node)> {
        if !node.is_table() {
            self.invalid(node.span, format!("`{place}` must be a mapping of keys"), None);
            return Vec::new();
        }
        node.entries()
            .iter()
            .map(|entry| ((entry.key.as_str(), entry.key_span), &entry.value))
            .collect()
    }

    /// One header: a token name and a one-line string value whose `${...}` are names.
    fn header(
        &mut self,
        (name, name_span): (&str, Span),
        value: &Node,
    ) -> Option<(String, String)> {
        if name.is_empty() || !name.bytes().all(is_token_byte) {
            self.invalid(name_span, format!("`{name}` is not an HTTP header name"), None);
            return None;
        }
        let Some(text) = value.as_str().filter(|text| !text.contains(['\r', '\n'])) else {
            let message = format!("the value of header `{name}` must be a one-line string");
            self.invalid(value.span, message, None);
            return None;
        };
        if let Err(reference) = crate::trail::header_references(text) {
            self.invalid(
                value.span,
                format!("`{reference}` in header `{name}` is not a `${{NAME}}` reference"),
                Some("write `${NAME}` with NAME of letters, digits and `_`".to_owned()),
            );
            return None;
        }
        if !text.contains("${") && holds_secret(name, text) {
            self.invalid(
                value.span,
                format!("header `{name}` holds a secret in the settings file"),
                Some(format!("write it as `{name}: \"... ${{NAME}}\"` and set NAME in the environment, so the file holds no secret")),
            );
            if let Some(problem) = self.problems.last_mut() {
                problem.sensitive = true;
            }
            return None;
        }
        Some((name.to_owned(), text.to_owned()))
    }
}

/// A header written out in the file that carries a credential: by its name, or a word of it
/// that looks like a token.
fn holds_secret(name: &str, value: &str) -> bool {
    let name = name.to_ascii_lowercase();
    let by_name = ["authorization", "cookie", "token", "key", "secret", "password", "signature"]
        .iter()
        .any(|word| name.contains(word));
    by_name || value.split_whitespace().any(crate::secrets::must_not_print)
}

/// The bytes an HTTP header name (a token) may hold.
fn is_token_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}

#[cfg(test)]
mod tests {
    use crate::project::SourceFile;
    use crate::settings::Settings;

    fn settings(text: &str) -> Settings {
        Settings::parse(SourceFile::new("s.yaml".into(), "s.yaml".into(), text.to_owned()))
    }

    #[test]
    fn reads_the_section() {
        let s = settings(
            "trail:\n  sink:\n    url: http://127.0.0.1:9/in?key=abc\n    headers:\n      Authorization: \"Bearer ${AUDIT_TOKEN}\"\n      X-Team: core\n    timeout_ms: 500\n    retries: 0\n",
        );
        assert_eq!(s.problems, []);
        let sink = s.trail.sink.as_ref().unwrap();
        assert_eq!(sink.url, "http://127.0.0.1:9/in?key=abc");
        assert_eq!(
            sink.headers[0],
            ("Authorization".to_owned(), "Bearer ${AUDIT_TOKEN}".to_owned())
        );
        assert_eq!((sink.timeout_ms, sink.retries), (500, 0));
        let shown = format!("{sink:?}");
        assert!(!shown.contains("abc") && !shown.contains("AUDIT_TOKEN"), "{shown}");
    }

    #[test]
    fn defaults() {
        let s = settings("trail:\n  sink:\n    url: https://audit.example.com/\n");
        let sink = s.trail.sink.unwrap();
        assert_eq!((sink.timeout_ms, sink.retries, sink.headers.len()), (2000, 3, 0));
        assert_eq!(settings("services: [kv]\n").trail.sink, None);
    }

    #[test]
    fn reports_mistakes_at_their_place() {
        let s = settings(
            "trail:\n  sink:\n    url: ftp://audit.example.com/\n    headers:\n      \"Bad Name\": x\n      X-Key: \"${AUDIT-TOKEN}\"\n    timout_ms: 5\n    retries: 11\n  sinks: []\n",
        );
        let messages: Vec<&str> = s.problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "unknown key `sinks` in `trail`",
                "unknown key `timout_ms` in `trail.sink`",
                "`trail.sink.url` must be an http:// or https:// URL",
                "`Bad Name` is not an HTTP header name",
                "`${AUDIT-TOKEN}` in header `X-Key` is not a `${NAME}` reference",
                "`trail.sink.retries` must be a whole number from 0 to 10",
            ]
        );
        assert_eq!(s.problems[1].help.as_deref(), Some("did you mean `timeout_ms`?"));
        let text = &s.file.as_ref().unwrap().text;
        let at = |index: usize| &text[s.problems[index].span.start as usize..];
        assert!(at(2).starts_with("ftp://audit"));
        assert!(at(4).starts_with("\"${AUDIT-TOKEN}\""));
        assert_eq!(s.trail.sink, None, "a sink with mistakes is not used");
        let written = settings(
            "trail:\n  sink:\n    url: http://x/\n    headers:\n      Authorization: Bearer abc\n      X-Trace: \"Kq3vZ8pLm2Xw9RtY4bNc7HdF\"\n      X-Team: core\n",
        );
        let messages: Vec<&str> = written.problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "header `Authorization` holds a secret in the settings file",
                "header `X-Trace` holds a secret in the settings file",
            ]
        );
        assert!(
            written.problems.iter().all(|p| !format!("{p:?}").contains("Kq3vZ8pLm2Xw9RtY4bNc7HdF"))
        );
        let missing = settings("trail:\n  sink:\n    retries: 1\n");
        assert_eq!(missing.problems[0].message, "`trail.sink` needs a `url`");
    }
}
