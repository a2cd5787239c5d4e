//! JSON with comments and trailing commas, as wrangler reads `wrangler.json` and
//! `wrangler.jsonc`.

use super::{Entry, Node, ParseError, Span, Value};

/// How deep arrays and objects may nest before the parser gives up instead of overflowing the
/// stack on hostile input.
const MAX_DEPTH: usize = 128;

/// Parses JSON with `//` and `/* */` comments and trailing commas.
///
/// # Errors
/// Returns the first syntax error, with the span where it was found.
pub fn parse_jsonc(text: &str) -> Result<Node, ParseError> {
    let mut parser = Parser { text, bytes: text.as_bytes(), pos: 0, depth: 0 };
    parser.skip_trivia()?;
    let node = parser.value()?;
    parser.skip_trivia()?;
    if parser.pos < parser.bytes.len() {
        return Err(parser.error_here("expected end of file after the top-level value"));
    }
    Ok(node)
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn error_here(&self, message: &str) -> ParseError {
        let end = (self.pos + 1).min(self.bytes.len());
        ParseError { message: message.to_owned(), span: Span::new(self.pos, end) }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_trivia(&mut self) -> Result<(), ParseError> {
        while let Some(byte) = self.peek() {
            match byte {
                b' ' | b'\t' | b'\n' | b'\r' => self.pos += 1,
                b'/' if self.bytes.get(self.pos + 1) == Some(&b'/') => {
                    while self.peek().is_some_and(|b| b != b'\n') {
                        self.pos += 1;
                    }
                }
                b'/' if self.bytes.get(self.pos + 1) == Some(&b'*') => {
                    let start = self.pos;
                    match self.text[self.pos + 2..].find("*/") {
                        Some(offset) => self.pos += offset + 4,
                        None => {
                            return Err(ParseError {
                                message: "unterminated block comment".to_owned(),
                                span: Span::new(start, start + 2),
                            });
                        }
                    }
                }
                _ => break,
            }
        }
        Ok(())
    }

    fn value(&mut self) -> Result<Node, ParseError> {
        match self.peek() {
            Some(b'{') => self.nested(Self::object),
            Some(b'[') => self.nested(Self::array),
            Some(b'"') => {
                let start = self.pos;
                let text = self.string()?;
                Ok(Node { value: Value::String(text), span: Span::new(start, self.pos) })
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Null),
            Some(_) => Err(self.error_here("expected a value")),
            None => Err(self.error_here("unexpected end of file, expected a value")),
        }
    }

    fn nested(
        &mut self,
        parse: fn(&mut Self) -> Result<Node, ParseError>,
    ) -> Result<Node, ParseError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.error_here("arrays and objects are nested too deeply"));
        }
        self.depth += 1;
        let result = parse(self);
        self.depth -= 1;
        result
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Node, ParseError> {
        let start = self.pos;
        if self.text[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(Node { value, span: Span::new(start, self.pos) })
        } else {
            Err(self.error_here("expected a value"))
        }
    }

    fn number(&mut self) -> Result<Node, ParseError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let digits_start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        if self.pos == digits_start {
            return Err(self.error_here("expected a digit"));
        }
        if self.pos - digits_start > 1 && self.bytes[digits_start] == b'0' {
            return Err(ParseError {
                message: "a number cannot start with 0".to_owned(),
                span: Span::new(digits_start, self.pos),
            });
        }
        let mut is_float = false;
        if self.peek() == Some(b'.') {
            is_float = true;
            self.pos += 1;
            let fraction_start = self.pos;
            while self.peek().is_some_and(|b| b.is_ascii_digit()) {
                self.pos += 1;
            }
            if self.pos == fraction_start {
                return Err(self.error_here("expected a digit after the decimal point"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            is_float = true;
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            let exponent_start = self.pos;
            while self.peek().is_some_and(|b| b.is_ascii_digit()) {
                self.pos += 1;
            }
            if self.pos == exponent_start {
                return Err(self.error_here("expected a digit in the exponent"));
            }
        }
        let text = &self.text[start..self.pos];
        let span = Span::new(start, self.pos);
        let value = match text.parse::<i64>() {
            Ok(integer) if !is_float => Value::Integer(integer),
            _ => Value::Float(
                text.parse::<f64>()
                    .map_err(|_| ParseError { message: "invalid number".to_owned(), span })?,
            ),
        };
        Ok(Node { value, span })
    }

    fn string(&mut self) -> Result<String, ParseError> {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let Some(byte) = self.peek() else {
                return Err(ParseError {
                    message: "unterminated string".to_owned(),
                    span: Span::new(start, self.pos),
                });
            };
            match byte {
                b'"' => {
                    self.pos += 1;
                    return Ok(out);
                }
                b'\\' => {
                    self.pos += 1;
                    let escaped = match self.peek() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.pos += 1;
                            out.push(self.unicode_escape()?);
                            continue;
                        }
                        _ => return Err(self.error_here("invalid escape in string")),
                    };
                    out.push(escaped);
                    self.pos += 1;
                }
                b'\n' | b'\r' => return Err(self.error_here("line break inside a string")),
                0..0x20 => {
                    return Err(self.error_here("control character inside a string; escape it"));
                }
                _ => {
                    let rest = &self.text[self.pos..];
                    let end =
                        rest.find(|c: char| c == '"' || c == '\\' || c < ' ').unwrap_or(rest.len());
                    out.push_str(&rest[..end]);
                    self.pos += end;
                }
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let digits = self.text.get(self.pos..self.pos + 4).unwrap_or("");
        let value = u32::from_str_radix(digits, 16)
            .ok()
            .filter(|_| digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| self.error_here("expected four hex digits after \\u"))?;
        self.pos += 4;
        Ok(value)
    }

    fn unicode_escape(&mut self) -> Result<char, ParseError> {
        let first = self.hex4()?;
        if (0xD800..0xDC00).contains(&first) && self.text[self.pos..].starts_with("\\u") {
            let save = self.pos;
            self.pos += 2;
            let second = self.hex4()?;
            if (0xDC00..0xE000).contains(&second) {
                let code = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                return Ok(char::from_u32(code).unwrap_or('\u{FFFD}'));
            }
            self.pos = save;
        }
        Ok(char::from_u32(first).unwrap_or('\u{FFFD}'))
    }

    fn array(&mut self) -> Result<Node, ParseError> {
        let start = self.pos;
        self.pos += 1;
        let mut items = Vec::new();
        loop {
            self.skip_trivia()?;
            if self.peek() == Some(b']') {
                self.pos += 1;
                return Ok(Node { value: Value::Array(items), span: Span::new(start, self.pos) });
            }
            items.push(self.value()?);
            self.skip_trivia()?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {}
                _ => return Err(self.error_here("expected ',' or ']' in array")),
            }
        }
    }

    fn object(&mut self) -> Result<Node, ParseError> {
        let start = self.pos;
        self.pos += 1;
        let mut entries = Vec::new();
        loop {
            self.skip_trivia()?;
            match self.peek() {
                Some(b'}') => {
                    self.pos += 1;
                    let span = Span::new(start, self.pos);
                    return Ok(Node { value: Value::Table(entries), span });
                }
                Some(b'"') => {}
                _ => return Err(self.error_here("expected a property name in double quotes")),
            }
            let key_start = self.pos;
            let key = self.string()?;
            let key_span = Span::new(key_start, self.pos);
            self.skip_trivia()?;
            if self.peek() != Some(b':') {
                return Err(self.error_here("expected ':' after the property name"));
            }
            self.pos += 1;
            self.skip_trivia()?;
            let value = self.value()?;
            entries.push(Entry { key, key_span, value });
            self.skip_trivia()?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {}
                _ => return Err(self.error_here("expected ',' or '}' in object")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_comments_and_trailing_commas() {
        let text = "// top\n{ \"a\": [1, 2.5, true,], /* c */ \"b\": {\"c\": null,}, }";
        let node = parse_jsonc(text).unwrap();
        assert_eq!(node.get("a").unwrap().items().len(), 3);
        assert_eq!(node.get("a").unwrap().items()[1].value, Value::Float(2.5));
        assert_eq!(node.get("b").unwrap().get("c").unwrap().value, Value::Null);
        let key_span = node.entry("b").unwrap().key_span;
        assert_eq!(&text[key_span.start as usize..key_span.end as usize], "\"b\"");
    }

    #[test]
    fn decodes_escapes() {
        let node = parse_jsonc(r#"{"k": "a\n\u00e9\ud83d\ude00\"" }"#).unwrap();
        assert_eq!(node.get("k").unwrap().as_str(), Some("a\né😀\""));
    }

    #[test]
    fn reports_errors_with_spans() {
        let cases = [
            ("{\"a\": }", 6, "expected a value"),
            ("{\"a\" 1}", 5, "expected ':' after the property name"),
            ("{\"a\": 1 \"b\": 2}", 8, "expected ',' or '}' in object"),
            ("[1 2]", 3, "expected ',' or ']' in array"),
            ("{a: 1}", 1, "expected a property name in double quotes"),
            ("{} x", 3, "expected end of file after the top-level value"),
            ("/* open", 0, "unterminated block comment"),
            ("", 0, "unexpected end of file, expected a value"),
            ("\"abc", 0, "unterminated string"),
            ("-", 1, "expected a digit"),
            ("{\"a\": \"x\ty\"}", 8, "control character inside a string; escape it"),
            ("{\"a\": 010}", 6, "a number cannot start with 0"),
        ];
        for (text, offset, message) in cases {
            let error = parse_jsonc(text).unwrap_err();
            assert_eq!((error.span.start, error.message.as_str()), (offset, message), "{text}");
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = "[".repeat(100_000);
        assert_eq!(
            parse_jsonc(&text).unwrap_err().message,
            "arrays and objects are nested too deeply"
        );
    }
}
