//! Checks of Durable Object bindings and migrations.

pub mod class_without_migration;
pub mod duplicate_migration_tag;
pub mod script_not_found;
