//! The shapes of Cloudflare resource ids, and the placeholders people leave in their place.

/// Whether `text` is 32 hexadecimal digits: an account, KV namespace or Hyperdrive id.
#[must_use]
pub fn is_hex_id(text: &str) -> bool {
    text.len() == 32 && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Whether `text` is a UUID (8-4-4-4-12 hexadecimal digits): a D1 database id.
#[must_use]
pub fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, len)| group.len() == len && group.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Whether an id is one of the placeholders templates and tutorials leave behind:
/// `<YOUR_ID>`, `xxxx`, `TODO`, `your-kv-id`, `${KV_ID}`, an empty string.
#[must_use]
pub fn is_placeholder(text: &str) -> bool {
    let lower = text.trim().to_ascii_lowercase();
    lower.is_empty()
        || lower.contains('<')
        || lower.contains("${")
        || lower.contains("{{")
        || lower.contains("todo")
        || lower.contains("your")
        || lower.contains("placeholder")
        || lower.contains("replace")
        || lower.contains("change")
        || lower.contains("insert")
        || lower.contains("example")
        || lower.bytes().filter(|b| *b != b'-').all(|b| b == b'x' || b == b'0' || b == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert!(is_hex_id("0123456789abcdef0123456789ABCDEF"));
        assert!(!is_hex_id("0123456789abcdef0123456789abcde"));
        assert!(is_uuid("11111111-2222-3333-4444-555555555555"));
        assert!(!is_uuid("11111111-2222-3333-4444-55555555555g"));
        for placeholder in [
            "<YOUR_ID>",
            "xxxx",
            "TODO",
            "",
            "your-kv-id",
            "${KV_ID}",
            "00000000-0000-0000-0000-000000000000",
            "replace-me",
        ] {
            assert!(is_placeholder(placeholder), "{placeholder}");
        }
        assert!(!is_placeholder("0123456789abcdef0123456789abcdef"));
    }
}
