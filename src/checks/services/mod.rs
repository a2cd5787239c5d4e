//! Checks of service bindings.

pub mod service_environment;
pub mod service_not_found;
