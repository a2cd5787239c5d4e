//! Recognising secret values: credentials in known formats, passwords in URLs, and random
//! strings. Used to report secrets pasted into the config, and to keep every secret-looking
//! value out of what atom-sage prints.

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
    ("sk-ant-", 40, "an Anthropic API key"),
    ("sk-proj-", 40, "an OpenAI API key"),
    ("sk-", 40, "an OpenAI-style API key"),
    ("SG.", 60, "a SendGrid API key"),
    ("npm_", 36, "an npm token"),
    ("shpat_", 30, "a Shopify access token"),
    ("dop_v1_", 60, "a DigitalOcean token"),
    ("-----BEGIN", 40, "a private key"),
];

/// Formats that identify rather than authenticate, or are meant to be public in a browser:
/// reported as warnings at most.
const WEAK_PREFIXES: &[(&str, usize, &str)] =
    &[("AKIA", 20, "an AWS access key id"), ("AIza", 35, "a Google API key")];

/// How sure a value is a secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confidence {
    /// A known credential format, a password in a URL, a JSON Web Token.
    Certain,
    /// A format that is sometimes public, or a random value under a secret's name.
    Likely,
}

/// The value with one layer of JavaScript string quotes removed, as `define` writes strings.
#[must_use]
pub fn unquoted(value: &str) -> &str {
    let value = value.trim();
    for quote in ['"', '\'', '`'] {
        if let Some(inner) = value.strip_prefix(quote).and_then(|v| v.strip_suffix(quote)) {
            return inner;
        }
    }
    value
}

/// What credential format a value is in, if any.
#[must_use]
pub fn known_format(value: &str) -> Option<(Confidence, &'static str)> {
    let value = unquoted(value);
    if let Some((_, _, what)) =
        KNOWN_PREFIXES.iter().find(|(p, min, _)| value.starts_with(p) && value.len() >= *min)
    {
        return Some((Confidence::Certain, what));
    }
    if let Some((_, _, what)) =
        WEAK_PREFIXES.iter().find(|(p, min, _)| value.starts_with(p) && value.len() >= *min)
    {
        return Some((Confidence::Likely, what));
    }
    if is_jwt(value) {
        return Some((Confidence::Certain, "a JSON Web Token"));
    }
    if has_url_password(value) {
        return Some((Confidence::Certain, "a URL with a password in it"));
    }
    webhook_url(value).map(|what| (Confidence::Certain, what))
}

/// Webhook URLs whose path is the credential: anyone holding one can post as the integration.
const WEBHOOK_URLS: &[(&str, &str)] = &[
    ("hooks.slack.com/services/", "a Slack webhook URL"),
    ("hooks.slack.com/workflows/", "a Slack workflow webhook URL"),
    ("hooks.slack.com/triggers/", "a Slack workflow webhook URL"),
    ("discord.com/api/webhooks/", "a Discord webhook URL"),
    ("discordapp.com/api/webhooks/", "a Discord webhook URL"),
    ("webhook.office.com/webhookb2/", "a Microsoft Teams webhook URL"),
];

/// What webhook a URL is, when its path carries the webhook's secret.
fn webhook_url(value: &str) -> Option<&'static str> {
    let rest = value.strip_prefix("https://").or_else(|| value.strip_prefix("http://"))?;
    WEBHOOK_URLS.iter().find_map(|(prefix, what)| {
        let path = rest.strip_prefix(prefix)?;
        (!path.trim_matches('/').is_empty()).then_some(*what)
    })
}

/// Whether a key names a value that is secret whatever it looks like: `password`, `DB_PASSWD`,
/// `api-key`, `clientSecret`, `Authorization`, `auth`. `public_key`, `key` and `author` do not.
fn is_secret_key(key: &str) -> bool {
    let key = key.trim_matches(|c: char| "\"'`".contains(c)).trim_start_matches('-');
    if key.is_empty() || !key.bytes().all(|b| b.is_ascii_alphanumeric() || b"_-.".contains(&b)) {
        return false;
    }
    let key = key.to_ascii_lowercase().replace('-', "_");
    SECRET_KEY_PARTS.iter().any(|part| key.contains(part))
        || key.split(['_', '.']).any(|word| matches!(word, "auth" | "pwd" | "pass"))
}

/// Parts of a key name that make its value a secret.
const SECRET_KEY_PARTS: &[&str] = &[
    "password",
    "passwd",
    "secret",
    "token",
    "apikey",
    "api_key",
    "access_key",
    "accesskey",
    "private_key",
    "privatekey",
    "credential",
    "authorization",
];

