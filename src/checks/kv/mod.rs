//! Checks of KV namespace bindings.

pub mod invalid_kv_namespace_id;
pub mod namespace_not_found;
