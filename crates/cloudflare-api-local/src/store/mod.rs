//! What the server holds while it runs: the state file with every default filled in, in the
//! API's own shapes, plus the Workers history and the paths of the D1 files.

mod build;
mod script;

use std::path::PathBuf;

use serde_json::Value;

use crate::d1;
use crate::ids::{self, Clock};
use crate::state::{Object, TokenKind, TokenStatus};

pub use script::{
    Module, SECRET_TYPES, Script, ScriptDeployment, ScriptVersion, StoredSecret, etag,
};

/// Why a state cannot be loaded.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// An object misses a key the server cannot make up.
    #[error("{collection}[{index}]: `{key}` is required")]
    Missing {
        /// The state key of the list.
        collection: &'static str,
        /// The object's position in it.
        index: usize,
        /// The key it lacks.
        key: &'static str,
    },
    /// A reference names something the state does not have.
    #[error("{collection}[{index}]: {message}")]
    Reference {
        /// The state key of the list.
        collection: &'static str,
        /// The object's position in it.
        index: usize,
        /// What is wrong.
        message: String,
    },
    /// Seeding a D1 database failed.
    #[error("d1_databases[{index}] ({name}): {source}")]
    D1 {
        /// The database's position.
        index: usize,
        /// The database name.
        name: String,
        /// The SQLite failure.
        source: d1::SeedError,
    },
}

/// An object that lives in a zone.
#[derive(Debug, Clone)]
pub struct Scoped {
    /// The zone's id; empty for account-level objects (account rulesets).
    pub zone_id: String,
    /// The object as the API shows it.
    pub object: Value,
}

/// A token with its id settled.
#[derive(Debug, Clone)]
pub struct Token {
    /// The bearer value.
    pub value: String,
    /// The id the verify endpoints show.
    pub id: String,
    /// User or account token.
    pub kind: TokenKind,
    /// Active, disabled or expired.
    pub status: TokenStatus,
    /// What it may do; `None` is everything.
    pub permissions: Option<Vec<String>>,
    /// Shown by verify.
    pub not_before: Option<String>,
    /// Shown by verify.
    pub expires_on: Option<String>,
}

/// A D1 database and its file.
#[derive(Debug, Clone)]
pub struct Database {
    /// The database as `GET .../d1/database/{id}` shows it, before `fields` filtering.
    pub info: Value,
    /// The UUID.
    pub uuid: String,
    /// The name.
    pub name: String,
    /// The SQLite file.
    pub path: PathBuf,
}

/// An R2 bucket and its configuration.
#[derive(Debug, Clone)]
pub struct Bucket {
    /// The bucket as the list and get endpoints show it.
    pub info: Value,
    /// CORS rules; `None` when the bucket has no CORS policy.
    pub cors: Option<Value>,
    /// Lifecycle rules.
    pub lifecycle: Value,
    /// Storage usage figures.
    pub usage: Value,
}

/// The account and everything in it.
#[derive(Debug)]
pub struct Store {
    /// Times for created objects.
    pub clock: Clock,
    /// Accounts; the first holds every account-scoped object.
    pub accounts: Vec<Value>,
    /// API tokens.
    pub tokens: Vec<Token>,
    /// The workers.dev subdomain.
    pub subdomain: String,
    /// Zones.
    pub zones: Vec<Value>,
    /// DNS records.
    pub dns_records: Vec<Scoped>,
    /// Zone Worker routes.
    pub zone_routes: Vec<Scoped>,
    /// Zone settings.
    pub zone_settings: Vec<Scoped>,
    /// Certificate packs.
    pub certificate_packs: Vec<Scoped>,
    /// Rulesets, with the rules.
    pub rulesets: Vec<Scoped>,
    /// Workers custom domains.
    pub custom_domains: Vec<Value>,
    /// Pages projects.
    pub pages_projects: Vec<Value>,
    /// KV namespaces.
    pub kv_namespaces: Vec<Value>,
    /// D1 databases.
    pub d1_databases: Vec<Database>,
    /// R2 buckets.
    pub r2_buckets: Vec<Bucket>,
    /// Queues.
    pub queues: Vec<Value>,
    /// Hyperdrive configs.
    pub hyperdrive_configs: Vec<Value>,
    /// Vectorize indexes.
    pub vectorize_indexes: Vec<Value>,
    /// Durable Object namespaces.
    pub durable_object_namespaces: Vec<Value>,
    /// Worker scripts.
    pub workers: Vec<Script>,
    /// Usage figures as given.
    pub usage: Value,
}

