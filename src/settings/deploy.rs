//! The `deploy` section of the settings file: how `atom-sage deploy` verifies a deploy, whether
//! it rolls back on its own, and how many rollback points it keeps.
//!
//! ```yaml
//! deploy:
//!   health_checks:
//!     - url: https://staging-api.example.com/health
//!       env: staging              # optional: only when deploying this environment
//!       expect_status: 204        # optional: any 2xx when absent
//!   verify:
//!     requests: 3                 # requests per URL (default 3)
//!     timeout_ms: 5000            # the longest one request may take (default 5000)
//!   auto_rollback: true           # roll back when verification fails (default true)
//!   retention:
//!     count: 10                   # rollback points kept per worker (default 10)
//!     days: 30                    # and none older than this (default 30)
//! ```

use crate::syntax::{Node, Value};

use super::Settings;

/// The keys of the `deploy` section.
const DEPLOY_KEYS: &[&str] = &["health_checks", "verify", "auto_rollback", "retention"];

/// The keys of one health check.
const HEALTH_CHECK_KEYS: &[&str] = &["url", "env", "expect_status"];

/// The keys of `deploy.verify`.
const VERIFY_KEYS: &[&str] = &["requests", "timeout_ms"];

/// The keys of `deploy.retention`.
const RETENTION_KEYS: &[&str] = &["count", "days"];

/// How `atom-sage deploy` verifies and keeps rollback points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeploySettings {
    /// URLs that must answer after a deploy.
    pub health_checks: Vec<HealthCheck>,
    /// Requests sent to each URL.
    pub requests: u32,
    /// The longest one request may take, in milliseconds.
    pub timeout_ms: u64,
    /// Whether a failed verification puts the previous version back.
    pub auto_rollback: bool,
    /// Rollback points kept per worker.
    pub retention_count: usize,
    /// Rollback points older than this many days are removed.
    pub retention_days: u32,
}

impl Default for DeploySettings {
    fn default() -> Self {
        Self {
            health_checks: Vec::new(),
            requests: 3,
            timeout_ms: 5000,
            auto_rollback: true,
            retention_count: 10,
            retention_days: 30,
        }
    }
}

/// One URL to request after a deploy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HealthCheck {
    /// An `http://` or `https://` URL.
    pub url: String,
    /// Only when deploying this environment (`top` for the top level); every deploy when `None`.
    pub env: Option<String>,
    /// The status that counts as healthy; any 2xx when `None`.
    pub expect_status: Option<u16>,
}

impl DeploySettings {
    /// The health checks that apply to a deploy of `env` (`None`: the top level).
    #[must_use]
    pub fn health_checks_for(&self, env: Option<&str>) -> Vec<&HealthCheck> {
        let env = env.unwrap_or("top");
        self.health_checks
            .iter()
            .filter(|check| check.env.as_deref().is_none_or(|e| e == env))
            .collect()
    }
}

impl Settings {
    pub(super) fn read_deploy(&mut self, node: &Node) {
        if !node.is_table() {
            self.invalid(node.span, "`deploy` must be a mapping of keys".to_owned(), None);
            return;
        }
        for entry in node.entries() {
            match entry.key.as_str() {
                "health_checks" => self.read_health_checks(&entry.value),
                "auto_rollback" => match entry.value.as_bool() {
                    Some(on) => self.deploy.auto_rollback = on,
                    None => self.invalid(
                        entry.value.span,
                        "`deploy.auto_rollback` must be true or false".to_owned(),
                        None,
                    ),
                },
                "verify" | "retention" => {
                    let place = format!("deploy.{}", entry.key);
                    let known = if entry.key == "verify" { VERIFY_KEYS } else { RETENTION_KEYS };
                    for (key, value) in self.section(&entry.value, &place, known) {
                        let max = match key {
                            "requests" => 100,
                            "timeout_ms" => 600_000,
                            "count" => 10_000,
                            _ => 36_500,
                        };
                        let Some(number) = self.whole(value, &format!("{place}.{key}"), max) else {
                            continue;
                        };
                        match key {
                            "requests" => self.deploy.requests = number as u32,
                            "timeout_ms" => self.deploy.timeout_ms = number,
                            "count" => self.deploy.retention_count = number as usize,
                            _ => self.deploy.retention_days = number as u32,
                        }
                    }
                }
                other => self.unknown_key(other, entry.key_span, DEPLOY_KEYS, "`deploy`"),
            }
        }
    }

