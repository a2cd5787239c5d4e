//! Intents: what a user says they are about to do, in the form
//! `DEPLOY "Deploy user-auth worker v2.3 to production - CTFWI: Validate all services"`.
//!
//! The verb is the action. The description names the worker (the word before `worker`, or the
//! first name after the verb), a version (`v2.3`, `2.3.1`) and an environment (after `to`, `in`,
//! `on` or `into`; a source after `from`). After `CTFWI:` ("check this first, when it ...")
//! comes what to check first: `validate all services`, `verify staging→prod parity`, `dry run`,
//! or service names such as `kv`, `d1`, `r2`.
//!
//! Nothing is guessed: with the project's environment names at hand an environment is matched
//! case-insensitively, or through the usual short forms (`prod` for `production`, `stage` for
//! `staging`, `dev` for `development`) when exactly one declared name has that meaning; a name
//! that matches nothing is left out and reported. Every word not understood is reported as a
//! warning.

use serde::{Deserialize, Serialize};

use crate::diagnostic::Service;

/// The actions atom-sage knows.
pub const ACTIONS: [&str; 5] = ["DEPLOY", "ROLLBACK", "CHECK", "DIFF", "PROMOTE"];

/// A check the CTFWI clause asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Selection {
    /// Every service: the full check.
    AllServices,
    /// The findings of one service, by its `snake_case` name (`kv`, `d1`, `durable_objects`).
    Service {
        /// The service's name as the JSON report writes it.
        service: String,
    },
    /// A comparison of two environments (`staging→prod parity`).
    Parity {
        /// The environment compared from (as declared, when a project was given).
        from: String,
        /// The environment compared with.
        to: String,
    },
    /// Nothing is to change: validate only.
    DryRun,
}

/// What a user said they are about to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Intent {
    /// The action in upper case, e.g. `DEPLOY`; an unknown verb is kept as given.
    pub action: String,
    /// Whether the action is one of [`ACTIONS`].
    pub known_action: bool,
    /// The description as given, secret values redacted.
    pub text: String,
    /// The worker named.
    pub worker: Option<String>,
    /// The version named, as written (`v2.3`).
    pub version: Option<String>,
    /// The environment, as the config declares it when a project was given; `top` for the top
    /// level.
    pub environment: Option<String>,
    /// The environment as written, when it was written differently or matched nothing.
    pub environment_written: Option<String>,
    /// The environment named after `from` (a promotion's or comparison's source).
    pub from_environment: Option<String>,
    /// The CTFWI clause, as written, secret values redacted.
    pub ctfwi: Option<String>,
    /// The checks the CTFWI clause selects, in its order.
    pub checks: Vec<Selection>,
    /// Every part that could not be understood, and every name that matched nothing.
    pub warnings: Vec<String>,
}

/// Why a line is not an intent at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IntentError {
    /// Nothing was given.
    #[error("no action given; write e.g. DEPLOY \"Deploy api worker v1.2 to production\"")]
    Empty,
    /// The action is not a word.
    #[error("`{0}` is not an action; an action is one word such as DEPLOY, ROLLBACK or CHECK")]
    InvalidAction(String),
}

/// Words that carry no meaning of their own in a description.
const FILLER: &[&str] = &[
    "the",
    "a",
    "an",
    "new",
    "latest",
    "version",
    "release",
    "build",
    "worker",
    "service",
    "script",
    "please",
    "now",
    "with",
    "of",
    "our",
    "my",
    "app",
    "and",
    "environment",
    "env",
];

/// Words that introduce an environment.
const TO_WORDS: &[&str] = &["to", "in", "on", "into", "onto", "at", "for"];

/// Verbs of each action, as descriptions start.
const VERBS: &[(&str, &[&str])] = &[
    ("DEPLOY", &["deploy", "ship", "release", "push", "publish"]),
    ("ROLLBACK", &["rollback", "roll", "revert"]),
    ("CHECK", &["check", "validate", "verify", "test", "lint"]),
    ("DIFF", &["diff", "compare"]),
    ("PROMOTE", &["promote"]),
];

