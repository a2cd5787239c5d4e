use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};
use crate::secrets::{self, Confidence};
use crate::syntax::{Node, Value};

/// A secret pasted into plain-text variables.
pub const RULE: Rule = Rule {
    code: "VAR001",
    name: "secret-in-vars",
    service: Service::Vars,
    severity: Severity::Error,
    fixable: false,
    summary: "A value in vars or define looks like a secret: a known token format, or a random string under a secret-sounding name",
    docs: r#"## What it checks
Every string in `vars` and `define`. A value in a known credential format (Stripe, GitHub,
GitLab, Slack, AWS, Google, OpenAI, Anthropic, SendGrid, npm, private keys, JWTs) is an error;
a long random-looking value under a name such as `API_KEY`, `SECRET`, `TOKEN` or `PASSWORD` is
a warning. The value itself is never printed.

## Why it matters
`vars` are plain text: they sit in the repository, in every clone and CI log, and in the
deployed worker's settings for anyone with dashboard access. Secrets belong in
`wrangler secret put`, which stores them encrypted.

## Example
```toml
[vars]
STRIPE_KEY = "sk_live_..."   # bad
# good: wrangler secret put STRIPE_KEY --env production
```

## Known limitations
Names containing `PUBLIC`, `PUBLISHABLE`, `SITE_KEY` or `CLIENT_ID` are taken to be public.
A secret in an unusual format under an innocent name is not found.

## See also
https://developers.cloudflare.com/workers/configuration/secrets/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Environment(check) };

/// Name words that mark a value as meant to be secret.
const SECRET_WORDS: &[&str] =
    &["KEY", "SECRET", "TOKEN", "PASSWORD", "PASSWD", "PRIVATE", "CREDENTIAL", "SALT", "DSN"];

/// Name words that mark a value as meant to be public, or not a credential at all.
const PUBLIC_WORDS: &[&str] = &[
    "PUBLIC",
    "PUBLISHABLE",
    "SITE_KEY",
    "SITEKEY",
    "CLIENT_ID",
    "KEY_ID",
    "ANON",
    "SEARCH",
    "PREFIX",
    "FIREBASE",
];

/// Name endings that say the value is the secret half of a credential pair.
const SECRET_HALVES: &[&str] = &["SECRET_ACCESS_KEY", "PRIVATE_KEY", "CLIENT_SECRET", "SECRET_KEY"];

/// Value prefixes of keys that are public by design: Stripe publishable keys, PostHog project
/// keys.
const PUBLIC_VALUES: &[&str] = &["pk_live_", "pk_test_", "phc_"];

fn check(_context: &Context<'_>, env: &Environment<'_>, sink: &mut Sink<'_>) {
    for section in ["vars", "define"] {
        let Some(field) = env.own(section) else { continue };
        for entry in field.node.entries() {
            visit(section, &entry.key, &entry.key, &entry.value, env, sink);
        }
    }
}

/// Looks at a value and, for tables and arrays, at every value inside it.
fn visit(
    section: &str,
    name: &str,
    path: &str,
    node: &Node,
    env: &Environment<'_>,
    sink: &mut Sink<'_>,
) {
    match &node.value {
        Value::String(value) => {
            let Some((severity, what)) = classify(name, value) else { return };
            sink.report(Some(env), node.span, format!("{section}.{path} looks like {what}; `{section}` are stored in plain text"))
                .severity(severity)
                .binding(name)
                .sensitive()
                .note("the value is not shown here")
                .help(format!(
                    "remove it from `{section}`, rotate it, and store it with `wrangler secret put {name}{}`",
                    env.name.map(|n| format!(" --env {n}")).unwrap_or_default()
                ));
        }
        Value::Table(entries) => {
            for entry in entries {
                visit(
                    section,
                    &entry.key,
                    &format!("{path}.{}", entry.key),
                    &entry.value,
                    env,
                    sink,
                );
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                visit(section, name, &format!("{path}[{index}]"), item, env, sink);
            }
        }
        _ => {}
    }
}

/// Whether a variable's name says its value is meant to be secret (`API_KEY`, `DB_PASSWORD`)
/// and not public (`PUBLIC_KEY`, `SITE_KEY`). The environment diff hides such values.
pub(crate) fn name_marks_secret(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    SECRET_WORDS.iter().any(|word| upper.contains(word))
        && !PUBLIC_WORDS.iter().any(|word| upper.contains(word))
}

/// Whether a variable looks secret: an error for certain formats and for random values that a
/// name marks as the secret half of a pair, a warning for the rest.
fn classify(name: &str, value: &str) -> Option<(Severity, &'static str)> {
    let upper = name.to_ascii_uppercase();
    let bare = secrets::unquoted(value);
    if PUBLIC_WORDS.iter().any(|word| upper.contains(word))
        || PUBLIC_VALUES.iter().any(|p| bare.starts_with(p))
    {
        return None;
    }
    if let Some((confidence, what)) = secrets::known_format(value) {
        let severity =
            if confidence == Confidence::Certain { Severity::Error } else { Severity::Warning };
        return Some((severity, what));
    }
    if !secrets::looks_random(value) {
        return None;
    }
    if SECRET_HALVES.iter().any(|half| upper.ends_with(half)) {
        return Some((Severity::Error, "the secret half of a credential"));
    }
    SECRET_WORDS
        .iter()
        .any(|word| upper.contains(word))
        .then_some((Severity::Warning, "a secret (a random value under a secret's name)"))
}

#[cfg(test)]
mod tests {
    use super::classify;
    use crate::checks::test_support::{BASE, toml};
    use crate::diagnostic::Severity;

    #[test]
    fn ordinary_values_pass() {
        let cases = [
            ("API_URL", "https://api.example.com/v1/resource/abcdef123456"),
            ("STRIPE_PUBLISHABLE_KEY", "pk_live_51Habcdefghijklmnop123456"),
            ("TURNSTILE_SITE_KEY", "0x4AAAAAAAB1c2D3e4F5g6H7"),
            ("SECRET_NAME", "my-secret"),
            ("SUPABASE_ANON_KEY", "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.c2lnbmF0dXJlMTIz"),
            ("FIREBASE_API_KEY", "AIzaSyA-1234567890abcdefghijklmnopqrstu"),
            ("POSTHOG_KEY", "phc_a8F3kL9pQ2mN7xR4t6Y1u0I9o8P7"),
            ("ALGOLIA_SEARCH_KEY", "a8F3kL9pQ2mN7xR4t6Y1u0I9o8P7"),
            ("CACHE_KEY_PREFIX", "v2:a8F3kL9pQ2mN7xR4"),
            ("API_KEY", "your-api-key-here-please-replace"),
            ("TOKEN_TTL", "3600"),
            ("MODE", "production"),
        ];
        for (name, value) in cases {
            assert_eq!(classify(name, value), None, "{name}");
        }
        let text = format!("{BASE}[vars]\nAPI_URL = \"https://example.com\"\n");
        assert_eq!(toml("VAR001", &text), Vec::<String>::new());
    }

    #[test]
    fn secrets_are_reported_without_their_value() {
        assert_eq!(
            classify("X", "ghp_abcdefghijklmnopqrstuvwxyz0123456789").map(|c| c.0),
            Some(Severity::Error)
        );
        assert_eq!(
            classify("SESSION_SECRET", "q8Zr2VxL0pKe7TmW4sYb9").map(|c| c.0),
            Some(Severity::Warning)
        );
        let text = format!(
            "{BASE}[vars]\nSTRIPE_KEY = \"sk_live_51HabcdefghijKLMNOP\"\nCONFIG = {{ list = [\"ghp_abcdefghijklmnopqrstuvwxyz0123456789\"] }}\n[env.staging.vars]\nJWT_SECRET = \"q8Zr2VxL0pKe7TmW4sYb9\"\n"
        );
        let found = toml("VAR001", &text);
        assert_eq!(
            found,
            [
                "5:14 error [top] vars.STRIPE_KEY looks like a Stripe secret key; `vars` are stored in plain text",
                "6:20 error [top] vars.CONFIG.list[0] looks like a GitHub personal access token; `vars` are stored in plain text",
                "8:14 warning [staging] vars.JWT_SECRET looks like a secret (a random value under a secret's name); `vars` are stored in plain text",
            ]
        );
        assert!(found.iter().all(|line| !line.contains("sk_live_51")
            && !line.contains("q8Zr2")
            && !line.contains("ghp_")));
    }

    #[test]
    fn webhook_urls_are_secrets() {
        let text = format!(
            "{BASE}[vars]\nALERTS = \"https://hooks.slack.com/services/T000/B000/XXXX\"\nDOCS = \"https://api.slack.com/messaging/webhooks\"\n"
        );
        let found = toml("VAR001", &text);
        assert_eq!(
            found,
            [
                "5:10 error [top] vars.ALERTS looks like a Slack webhook URL; `vars` are stored in plain text"
            ]
        );
    }
}
