//! Checks of CPU limits and placement.

pub mod cpu_ms_over_limit;
