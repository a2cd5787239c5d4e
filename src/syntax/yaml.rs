//! YAML, for the settings file, into the same [`Node`] tree as the config.

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use super::{Entry, Node, ParseError, Span, Value};

/// Parses the first YAML document of `text`. An empty document is an empty table.
///
/// # Errors
/// Returns the syntax error with the span where it was found.
pub fn parse_yaml(text: &str) -> Result<Node, ParseError> {
    let mut builder = Builder { stack: Vec::new(), done: None, text_len: text.len() };
    let mut parser = Parser::new_from_str(text);
    if let Err(error) = parser.load(&mut builder, false) {
        let offset = error.marker().index().min(text.len());
        return Err(ParseError {
            message: error.info().to_owned(),
            span: Span::new(offset, offset + 1),
        });
    }
    Ok(builder.done.unwrap_or(Node { value: Value::Table(Vec::new()), span: Span::new(0, 0) }))
}

enum Frame {
    Sequence(Node),
    Mapping(Node, Option<(String, Span)>),
}

struct Builder {
    stack: Vec<Frame>,
    done: Option<Node>,
    text_len: usize,
}

impl Builder {
    fn push_value(&mut self, node: Node) {
        match self.stack.last_mut() {
            None => {
                if self.done.is_none() {
                    self.done = Some(node);
                }
            }
            Some(Frame::Sequence(sequence)) => {
                sequence.span = sequence.span.cover(node.span);
                if let Value::Array(items) = &mut sequence.value {
                    items.push(node);
                }
            }
            Some(Frame::Mapping(mapping, pending)) => match pending.take() {
                None => {
                    // A key: YAML allows any value as a key; settings keys are scalars.
                    let key = match &node.value {
                        Value::String(text) => text.clone(),
                        other => format!("{other:?}"),
                    };
                    *pending = Some((key, node.span));
                }
                Some((key, key_span)) => {
                    mapping.span = mapping.span.cover(key_span).cover(node.span);
                    if let Value::Table(entries) = &mut mapping.value {
                        entries.push(Entry { key, key_span, value: node });
                    }
                }
            },
        }
    }
}

fn scalar(text: String, style: TScalarStyle) -> Value {
    if style != TScalarStyle::Plain {
        return Value::String(text);
    }
    match text.as_str() {
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        "null" | "~" | "" => Value::Null,
        _ => text.parse::<i64>().map(Value::Integer).unwrap_or(Value::String(text)),
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        let start = mark.index().min(self.text_len);
        match event {
            Event::Scalar(text, style, _, _) => {
                let quoted = usize::from(style != TScalarStyle::Plain) * 2;
                let span = Span::new(start, (start + text.len() + quoted).min(self.text_len));
                self.push_value(Node { value: scalar(text, style), span });
            }
            Event::SequenceStart(..) => {
                let node = Node { value: Value::Array(Vec::new()), span: Span::new(start, start) };
                self.stack.push(Frame::Sequence(node));
            }
            Event::MappingStart(..) => {
                let node = Node { value: Value::Table(Vec::new()), span: Span::new(start, start) };
                self.stack.push(Frame::Mapping(node, None));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(Frame::Sequence(node) | Frame::Mapping(node, _)) = self.stack.pop() {
                    self.push_value(node);
                }
            }
            Event::Alias(_) => {
                self.push_value(Node { value: Value::Null, span: Span::new(start, start) });
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_tables_with_spans() {
        let text = "services: [kv, d1]\nseverity:\n  KV001: error\nsuppress:\n  - code: VAR001\n    reason: \"known\"\n";
        let node = parse_yaml(text).unwrap();
        let services = node.get("services").unwrap().items();
        assert_eq!(services[1].as_str(), Some("d1"));
        let code = node.get("suppress").unwrap().items()[0].entry("code").unwrap();
        assert_eq!(&text[code.key_span.start as usize..code.key_span.end as usize], "code");
        assert_eq!(code.value.as_str(), Some("VAR001"));
    }

    #[test]
    fn reports_syntax_errors() {
        assert!(parse_yaml("a: [1, 2\nb: c").is_err());
        assert_eq!(parse_yaml("").unwrap().entries().len(), 0);
    }
}
