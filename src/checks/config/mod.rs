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

/// Whom a finding at a key path concerns.
enum Scope<'a> {
    /// The top level, or the file as a whole.
    TopLevel,
    /// A named environment being checked.
    Environment(Environment<'a>),
    /// A named environment that is not being checked (`--env` names another).
    NotChecked,
}

impl<'a> Scope<'a> {
    /// The environment a key path such as `env.staging.vars.X` belongs to.
    fn of(context: &Context<'a>, path: &str) -> Scope<'a> {
        let Some(rest) = path.strip_prefix("env.") else { return Scope::TopLevel };
        let name = rest.split(['.', '[']).next().unwrap_or(rest);
        match context.environments.iter().find(|env| env.name == Some(name)) {
            Some(env) => Scope::Environment(*env),
            None => Scope::NotChecked,
        }
    }

    /// Whether findings at this path are left out of this run.
    fn is_skipped(&self) -> bool {
        matches!(self, Scope::NotChecked)
    }

    /// The environment to report against; `None` for the top level.
    fn environment(self) -> Option<Environment<'a>> {
        match self {
            Scope::Environment(env) => Some(env),
            Scope::TopLevel | Scope::NotChecked => None,
        }
    }
}
