//! Checks of queue producers and consumers.

pub mod consumer_limits;
pub mod queue_not_found;
