//! Checks of KV namespace bindings.

pub mod invalid_kv_namespace_id;
