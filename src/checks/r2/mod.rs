//! Checks of R2 bucket bindings.

pub mod invalid_bucket_name;
pub mod invalid_jurisdiction;
