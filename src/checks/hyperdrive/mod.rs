//! Checks of Hyperdrive bindings.

pub mod invalid_hyperdrive_id;
