use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};

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

/// Credential formats, by prefix, with the shortest length a real one has.
const KNOWN_PREFIXES: &[(&str, usize, &str)] = &[
    ("sk_live_", 20, "a Stripe secret key"),
    ("sk_test_", 20, "a Stripe test secret key"),
    ("rk_live_", 20, "a Stripe restricted key"),
    ("whsec_", 20, "a Stripe webhook secret"),
    ("ghp_", 36, "a GitHub personal access token"),
    ("gho_", 36, "a GitHub OAuth token"),
    ("ghs_", 36, "a GitHub app token"),
    ("ghu_", 36, "a GitHub user token"),
    ("github_pat_", 40, "a GitHub fine-grained token"),
    ("glpat-", 20, "a GitLab access token"),
    ("xoxb-", 20, "a Slack bot token"),
    ("xoxp-", 20, "a Slack user token"),
    ("AKIA", 20, "an AWS access key id"),
    ("AIza", 35, "a Google API key"),
    ("sk-ant-", 40, "an Anthropic API key"),
    ("sk-proj-", 40, "an OpenAI API key"),
    ("sk-", 40, "an OpenAI-style API key"),
    ("SG.", 60, "a SendGrid API key"),
    ("npm_", 36, "an npm token"),
    ("shpat_", 30, "a Shopify access token"),
    ("dop_v1_", 60, "a DigitalOcean token"),
    ("-----BEGIN", 40, "a private key"),
];

/// Name words that mark a value as meant to be secret.
const SECRET_WORDS: &[&str] =
    &["KEY", "SECRET", "TOKEN", "PASSWORD", "PASSWD", "PRIVATE", "CREDENTIAL", "SALT", "DSN"];

/// Name words that mark a value as meant to be public.
const PUBLIC_WORDS: &[&str] =
    &["PUBLIC", "PUBLISHABLE", "SITE_KEY", "SITEKEY", "CLIENT_ID", "KEY_ID", "ANON"];

fn check(_context: &Context<'_>, env: &Environment<'_>, sink: &mut Sink<'_>) {
    for section in ["vars", "define"] {
        let Some(field) = env.own(section) else { continue };
        for entry in field.node.entries() {
            let Some(value) = entry.value.as_str() else { continue };
            let Some((severity, what)) = classify(&entry.key, value) else { continue };
            let name = &entry.key;
            sink.report(Some(env), entry.value.span, format!("{section}.{name} looks like {what}; `{section}` are stored in plain text"))
                .severity(severity)
                .binding(name.as_str())
                .sensitive()
                .note("the value is not shown here")
                .help(format!(
                    "remove it from `{section}`, rotate it, and store it with `wrangler secret put {name}{}`",
                    env.name.map(|n| format!(" --env {n}")).unwrap_or_default()
                ));
        }
    }
}

/// Whether a variable looks secret: an error for known formats, a warning for random values
/// under secret-sounding names.
fn classify(name: &str, value: &str) -> Option<(Severity, &'static str)> {
    let value = value.trim();
    if let Some((_, _, what)) = KNOWN_PREFIXES
        .iter()
        .find(|(prefix, min, _)| value.starts_with(prefix) && value.len() >= *min)
    {
        return Some((Severity::Error, what));
    }
    if is_jwt(value) {
        return Some((Severity::Error, "a JSON Web Token"));
    }
    let upper = name.to_ascii_uppercase();
    let secret_name = SECRET_WORDS.iter().any(|word| upper.contains(word));
    let public_name = PUBLIC_WORDS.iter().any(|word| upper.contains(word));
    if secret_name && !public_name && looks_random(value) {
        return Some((Severity::Warning, "a secret (a random value under a secret's name)"));
    }
    None
}

fn is_jwt(value: &str) -> bool {
    let parts: Vec<&str> = value.split('.').collect();
    parts.len() == 3
        && value.starts_with("eyJ")
        && parts.iter().all(|p| {
            p.len() >= 4 && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// Long, without spaces, not a URL or path, not a placeholder, and with the character spread
/// of generated data.
fn looks_random(value: &str) -> bool {
    if value.len() < 16
        || value.contains(char::is_whitespace)
        || value.contains("://")
        || value.starts_with('/')
    {
        return false;
    }
    if crate::resource_ids::is_placeholder(value) {
        return false;
    }
    let has_digit = value.bytes().any(|b| b.is_ascii_digit());
    let has_letter = value.bytes().any(|b| b.is_ascii_alphabetic());
    has_digit && has_letter && entropy(value) >= 3.5
}

/// Shannon entropy of the text, in bits per character.
fn entropy(value: &str) -> f64 {
    let mut counts = [0_u32; 256];
    for byte in value.bytes() {
        counts[usize::from(byte)] += 1;
    }
    #[expect(clippy::cast_precision_loss, reason = "config values are short")]
    let length = value.len() as f64;
    counts
        .iter()
        .filter(|&&count| count > 0)
        .map(|&count| {
            let p = f64::from(count) / length;
            -p * p.log2()
        })
        .sum()
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
            "{BASE}[vars]\nSTRIPE_KEY = \"sk_live_51HabcdefghijKLMNOP\"\n[env.staging.vars]\nJWT_SECRET = \"q8Zr2VxL0pKe7TmW4sYb9\"\n"
        );
        let found = toml("VAR001", &text);
        assert_eq!(
            found,
            [
                "5:14 error [top] vars.STRIPE_KEY looks like a Stripe secret key; `vars` are stored in plain text",
                "7:14 warning [staging] vars.JWT_SECRET looks like a secret (a random value under a secret's name); `vars` are stored in plain text",
            ]
        );
        assert!(found.iter().all(|line| !line.contains("sk_live_51") && !line.contains("q8Zr2")));
    }
}
