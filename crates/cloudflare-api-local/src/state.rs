//! The state file: what the account holds when the server starts.
//!
//! Every key is optional. Objects of the simpler products (zones, DNS records, KV namespaces,
//! R2 buckets, queues, ...) are written in the API's own shape; the server fills the fields a
//! state leaves out with defaults and derives ids from names, so the same file always gives the
//! same answers. Workers, D1 databases and tokens have their own shapes because they carry
//! things the API never shows (secret values, SQL to seed, token values).

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::faults::Faults;

/// A JSON object in the API's shape, with defaults still to fill.
pub type Object = Map<String, Value>;

/// Everything the server knows at start.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct State {
    /// Accounts; without any, one account with id [`crate::DEFAULT_ACCOUNT_ID`]. Everything
    /// account-scoped belongs to the first one.
    pub accounts: Vec<Object>,
    /// API tokens; without any, one active user token [`crate::DEFAULT_TOKEN`].
    pub tokens: Vec<Token>,
    /// The account's workers.dev subdomain (`<subdomain>.workers.dev`).
    pub workers_subdomain: Option<String>,
    /// Zones; zones that DNS records, routes or custom domains name are added when missing.
    pub zones: Vec<Object>,
    /// DNS records, each with `zone` (a zone name or id).
    pub dns_records: Vec<Object>,
    /// Zone Worker routes, each with `zone`, `pattern` and optionally `script`.
    pub worker_routes: Vec<Object>,
    /// Workers custom domains, each with `hostname` and `service`.
    pub custom_domains: Vec<Object>,
    /// Pages projects, each with `name` and `domains`.
    pub pages_projects: Vec<Object>,
    /// Worker scripts.
    pub workers: Vec<Worker>,
    /// KV namespaces, each with `title`.
    pub kv_namespaces: Vec<Object>,
    /// D1 databases, each backed by a real SQLite file.
    pub d1_databases: Vec<D1Database>,
    /// R2 buckets, each with `name`, and optionally `cors` (rules), `lifecycle` (rules) and
    /// `usage`.
    pub r2_buckets: Vec<Object>,
    /// Queues, each with `queue_name`.
    pub queues: Vec<Object>,
    /// Hyperdrive configs, each with `name`.
    pub hyperdrive_configs: Vec<Object>,
    /// Vectorize indexes, each with `name`.
    pub vectorize_indexes: Vec<Object>,
    /// Durable Object namespaces, each with `script` and `class`.
    pub durable_object_namespaces: Vec<Object>,
    /// Rulesets, each with `phase` and a `zone` (or none for an account ruleset).
    pub rulesets: Vec<Object>,
    /// Zone settings, each with `zone`, `id` and `value`.
    pub zone_settings: Vec<Object>,
    /// SSL certificate packs, each with `zone`.
    pub certificate_packs: Vec<Object>,
    /// Usage figures for quota checks, kept as given and served at `/__control/usage`.
    pub usage: Object,
    /// Faults to inject from the first request on.
    pub faults: Faults,
}

impl State {
    /// Parses a state file's text.
    ///
    /// # Errors
    /// When the text is not JSON or a key is unknown or of the wrong type; the message names the
    /// line and column.
    pub fn from_json(text: &str) -> Result<State, serde_json::Error> {
        serde_json::from_str(text)
    }
}

/// Who a token belongs to, which decides where it can be verified.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenKind {
    /// Owned by a user: verified at `/user/tokens/verify`.
    #[default]
    User,
    /// Owned by an account: verified at `/accounts/{id}/tokens/verify` only.
    Account,
}

/// Whether a token can be used.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenStatus {
    /// Usable.
    #[default]
    Active,
    /// Turned off by its owner.
    Disabled,
    /// Past its `expires_on`.
    Expired,
}

/// An API token.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Token {
    /// The bearer value clients send.
    pub value: String,
    /// The token's id; derived from the value when absent.
    pub id: Option<String>,
    /// User or account token.
    pub kind: TokenKind,
    /// Active, disabled or expired.
    pub status: TokenStatus,
    /// What the token may do, as `<area>:read` or `<area>:edit` (areas: `account`, `zone`,
    /// `dns`, `workers`, `kv`, `d1`, `r2`, `queues`, `hyperdrive`, `vectorize`, `rulesets`,
    /// `ssl`, `pages`). Absent means everything.
    pub permissions: Option<Vec<String>>,
    /// Shown by the verify endpoints.
    pub not_before: Option<String>,
    /// Shown by the verify endpoints.
    pub expires_on: Option<String>,
}

/// A secret of a Worker: a bare name, or a name with a value.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Secret {
    /// Only the name; the value is unknown and never needed.
    Name(String),
    /// A name with a value and, optionally, the type (`secret_text` by default).
    Full {
        /// The binding name.
        name: String,
        /// The value; never served.
        #[serde(default)]
        value: String,
        /// `secret_text` or `secret_key`.
        #[serde(default, rename = "type")]
        kind: Option<String>,
    },
}