/// Environment names that mean the same, for matching a short form to a declared name.
const ENVIRONMENT_MEANINGS: &[&[&str]] = &[
    &["production", "prod", "prd", "live"],
    &["staging", "stage", "stg"],
    &["development", "dev"],
    &["preview", "pre"],
    &["testing", "test", "qa"],
];

/// Parses a whole line, `ACTION "description"`; the quotes may be missing (a warning says so).
///
/// # Errors
/// When the line is empty or its first word is not an action.
pub fn parse_line(line: &str, environments: Option<&[String]>) -> Result<Intent, IntentError> {
    let line = line.trim();
    let (action, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
    if action.is_empty() {
        return Err(IntentError::Empty);
    }
    let rest = rest.trim();
    let quoted = ['"', '\'', '“'].iter().find_map(|open| {
        let close = if *open == '“' { '”' } else { *open };
        rest.strip_prefix(*open).and_then(|r| r.strip_suffix(close))
    });
    let mut intent = parse(action, quoted.unwrap_or(rest), environments)?;
    if quoted.is_none() && !rest.is_empty() {
        intent.warnings.insert(0, "the description is not in quotes; it was read as one".into());
    }
    Ok(intent)
}

/// Parses an intent from its action and description. `environments` are the names the
/// project's config declares; `None` when no project is at hand (names are then kept as
/// written). Every secret-looking value in what the intent echoes (the text, the clause, the
/// names, the warnings) is replaced by `<redacted>`.
///
/// # Errors
/// When the action is empty or not a word.
pub fn parse(
    action: &str,
    text: &str,
    environments: Option<&[String]>,
) -> Result<Intent, IntentError> {
    let mut intent = read(action, text, environments)?;
    let redact = |text: &mut String| *text = crate::secrets::redact_text(text).0;
    redact(&mut intent.text);
    for field in [
        &mut intent.worker,
        &mut intent.version,
        &mut intent.environment,
        &mut intent.environment_written,
        &mut intent.from_environment,
        &mut intent.ctfwi,
    ] {
        field.as_mut().map(redact);
    }
    for check in &mut intent.checks {
        if let Selection::Parity { from, to } = check {
            redact(from);
            redact(to);
        }
    }
    intent.warnings.iter_mut().for_each(redact);
    Ok(intent)
}

fn read(action: &str, text: &str, environments: Option<&[String]>) -> Result<Intent, IntentError> {
    let action = normalise_action(action)?;
    let known_action = ACTIONS.contains(&action.as_str());
    let mut intent = Intent {
        action: action.clone(),
        known_action,
        text: text.to_owned(),
        worker: None,
        version: None,
        environment: None,
        environment_written: None,
        from_environment: None,
        ctfwi: None,
        checks: Vec::new(),
        warnings: Vec::new(),
    };
    if !known_action {
        intent
            .warnings
            .push(format!("`{action}` is not an action atom-sage knows ({})", ACTIONS.join(", ")));
    }
    let (description, clause) = split_ctfwi(text);
    if description.trim().is_empty() && clause.is_none() {
        intent.warnings.push("the description is empty".to_owned());
        return Ok(intent);
    }
    read_description(&mut intent, description, environments);
    if let Some(clause) = clause {
        intent.ctfwi = Some(clause.to_owned());
        read_clause(&mut intent, clause, environments);
    }
    if matches!(action.as_str(), "DEPLOY" | "ROLLBACK" | "PROMOTE")
        && intent.environment.is_none()
        && intent.environment_written.is_none()
    {
        intent.warnings.push("no environment is named; nothing assumes one".to_owned());
    }
    Ok(intent)
}

fn normalise_action(action: &str) -> Result<String, IntentError> {
    let action = action.trim();
    if action.is_empty() {
        return Err(IntentError::Empty);
    }
    if !action.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        return Err(IntentError::InvalidAction(crate::secrets::redact_text(action).0));
    }
    // Upper case would hide a token from the redaction that follows.
    if crate::secrets::must_not_print(action) {
        return Ok("<redacted>".to_owned());
    }
    let upper = action.to_ascii_uppercase().replace(['-', '_'], "");
    Ok(if upper == "ROLLBACK" { upper } else { action.to_ascii_uppercase().replace('-', "_") })
}

