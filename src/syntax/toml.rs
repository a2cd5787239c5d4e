//! TOML, through `toml-span`, held to TOML 1.0 as wrangler's own reader is: an inline table
//! spread over several lines is a syntax error in both.

use toml_span::value::ValueInner;

use super::{Entry, Node, ParseError, Span, Value};

/// Parses a TOML document into a [`Node`] tree, entries in source order.
///
/// # Errors
/// Returns the syntax error with the span where it was found.
pub fn parse_toml(text: &str) -> Result<Node, ParseError> {
    // TOML allows no control character but tab anywhere, not even in comments and strings;
    // `toml-span` lets some through, wrangler's reader does not.
    if let Some(offset) =
        text.bytes().position(|b| matches!(b, 0..=8 | 0x0b | 0x0c | 0x0e..=0x1f | 0x7f))
    {
        return Err(ParseError {
            message: format!(
                "control character U+{:04X} is not allowed in TOML",
                text.as_bytes()[offset]
            ),
            span: Span::new(offset, offset + 1),
        });
    }
    match toml_span::parse(text) {
        Ok(mut value) => {
            let node = convert(text, &mut value);
            check_inline_tables(text, &node)?;
            Ok(node)
        }
        Err(error) => {
            Err(ParseError { message: describe(text, &error), span: span_of(error.span) })
        }
    }
}

fn span_of(span: toml_span::Span) -> Span {
    Span::new(span.start, span.end)
}

fn describe(text: &str, error: &toml_span::Error) -> String {
    // TOML dates are valid TOML, but this reader has no date type and wrangler wants strings
    // anyway; say what to write instead of a bare "unexpected character".
    let found = text.get(error.span.start..).unwrap_or("");
    let looks_like_date = found.len() >= 10
        && found.as_bytes()[..10]
            .iter()
            .enumerate()
            .all(|(i, b)| if i == 4 || i == 7 { *b == b'-' } else { b.is_ascii_digit() });
    if looks_like_date {
        let date = &found[..10];
        return format!("unquoted date {date}: write dates as strings, e.g. \"{date}\"");
    }
    error.to_string()
}

/// TOML 1.0 allows no line break inside an inline table except within its values (a multi-line
/// array or string). `toml-span` is more lenient than that, and wrangler is not, so the rule is
/// enforced here: every gap between the braces, keys and values must stay on one line.
fn check_inline_tables(text: &str, node: &Node) -> Result<(), ParseError> {
    match &node.value {
        Value::Array(items) => items.iter().try_for_each(|item| check_inline_tables(text, item)),
        Value::Table(entries) => {
            let start = node.span.start as usize;
            if text.as_bytes().get(start) == Some(&b'{') {
                let mut cursor = start + 1;
                for entry in entries {
                    find_line_break(text, cursor, entry.key_span.start as usize)?;
                    let value_start = entry.value.span.start as usize;
                    find_line_break(text, entry.key_span.end as usize, value_start)?;
                    cursor = entry.value.span.end as usize;
                }
                find_line_break(text, cursor, (node.span.end as usize).saturating_sub(1))?;
            }
            entries.iter().try_for_each(|entry| check_inline_tables(text, &entry.value))
        }
        _ => Ok(()),
    }
}

fn find_line_break(text: &str, from: usize, to: usize) -> Result<(), ParseError> {
    let gap = text.get(from..to.max(from)).unwrap_or("");
    match gap.find('\n') {
        Some(offset) => Err(ParseError {
            message: "an inline table must stay on one line (TOML 1.0); use a [table] section \
                      instead"
                .to_owned(),
            span: Span::new(from + offset, from + offset + 1),
        }),
        None => Ok(()),
    }
}

fn convert(source: &str, value: &mut toml_span::Value<'_>) -> Node {
    let mut span = span_of(value.span);
    let converted = match value.take() {
        ValueInner::String(text) => {
            span = with_quotes(source, span);
            Value::String(text.into_owned())
        }
        ValueInner::Integer(number) => Value::Integer(number),
        ValueInner::Float(number) => Value::Float(number),
        ValueInner::Boolean(flag) => Value::Bool(flag),
        ValueInner::Array(mut items) => {
            Value::Array(items.iter_mut().map(|item| convert(source, item)).collect())
        }
        ValueInner::Table(table) => {
            let mut entries: Vec<Entry> = table
                .into_iter()
                .map(|(key, mut value)| Entry {
                    key: key.name.into_owned(),
                    key_span: span_of(key.span),
                    value: convert(source, &mut value),
                })
                .collect();
            // toml-span keeps tables sorted by key; findings read better in file order.
            entries.sort_by_key(|entry| entry.key_span.start);
            Value::Table(entries)
        }
    };
    Node { value: converted, span }
}

/// `toml-span` gives a string's span without its quotes; findings underline the whole literal,
/// quotes included, as they do in JSON.
fn with_quotes(source: &str, span: Span) -> Span {
    const QUOTES: [&[u8]; 4] = [b"\"\"\"", b"'''", b"\"", b"'"];
    let bytes = source.as_bytes();
    let (start, end) = (span.start as usize, span.end as usize);
    for quote in QUOTES {
        let width = quote.len();
        let opens = start >= width && bytes.get(start - width..start) == Some(quote);
        let closes = bytes.get(end..end + width) == Some(quote);
        if opens && closes {
            return Span::new(start - width, end + width);
        }
    }
    span
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_source_order_and_spans() {
        let text = "name = \"w\"\nmain = \"src/index.ts\"\n[[kv_namespaces]]\nbinding = \"KV\"\n";
        let node = parse_toml(text).unwrap();
        let keys: Vec<_> = node.entries().iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["name", "main", "kv_namespaces"]);
        let binding = node.get("kv_namespaces").unwrap().items()[0].entry("binding").unwrap();
        assert_eq!(
            &text[binding.key_span.start as usize..binding.key_span.end as usize],
            "binding"
        );
        assert_eq!(binding.value.as_str(), Some("KV"));
    }

    #[test]
    fn rejects_multi_line_inline_tables() {
        let text = "routes = [\n  { pattern = \"a.com/*\",\n    zone_name = \"a.com\" }\n]\n";
        let error = parse_toml(text).unwrap_err();
        assert!(error.span.start > 10, "{error:?}");
    }

    #[test]
    fn rejects_control_characters() {
        let error = parse_toml("name = \"x\"\n# a\u{7f}\n").unwrap_err();
        assert_eq!(
            (error.span.start, error.message.as_str()),
            (14, "control character U+007F is not allowed in TOML")
        );
        assert!(parse_toml("name = \"a\tb\"\r\n").is_ok());
    }

    #[test]
    fn explains_unquoted_dates() {
        let error = parse_toml("compatibility_date = 2024-01-01\n").unwrap_err();
        assert_eq!(
            error.message,
            "unquoted date 2024-01-01: write dates as strings, e.g. \"2024-01-01\""
        );
        assert_eq!(error.span.start, 21);
    }
}
