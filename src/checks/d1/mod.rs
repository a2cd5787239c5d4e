//! Checks of D1 database bindings and their migrations folders.

pub mod database_not_found;
pub mod full_table_scan;
pub mod invalid_database_id;
pub mod local_migrations_pending;
pub mod migration_fails;
pub mod migration_file_name;
pub mod missing_migrations_dir;
pub mod nested_migrations;
pub mod queries_not_checked;
pub mod query_refused;
pub mod statement_d1_refuses;

use crate::checks::Context;
use crate::config::Environment;
use crate::project::MigrationsDirectory;
use crate::syntax::{Node, Span};

/// D1 bindings of the environments checked that read `directory`, with the span to point at:
/// the `migrations_dir` value, or the binding name when the default folder is meant.
fn users<'a>(
    context: &Context<'a>,
    directory: &MigrationsDirectory,
) -> Vec<(Environment<'a>, &'a Node, Span, bool)> {
    let mut out = Vec::new();
    for env in context.environments {
        for database in env.items("d1_databases") {
            let written = database.get("migrations_dir");
            let path = written
                .and_then(Node::as_str)
                .unwrap_or(crate::project::migrations::DEFAULT_MIGRATIONS_DIR);
            if path != directory.written {
                continue;
            }
            let span =
                written.or_else(|| database.get("binding")).map_or(database.span, |n| n.span);
            out.push((*env, database, span, written.is_some()));
        }
    }
    out
}
