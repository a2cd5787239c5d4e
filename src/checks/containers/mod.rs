//! Checks of containers.

pub mod container_without_name;
pub mod invalid_container_image;
