//! Checks of cron triggers.

pub mod invalid_cron;
