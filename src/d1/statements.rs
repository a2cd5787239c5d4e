//! Splitting SQL into statements, and what D1 does differently from SQLite.

use crate::syntax::Span;

/// One SQL statement and where it stands in its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The statement, with its terminating `;`.
    pub text: String,
    /// Where it stands, from its first non-blank character.
    pub span: Span,
}

/// Splits SQL into complete statements, as SQLite itself judges completeness (a `;` inside a
/// string, a comment or a trigger body does not end one).
#[must_use]
pub fn split_statements(sql: &str) -> Vec<Statement> {
    let mut out = Vec::new();
    let mut start = 0;
    for (offset, _) in sql.match_indices(';') {
        let candidate = &sql[start..=offset];
        if is_complete(candidate) {
            push(&mut out, sql, start, offset + 1);
            start = offset + 1;
        }
    }
    push(&mut out, sql, start, sql.len());
    out
}

fn push(out: &mut Vec<Statement>, sql: &str, start: usize, end: usize) {
    let text = &sql[start..end];
    let trimmed = text.trim();
    if trimmed.is_empty() || only_comments(trimmed) {
        return;
    }
    // Findings point at the statement itself, past the comments that introduce it.
    let body = skip_leading_comments(text);
    let leading = text.len() - body.len();
    let trimmed = body.trim_end();
    out.push(Statement {
        text: trimmed.to_owned(),
        span: Span::new(start + leading, start + leading + trimmed.len()),
    });
}

fn skip_leading_comments(text: &str) -> &str {
    let mut rest = text;
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix("--") {
            rest = after.split_once('\n').map_or("", |(_, r)| r);
        } else if let Some(after) = rest.strip_prefix("/*") {
            rest = after.split_once("*/").map_or("", |(_, r)| r);
        } else {
            return rest;
        }
    }
}

fn only_comments(text: &str) -> bool {
    skip_leading_comments(text).trim_matches(';').trim().is_empty()
}

fn is_complete(sql: &str) -> bool {
    let Ok(text) = std::ffi::CString::new(sql) else { return true };
    // SAFETY-free: rusqlite exposes sqlite3_complete only through its raw bindings.
    #[expect(
        unsafe_code,
        reason = "sqlite3_complete reads a NUL-terminated string and keeps no pointer"
    )]
    let complete = unsafe { rusqlite::ffi::sqlite3_complete(text.as_ptr()) };
    complete != 0
}

/// What D1 does with a statement SQLite would run: `(reason, refused)`.
#[must_use]
pub fn d1_restriction(statement: &str) -> Option<(&'static str, bool)> {
    let words: Vec<String> = statement
        .split(|c: char| c.is_whitespace() || c == ';' || c == '(' || c == '=')
        .filter(|w| !w.is_empty())
        .take(4)
        .map(str::to_ascii_lowercase)
        .collect();
    let first = words.first().map_or("", String::as_str);
    let second = words.get(1).map_or("", String::as_str);
    match first {
        "begin" | "commit" | "end" | "rollback" | "savepoint" | "release" => Some((
            "D1 runs every migration in a transaction of its own and refuses explicit transaction statements",
            true,
        )),
        "attach" | "detach" => Some(("D1 databases cannot attach other databases", true)),
        "vacuum" => Some(("D1 refuses VACUUM", true)),
        "pragma" => {
            let name = second.split('.').next_back().unwrap_or(second);
            let value = words.get(2).map_or("", String::as_str);
            match name {
                "foreign_keys" if matches!(value, "off" | "0" | "false" | "no") => Some((
                    "D1 ignores PRAGMA foreign_keys = OFF inside its transaction; use PRAGMA defer_foreign_keys = on",
                    false,
                )),
                "journal_mode" | "synchronous" | "locking_mode" | "cache_size" | "mmap_size"
                | "temp_store" | "page_size" | "auto_vacuum" | "wal_checkpoint"
                | "busy_timeout" => Some(("D1 does not allow this PRAGMA", true)),
                _ => None,
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_statement_ends_only() {
        let sql = "-- a comment; with a semicolon\nCREATE TABLE a (x TEXT DEFAULT ';');\nCREATE TRIGGER t AFTER INSERT ON a BEGIN\n  UPDATE a SET x = 'y';\nEND;\n  SELECT 1";
        let statements = split_statements(sql);
        assert_eq!(statements.len(), 3, "{statements:?}");
        assert!(statements[0].text.ends_with("DEFAULT ';');"));
        assert!(
            statements[1].text.starts_with("CREATE TRIGGER")
                && statements[1].text.ends_with("END;")
        );
        assert_eq!(statements[2].text, "SELECT 1");
        assert_eq!(
            &sql[statements[2].span.start as usize..statements[2].span.end as usize],
            "SELECT 1"
        );
    }

    #[test]
    fn knows_what_d1_refuses() {
        assert_eq!(d1_restriction("BEGIN TRANSACTION;").map(|r| r.1), Some(true));
        assert_eq!(d1_restriction("COMMIT;").map(|r| r.1), Some(true));
        assert_eq!(d1_restriction("PRAGMA foreign_keys=OFF;").map(|r| r.1), Some(false));
        assert_eq!(d1_restriction("PRAGMA journal_mode = WAL;").map(|r| r.1), Some(true));
        assert_eq!(d1_restriction("PRAGMA defer_foreign_keys = on;"), None);
        assert_eq!(d1_restriction("CREATE TABLE begin_log (x TEXT);"), None);
    }
}
