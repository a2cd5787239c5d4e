//! Checks of queue producers and consumers.

pub mod consumer_limits;
