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
    None
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
/// `:`, so `token=ghp_...` and `password:...` lose their values.
#[must_use]
pub fn redact_text(text: &str) -> (String, bool) {
    let mut out = String::with_capacity(text.len());
    let mut redacted = false;
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
        let value = bare
            .split_once(['=', ':'])
            .filter(|(_, value)| !value.starts_with("//"))
            .map_or(bare, |(_, value)| value);
        if must_not_print(bare) || must_not_print(value) {
            // Quotes and punctuation around the word, and a `name=` before the value, stay.
            let start = word.find(bare).unwrap_or(0);
            out.push_str(&word[..start]);
            out.push_str(&bare[..bare.len() - value.len()]);
            out.push_str("<redacted>");
            out.push_str(&word[start + bare.len()..]);
            redacted = true;
        } else {
            out.push_str(word);
        }
    }
    (out, redacted)
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
}
