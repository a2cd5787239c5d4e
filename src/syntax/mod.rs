//! A config file as a tree of values that remember where they came from.
//!
//! TOML and JSON(C) both become the same [`Node`] tree, so every check works on one model and
//! every finding can point at the line and column of the key or value at fault.

mod jsonc;
mod line_index;
mod toml;
mod yaml;

pub use jsonc::parse_jsonc;
pub use line_index::{LineColumn, LineIndex};
pub use toml::parse_toml;
pub use yaml::parse_yaml;

/// A byte range in a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    /// Offset of the first byte.
    pub start: u32,
    /// Offset one past the last byte.
    pub end: u32,
}

impl Span {
    /// A span from `start` to `end`, in bytes.
    #[must_use]
    pub fn new(start: usize, end: usize) -> Self {
        Self { start: saturating_u32(start), end: saturating_u32(end.max(start)) }
    }

    /// The smallest span that covers both.
    #[must_use]
    pub fn cover(self, other: Span) -> Span {
        Span { start: self.start.min(other.start), end: self.end.max(other.end) }
    }
}

fn saturating_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

/// One value in a config file, with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// What the value is.
    pub value: Value,
    /// Where the value is written.
    pub span: Span,
}

/// The kinds of value a config file can hold.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// JSON `null`; TOML has none.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A whole number.
    Integer(i64),
    /// A number with a fraction or exponent.
    Float(f64),
    /// A string, with escapes resolved.
    String(String),
    /// An array, in source order.
    Array(Vec<Node>),
    /// A table or object, in source order.
    Table(Vec<Entry>),
}

/// One key of a table and its value.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The key, with escapes resolved.
    pub key: String,
    /// Where the key is written.
    pub key_span: Span,
    /// The value.
    pub value: Node,
}

impl Node {
    /// The value under `key`, when this is a table that has it.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|entry| &entry.value)
    }

    /// The entry for `key`, when this is a table that has it; the last one wins, as in JSON.
    #[must_use]
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries().iter().rev().find(|entry| entry.key == key)
    }

    /// The entries of a table, or none for any other value.
    #[must_use]
    pub fn entries(&self) -> &[Entry] {
        match &self.value {
            Value::Table(entries) => entries,
            _ => &[],
        }
    }

    /// The items of an array, or none for any other value.
    #[must_use]
    pub fn items(&self) -> &[Node] {
        match &self.value {
            Value::Array(items) => items,
            _ => &[],
        }
    }

    /// The string, when this is one.
    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(text) => Some(text),
            _ => None,
        }
    }

    /// The boolean, when this is one.
    #[must_use]
    pub fn as_bool(&self) -> Option<bool> {
        match self.value {
            Value::Bool(value) => Some(value),
            _ => None,
        }
    }

    /// The number as a float, when this is an integer or a float.
    #[must_use]
    pub fn as_f64(&self) -> Option<f64> {
        match self.value {
            #[expect(clippy::cast_precision_loss, reason = "config numbers are small")]
            Value::Integer(value) => Some(value as f64),
            Value::Float(value) => Some(value),
            _ => None,
        }
    }

    /// Whether this is a table.
    #[must_use]
    pub fn is_table(&self) -> bool {
        matches!(self.value, Value::Table(_))
    }

    /// The value's type as the config's users name it.
    #[must_use]
    pub fn type_name(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Integer(_) | Value::Float(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Table(_) => "table",
        }
    }
}

/// A file that could not be parsed: what is wrong, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// What the parser expected or found.
    pub message: String,
    /// Where the parser stopped.
    pub span: Span,
}