    /// The known entries of a nested mapping; unknown keys and a non-mapping are problems.
    pub(super) fn section<'a>(
        &mut self,
        node: &'a Node,
        place: &str,
        known: &'static [&'static str],
    ) -> Vec<(&'static str, &'a Node)> {
        if !node.is_table() {
            self.invalid(node.span, format!("`{place}` must be a mapping of keys"), None);
            return Vec::new();
        }
        let mut out = Vec::new();
        for entry in node.entries() {
            match known.iter().find(|key| **key == entry.key) {
                Some(key) => out.push((*key, &entry.value)),
                None => self.unknown_key(&entry.key, entry.key_span, known, &format!("`{place}`")),
            }
        }
        out
    }

    /// A whole number from 1 to `max`; a problem and `None` otherwise.
    pub(super) fn whole(&mut self, node: &Node, place: &str, max: u64) -> Option<u64> {
        match node.value {
            Value::Integer(n) if n >= 1 && n.unsigned_abs() <= max => Some(n.unsigned_abs()),
            _ => {
                self.invalid(
                    node.span,
                    format!("`{place}` must be a whole number from 1 to {max}"),
                    None,
                );
                None
            }
        }
    }

    fn read_health_checks(&mut self, node: &Node) {
        let Value::Array(items) = &node.value else {
            let message = "`deploy.health_checks` must be a list of `{url: ...}`".to_owned();
            self.invalid(node.span, message, None);
            return;
        };
        for item in items {
            let mut check = HealthCheck { url: String::new(), env: None, expect_status: None };
            for (key, value) in self.section(item, "a health check", HEALTH_CHECK_KEYS) {
                match (key, value.as_str()) {
                    ("url", Some(url)) if is_http_url(url) => url.clone_into(&mut check.url),
                    ("url", _) => self.invalid(
                        value.span,
                        "a health check's `url` must be an http:// or https:// URL".to_owned(),
                        Some("e.g. `url: https://api.example.com/health`".to_owned()),
                    ),
                    ("env", Some(env)) => check.env = Some(env.to_owned()),
                    ("env", None) => self.invalid(
                        value.span,
                        "a health check's `env` must be an environment name".to_owned(),
                        None,
                    ),
                    _ => match value.value {
                        Value::Integer(status @ 100..=599) => {
                            check.expect_status = u16::try_from(status).ok();
                        }
                        _ => self.invalid(
                            value.span,
                            "`expect_status` must be an HTTP status from 100 to 599".to_owned(),
                            None,
                        ),
                    },
                }
            }
            if item.is_table() && item.get("url").is_none() {
                self.invalid(item.span, "a health check needs a `url`".to_owned(), None);
            } else if !check.url.is_empty() {
                self.deploy.health_checks.push(check);
            }
        }
    }
}

/// `http://host...` or `https://host...` with a host.
pub(super) fn is_http_url(text: &str) -> bool {
    let rest = text.strip_prefix("https://").or_else(|| text.strip_prefix("http://"));
    rest.is_some_and(|rest| {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        !host.is_empty() && !rest.contains(char::is_whitespace)
    })
}

#[cfg(test)]
mod tests {
    use crate::project::SourceFile;
    use crate::settings::Settings;

    fn settings(text: &str) -> Settings {
        Settings::parse(SourceFile::new("s.yaml".into(), "s.yaml".into(), text.to_owned()))
    }

    #[test]
    fn defaults_without_a_section() {
        let s = settings("services: [kv]\n");
        assert_eq!(s.deploy.requests, 3);
        assert_eq!(s.deploy.timeout_ms, 5000);
        assert!(s.deploy.auto_rollback);
        assert_eq!((s.deploy.retention_count, s.deploy.retention_days), (10, 30));
        assert!(s.deploy.health_checks.is_empty());
    }

    #[test]
    fn reads_the_section() {
        let s = settings(
            "deploy:\n  health_checks:\n    - url: http://127.0.0.1:8080/health\n      env: staging\n      expect_status: 204\n    - url: https://example.com/\n  verify:\n    requests: 5\n    timeout_ms: 250\n  auto_rollback: false\n  retention:\n    count: 2\n    days: 7\n",
        );
        assert_eq!(s.problems, []);
        assert_eq!(s.deploy.health_checks.len(), 2);
        assert_eq!(s.deploy.health_checks[0].expect_status, Some(204));
        assert_eq!(s.deploy.health_checks_for(Some("staging")).len(), 2);
        assert_eq!(s.deploy.health_checks_for(Some("production")).len(), 1);
        assert_eq!((s.deploy.requests, s.deploy.timeout_ms), (5, 250));
        assert!(!s.deploy.auto_rollback);
        assert_eq!((s.deploy.retention_count, s.deploy.retention_days), (2, 7));
    }

    #[test]
    fn reports_mistakes_at_their_place() {
        let s = settings(
            "deploy:\n  health_checks:\n    - url: example.com/health\n    - env: staging\n    - url: http://x/\n      expect_status: 700\n  verify:\n    requests: 0\n    timout_ms: 5\n  auto_rollback: yes please\n  retention: 3\n",
        );
        let messages: Vec<&str> = s.problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "a health check's `url` must be an http:// or https:// URL",
                "a health check needs a `url`",
                "`expect_status` must be an HTTP status from 100 to 599",
                "unknown key `timout_ms` in `deploy.verify`",
                "`deploy.verify.requests` must be a whole number from 1 to 100",
                "`deploy.auto_rollback` must be true or false",
                "`deploy.retention` must be a mapping of keys",
            ]
        );
        assert_eq!(s.problems[3].help.as_deref(), Some("did you mean `timeout_ms`?"));
        let text = &s.file.as_ref().unwrap().text;
        assert_eq!(&text[s.problems[0].span.start as usize..][..18], "example.com/health");
        assert_eq!(s.deploy.health_checks.len(), 1, "the valid one is kept");
    }
}
