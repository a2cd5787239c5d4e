//! Checks of R2 bucket bindings.

pub mod bucket_cors;
pub mod bucket_not_found;
pub mod invalid_bucket_name;
pub mod invalid_jurisdiction;
pub mod lifecycle_default_only;