/// The description and the CTFWI clause after `CTFWI:` (any case), the dash before it dropped.
fn split_ctfwi(text: &str) -> (&str, Option<&str>) {
    let lower = text.to_ascii_lowercase();
    let Some(at) = lower.find("ctfwi") else { return (text, None) };
    let description = text[..at].trim_end().trim_end_matches(['-', '–', '—', ':', ',', ';']);
    let clause = text[at + "ctfwi".len()..].trim_start().trim_start_matches(':').trim();
    (description.trim(), Some(clause))
}

/// One word of the description, without the punctuation around it.
fn clean(word: &str) -> &str {
    word.trim_matches(|c: char| matches!(c, ',' | ';' | '!' | '?' | '"' | '\'' | '(' | ')'))
        .trim_end_matches('.')
}

fn is_version(word: &str) -> bool {
    let digits = word.strip_prefix(['v', 'V']).unwrap_or(word);
    let core = digits.split(['-', '+']).next().unwrap_or(digits);
    let parts: Vec<&str> = core.split('.').collect();
    let numeric = !core.is_empty()
        && parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    numeric && (digits.len() < word.len() || parts.len() > 1)
}

fn is_name(word: &str) -> bool {
    !word.is_empty()
        && word.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && word.bytes().any(|b| b.is_ascii_alphabetic())
}

fn read_description(intent: &mut Intent, description: &str, environments: Option<&[String]>) {
    let words: Vec<&str> =
        description.split_whitespace().map(clean).filter(|w| !w.is_empty()).collect();
    let mut used = vec![false; words.len()];
    let lower: Vec<String> = words.iter().map(|w| w.to_ascii_lowercase()).collect();
    let mut start = 0;
    if let Some(first) = lower.first() {
        // An action atom-sage does not know is still its own verb when the description repeats it.
        let verb = VERBS
            .iter()
            .find(|(_, verbs)| verbs.contains(&first.as_str()))
            .map(|(action, _)| *action)
            .or_else(|| {
                first.eq_ignore_ascii_case(&intent.action).then_some(intent.action.as_str())
            });
        if let Some(verb_action) = verb {
            used[0] = true;
            start = 1;
            if lower.get(1).is_some_and(|w| w == "back") && verb_action == "ROLLBACK" {
                used[1] = true;
                start = 2;
            }
            if intent.known_action && verb_action != intent.action {
                intent.warnings.push(format!(
                    "the description starts with `{}` but the action is {}",
                    words[0], intent.action
                ));
            }
        }
    }
    // The version and the environments first: what is left names the worker.
    let mut targets = Vec::new();
    for index in start..words.len() {
        if is_version(words[index]) && intent.version.is_none() {
            intent.version = Some(words[index].to_owned());
            used[index] = true;
            continue;
        }
        let introduces = TO_WORDS.contains(&lower[index].as_str()) || lower[index] == "from";
        // `to the staging environment`: the article is skipped, `environment` is filler.
        let mut at = index + 1;
        while lower.get(at).is_some_and(|w| matches!(w.as_str(), "the" | "a" | "an" | "our")) {
            at += 1;
        }
        let next = words.get(at).copied();
        if introduces && let Some(next) = next.filter(|n| is_name(n) && !is_version(n)) {
            used[index..=at].fill(true);
            targets.push((lower[index] == "from", next));
        } else if introduces && next.is_some_and(is_version) {
            used[index] = true;
        }
    }
    // A declared environment named without `to`: `Check staging`.
    if let Some(declared) = environments {
        for index in start..words.len() {
            if !used[index] && declared.iter().any(|d| d.eq_ignore_ascii_case(words[index])) {
                used[index] = true;
                targets.push((false, words[index]));
            }
        }
    }
    let mut named = false;
    for (from, written) in targets {
        let matched = match_environment(&mut intent.warnings, written, environments);
        if from {
            intent.from_environment = intent.from_environment.take().or(matched);
        } else if !named {
            named = true;
            if matched.as_deref() != Some(written) {
                intent.environment_written = Some(written.to_owned());
            }
            intent.environment = matched;
        } else if intent.action == "DIFF" && intent.from_environment.is_none() {
            // `Compare staging and production`: the first named is the source.
            intent.from_environment = intent.environment.take();
            intent.environment = matched;
        } else if matched.is_some() {
            intent
                .warnings
                .push(format!("more than one environment is named; `{written}` was not used"));
        }
    }
    // The worker: the name before `worker`, else the first name after the verb.
    let keyword = lower.iter().position(|w| matches!(w.as_str(), "worker" | "service" | "script"));
    let worker_at = match keyword {
        Some(at) if at > start && !used[at - 1] && is_name(words[at - 1]) => Some(at - 1),
        _ => (start..words.len())
            .find(|&i| !used[i] && !FILLER.contains(&lower[i].as_str()) && is_name(words[i])),
    };
    if let Some(at) = worker_at {
        intent.worker = Some(words[at].to_owned());
        used[at] = true;
    }
    let left: Vec<&str> = (start..words.len())
        .filter(|&i| !used[i] && !FILLER.contains(&lower[i].as_str()))
        .map(|i| words[i])
        .collect();
    if !left.is_empty() {
        intent.warnings.push(format!("not understood: `{}`", left.join(" ")));
    }
}

