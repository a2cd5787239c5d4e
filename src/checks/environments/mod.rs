//! Checks of how environments relate to each other and to the top level.

pub mod binding_drift;
pub mod binding_not_inherited;
pub mod shared_resource;
pub mod shared_route;
