//! The local D1 databases `wrangler d1 migrations apply --local` and `wrangler dev` keep under
//! `.wrangler/state/v3/d1`, read to tell which migrations they have not had yet.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use crate::project::MigrationsDirectory;

/// Where wrangler 4 keeps local D1 databases, relative to the project.
pub const LOCAL_STATE: &str = ".wrangler/state/v3/d1/miniflare-D1DatabaseObject";

/// A local database behind its binding's migrations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalPending {
    /// The D1 binding.
    pub binding: String,
    /// Its migrations folder.
    pub directory: String,
    /// Migration files the local database has not applied, in order.
    pub pending: Vec<String>,
    /// How many it has applied.
    pub applied: usize,
}

/// For each D1 binding with migrations, the files its local database has not applied; nothing
/// when there is no local state.
#[must_use]
pub fn pending_local_migrations(
    project: &Path,
    directories: &[MigrationsDirectory],
    bindings: &[(String, String, String)],
) -> Vec<LocalPending> {
    let databases = local_databases(&project.join(LOCAL_STATE));
    if databases.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (binding, written, table) in bindings {
        let Some(directory) = directories.iter().find(|d| &d.written == written) else { continue };
        if directory.files.is_empty() {
            continue;
        }
        // The database whose applied migrations are all files of this folder, and the most of
        // them: wrangler names the files by a hash of the database id, not by the binding.
        let best = databases
            .iter()
            .filter_map(|path| applied_migrations(path, table))
            .filter(|applied| {
                !applied.is_empty() && applied.iter().all(|name| directory.files.contains(name))
            })
            .max_by_key(Vec::len);
        let Some(applied) = best else { continue };
        let pending: Vec<String> =
            directory.files.iter().filter(|f| !applied.contains(f)).cloned().collect();
        if !pending.is_empty() {
            out.push(LocalPending {
                binding: binding.clone(),
                directory: written.clone(),
                pending,
                applied: applied.len(),
            });
        }
    }
    out
}

fn local_databases(state: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(state) else { return Vec::new() };
    let mut out: Vec<PathBuf> = entries
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| {
            path.extension().is_some_and(|e| e == "sqlite")
                && path.file_stem().is_some_and(|s| s != "metadata")
        })
        .collect();
    out.sort();
    out
}

/// The names in a local database's migrations table; `None` when it has none or cannot be
/// read. The database is opened read-only.
fn applied_migrations(path: &Path, table: &str) -> Option<Vec<String>> {
    let connection = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .ok()?;
    let sql = format!("SELECT name FROM \"{}\" ORDER BY id", table.replace('"', "\"\""));
    let mut statement = connection.prepare(&sql).ok()?;
    let names = statement.query_map([], |row| row.get::<_, String>(0)).ok()?.flatten().collect();
    Some(names)
}
