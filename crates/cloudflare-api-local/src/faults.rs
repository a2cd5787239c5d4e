//! Faults to inject: slow answers, rate limits, server errors, bodies cut short and requests
//! never answered. Set in the state file under `faults`, or at runtime with
//! `POST /__control/faults` (same JSON; it replaces the faults in force).

use serde::{Deserialize, Serialize};

/// The faults in force.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Faults {
    /// Milliseconds added to every answer.
    pub latency_ms: u64,
    /// Faults for matching requests; the first rule that matches a request applies.
    pub rules: Vec<Rule>,
}

/// Faults for the requests whose method and path match.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Rule {
    /// `GET`, `POST`, ...; any method when absent.
    pub method: Option<String>,
    /// The path after `/client/v4`, where `*` stands for one path segment and a final `**` for
    /// any rest, e.g. `/accounts/*/d1/database/**`.
    pub path: String,
    /// Milliseconds to wait before answering, every time.
    pub delay_ms: u64,
    /// How many of the next matching requests get 429 with `Retry-After`.
    pub rate_limited: u32,
    /// The `Retry-After` seconds of those 429s; 1 unless set.
    pub retry_after: Option<u64>,
    /// How many of the next matching requests get a server error.
    pub server_errors: u32,
    /// The status of those errors; 500 unless set.
    pub status: Option<u16>,
    /// How many of the next matching requests get their body cut in half.
    pub truncated: u32,
    /// How many of the next matching requests are never answered (the connection stays open
    /// until the client gives up or the server stops).
    pub hang: u32,
}

/// What to do with one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Answer normally.
    Answer,
    /// Answer 429 with this `Retry-After`.
    RateLimit(u64),
    /// Answer with this 5xx status.
    ServerError(u16),
    /// Answer, but cut the body short.
    Truncate,
    /// Never answer.
    Hang,
}

/// The outcome for one request: a delay, then an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    /// Milliseconds to wait first.
    pub delay_ms: u64,
    /// What to do then.
    pub action: Action,
}

impl Faults {
    /// Decides for one request and uses up one count of the rule it hits.
    pub fn decide(&mut self, method: &str, path: &str) -> Decision {
        let mut decision = Decision { delay_ms: self.latency_ms, action: Action::Answer };
        let Some(rule) = self.rules.iter_mut().find(|rule| rule.matches(method, path)) else {
            return decision;
        };
        decision.delay_ms += rule.delay_ms;
        decision.action = if rule.rate_limited > 0 {
            rule.rate_limited -= 1;
            Action::RateLimit(rule.retry_after.unwrap_or(1))
        } else if rule.server_errors > 0 {
            rule.server_errors -= 1;
            Action::ServerError(rule.status.unwrap_or(500))
        } else if rule.truncated > 0 {
            rule.truncated -= 1;
            Action::Truncate
        } else if rule.hang > 0 {
            rule.hang -= 1;
            Action::Hang
        } else {
            Action::Answer
        };
        decision
    }
}

impl Rule {
    fn matches(&self, method: &str, path: &str) -> bool {
        if self.method.as_deref().is_some_and(|wanted| !wanted.eq_ignore_ascii_case(method)) {
            return false;
        }
        let mut pattern = self.path.trim_matches('/').split('/');
        let mut segments = path.trim_matches('/').split('/');
        loop {
            match (pattern.next(), segments.next()) {
                (Some("**"), _) | (None, None) => return true,
                (Some(wanted), Some(segment)) if wanted == "*" || wanted == segment => {}
                _ => return false,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(path: &str) -> Rule {
        Rule { path: path.to_owned(), ..Rule::default() }
    }

    #[test]
    fn patterns_match_segments_and_rests() {
        assert!(rule("/accounts/*/d1/database").matches("GET", "/accounts/abc/d1/database"));
        assert!(!rule("/accounts/*/d1/database").matches("GET", "/accounts/abc/d1/database/x"));
        assert!(rule("/accounts/**").matches("POST", "/accounts/abc/d1/database/x/query"));
        let only_post = Rule { method: Some("POST".to_owned()), ..rule("/zones") };
        assert!(!only_post.matches("GET", "/zones"));
    }

    #[test]
    fn counts_run_out_in_order() {
        let mut faults = Faults {
            latency_ms: 5,
            rules: vec![Rule {
                rate_limited: 1,
                retry_after: Some(7),
                server_errors: 1,
                status: Some(503),
                ..rule("/zones")
            }],
        };
        let actions: Vec<Action> = (0..3).map(|_| faults.decide("GET", "/zones").action).collect();
        assert_eq!(actions, [Action::RateLimit(7), Action::ServerError(503), Action::Answer]);
        assert_eq!(faults.decide("GET", "/accounts").delay_ms, 5);
    }
}