impl Store {
    /// The account everything belongs to.
    pub fn account_id(&self) -> &str {
        self.accounts[0]["id"].as_str().unwrap_or(ids::DEFAULT_ACCOUNT_ID)
    }

    /// The id of a zone named by name or id.
    pub fn zone_id(&self, name_or_id: &str) -> Option<String> {
        self.zones
            .iter()
            .find(|zone| zone["name"] == name_or_id || zone["id"] == name_or_id)
            .and_then(|zone| zone["id"].as_str())
            .map(str::to_owned)
    }

    /// The name of a zone by id.
    pub fn zone_name(&self, zone_id: &str) -> Option<&str> {
        self.zones.iter().find(|zone| zone["id"] == zone_id).and_then(|zone| zone["name"].as_str())
    }

    /// The zone a hostname belongs to (the longest zone name it ends with), as id and name.
    pub fn zone_for_host(&self, hostname: &str) -> Option<(String, String)> {
        self.zones
            .iter()
            .filter_map(|zone| {
                let name = zone["name"].as_str()?;
                let inside = hostname == name || hostname.ends_with(&format!(".{name}"));
                inside
                    .then(|| (zone["id"].as_str().unwrap_or_default().to_owned(), name.to_owned()))
            })
            .max_by_key(|(_, name)| name.len())
    }

    fn resolve_zone(
        &self,
        collection: &'static str,
        index: usize,
        input: &Object,
    ) -> Result<String, BuildError> {
        let zone = required_str(input, collection, index, "zone")?;
        self.zone_id(zone).ok_or_else(|| BuildError::Reference {
            collection,
            index,
            message: format!(
                "zone `{zone}` is neither a zone name nor the id of a zone in `zones`"
            ),
        })
    }

    /// A script by name.
    pub fn script(&self, name: &str) -> Option<&Script> {
        self.workers.iter().find(|script| script.name == name)
    }

    /// A script by name, to change it.
    pub fn script_mut(&mut self, name: &str) -> Option<&mut Script> {
        self.workers.iter_mut().find(|script| script.name == name)
    }
}

/// Lays `input` over `defaults`, key by key and recursively for objects; `state_only` keys of
/// the input are left out.
pub fn merge(mut defaults: Value, input: &Object, state_only: &[&str]) -> Value {
    for (key, value) in input {
        if state_only.contains(&key.as_str()) {
            continue;
        }
        match (defaults.get_mut(key), value) {
            (Some(Value::Object(base)), Value::Object(over)) => {
                let merged = merge(Value::Object(std::mem::take(base)), over, &[]);
                defaults[key] = merged;
            }
            _ => defaults[key] = value.clone(),
        }
    }
    defaults
}

pub(super) fn required_str<'a>(
    input: &'a Object,
    collection: &'static str,
    index: usize,
    key: &'static str,
) -> Result<&'a str, BuildError> {
    input
        .get(key)
        .and_then(Value::as_str)
        .filter(|text| !text.is_empty())
        .ok_or(BuildError::Missing { collection, index, key })
}

/// Whether a text is 32 hex digits, the shape of zone and account ids.
pub fn is_hex32(text: &str) -> bool {
    text.len() == 32 && text.bytes().all(|byte| byte.is_ascii_hexdigit())
}

/// The last two labels of a hostname, e.g. `example.com` for `www.example.com`.
pub(super) fn apex_of(hostname: &str) -> Option<String> {
    let labels: Vec<&str> = hostname.split('.').collect();
    (labels.len() >= 2).then(|| labels[labels.len() - 2..].join("."))
}
