//! The wrangler config model: its schema and how environments resolve.

pub mod bindings;
mod environment;
pub mod schema;
mod schema_table;

pub use environment::{
    Environment, Field, Inheritance, binding_kinds, inheritance, is_production_name,
    resolve_environments,
};
