//! Checks of the compatibility date and flags.

pub mod conflicting_compatibility_flags;
pub mod invalid_compatibility_date;
pub mod missing_compatibility_date;
pub mod node_builtin_without_flag;
pub mod python_without_flag;
pub mod unknown_compatibility_flag;