/// The declared environment `written` means; a warning when nothing matches, or more than one
/// declared name could be meant.
fn match_environment(
    warnings: &mut Vec<String>,
    written: &str,
    environments: Option<&[String]>,
) -> Option<String> {
    let Some(declared) = environments else { return Some(written.to_owned()) };
    if written.eq_ignore_ascii_case("top") || written.eq_ignore_ascii_case("top-level") {
        return Some("top".to_owned());
    }
    if let Some(exact) = declared.iter().find(|d| d.eq_ignore_ascii_case(written)) {
        return Some(exact.clone());
    }
    let lower = written.to_ascii_lowercase();
    let meaning = ENVIRONMENT_MEANINGS.iter().find(|names| names.contains(&lower.as_str()));
    let same: Vec<&String> = meaning
        .map(|names| {
            declared.iter().filter(|d| names.contains(&d.to_ascii_lowercase().as_str())).collect()
        })
        .unwrap_or_default();
    match same.as_slice() {
        [one] => Some((*one).clone()),
        [] => {
            let list = if declared.is_empty() { "none".to_owned() } else { declared.join(", ") };
            warnings.push(format!(
                "environment `{written}` is not declared in the config (declared: {list})"
            ));
            None
        }
        many => {
            let names: Vec<&str> = many.iter().map(|s| s.as_str()).collect();
            warnings.push(format!(
                "environment `{written}` could mean any of {}; name one",
                names.join(", ")
            ));
            None
        }
    }
}

