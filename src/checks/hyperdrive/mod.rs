//! Checks of Hyperdrive bindings.

pub mod config_not_found;
pub mod invalid_hyperdrive_id;
