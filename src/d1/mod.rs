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

/// A row of `sqlite_master`: one table, view, index or trigger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaObject {
    /// `table`, `view`, `index` or `trigger`.
    pub kind: String,
    /// Its name.
    pub name: String,
    /// The statement that creates it; `None` for automatic indexes.
    pub sql: Option<String>,
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
        // wrangler keeps its own record of applied migrations in the database.
        let _ = connection.execute_batch(
            "CREATE TABLE IF NOT EXISTS d1_migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL);",
        );
        schema.connection = Some(connection);
        schema
    }

    /// Applies tables, indexes and views the code creates itself (`CREATE TABLE IF NOT EXISTS`
    /// in an `exec`), so the queries after them see them. Statements that fail are left out.
    fn apply_code_ddl(&self, statements: &[&str]) {
        let Some(connection) = &self.connection else { return };
        for statement in statements {
            let _ = connection.execute_batch(statement);
        }
    }

    /// A schema rebuilt from another database's `sqlite_master` rows `(type, name, sql)`, such as
    /// a remote D1 database's: tables first, then what depends on them. Rows SQLite refuses are
    /// left out (D1's internal tables).
    #[must_use]
    pub fn from_objects(directory: &str, objects: &[SchemaObject]) -> Schema {
        let mut schema = Schema {
            directory: directory.to_owned(),
            files: Vec::new(),
            failure: None,
            unsupported: Vec::new(),
            connection: None,
        };
        let Ok(connection) = Connection::open_in_memory() else { return schema };
        for kind in ["table", "view", "index", "trigger"] {
            for object in objects.iter().filter(|o| o.kind == kind) {
                if let Some(sql) = &object.sql {
                    let _ = connection.execute_batch(sql);
                }
            }
        }
        schema.connection = Some(connection);
        schema
    }

    /// The tables, views, indexes and triggers the replay built, by type then name; SQLite's
    /// own and wrangler's migrations table left out.
    #[must_use]
    pub fn objects(&self) -> Vec<SchemaObject> {
        let Some(connection) = &self.connection else { return Vec::new() };
        let Ok(mut statement) = connection.prepare(
            "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name <> 'd1_migrations' ORDER BY type, name",
        ) else {
            return Vec::new();
        };
        statement
            .query_map([], |row| {
                Ok(SchemaObject { kind: row.get(0)?, name: row.get(1)?, sql: row.get(2)? })
            })
            .map(|rows| rows.flatten().collect())
            .unwrap_or_default()
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
            return QueryOutcome::NotChecked(
                "the migrations folder has no .sql files, or does not exist",
            );
        };
        let statements = split_statements(sql);
        // The statements of one call run in order: a table the first creates is there for the
        // second. They run inside a savepoint that is rolled back, so the schema is not changed.
        let _ = connection.execute_batch("SAVEPOINT atom_sage_query");
        let outcome = Self::prepare_in_order(connection, &statements, placeholders);
        let _ = connection.execute_batch("ROLLBACK TO atom_sage_query; RELEASE atom_sage_query");
        if let Some(refused) = outcome {
            return refused;
        }
        let full_scans = statements.iter().flat_map(|s| full_scans(connection, &s.text)).collect();
        QueryOutcome::Prepared { full_scans }
    }

    fn prepare_in_order(
        connection: &Connection,
        statements: &[Statement],
        placeholders: usize,
    ) -> Option<QueryOutcome> {
        for (index, statement) in statements.iter().enumerate() {
            if let Err(error) = connection.prepare(&statement.text) {
                let message = sqlite_message(&error);
                // `${table}` replaced by `?` leaves SQL that no longer parses: not the user's error.
                if placeholders > 0 && message.contains("syntax error") {
                    return Some(QueryOutcome::NotChecked(
                        "a template placeholder stands where a value cannot",
                    ));
                }
                return Some(QueryOutcome::Refused(message));
            }
            // Later statements may depend on this one; parameters stay unbound (NULL).
            if index + 1 < statements.len() {
                let _ = connection.execute_batch(&statement.text);
            }
        }
        None
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
    let normalized: String =
        sql.to_ascii_lowercase().split_whitespace().collect::<Vec<_>>().join(" ");
    if !(normalized.contains(" where ") || normalized.contains(" order by ")) {
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
    let aliases = table_aliases(&normalized);
    let mut out = Vec::new();
    for detail in rows.flatten() {
        let Some(rest) = detail.strip_prefix("SCAN ") else { continue };
        // An index, a virtual table (FTS5, json_each) or a subquery: nothing to index here.
        if rest.contains("USING") || rest.contains("VIRTUAL TABLE") || rest.starts_with("CONSTANT")
        {
            continue;
        }
        let name = rest.split_whitespace().next().unwrap_or("").to_ascii_lowercase();
        let table = aliases
            .iter()
            .find(|(alias, _)| *alias == name)
            .map_or(name.clone(), |(_, table)| table.clone());
        if !is_ordinary_table(connection, &table) {
            continue;
        }
        let columns = filtered_columns(connection, &table, &normalized);
        if !columns.is_empty() {
            out.push((table, columns));
        }
    }
    out
}

/// `alias -> table` for every `FROM t a`, `FROM t AS a` and `JOIN t a` of a normalized query.
fn table_aliases(normalized: &str) -> Vec<(String, String)> {
    const KEYWORDS: &[&str] = &[
        "where", "join", "inner", "left", "right", "cross", "on", "group", "order", "limit",
        "using", "natural", "union", "as",
    ];
    let words: Vec<&str> =
        normalized.split([' ', ',', '(', ')', ';']).filter(|w| !w.is_empty()).collect();
    let mut out = Vec::new();
    for (index, word) in words.iter().enumerate() {
        if *word != "from" && *word != "join" {
            continue;
        }
        let Some(table) = words.get(index + 1) else { continue };
        let alias = match words.get(index + 2) {
            Some(&"as") => words.get(index + 3),
            Some(candidate) if !KEYWORDS.contains(candidate) => Some(candidate),
            _ => None,
        };
        if let Some(alias) = alias {
            out.push(((*alias).to_owned(), table.trim_matches('"').to_owned()));
        }
    }
    out
}

fn is_ordinary_table(connection: &Connection, table: &str) -> bool {
    connection
        .query_row(
            "SELECT type, sql FROM sqlite_master WHERE name = ?1 COLLATE NOCASE",
            [table],
            |row| Ok((row.get::<_, String>(0)?, row.get::<_, Option<String>>(1)?)),
        )
        .is_ok_and(|(kind, sql)| {
            kind == "table"
                && !sql.unwrap_or_default().to_ascii_uppercase().starts_with("CREATE VIRTUAL")
        })
}

/// The columns of `table` that the query's first WHERE and ORDER BY clauses name (a subquery
/// after them has its own tables).
fn filtered_columns(connection: &Connection, table: &str, normalized: &str) -> Vec<String> {
    let Ok(mut info) =
        connection.prepare(&format!("PRAGMA table_info(\"{}\")", table.replace('"', "\"\"")))
    else {
        return Vec::new();
    };
    let columns: Vec<String> = info
        .query_map([], |row| row.get::<_, String>(1))
        .map(|rows| rows.flatten().collect())
        .unwrap_or_default();
    let clause_start = normalized
        .find(" where ")
        .or_else(|| normalized.find(" order by "))
        .unwrap_or(normalized.len());
    let clauses = &normalized[clause_start..];
    let clauses = clauses.find("select ").map_or(clauses, |end| &clauses[..end]);
    let mut named: Vec<String> = Vec::new();
    for word in clauses.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
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
    // Tables the code creates for itself exist by the time its other queries run.
    for schema in &schemas {
        let ddl: Vec<&str> = code
            .iter()
            .flat_map(|model| &model.queries)
            .filter(|query| {
                bindings.iter().any(|(b, d)| *b == query.binding && *d == schema.directory)
            })
            .filter_map(|query| query.sql.as_deref())
            .filter(|sql| sql.trim_start().to_ascii_uppercase().starts_with("CREATE "))
            .collect();
        schema.apply_code_ddl(&ddl);
    }
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
    fn statements_of_one_call_see_each_other_and_plans_skip_what_cannot_be_indexed() {
        let (_root, schema) = schema(&[(
            "0001_a.sql",
            "CREATE TABLE users (id TEXT PRIMARY KEY, email TEXT);\nCREATE VIRTUAL TABLE posts_fts USING fts5(title);\n",
        )]);
        let exec = "CREATE TABLE IF NOT EXISTS cache (k TEXT PRIMARY KEY, v TEXT); INSERT INTO cache (k, v) VALUES ('a', 'b');";
        assert_eq!(schema.prepare(Some(exec), 0), QueryOutcome::Prepared { full_scans: vec![] });
        // The savepoint is rolled back: the schema is as the migrations left it.
        assert_eq!(
            schema.prepare(Some("SELECT v FROM cache"), 0),
            QueryOutcome::Refused("no such table: cache".to_owned())
        );
        assert_eq!(
            schema.prepare(Some("SELECT * FROM posts_fts WHERE title MATCH ?"), 0),
            QueryOutcome::Prepared { full_scans: vec![] }
        );
        assert_eq!(
            schema.prepare(Some("SELECT *\nFROM users u\nWHERE u.email = ?"), 0),
            QueryOutcome::Prepared {
                full_scans: vec![("users".to_owned(), vec!["email".to_owned()])]
            }
        );
        assert_eq!(
            schema.prepare(Some("SELECT name FROM d1_migrations"), 0),
            QueryOutcome::Prepared { full_scans: vec![] }
        );
        schema.apply_code_ddl(&["CREATE TABLE IF NOT EXISTS kv_cache (k TEXT)"]);
        assert_eq!(
            schema.prepare(Some("SELECT k FROM kv_cache LIMIT 1"), 0),
            QueryOutcome::Prepared { full_scans: vec![] }
        );
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