/// Service names as users write them.
const SERVICE_WORDS: &[(&str, Service)] = &[
    ("kv", Service::Kv),
    ("d1", Service::D1),
    ("r2", Service::R2),
    ("queue", Service::Queues),
    ("queues", Service::Queues),
    ("durable_objects", Service::DurableObjects),
    ("durable-objects", Service::DurableObjects),
    ("do", Service::DurableObjects),
    ("hyperdrive", Service::Hyperdrive),
    ("vars", Service::Vars),
    ("variables", Service::Vars),
    ("secrets", Service::Secrets),
    ("routes", Service::Routes),
    ("domains", Service::Routes),
    ("triggers", Service::Triggers),
    ("crons", Service::Triggers),
    ("compat", Service::Compat),
    ("compatibility", Service::Compat),
    ("containers", Service::Containers),
    ("limits", Service::Limits),
    ("config", Service::Config),
    ("code", Service::Code),
    ("services", Service::Services),
    ("environments", Service::Environments),
];

/// Words a CTFWI part may carry around what it selects.
const CLAUSE_FILLER: &[&str] = &[
    "validate", "verify", "check", "ensure", "run", "test", "a", "the", "first", "bindings",
    "binding", "only", "is", "are", "ok", "then", "do",
];

fn read_clause(intent: &mut Intent, clause: &str, environments: Option<&[String]>) {
    // Arrows are words of their own, written with spaces around them or not: `staging->prod`.
    let normalised = clause.replace(['→', '⇒'], "->").replace("=>", "->").replace("->", " -> ");
    let parts = normalised
        .split([',', ';', '+', '&'])
        .flat_map(|part| part.split(" and "))
        .map(str::trim)
        .filter(|part| !part.is_empty());
    for part in parts {
        let lower = part.to_ascii_lowercase();
        let words: Vec<&str> =
            lower.split_whitespace().map(clean).filter(|w| !w.is_empty()).collect();
        let has = |word: &str| words.contains(&word);
        if lower.contains("all services")
            || lower.contains("all checks")
            || lower.contains("everything")
            || words == ["all"]
        {
            intent.checks.push(Selection::AllServices);
        } else if lower.contains("dry run") || has("dry-run") || has("dryrun") {
            intent.checks.push(Selection::DryRun);
        } else if has("parity") || lower.contains("->") || has("vs") {
            read_parity(intent, part, environments);
        } else if lower.contains("durable object") {
            intent
                .checks
                .push(Selection::Service { service: Service::DurableObjects.as_str().to_owned() });
        } else {
            let meaningful: Vec<&str> =
                words.iter().copied().filter(|w| !CLAUSE_FILLER.contains(w)).collect();
            let services: Vec<Service> = meaningful
                .iter()
                .filter_map(|w| SERVICE_WORDS.iter().find(|(name, _)| name == w).map(|(_, s)| *s))
                .collect();
            if !services.is_empty() && services.len() == meaningful.len() {
                for service in services {
                    intent.checks.push(Selection::Service { service: service.as_str().to_owned() });
                }
            } else {
                intent.warnings.push(format!("CTFWI: not understood: `{part}`"));
            }
        }
    }
}

/// `verify staging -> prod parity`, `staging vs production`.
fn read_parity(intent: &mut Intent, part: &str, environments: Option<&[String]>) {
    let words: Vec<&str> = part
        .split_whitespace()
        .map(clean)
        .filter(|w| !w.is_empty() && !CLAUSE_FILLER.contains(&w.to_ascii_lowercase().as_str()))
        .filter(|w| !w.eq_ignore_ascii_case("parity"))
        .collect();
    let arrow =
        words.iter().position(|w| matches!(w.to_ascii_lowercase().as_str(), "->" | "vs" | "to"));
    let pair = arrow.and_then(|at| Some((*words.get(at.checked_sub(1)?)?, *words.get(at + 1)?)));
    let Some((from, to)) = pair else {
        intent.warnings.push(format!(
            "CTFWI: a parity check needs two environments, as in `staging -> production`: `{part}`"
        ));
        return;
    };
    let from = match_environment(&mut intent.warnings, from, environments);
    let to = match_environment(&mut intent.warnings, to, environments);
    if let (Some(from), Some(to)) = (from, to) {
        intent.checks.push(Selection::Parity { from, to });
    }
}

#[cfg(test)]
mod tests;
