//! Checks of secrets against the account (`--remote`).

pub mod secret_not_set;
