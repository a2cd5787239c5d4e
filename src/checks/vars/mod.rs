//! Checks of plain-text variables: `vars` and `define`.

pub mod debug_in_production;
pub mod secret_in_vars;
pub mod var_is_secret;
