//! Checks of the config file itself: syntax, keys, types, names.

pub mod conflicting_settings;
pub mod duplicate_binding_name;
pub mod empty_binding_name;
pub mod invalid_account_id;
pub mod invalid_syntax;
pub mod invalid_type;
pub mod invalid_value;
pub mod invalid_worker_name;
pub mod missing_entry_point;
pub mod missing_required_key;
pub mod removed_key;
pub mod reserved_binding_name;
pub mod resource_provisioned_on_deploy;
pub mod unknown_key;

use crate::checks::Context;
use crate::config::Environment;

/// The environment a key path such as `env.staging.vars.X` belongs to: `Some(None)` for the
/// top level, `None` for an environment that is not being checked.
fn environment_of<'a>(context: &Context<'a>, path: &str) -> Option<Option<Environment<'a>>> {
    let Some(rest) = path.strip_prefix("env.") else { return Some(None) };
    let name = rest.split(['.', '[']).next().unwrap_or(rest);
    context.environments.iter().find(|env| env.name == Some(name)).map(|env| Some(*env))
}
