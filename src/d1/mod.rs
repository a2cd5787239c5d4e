//! D1 schemas, built by SQLite itself: every migrations folder is replayed into an in-memory
//! database, and every SQL string the code hands to D1 is prepared against the result.
//!
//! This runs while the project loads; the checks only read the outcomes.

mod local_state;
mod statements;

use std::path::Path;

use rusqlite::Connection;

use crate::code::CodeModel;
use crate::project::{MigrationsDirectory, SourceFile};
use crate::syntax::Span;

pub use local_state::{LOCAL_STATE, LocalPending, pending_local_migrations};
pub use statements::{Statement, split_statements};

/// The replay of one migrations folder.
#[derive(Debug)]
pub struct Schema {
    /// The folder as written in the config.
    pub directory: String,
    /// The migration files read, in the order applied.
    pub files: Vec<SourceFile>,
    /// The first statement SQLite refused, which ends the replay.
    pub failure: Option<MigrationFailure>,
    /// Statements D1 refuses or ignores though SQLite accepts them.
    pub unsupported: Vec<Unsupported>,
    /// The database after the replay; `None` when the folder has no files.
    connection: Option<Connection>,
}

/// A migration statement SQLite refused.
#[derive(Debug, Clone)]
pub struct MigrationFailure {
    /// Index into [`Schema::files`].
    pub file: usize,
    /// The statement.
    pub span: Span,
    /// SQLite's own message.
    pub message: String,
}

/// A statement D1 does not run as SQLite would.
#[derive(Debug, Clone)]
pub struct Unsupported {
    /// Index into [`Schema::files`].
    pub file: usize,
    /// The statement.
    pub span: Span,
    /// What D1 does with it.
    pub reason: &'static str,
    /// Whether D1 refuses it (an error) rather than ignoring it (a warning).
    pub refused: bool,
}

/// What preparing one query against a schema showed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryOutcome {
    /// It prepares; the tables it scans in full, each with the index that would serve it.
    Prepared {
        /// `(table, columns)` for each full scan of a filtered or ordered table.
        full_scans: Vec<(String, Vec<String>)>,
    },
    /// SQLite refused it: `no such table: x`, `no such column: y`, a syntax error.
    Refused(String),
    /// It could not be checked: its SQL is built from parts, or the schema did not replay.
    NotChecked(&'static str),
}

/// One query of the code, prepared against the schema of one migrations folder.
#[derive(Debug, Clone)]
pub struct QueryCheck {
    /// The `main` whose code holds the query.
    pub main: String,
    /// Index into that code model's queries.
    pub query: usize,
    /// The migrations folder.
    pub directory: String,
    /// The outcome.
    pub outcome: QueryOutcome,
}

impl Schema {
    /// Replays the `.sql` files of a migrations folder into an in-memory database.
    #[must_use]
    pub fn replay(project: &Path, directory: &MigrationsDirectory) -> Schema {
        let mut schema = Schema {
            directory: directory.written.clone(),
            files: Vec::new(),
            failure: None,
            unsupported: Vec::new(),
            connection: None,
        };
        if directory.files.is_empty() {
            return schema;
        }
        let Ok(connection) = Connection::open_in_memory() else { return schema };
        for name in &directory.files {
            let path = project.join(&directory.written).join(name);
            let Ok(file) = SourceFile::read(&path) else { continue };
            let index = schema.files.len();
            let statements = split_statements(&file.text);
            schema.files.push(file);
            for statement in statements {
                if let Some((reason, refused)) = statements::d1_restriction(&statement.text) {
                    schema.unsupported.push(Unsupported {
                        file: index,
                        span: statement.span,
                        reason,
                        refused,
                    });
                    if refused {
                        continue;
                    }
                }
                if let Err(error) = connection.execute_batch(&statement.text) {
                    schema.failure = Some(MigrationFailure {
                        file: index,
                        span: statement.span,
                        message: sqlite_message(&error),
                    });
                    break;
                }
            }
            if schema.failure.is_some() {
                break;
            }
        }
        schema.connection = Some(connection);
        schema
    }

    /// Prepares one query against the replayed schema.
    #[must_use]
    pub fn prepare(&self, sql: Option<&str>, placeholders: usize) -> QueryOutcome {
        let Some(sql) = sql else {
            return QueryOutcome::NotChecked(
                "its SQL is built from parts the analysis cannot follow",
            );
        };
        if self.failure.is_some() {
            return QueryOutcome::NotChecked("the migrations did not replay");
        }
        let Some(connection) = &self.connection else {
            return QueryOutcome::NotChecked("the migrations folder has no .sql files");
        };
        let statements = split_statements(sql);
        for statement in &statements {
            if let Err(error) = connection.prepare(&statement.text) {
                let message = sqlite_message(&error);
                // `${table}` replaced by `?` leaves SQL that no longer parses: not the user's error.
                if placeholders > 0 && message.contains("syntax error") {
                    return QueryOutcome::NotChecked(
                        "a template placeholder stands where a value cannot",
                    );
                }
                return QueryOutcome::Refused(message);
            }
        }
        let full_scans = statements.iter().flat_map(|s| full_scans(connection, &s.text)).collect();
        QueryOutcome::Prepared { full_scans }
    }
}

fn sqlite_message(error: &rusqlite::Error) -> String {
    match error {
        rusqlite::Error::SqliteFailure(_, Some(message)) => message.clone(),
        rusqlite::Error::SqlInputError { msg, .. } => msg.clone(),
        other => other.to_string(),
    }
}

