//! The account, as `check --remote` sees it: everything the remote checks need is fetched once,
//! concurrently, into a [`Snapshot`] before any check runs. What could not be fetched is kept as
//! an [`Unknown`] with its reason, so a check says "unknown" rather than passing.

mod client;
mod gather;

use std::collections::BTreeMap;
use std::time::Duration;

pub use crate::d1::SchemaObject;
pub(crate) use client::Client;
pub use client::{CallError, ClientOptions, Credentials};
pub use gather::gather;

/// A value from the account, or why it could not be fetched.
pub type Fetched<T> = Result<T, Unknown>;

/// Why something could not be read from the account: no permission, a timeout, the API down.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown(pub String);

impl std::fmt::Display for Unknown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<CallError> for Unknown {
    fn from(error: CallError) -> Self {
        Unknown(error.to_string())
    }
}

/// Why `check --remote` could not run at all (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum RemoteError {
    /// No credentials in the environment.
    #[error(
        "check --remote needs credentials: set CLOUDFLARE_API_TOKEN (or CLOUDFLARE_API_KEY and CLOUDFLARE_EMAIL)"
    )]
    NoCredentials,
    /// The token (or global API key) was refused, or the token is not active.
    #[error("{0}")]
    BadToken(String),
    /// The API answered that it has no endpoint at the token's verify path: the base URL is not
    /// the API root.
    #[error("{0}")]
    Unroutable(String),
    /// The account to check could not be chosen.
    #[error("{0}")]
    Account(String),
    /// The API could not be reached to verify the token.
    #[error("could not verify the API token: {0}")]
    Unreachable(CallError),
    /// The async runtime could not start.
    #[error("could not start the HTTP client: {0}")]
    Runtime(String),
}

/// Where to find the account and how to reach it.
#[derive(Debug, Clone)]
pub struct RemoteOptions {
    /// The credentials.
    pub credentials: Credentials,
    /// `CLOUDFLARE_ACCOUNT_ID`, which wins over the config's `account_id`.
    pub account_id: Option<String>,
    /// How the client behaves.
    pub client: ClientOptions,
}

impl RemoteOptions {
    /// Reads the variables wrangler reads: `CLOUDFLARE_API_TOKEN`, or `CLOUDFLARE_API_KEY` with
    /// `CLOUDFLARE_EMAIL`; `CLOUDFLARE_ACCOUNT_ID`; `CLOUDFLARE_API_BASE_URL`. The timeout per
    /// call can be set with `ATOM_SAGE_API_TIMEOUT` (seconds), the requests in flight with
    /// `ATOM_SAGE_API_CONCURRENCY` (1 to 64).
    ///
    /// # Errors
    /// When there are no credentials.
    pub fn from_env() -> Result<Self, RemoteError> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let credentials = match (var("CLOUDFLARE_API_TOKEN"), var("CLOUDFLARE_API_KEY")) {
            (Some(token), _) => Credentials::Token(token.trim().to_owned()),
            (None, Some(key)) => match var("CLOUDFLARE_EMAIL") {
                Some(email) => Credentials::GlobalKey { key, email },
                None => return Err(RemoteError::NoCredentials),
            },
            (None, None) => return Err(RemoteError::NoCredentials),
        };
        let mut client = ClientOptions::default();
        if let Some(base) = var("CLOUDFLARE_API_BASE_URL") {
            client.base_url = base;
        }
        if let Some(seconds) = var("ATOM_SAGE_API_TIMEOUT").and_then(|s| s.parse::<f64>().ok()) {
            client.timeout = Duration::from_secs_f64(seconds.clamp(0.05, 600.0));
        }
        if let Some(count) = var("ATOM_SAGE_API_CONCURRENCY").and_then(|s| s.parse::<usize>().ok())
        {
            client.concurrency = count.clamp(1, 64);
        }
        Ok(Self { credentials, account_id: var("CLOUDFLARE_ACCOUNT_ID"), client })
    }
}

/// A resource the account lists: its id and its name (a KV namespace's title, a database's name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// The id (for R2 buckets, Vectorize indexes and queues by name: the name).
    pub id: String,
    /// The name or title.
    pub name: String,
}

/// One bound D1 database as the account holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteDatabase {
    /// Its name and size; `None` when the id does not exist.
    pub info: Fetched<Option<DatabaseInfo>>,
    /// The tables, indexes, views and triggers of its schema.
    pub schema: Fetched<Vec<SchemaObject>>,
    /// The migrations recorded in its migrations table, in order; empty when the table is
    /// absent.
    pub applied: Fetched<Vec<String>>,
}

/// What the API says about a D1 database.
#[derive(Debug, Clone, PartialEq)]
pub struct DatabaseInfo {
    /// Its name.
    pub name: String,
    /// Its size in bytes, when the API gives it.
    pub file_size: Option<u64>,
}

/// One bound R2 bucket's settings.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteBucket {
    /// Its CORS rules; `None` when it has no CORS policy (404/10059).
    pub cors: Fetched<Option<Vec<CorsRule>>>,
    /// Its lifecycle rules, by id.
    pub lifecycle: Fetched<Vec<String>>,
}

