//! Checks of the config file itself: syntax, keys, types, names.

pub mod conflicting_settings;
pub mod duplicate_binding_name;
pub mod empty_binding_name;
pub mod invalid_account_id;
pub mod invalid_pages_config;
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
        // Environment names may hold dots (`[env."prod.eu"]`): match whole names, longest first.
        let names = context.root.get("env").map(crate::syntax::Node::entries).unwrap_or_default();
        let name = names
            .iter()
            .map(|entry| entry.key.as_str())
            .filter(|name| {
                rest == *name
                    || rest.strip_prefix(name).is_some_and(|after| after.starts_with(['.', '[']))
            })
            .max_by_key(|name| name.len());
        let Some(name) = name else { return Scope::NotChecked };
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