/// A value that stands for a secret rather than being one: `$PASSWORD`, `${TOKEN}`,
/// `<redacted>`, `xxxx`.
fn is_stand_in(value: &str) -> bool {
    value.starts_with('$') || crate::resource_ids::is_placeholder(value)
}

/// The word after `Bearer`: a token's characters, long enough, with a digit, so that "the bearer
/// of the news" keeps its words.
fn is_bearer_token(value: &str) -> bool {
    value.len() >= 8
        && value.bytes().any(|b| b.is_ascii_digit())
        && value.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~+/=".contains(&b))
}

/// Whether a value would give something away if printed: a known format, a long random string
/// of mixed case (a token), or a long hexadecimal string that is not an id (32 digits, a UUID).
/// Key paths and names (`env.staging.kv_namespaces[0]`) are never secrets.
#[must_use]
pub fn must_not_print(value: &str) -> bool {
    if known_format(value).is_some() {
        return true;
    }
    let value = unquoted(value);
    if is_identifier(value) || is_file_name(value) || !looks_random(value) {
        return false;
    }
    let mixed_case = value.bytes().any(|b| b.is_ascii_uppercase())
        && value.bytes().any(|b| b.is_ascii_lowercase());
    let long_hex = value.len() >= 40 && value.bytes().all(|b| b.is_ascii_hexdigit());
    mixed_case || long_hex
}

/// `migrations/0004_Add_Users.SQL`: ends in a short extension, as file names do and tokens do
/// not.
fn is_file_name(value: &str) -> bool {
    value.rsplit_once('.').is_some_and(|(stem, extension)| {
        !stem.is_empty()
            && (1..=5).contains(&extension.len())
            && extension.bytes().all(|b| b.is_ascii_alphabetic())
    })
}

fn is_identifier(value: &str) -> bool {
    crate::resource_ids::is_hex_id(value) || crate::resource_ids::is_uuid(value)
}