/// One CORS rule of a bucket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorsRule {
    /// Allowed origins (`*` allows any).
    pub origins: Vec<String>,
    /// Allowed methods.
    pub methods: Vec<String>,
}

impl CorsRule {
    /// Whether this rule lets `origin` send `method`.
    #[must_use]
    pub fn allows(&self, origin: &str, method: &str) -> bool {
        self.origins.iter().any(|o| o == "*" || o == origin)
            && self.methods.iter().any(|m| m.eq_ignore_ascii_case(method))
    }
}

/// A deployed worker script.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteWorker {
    /// The names of its secrets; `None` when the script does not exist.
    pub secrets: Fetched<Option<Vec<String>>>,
    /// Its bindings `(name, type)`; `None` when the script does not exist.
    pub bindings: Fetched<Option<Vec<(String, String)>>>,
}

/// A zone of the account, with what the route checks read from it.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteZone {
    /// The zone id.
    pub id: String,
    /// The zone name, e.g. `example.com`.
    pub name: String,
    /// Its DNS records; only fetched for zones that serve a route or custom domain.
    pub dns: Option<Fetched<Vec<DnsRecord>>>,
    /// Its Workers routes.
    pub routes: Fetched<Vec<ZoneRoute>>,
}

/// A DNS record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DnsRecord {
    /// `A`, `AAAA`, `CNAME`, ...
    pub kind: String,
    /// The full name.
    pub name: String,
    /// What it points at.
    pub content: String,
    /// Whether traffic goes through Cloudflare.
    pub proxied: bool,
}

/// A Workers route of a zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneRoute {
    /// The pattern.
    pub pattern: String,
    /// The worker it runs; `None` when the route disables Workers.
    pub script: Option<String>,
}

/// A Workers custom domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomDomain {
    /// The hostname.
    pub hostname: String,
    /// The worker it serves.
    pub service: String,
}

/// Everything the remote checks read, fetched once per run.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// The account checked.
    pub account_id: String,
    /// The token's id and whether it is a user or an account token, as verified.
    pub token: String,
    /// KV namespaces.
    pub kv_namespaces: Fetched<Vec<Listed>>,
    /// D1 databases.
    pub d1_databases: Fetched<Vec<Listed>>,
    /// Each bound D1 database, by the `database_id` written in the config.
    pub d1: BTreeMap<String, RemoteDatabase>,
    /// R2 buckets, by jurisdiction (`default`, `eu`, ...): each lists only its own.
    pub r2_buckets: BTreeMap<String, Fetched<Vec<Listed>>>,
    /// Each bound R2 bucket, by name.
    pub r2: BTreeMap<String, RemoteBucket>,
    /// Queues.
    pub queues: Fetched<Vec<Listed>>,
    /// Hyperdrive configs.
    pub hyperdrive: Fetched<Vec<Listed>>,
    /// Vectorize indexes.
    pub vectorize: Fetched<Vec<Listed>>,
    /// Worker scripts, by name.
    pub scripts: Fetched<Vec<Listed>>,
    /// Each worker the config deploys, by script name.
    pub workers: BTreeMap<String, RemoteWorker>,
    /// Zones, with their routes and (where needed) DNS records.
    pub zones: Fetched<Vec<RemoteZone>>,
    /// Workers custom domains.
    pub custom_domains: Fetched<Vec<CustomDomain>>,
    /// HTTP requests sent, retries included.
    pub calls: usize,
}

impl Snapshot {
    /// The zone that serves a host: the longest zone name the host ends with.
    #[must_use]
    pub fn zone_for(&self, host: &str) -> Option<&RemoteZone> {
        let zones = self.zones.as_ref().ok()?;
        zones
            .iter()
            .filter(|zone| host == zone.name || host.ends_with(&format!(".{}", zone.name)))
            .max_by_key(|zone| zone.name.len())
    }
}

/// The jurisdiction an R2 binding's bucket lives in: its `jurisdiction`, else `default`.
#[must_use]
pub fn jurisdiction_of(binding: &crate::syntax::Node) -> &str {
    binding.get("jurisdiction").and_then(crate::syntax::Node::as_str).unwrap_or("default")
}

impl Snapshot {
    /// Whether the account is known not to have this bucket in this jurisdiction.
    #[must_use]
    pub fn bucket_missing(&self, name: &str, jurisdiction: &str) -> bool {
        self.r2_buckets.get(jurisdiction).is_some_and(|listed| {
            listed.as_ref().is_ok_and(|all| !all.iter().any(|b| b.name == name))
        })
    }
}

/// Shortens an id for a line of the report: `0f2a…` (full ids are in the config).
#[must_use]
pub fn short_id(id: &str) -> String {
    if id.chars().count() <= 12 {
        return id.to_owned();
    }
    let head: String = id.chars().take(8).collect();
    let tail: String = id.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
    format!("{head}…{tail}")
}