/// Tables the query plan scans in full although the query filters or orders them, with the
/// columns an index would need.
fn full_scans(connection: &Connection, sql: &str) -> Vec<(String, Vec<String>)> {
    let lower = sql.to_ascii_lowercase();
    if !(lower.contains(" where ") || lower.contains(" order by ")) {
        return Vec::new();
    }
    let Ok(mut plan) = connection.prepare(&format!("EXPLAIN QUERY PLAN {sql}")) else {
        return Vec::new();
    };
    let parameters = plan.parameter_count();
    let nulls: Vec<rusqlite::types::Null> = vec![rusqlite::types::Null; parameters];
    let Ok(rows) =
        plan.query_map(rusqlite::params_from_iter(nulls.iter()), |row| row.get::<_, String>(3))
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for detail in rows.flatten() {
        let Some(rest) = detail.strip_prefix("SCAN ") else { continue };
        if rest.contains("USING") {
            continue;
        }
        let table = rest.split_whitespace().next().unwrap_or("").to_owned();
        let columns = filtered_columns(connection, &table, &lower);
        if !columns.is_empty() {
            out.push((table, columns));
        }
    }
    out
}

/// The columns of `table` that the query's WHERE and ORDER BY clauses name.
fn filtered_columns(connection: &Connection, table: &str, lower_sql: &str) -> Vec<String> {
    let Ok(mut info) =
        connection.prepare(&format!("PRAGMA table_info(\"{}\")", table.replace('"', "\"\"")))
    else {
        return Vec::new();
    };
    let columns: Vec<String> = info
        .query_map([], |row| row.get::<_, String>(1))
        .map(|rows| rows.flatten().collect())
        .unwrap_or_default();
    let clause_start = lower_sql
        .find(" where ")
        .or_else(|| lower_sql.find(" order by "))
        .unwrap_or(lower_sql.len());
    let clauses = &lower_sql[clause_start..];
    let words: Vec<&str> =
        clauses.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).collect();
    let mut named: Vec<String> = Vec::new();
    for word in words {
        if let Some(column) = columns.iter().find(|c| c.eq_ignore_ascii_case(word))
            && !named.contains(column)
        {
            named.push(column.clone());
        }
    }
    named
}

/// Replays every migrations folder and prepares every query of every code model against the
/// folders of the D1 bindings it runs on.
#[must_use]
pub fn analyse(
    project: &Path,
    directories: &[MigrationsDirectory],
    code: &[CodeModel],
    bindings: &[(String, String)],
) -> (Vec<Schema>, Vec<QueryCheck>) {
    let schemas: Vec<Schema> = directories.iter().map(|d| Schema::replay(project, d)).collect();
    let mut checks = Vec::new();
    for model in code {
        for (index, query) in model.queries.iter().enumerate() {
            let mut directories: Vec<&str> = bindings
                .iter()
                .filter(|(b, _)| *b == query.binding)
                .map(|(_, d)| d.as_str())
                .collect();
            directories.dedup();
            for directory in directories {
                let Some(schema) = schemas.iter().find(|s| s.directory == directory) else {
                    continue;
                };
                checks.push(QueryCheck {
                    main: model.main.clone(),
                    query: index,
                    directory: directory.to_owned(),
                    outcome: schema.prepare(query.sql.as_deref(), query.placeholders),
                });
            }
        }
    }
    (schemas, checks)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(files: &[(&str, &str)]) -> (tempfile::TempDir, Schema) {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("migrations")).unwrap();
        for (name, text) in files {
            std::fs::write(root.path().join("migrations").join(name), text).unwrap();
        }
        let directory =
            crate::project::read_migrations_directory(root.path(), "migrations".to_owned());
        let schema = Schema::replay(root.path(), &directory);
        (root, schema)
    }

    #[test]
    fn replays_migrations_and_prepares_queries() {
        let (_root, schema) = schema(&[
            ("0001_users.sql", "CREATE TABLE users (id TEXT PRIMARY KEY, email TEXT NOT NULL);\n"),
            (
                "0002_orders.sql",
                "CREATE TABLE orders (id TEXT, user_id TEXT, total INTEGER);\nCREATE INDEX orders_by_user ON orders (user_id);\n",
            ),
        ]);
        assert!(schema.failure.is_none());
        let ok = schema.prepare(Some("SELECT * FROM orders WHERE user_id = ?"), 0);
        assert_eq!(ok, QueryOutcome::Prepared { full_scans: vec![] });
        assert_eq!(
            schema.prepare(Some("SELECT * FROM order_items"), 0),
            QueryOutcome::Refused("no such table: order_items".to_owned())
        );
        assert_eq!(
            schema.prepare(Some("SELECT nickname FROM users"), 0),
            QueryOutcome::Refused("no such column: nickname".to_owned())
        );
        assert_eq!(
            schema.prepare(Some("SELECT * FROM users WHERE email = ?"), 0),
            QueryOutcome::Prepared {
                full_scans: vec![("users".to_owned(), vec!["email".to_owned()])]
            }
        );
        assert_eq!(
            schema.prepare(Some("SELECT * FROM ? WHERE id = 1"), 1),
            QueryOutcome::NotChecked("a template placeholder stands where a value cannot")
        );
        assert!(matches!(schema.prepare(None, 0), QueryOutcome::NotChecked(_)));
    }

    #[test]
    fn a_failing_migration_names_its_statement() {
        let (_root, schema) = schema(&[(
            "0001_a.sql",
            "CREATE TABLE a (id TEXT);\n\nCREATE INDEX a_by_x ON a (x);\n",
        )]);
        let failure = schema.failure.as_ref().unwrap();
        assert_eq!(failure.message, "no such column: x");
        assert_eq!(schema.files[failure.file].range(failure.span).line, 3);
    }
}
