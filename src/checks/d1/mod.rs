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
pub mod remote_migrations_pending;
pub mod remote_schema_drift;
pub mod remote_table_missing;
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

/// A D1 binding of an environment with what the account holds for it (`--remote`).
pub struct RemoteBinding<'a> {
    /// The binding name.
    pub binding: &'a str,
    /// The database's name: the remote one, else `database_name`, else the id.
    pub name: String,
    /// Where `database_id` is written.
    pub span: crate::syntax::Span,
    /// The migrations folder as written, or the default.
    pub migrations_dir: &'a str,
    /// The table wrangler records applied migrations in: `migrations_table`, or `d1_migrations`.
    pub migrations_table: &'a str,
    /// What the account holds for the database; `None` when it could not be read (the caller
    /// reports unknown) or when the database does not exist (database-not-found says so).
    pub remote: Result<&'a crate::remote::RemoteDatabase, crate::remote::Unknown>,
}

/// The D1 bindings of `env` whose database exists in the account, or could not be read.
#[must_use]
pub fn remote_bindings<'a>(
    env: &crate::config::Environment<'a>,
    snapshot: &'a crate::remote::Snapshot,
) -> Vec<RemoteBinding<'a>> {
    use crate::syntax::Node;
    let mut out = Vec::new();
    for database in env.items("d1_databases") {
        let Some(binding) = database.get("binding").and_then(Node::as_str) else { continue };
        let Some(id_node) = database.get("database_id") else { continue };
        let Some(id) = id_node.as_str() else { continue };
        let Some(remote) = snapshot.d1.get(id) else { continue };
        let written = database.get("database_name").and_then(Node::as_str);
        let (name, remote) = match &remote.info {
            Ok(Some(info)) => (info.name.clone(), Ok(remote)),
            Ok(None) => continue,
            Err(reason) => (written.unwrap_or(id).to_owned(), Err(reason.clone())),
        };
        let migrations_dir = database
            .get("migrations_dir")
            .and_then(Node::as_str)
            .unwrap_or(crate::project::migrations::DEFAULT_MIGRATIONS_DIR);
        let migrations_table =
            database.get("migrations_table").and_then(Node::as_str).unwrap_or("d1_migrations");
        out.push(RemoteBinding {
            binding,
            name,
            span: id_node.span,
            migrations_dir,
            migrations_table,
            remote,
        });
    }
    out
}
