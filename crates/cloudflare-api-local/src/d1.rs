//! D1 on a real SQLite file: seeding from the state, and the `query` and `raw` endpoints.

use std::path::Path;
use std::time::Instant;

use rusqlite::fallible_iterator::FallibleIterator as _;
use rusqlite::types::ValueRef;
use rusqlite::{Batch, Connection, OpenFlags};
use serde_json::{Map, Value, json};

use crate::ids::Clock;

/// The table wrangler keeps its applied migrations in, as wrangler 4 creates it.
pub const MIGRATIONS_TABLE: &str = "CREATE TABLE IF NOT EXISTS d1_migrations(
		id         INTEGER PRIMARY KEY AUTOINCREMENT,
		name       TEXT UNIQUE,
		applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
);";

/// Why a database could not be seeded.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// The data directory could not be made.
    #[error("cannot create {path}: {source}")]
    Directory {
        /// The directory.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// SQLite refused something.
    #[error("{what}: {source}")]
    Sql {
        /// What was being done.
        what: String,
        /// The cause.
        source: rusqlite::Error,
    },
}

/// What to put in a new database.
pub struct Seed<'a> {
    /// Tables as names with column definitions.
    pub tables: &'a [(String, Vec<String>)],
    /// Statements to run after the tables.
    pub sql: &'a [String],
    /// Applied migration names, when the migrations table should exist.
    pub migrations: Option<&'a [String]>,
}

/// Creates and seeds the file, unless it exists already (a data directory kept between runs
/// keeps what wrangler did to it).
///
/// # Errors
/// When the directory cannot be made or a statement fails.
pub fn seed(path: &Path, seed: &Seed, clock: &Clock) -> Result<(), SeedError> {
    if path.exists() {
        return Ok(());
    }
    let directory = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(directory)
        .map_err(|source| SeedError::Directory { path: directory.display().to_string(), source })?;
    let sql_error = |what: String| move |source| SeedError::Sql { what, source };
    let connection =
        Connection::open(path).map_err(sql_error("cannot open the file".to_owned()))?;

    for (name, columns) in seed.tables {
        let statement =
            format!("CREATE TABLE \"{}\" ({})", name.replace('"', "\"\""), columns.join(", "));
        connection.execute_batch(&statement).map_err(sql_error(format!("table `{name}`")))?;
    }
    for (index, statement) in seed.sql.iter().enumerate() {
        connection.execute_batch(statement).map_err(sql_error(format!("sql[{index}]")))?;
    }
    if let Some(names) = seed.migrations {
        connection
            .execute_batch(MIGRATIONS_TABLE)
            .map_err(sql_error("d1_migrations".to_owned()))?;
        let applied_at = clock.sqlite_now();
        for name in names {
            connection
                .execute(
                    "INSERT INTO d1_migrations (name, applied_at) VALUES (?1, ?2)",
                    [name, &applied_at],
                )
                .map_err(sql_error(format!("migration `{name}`")))?;
        }
    }
    Ok(())
}

/// A statement D1 refused, with the text the API sends (`<sqlite message>: SQLITE_ERROR`).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct QueryError(pub String);

/// One statement of a query body with its parameters.
struct Statement {
    sql: String,
    params: Vec<Value>,
}