fn is_jwt(value: &str) -> bool {
    let parts: Vec<&str> = value.split('.').collect();
    parts.len() == 3
        && value.starts_with("eyJ")
        && parts.iter().all(|p| {
            p.len() >= 4 && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// `scheme://user:password@host`, with a password that is not a placeholder.
fn has_url_password(value: &str) -> bool {
    let Some((_, rest)) = value.split_once("://") else { return false };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let Some((credentials, _)) = authority.rsplit_once('@') else { return false };
    let Some((_, password)) = credentials.split_once(':') else { return false };
    !password.is_empty()
        && !crate::resource_ids::is_placeholder(password)
        && !password.starts_with('$')
}

/// Long, without spaces, not a URL or path, not a placeholder, and with the character spread
/// of generated data.
#[must_use]
pub fn looks_random(value: &str) -> bool {
    let value = unquoted(value);
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

/// A message with every backtick-quoted value that must not be printed replaced by
/// `<redacted>`, and whether anything was.
#[must_use]
pub fn redact_message(message: &str) -> (String, bool) {
    let mut out = String::with_capacity(message.len());
    let mut redacted = false;
    let mut parts = message.split('`');
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    let rest: Vec<&str> = parts.collect();
    for (index, part) in rest.iter().enumerate() {
        out.push('`');
        // Odd positions sit between a pair of backticks; the last lone part is plain text.
        let quoted = index % 2 == 0 && index + 1 < rest.len();
        if quoted && must_not_print(part) {
            out.push_str("<redacted>");
            redacted = true;
        } else {
            out.push_str(part);
        }
    }
    (out, redacted)
}

/// Free text (an intent, a reason) with every word that must not be printed replaced by
/// `<redacted>`, and whether anything was. A word is also judged by what follows its first `=` or
/// `:`, so `token=ghp_...` loses its value. After a secret-looking key (`password=`,
/// `api_key: `, `"client_secret": `) the value goes whatever it looks like, and so does the token
/// after `Bearer`; the words of prose ("rotate the api key") stay.
/// The credential values of this run (whatever they look like) are redacted too.
#[must_use]
pub fn redact_text(text: &str) -> (String, bool) {
    let (text, known) = without_credentials_in_use(text);
    let (out, redacted) = redact_words(&text);
    (out, redacted || known)
}

/// The environment variables whose values are this run's Cloudflare credentials.
const CREDENTIAL_VARIABLES: [&str; 2] = ["CLOUDFLARE_API_TOKEN", "CLOUDFLARE_API_KEY"];

/// `text` with every occurrence of a credential this process was given replaced, and whether
/// there was one: a token that looks like prose is still the token.
fn without_credentials_in_use(text: &str) -> (std::borrow::Cow<'_, str>, bool) {
    let mut out = std::borrow::Cow::Borrowed(text);
    for name in CREDENTIAL_VARIABLES {
        if let Ok(value) = std::env::var(name)
            && value.trim().len() >= 8
            && out.contains(value.trim())
        {
            out = std::borrow::Cow::Owned(out.replace(value.trim(), "<redacted>"));
        }
    }
    let changed = matches!(out, std::borrow::Cow::Owned(_));
    (out, changed)
}

fn redact_words(text: &str) -> (String, bool) {
    let mut out = String::with_capacity(text.len());
    let mut redacted = false;
    let mut expect = Expect::Anything;
    let mut rest = text;
    while !rest.is_empty() {
        let space = rest.find(|c: char| !c.is_whitespace()).unwrap_or(rest.len());
        out.push_str(&rest[..space]);
        rest = &rest[space..];
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let word = &rest[..end];
        rest = &rest[end..];
        if word.is_empty() {
            continue;
        }
        let bare = word.trim_matches(|c: char| "\"'`()[]{}<>,;.!?".contains(c));
        let (key, value) = match bare.split_once(['=', ':']) {
            Some((key, value)) if !value.starts_with("//") => {
                (Some(key), value.trim_start_matches(|c: char| "\"'`".contains(c)))
            }
            _ => (None, bare),
        };
        let keyed = key.is_some_and(is_secret_key);
        let scheme = bare.eq_ignore_ascii_case("bearer") || bare.eq_ignore_ascii_case("basic");
        // Secret by where it stands: the value after a key, the token after `Bearer`.
        let placed = match expect {
            Expect::Value => !scheme && !is_stand_in(word) && !is_stand_in(bare),
            Expect::BearerToken => is_bearer_token(bare),
            Expect::Anything | Expect::Separator => false,
        };
        expect = match expect {
            // `Authorization: Bearer <token>`: the scheme stays, the token after it goes.
            Expect::Value if scheme => Expect::Value,
            Expect::Separator if matches!(bare, "=" | ":") => Expect::Value,
            _ if keyed && value.is_empty() => Expect::Value,
            _ if key.is_none() && is_secret_key(bare) => Expect::Separator,
            _ if bare.eq_ignore_ascii_case("bearer") => Expect::BearerToken,
            _ => Expect::Anything,
        };
        if placed {
            push_redacted(&mut out, word, bare, bare);
            redacted = true;
        } else if must_not_print(bare)
            || must_not_print(value)
            || (keyed && !value.is_empty() && !is_stand_in(value))
        {
            push_redacted(&mut out, word, bare, value);
            redacted = true;
        } else {
            out.push_str(word);
        }
    }
    (out, redacted)
}

/// What the next word of free text is, after the words so far.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Expect {
    Anything,
    /// A secret-looking key was written alone: a lone `=` or `:` may follow.
    Separator,
    /// The value of a secret-looking key.
    Value,
    /// What follows `Bearer`.
    BearerToken,
}

/// The word with its `value` (the tail of `bare`) replaced; quotes and punctuation around the
/// word, and a `name=` before the value, stay.
fn push_redacted(out: &mut String, word: &str, bare: &str, value: &str) {
    let start = word.find(bare).unwrap_or(0);
    out.push_str(&word[..start]);
    out.push_str(&bare[..bare.len() - value.len()]);
    out.push_str("<redacted>");
    out.push_str(&word[start + bare.len()..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_secrets_and_spares_ids() {
        assert_eq!(
            known_format("sk_live_51HabcdefghijKLMNOP").map(|k| k.0),
            Some(Confidence::Certain)
        );
        assert_eq!(
            known_format("'ghp_abcdefghijklmnopqrstuvwxyz0123456789'").map(|k| k.0),
            Some(Confidence::Certain)
        );
        assert_eq!(
            known_format("postgres://app:N7qLx2VbR9mTz4Kc@db.example.net/app").map(|k| k.1),
            Some("a URL with a password in it")
        );
        assert_eq!(known_format("postgres://app:${PASSWORD}@db/app"), None);
        assert_eq!(known_format("AKIAIOSFODNN7EXAMPLE").map(|k| k.0), Some(Confidence::Likely));
        assert!(must_not_print("Xq7vN2mQ8wL5tY9zB4cD6fG1hJ0sA3eU8iO2pK3r"));
        assert!(!must_not_print("0123456789abcdef0123456789abcdef"));
        assert!(!must_not_print("11111111-2222-3333-4444-555555555555"));
        assert!(!must_not_print("my-worker-staging"));
        assert!(!must_not_print("env.staging.kv_namespaces[0]"));
        assert!(!must_not_print("ratelimits[0].simple.period"));
        assert!(!must_not_print("migrations/0004_Add_Users.SQL"));
        assert!(must_not_print("3f2a9c0e1b7d4a6f8e2c0b9a7d5f3e1c2b4a6d8f"));
    }

    #[test]
    fn redacts_quoted_values_in_messages() {
        let (message, redacted) = redact_message(
            "KV namespace `CACHE` id `sk_live_51HqLyAbCdEfGhIjKlMn` is not 32 hexadecimal digits",
        );
        assert_eq!(message, "KV namespace `CACHE` id `<redacted>` is not 32 hexadecimal digits");
        assert!(redacted);
        assert_eq!(redact_message("a `b` c `d"), ("a `b` c `d".to_owned(), false));
    }
    #[test]
    fn redacts_tokens_in_free_text() {
        let (text, redacted) = redact_text(
            "Deploy api - token ghp_abcdefghijklmnopqrstuvwxyz0123456789, key=sk_live_51HqLyAbCdEfGhIjKlMn done",
        );
        assert_eq!(text, "Deploy api - token <redacted>, key=<redacted> done");
        assert!(redacted);
        let plain = "Deploy user-auth worker v2.3 to production - CTFWI: Validate all services";
        assert_eq!(redact_text(plain), (plain.to_owned(), false));
        assert_eq!(
            redact_text(
                "see https://example.com/a:b and DATABASE_URL=postgres://app:N7qLx2VbR9mTz4Kc@db.example.net/app"
            ),
            ("see https://example.com/a:b and DATABASE_URL=<redacted>".to_owned(), true)
        );
    }

    #[test]
    fn redacts_values_after_secret_keys_and_bearer() {
        let cases = [
            ("set password=hunter2hunter2 now", "set password=<redacted> now"),
            ("api_key: AbCdEf0123456789abcdef", "api_key: <redacted>"),
            ("\"api-key\": \"short1\",", "\"api-key\": \"<redacted>\","),
            ("DB_PASSWD='hunter2'", "DB_PASSWD='<redacted>'"),
            ("clientSecret:abc", "clientSecret:<redacted>"),
            ("password = hunter2", "password = <redacted>"),
            (
                "Authorization: Bearer abcdef0123456789abcdef0123",
                "Authorization: Bearer <redacted>",
            ),
            (
                "curl -H 'Authorization: Basic dXNlcjpwYXNz'",
                "curl -H 'Authorization: Basic <redacted>'",
            ),
            ("send bearer abcdef0123456789 along", "send bearer <redacted> along"),
            ("hook https://hooks.slack.com/services/T000/B000/XXXX", "hook <redacted>"),
        ];
        for (text, expected) in cases {
            assert_eq!(redact_text(text), (expected.to_owned(), true), "{text}");
        }
    }

    #[test]
    fn keeps_prose_and_stand_ins() {
        let cases = [
            "rotate the api key",
            "fix the password reset page",
            "the bearer of bad news",
            "Bearer tokens expire",
            "password=${DB_PASSWORD} and token=$TOKEN",
            "secret: <redacted>",
            "author=jane public_key=abc key=value",
            "see https://example.com/a:b",
        ];
        for text in cases {
            assert_eq!(redact_text(text), (text.to_owned(), false), "{text}");
        }
    }

    #[test]
    fn webhook_urls_are_secrets() {
        assert_eq!(
            known_format("https://hooks.slack.com/services/T000/B000/XXXX"),
            Some((Confidence::Certain, "a Slack webhook URL"))
        );
        assert_eq!(
            known_format("https://discord.com/api/webhooks/123/abc").map(|k| k.1),
            Some("a Discord webhook URL")
        );
        assert_eq!(known_format("https://hooks.slack.com/services/"), None);
        assert_eq!(known_format("https://api.slack.com/apps"), None);
        assert!(must_not_print("https://user:s3cretpass@db.internal/app"));
    }
}