/// A Worker script and its history.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Worker {
    /// The script name.
    pub name: String,
    /// The script tag; derived from the name when absent.
    pub tag: Option<String>,
    /// When the script last changed; the newest deployment's time when absent.
    pub modified_on: Option<String>,
    /// `false` describes a Worker that was never deployed: the account does not have it. True
    /// unless set.
    pub deployed: Option<bool>,
    /// Secret bindings (names only, or names with values).
    pub secrets: Vec<Secret>,
    /// Bindings in the API's shape (`{"name", "type", ...}`), in order; a secret may stand
    /// among them as `{"name", "type": "secret_text"}`. Secrets listed only in `secrets` come
    /// first.
    pub bindings: Vec<Value>,
    /// The compatibility date.
    pub compatibility_date: Option<String>,
    /// Compatibility flags.
    pub compatibility_flags: Vec<String>,
    /// `standard` unless set.
    pub usage_model: Option<String>,
    /// For example `{"cpu_ms": 50}`.
    pub limits: Option<Value>,
    /// Logpush on or off.
    pub logpush: bool,
    /// The observability settings object.
    pub observability: Option<Value>,
    /// Script tags.
    pub tags: Option<Vec<String>>,
    /// Tail consumers.
    pub tail_consumers: Option<Value>,
    /// Event handlers the code exports; `["fetch"]` unless set.
    pub handlers: Option<Vec<String>>,
    /// The Durable Object migration tag.
    pub migration_tag: Option<String>,
    /// The script's main module name; `index.js` unless set.
    pub main_module: Option<String>,
    /// The code served by `GET .../scripts/{name}`.
    pub content: Option<String>,
    /// Whether the script is reachable on workers.dev; true unless set.
    pub workers_dev: Option<bool>,
    /// Cron triggers.
    pub schedules: Vec<String>,
    /// Zone routes to this Worker: patterns, or `{pattern, zone}` (a zone name or id). Without
    /// a zone, the zone whose name the host ends with, else the host's last two labels.
    pub routes: Vec<Route>,
    /// Custom domains (hostnames) of this Worker.
    pub custom_domains: Vec<String>,
    /// When the script was created.
    pub created_on: Option<String>,
    /// Versions, oldest first. Without any, one version is made from the fields above.
    pub versions: Vec<Version>,
    /// Deployments, oldest first. Without any, the newest version is deployed at 100%.
    pub deployments: Vec<Deployment>,
}

/// A route of a Worker in the state file.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Route {
    /// Only the pattern.
    Pattern(String),
    /// A pattern in a named zone.
    InZone {
        /// The route pattern, e.g. `api.example.com/*`.
        pattern: String,
        /// A zone name or id.
        zone: String,
    },
}

/// A version of a Worker in the state file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Version {
    /// The version id; derived when absent.
    pub id: Option<String>,
    /// The version number; its 1-based position when absent.
    pub number: Option<u32>,
    /// The content hash; derived when absent.
    pub etag: Option<String>,
    /// Bindings of this version; the Worker's bindings when absent.
    pub bindings: Option<Vec<Value>>,
    /// Compatibility date of this version; the Worker's when absent.
    pub compatibility_date: Option<String>,
    /// `workers/message`.
    pub message: Option<String>,
    /// `workers/tag`.
    pub tag: Option<String>,
    /// `workers/triggered_by`; `upload` unless set.
    pub triggered_by: Option<String>,
    /// `metadata.source`; `wrangler` unless set.
    pub source: Option<String>,
    /// When it was created.
    pub created_on: Option<String>,
}

/// A deployment of a Worker in the state file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Deployment {
    /// The deployment id; derived when absent.
    pub id: Option<String>,
    /// The versions and their percentages; a version is named by `version_id` or by its
    /// 1-based `number`.
    pub versions: Vec<DeploymentVersion>,
    /// `workers/message`.
    pub message: Option<String>,
    /// `workers/triggered_by`.
    pub triggered_by: Option<String>,
    /// When it was created.
    pub created_on: Option<String>,
}

/// One version's share of a deployment.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DeploymentVersion {
    /// The version's id.
    pub version_id: Option<String>,
    /// The version's number, instead of the id.
    pub number: Option<u32>,
    /// Its share of traffic.
    pub percentage: f64,
}

/// A D1 database, backed by a SQLite file in the data directory.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct D1Database {
    /// The database name.
    pub name: String,
    /// The UUID; derived from the name when absent.
    pub uuid: Option<String>,
    /// `production` unless set (`alpha` for the old storage).
    pub version: Option<String>,
    /// When it was created.
    pub created_at: Option<String>,
    /// `eu`, `fedramp`, `us` or none.
    pub jurisdiction: Option<String>,
    /// `WEUR` unless set.
    pub running_in_region: Option<String>,
    /// `disabled` unless set.
    pub read_replication: Option<String>,
    /// Tables to create: a bare name gets one `id INTEGER PRIMARY KEY` column.
    pub tables: Vec<Table>,
    /// SQL to run after the tables, statement by statement.
    pub sql: Vec<String>,
    /// Names of applied migrations. When present (even empty) the `d1_migrations` table is
    /// created as wrangler creates it, with one row per name.
    pub d1_migrations: Option<Vec<String>>,
}

/// A table to create in a D1 database.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Table {
    /// Only the name.
    Name(String),
    /// A name and column definitions such as `"email TEXT NOT NULL"`.
    Columns {
        /// The table name.
        name: String,
        /// Column definitions.
        columns: Vec<String>,
    },
}
