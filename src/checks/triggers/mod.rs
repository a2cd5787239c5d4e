//! Checks of cron triggers.

pub mod invalid_cron;
pub mod weekday_numbering;
