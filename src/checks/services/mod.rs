//! Checks of service bindings.

pub mod service_environment;