/// Runs the body of a `query` or `raw` call on the file, all statements in one transaction, and
/// returns the `result` array: one entry per statement.
///
/// # Errors
/// When the body is not a D1 query body, or a statement fails (then nothing is kept).
pub fn run(path: &Path, body: &Value, raw: bool) -> Result<Vec<Value>, QueryError> {
    let statements = statements_of(body)?;
    let mut connection = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE)
        .map_err(|error| QueryError(format!("cannot open the database file: {error}")))?;
    let transaction = connection.transaction().map_err(|error| sqlite_error(&error))?;
    let mut results = Vec::new();
    for statement in &statements {
        let mut batch = Batch::new(&transaction, &statement.sql);
        while let Some(mut prepared) = batch.next().map_err(|error| sqlite_error(&error))? {
            let started = Instant::now();
            let writes = !prepared.readonly();
            let columns: Vec<String> = prepared.column_names().map(str::to_owned).collect();
            let wanted = prepared.parameter_count();
            let params = statement.params.iter().take(wanted).map(to_sql).collect::<Vec<_>>();
            if params.len() < wanted {
                return Err(QueryError(format!(
                    "Wrong number of parameter bindings for SQL query: expected {wanted}, got {}: SQLITE_ERROR",
                    params.len()
                )));
            }
            let mut rows = prepared
                .query(rusqlite::params_from_iter(params))
                .map_err(|error| sqlite_error(&error))?;
            let mut objects = Vec::new();
            let mut arrays = Vec::new();
            while let Some(row) = rows.next().map_err(|error| sqlite_error(&error))? {
                let values: Vec<Value> = (0..columns.len())
                    .map(|i| row.get_ref(i).map_or(Value::Null, to_json))
                    .collect();
                if raw {
                    arrays.push(Value::Array(values));
                } else {
                    let object: Map<String, Value> = columns.iter().cloned().zip(values).collect();
                    objects.push(Value::Object(object));
                }
            }
            drop(rows);
            let returned = if raw { arrays.len() } else { objects.len() };
            let changes = if writes { transaction.changes() } else { 0 };
            // D1 reports durations to a tenth of a microsecond.
            let millis = (started.elapsed().as_secs_f64() * 10_000_000.0).round() / 10_000.0;
            let rows_value = if raw {
                json!({ "columns": columns, "rows": arrays })
            } else {
                Value::Array(objects)
            };
            results.push(json!({
                    "results": rows_value,
                    "success": true,
                    "meta": {
                        "served_by": "v3-prod",
                        "served_by_region": "WEUR",
                        "served_by_colo": "AMS",
                        "served_by_primary": true,
                        "timings": { "sql_duration_ms": millis },
                        "duration": millis,
                        "changes": changes,
                        "last_row_id": transaction.last_insert_rowid(),
                        "changed_db": writes,
                        "size_after": 0,
                        "rows_read": returned,
                        "rows_written": changes,
                        "total_attempts": 1,
                    },
            }));
        }
    }
    transaction.commit().map_err(|error| sqlite_error(&error))?;
    let size = std::fs::metadata(path).map_or(0, |metadata| metadata.len());
    for result in &mut results {
        result["meta"]["size_after"] = json!(size);
    }
    Ok(results)
}

fn statements_of(body: &Value) -> Result<Vec<Statement>, QueryError> {
    let one = |item: &Value| -> Result<Statement, QueryError> {
        let sql = item.get("sql").and_then(Value::as_str).ok_or_else(|| {
            QueryError("A request to /query must contain `sql` or `batch`".to_owned())
        })?;
        let params = item.get("params").and_then(Value::as_array).cloned().unwrap_or_default();
        Ok(Statement { sql: sql.to_owned(), params })
    };
    match body.get("batch").and_then(Value::as_array) {
        Some(batch) => batch.iter().map(one).collect(),
        None => Ok(vec![one(body)?]),
    }
}

fn to_sql(value: &Value) -> rusqlite::types::Value {
    use rusqlite::types::Value as Sql;
    match value {
        Value::Null => Sql::Null,
        Value::Bool(flag) => Sql::Integer(i64::from(*flag)),
        Value::Number(number) => number
            .as_i64()
            .map_or_else(|| Sql::Real(number.as_f64().unwrap_or_default()), Sql::Integer),
        Value::String(text) => Sql::Text(text.clone()),
        other => Sql::Text(other.to_string()),
    }
}

fn to_json(value: ValueRef) -> Value {
    match value {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(number) => json!(number),
        ValueRef::Real(number) => json!(number),
        ValueRef::Text(text) => json!(String::from_utf8_lossy(text)),
        ValueRef::Blob(bytes) => json!(bytes),
    }
}

fn sqlite_error(error: &rusqlite::Error) -> QueryError {
    match error {
        rusqlite::Error::SqliteFailure(failure, message) => {
            let code = match failure.code {
                rusqlite::ErrorCode::ConstraintViolation => "SQLITE_CONSTRAINT",
                rusqlite::ErrorCode::DatabaseBusy => "SQLITE_BUSY",
                rusqlite::ErrorCode::TooBig => "SQLITE_TOOBIG",
                _ => "SQLITE_ERROR",
            };
            let text = message.clone().unwrap_or_else(|| failure.to_string());
            QueryError(format!("{text}: {code}"))
        }
        other => QueryError(format!("{other}: SQLITE_ERROR")),
    }
}

/// Tables a database has, not counting SQLite's and D1's internal ones.
pub fn table_count(path: &Path) -> usize {
    let Ok(connection) = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY) else {
        return 0;
    };
    connection
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'",
            [],
            |row| row.get::<_, i64>(0),
        )
        .map_or(0, |count| count as usize)
}
