//! What the server holds while it runs: the state file with every default filled in, in the
//! API's own shapes, plus the Workers history and the paths of the D1 files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use crate::d1;
use crate::ids::{self, Clock};
use crate::state::{self, Object, Secret, State, Table, TokenKind, TokenStatus};

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

/// A secret's current state: its type and how often it was set, so a rollback can tell which
/// secrets changed since a version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSecret {
    /// `secret_text` or `secret_key`.
    pub kind: String,
    /// Increases every time the secret is set.
    pub generation: u64,
}

/// One uploaded module.
#[derive(Debug, Clone)]
pub struct Module {
    /// The part name, e.g. `index.js`.
    pub name: String,
    /// Its content type, e.g. `application/javascript+module`.
    pub content_type: String,
    /// Its bytes.
    pub content: Vec<u8>,
}

/// One version of a Worker.
#[derive(Debug, Clone)]
pub struct ScriptVersion {
    /// The version id.
    pub id: String,
    /// 1-based, increasing.
    pub number: u32,
    /// When it was created.
    pub created_on: String,
    /// `metadata.source`.
    pub source: String,
    /// `workers/...` annotations.
    pub annotations: Map<String, Value>,
    /// Every binding in order, secrets as `{name, type}` only.
    pub bindings: Vec<Value>,
    /// The secrets the version runs with, by name.
    pub secrets: BTreeMap<String, StoredSecret>,
    /// The compatibility date.
    pub compatibility_date: String,
    /// Compatibility flags.
    pub compatibility_flags: Vec<String>,
    /// `standard`.
    pub usage_model: String,
    /// `{"cpu_ms": ...}` or null.
    pub limits: Value,
    /// Exported handlers.
    pub handlers: Vec<String>,
    /// The content hash.
    pub etag: String,
    /// The main module's name.
    pub main_module: String,
    /// Every module uploaded.
    pub modules: Vec<Module>,
}

/// One deployment of a Worker.
#[derive(Debug, Clone)]
pub struct ScriptDeployment {
    /// The deployment id.
    pub id: String,
    /// When it was created.
    pub created_on: String,
    /// Who made it (`wrangler`, `api`, ...).
    pub source: String,
    /// `workers/...` annotations.
    pub annotations: Map<String, Value>,
    /// Version ids with their percentages.
    pub versions: Vec<(String, f64)>,
}

/// A Worker script with its history.
#[derive(Debug, Clone)]
pub struct Script {
    /// The script name.
    pub name: String,
    /// The script tag.
    pub tag: String,
    /// When it was first uploaded.
    pub created_on: String,
    /// When it last changed.
    pub modified_on: String,
    /// Current secrets.
    pub secrets: BTreeMap<String, StoredSecret>,
    /// Logpush on or off.
    pub logpush: bool,
    /// The observability object, or null.
    pub observability: Value,
    /// Tags, or null.
    pub tags: Value,
    /// Tail consumers, or null.
    pub tail_consumers: Value,
    /// Reachable on workers.dev.
    pub workers_dev: bool,
    /// Previews reachable on workers.dev.
    pub previews_enabled: bool,
    /// Cron triggers as `{cron, created_on, modified_on}`.
    pub schedules: Vec<Value>,
    /// The Durable Object migration tag.
    pub migration_tag: Option<String>,
    /// Versions, oldest first.
    pub versions: Vec<ScriptVersion>,
    /// Deployments, oldest first.
    pub deployments: Vec<ScriptDeployment>,
}

impl Script {
    /// The number the next version gets.
    pub fn next_version_number(&self) -> u32 {
        self.versions.iter().map(|version| version.number).max().unwrap_or(0) + 1
    }

    /// The version serving most traffic in the newest deployment, else the newest version.
    pub fn current_version(&self) -> Option<&ScriptVersion> {
        let deployed = self.deployments.last().and_then(|deployment| {
            deployment.versions.iter().max_by(|a, b| a.1.total_cmp(&b.1)).map(|(id, _)| id)
        });
        deployed
            .and_then(|id| self.versions.iter().find(|version| &version.id == id))
            .or_else(|| self.versions.last())
    }
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

/// Zone settings every zone has unless the state sets them.
const DEFAULT_ZONE_SETTINGS: [(&str, &str); 4] = [
    ("ssl", "full"),
    ("min_tls_version", "1.0"),
    ("always_use_https", "off"),
    ("security_level", "medium"),
];

impl Store {
    /// The account everything belongs to.
    pub fn account_id(&self) -> &str {
        self.accounts[0]["id"].as_str().unwrap_or(ids::DEFAULT_ACCOUNT_ID)
    }

    /// Builds the store, creating and seeding the D1 files under `data_dir`.
    ///
    /// # Errors
    /// When the state refers to something it does not define, lacks a required key, or its D1
    /// seed SQL fails.
    pub fn build(state: &State, data_dir: &Path) -> Result<Store, BuildError> {
        let mut clock = Clock::default();
        let mut store = Store {
            accounts: Vec::new(),
            tokens: Vec::new(),
            subdomain: state.workers_subdomain.clone().unwrap_or_else(|| "example".to_owned()),
            zones: Vec::new(),
            dns_records: Vec::new(),
            zone_routes: Vec::new(),
            zone_settings: Vec::new(),
            certificate_packs: Vec::new(),
            rulesets: Vec::new(),
            custom_domains: Vec::new(),
            pages_projects: Vec::new(),
            kv_namespaces: Vec::new(),
            d1_databases: Vec::new(),
            r2_buckets: Vec::new(),
            queues: Vec::new(),
            hyperdrive_configs: Vec::new(),
            vectorize_indexes: Vec::new(),
            durable_object_namespaces: Vec::new(),
            workers: Vec::new(),
            usage: Value::Object(state.usage.clone()),
            clock: Clock::default(),
        };

        store.accounts = build_accounts(&state.accounts, &mut clock);
        store.tokens = build_tokens(&state.tokens);
        let (account_id, account_name) = {
            let first = &store.accounts[0];
            (first["id"].clone(), first["name"].clone())
        };

        for (index, input) in state.zones.iter().enumerate() {
            let name = required_str(input, "zones", index, "name")?;
            let zone = zone_object(name, &account_id, &account_name, &mut clock);
            store.zones.push(merge(zone, input, &[]));
        }
        // Objects that name a zone the state does not list bring that zone into being.
        let referenced: Vec<&Object> = state
            .dns_records
            .iter()
            .chain(&state.worker_routes)
            .chain(&state.zone_settings)
            .chain(&state.certificate_packs)
            .chain(&state.rulesets)
            .collect();
        for input in referenced {
            if let Some(zone) = input.get("zone").and_then(Value::as_str)
                && !is_hex32(zone)
                && store.zone_id(zone).is_none()
            {
                store.zones.push(zone_object(zone, &account_id, &account_name, &mut clock));
            }
        }
        for input in &state.custom_domains {
            let hostname = input.get("hostname").and_then(Value::as_str).unwrap_or_default();
            if store.zone_for_host(hostname).is_none()
                && let Some(apex) = apex_of(hostname)
            {
                store.zones.push(zone_object(&apex, &account_id, &account_name, &mut clock));
            }
        }

        for (index, input) in state.dns_records.iter().enumerate() {
            let zone_id = store.resolve_zone("dns_records", index, input)?;
            let record = dns_record(input, "dns_records", index, &mut clock)?;
            store.dns_records.push(Scoped { zone_id, object: merge(record, input, &["zone"]) });
        }
        for (index, input) in state.worker_routes.iter().enumerate() {
            let zone_id = store.resolve_zone("worker_routes", index, input)?;
            let pattern = required_str(input, "worker_routes", index, "pattern")?;
            let route = json!({ "id": ids::hex32(&format!("route:{zone_id}:{pattern}")), "pattern": pattern });
            store.zone_routes.push(Scoped { zone_id, object: merge(route, input, &["zone"]) });
        }
        for (index, input) in state.zone_settings.iter().enumerate() {
            let zone_id = store.resolve_zone("zone_settings", index, input)?;
            let id = required_str(input, "zone_settings", index, "id")?;
            let setting = json!({ "id": id, "value": null, "editable": true, "modified_on": null });
            store.zone_settings.push(Scoped { zone_id, object: merge(setting, input, &["zone"]) });
        }
        for zone in store.zones.clone() {
            let zone_id = zone["id"].as_str().unwrap_or_default().to_owned();
            for (id, value) in DEFAULT_ZONE_SETTINGS {
                if !store.zone_settings.iter().any(|s| s.zone_id == zone_id && s.object["id"] == id)
                {
                    let object =
                        json!({ "id": id, "value": value, "editable": true, "modified_on": null });
                    store.zone_settings.push(Scoped { zone_id: zone_id.clone(), object });
                }
            }
        }
        for (index, input) in state.certificate_packs.iter().enumerate() {
            let zone_id = store.resolve_zone("certificate_packs", index, input)?;
            let zone_name = store.zone_name(&zone_id).unwrap_or_default().to_owned();
            let pack = certificate_pack(&zone_id, &zone_name, index, &mut clock);
            store.certificate_packs.push(Scoped { zone_id, object: merge(pack, input, &["zone"]) });
        }
        for (index, input) in state.rulesets.iter().enumerate() {
            let zone_id = match input.get("zone") {
                Some(_) => store.resolve_zone("rulesets", index, input)?,
                None => String::new(),
            };
            let phase = required_str(input, "rulesets", index, "phase")?;
            let ruleset = json!({
                "id": ids::hex32(&format!("ruleset:{zone_id}:{phase}:{index}")),
                "name": "default",
                "description": "",
                "kind": if zone_id.is_empty() { "root" } else { "zone" },
                "version": "1",
                "last_updated": clock.tick(),
                "phase": phase,
                "rules": [],
            });
            store.rulesets.push(Scoped { zone_id, object: merge(ruleset, input, &["zone"]) });
        }
        for (index, input) in state.custom_domains.iter().enumerate() {
            let hostname = required_str(input, "custom_domains", index, "hostname")?;
            let (zone_id, zone_name) = store.zone_for_host(hostname).unwrap_or_default();
            let domain = json!({
                "id": ids::hex32(&format!("domain:{hostname}")),
                "zone_id": zone_id,
                "zone_name": zone_name,
                "hostname": hostname,
                "service": input.get("service").cloned().unwrap_or(Value::Null),
                "environment": "production",
                "cert_id": ids::hex32(&format!("cert:{hostname}")),
            });
            store.custom_domains.push(merge(domain, input, &[]));
        }
        for (index, input) in state.pages_projects.iter().enumerate() {
            let name = required_str(input, "pages_projects", index, "name")?;
            let project = json!({
                "id": ids::uuid(&format!("pages:{name}")),
                "name": name,
                "subdomain": format!("{name}.pages.dev"),
                "domains": [format!("{name}.pages.dev")],
                "production_branch": "main",
                "created_on": clock.tick(),
            });
            store.pages_projects.push(merge(project, input, &[]));
        }

        for (index, input) in state.kv_namespaces.iter().enumerate() {
            let title = required_str(input, "kv_namespaces", index, "title")?;
            let namespace = json!({
                "id": ids::hex32(&format!("kv:{title}")),
                "title": title,
                "supports_url_encoding": true,
            });
            store.kv_namespaces.push(merge(namespace, input, &[]));
        }
        for (index, input) in state.r2_buckets.iter().enumerate() {
            store.r2_buckets.push(bucket(input, index, &mut clock)?);
        }
        for (index, input) in state.queues.iter().enumerate() {
            let name = required_str(input, "queues", index, "queue_name")?;
            let created = clock.tick();
            let queue = json!({
                "queue_id": ids::hex32(&format!("queue:{name}")),
                "queue_name": name,
                "created_on": created,
                "modified_on": created,
                "producers_total_count": 0,
                "producers": [],
                "consumers_total_count": 0,
                "consumers": [],
                "settings": {
                    "delivery_delay": 0,
                    "delivery_paused": false,
                    "message_retention_period": 345_600,
                },
            });
            let mut queue = merge(queue, input, &[]);
            for key in ["producers", "consumers"] {
                let count = queue[key].as_array().map_or(0, Vec::len);
                queue[format!("{key}_total_count")] = json!(count);
            }
            store.queues.push(queue);
        }
        for (index, input) in state.hyperdrive_configs.iter().enumerate() {
            let name = required_str(input, "hyperdrive_configs", index, "name")?;
            let created = clock.tick();
            let config = json!({
                "id": ids::hex32(&format!("hyperdrive:{name}")),
                "name": name,
                "origin": {
                    "host": "db.example.com",
                    "port": 5432,
                    "database": "postgres",
                    "scheme": "postgres",
                    "user": "postgres",
                },
                "caching": { "disabled": false, "max_age": 60, "stale_while_revalidate": 15 },
                "created_on": created,
                "modified_on": created,
            });
            let mut config = merge(config, input, &[]);
            if let Some(origin) = config.get_mut("origin").and_then(Value::as_object_mut) {
                // A password given in the state is never served back.
                origin.remove("password");
            }
            store.hyperdrive_configs.push(config);
        }
        for (index, input) in state.vectorize_indexes.iter().enumerate() {
            let name = required_str(input, "vectorize_indexes", index, "name")?;
            let created = clock.tick();
            let index_object = json!({
                "name": name,
                "description": "",
                "config": { "dimensions": 768, "metric": "cosine" },
                "created_on": created,
                "modified_on": created,
            });
            store.vectorize_indexes.push(merge(index_object, input, &[]));
        }
        for (index, input) in state.durable_object_namespaces.iter().enumerate() {
            let script = required_str(input, "durable_object_namespaces", index, "script")?;
            let class = required_str(input, "durable_object_namespaces", index, "class")?;
            let namespace = json!({
                "id": ids::hex32(&format!("do:{script}:{class}")),
                "name": format!("{script}_{class}"),
                "script": script,
                "class": class,
                "use_sqlite": false,
            });
            store.durable_object_namespaces.push(merge(namespace, input, &[]));
        }

        let d1_dir = data_dir.join("d1");
        for (index, input) in state.d1_databases.iter().enumerate() {
            let database = database(input, index, &d1_dir, &mut clock)?;
            store.d1_databases.push(database);
        }

        for (index, input) in state.workers.iter().enumerate() {
            if input.name.is_empty() {
                return Err(BuildError::Missing { collection: "workers", index, key: "name" });
            }
            if input.deployed != Some(false) {
                store.workers.push(script(input, index, &mut clock)?);
            }
        }

        store.clock = clock;
        Ok(store)
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

fn build_accounts(inputs: &[Object], clock: &mut Clock) -> Vec<Value> {
    let defaults = |index: usize, clock: &mut Clock| {
        json!({
            "id": if index == 0 { ids::DEFAULT_ACCOUNT_ID.to_owned() } else { ids::hex32(&format!("account:{index}")) },
            "name": if index == 0 { "Example Account".to_owned() } else { format!("Account {}", index + 1) },
            "type": "standard",
            "settings": { "enforce_twofactor": false, "abuse_contact_email": null },
            "created_on": clock.tick(),
        })
    };
    if inputs.is_empty() {
        return vec![defaults(0, clock)];
    }
    inputs
        .iter()
        .enumerate()
        .map(|(index, input)| merge(defaults(index, clock), input, &[]))
        .collect()
}

fn build_tokens(inputs: &[state::Token]) -> Vec<Token> {
    if inputs.is_empty() {
        return vec![Token {
            value: ids::DEFAULT_TOKEN.to_owned(),
            id: ids::hex32(&format!("token:{}", ids::DEFAULT_TOKEN)),
            kind: TokenKind::User,
            status: TokenStatus::Active,
            permissions: None,
            not_before: None,
            expires_on: None,
        }];
    }
    inputs
        .iter()
        .map(|input| Token {
            value: input.value.clone(),
            id: input.id.clone().unwrap_or_else(|| ids::hex32(&format!("token:{}", input.value))),
            kind: input.kind,
            status: input.status,
            permissions: input.permissions.clone(),
            not_before: input.not_before.clone(),
            expires_on: input.expires_on.clone(),
        })
        .collect()
}

fn zone_object(name: &str, account_id: &Value, account_name: &Value, clock: &mut Clock) -> Value {
    let created = clock.tick();
    json!({
        "id": ids::hex32(&format!("zone:{name}")),
        "name": name,
        "status": "active",
        "paused": false,
        "type": "full",
        "development_mode": 0,
        "name_servers": ["ada.ns.cloudflare.com", "bob.ns.cloudflare.com"],
        "original_name_servers": null,
        "original_registrar": null,
        "original_dnshost": null,
        "modified_on": created,
        "created_on": created,
        "activated_on": created,
        "meta": {
            "step": 2,
            "custom_certificate_quota": 0,
            "page_rule_quota": 3,
            "phishing_detected": false,
        },
        "owner": { "id": null, "name": null, "type": "user" },
        "account": { "id": account_id, "name": account_name },
        "tenant": { "id": null, "name": null },
        "tenant_unit": { "id": null },
        "permissions": ["#zone:read", "#zone:edit", "#worker:read", "#dns_records:read", "#dns_records:edit"],
        "plan": {
            "id": "0feeeeeeeeeeeeeeeeeeeeeeeeeeeeee",
            "name": "Free Website",
            "price": 0,
            "currency": "USD",
            "frequency": "",
            "is_subscribed": false,
            "can_subscribe": false,
            "legacy_id": "free",
            "legacy_discount": false,
            "externally_managed": false,
        },
    })
}

fn dns_record(
    input: &Object,
    collection: &'static str,
    index: usize,
    clock: &mut Clock,
) -> Result<Value, BuildError> {
    let kind = required_str(input, collection, index, "type")?;
    let name = required_str(input, collection, index, "name")?;
    let content = input.get("content").and_then(Value::as_str).unwrap_or_default();
    let created = clock.tick();
    let settings = if kind == "CNAME" { json!({ "flatten_cname": false }) } else { json!({}) };
    Ok(json!({
        "id": ids::hex32(&format!("dns:{kind}:{name}:{content}:{index}")),
        "name": name,
        "type": kind,
        "content": content,
        "proxiable": matches!(kind, "A" | "AAAA" | "CNAME"),
        "proxied": false,
        "ttl": 1,
        "settings": settings,
        "meta": {},
        "comment": null,
        "tags": [],
        "created_on": created,
        "modified_on": created,
    }))
}

fn certificate_pack(zone_id: &str, zone_name: &str, index: usize, clock: &mut Clock) -> Value {
    let certificate_id = ids::hex32(&format!("certificate:{zone_id}:{index}"));
    let issued = clock.tick();
    json!({
        "id": ids::uuid(&format!("pack:{zone_id}:{index}")),
        "type": "universal",
        "status": "active",
        "hosts": [zone_name, format!("*.{zone_name}")],
        "validation_method": "txt",
        "validity_days": 90,
        "certificate_authority": "google",
        "cloudflare_branding": false,
        "primary_certificate": certificate_id,
        "certificates": [{
            "id": certificate_id,
            "hosts": [zone_name, format!("*.{zone_name}")],
            "status": "active",
            "issuer": "GoogleTrustServices",
            "signature": "ECDSAWithSHA256",
            "bundle_method": "ubiquitous",
            "zone_id": zone_id,
            "uploaded_on": issued,
            "modified_on": issued,
            "expires_on": "2026-12-31T23:59:59.000000Z",
            "priority": 0,
        }],
    })
}

fn bucket(input: &Object, index: usize, clock: &mut Clock) -> Result<Bucket, BuildError> {
    let name = required_str(input, "r2_buckets", index, "name")?;
    let info = json!({
        "name": name,
        "creation_date": clock.tick().replace(".000000Z", ".000Z"),
        "location": "ENAM",
        "storage_class": "Standard",
        "jurisdiction": "default",
    });
    let info = merge(info, input, &["cors", "lifecycle", "usage"]);
    let cors = match input.get("cors") {
        None | Some(Value::Null) => None,
        Some(rules) => Some(rules.clone()),
    };
    // A new bucket already carries the default multipart-abort rule.
    let lifecycle = input.get("lifecycle").cloned().unwrap_or_else(|| {
        json!([{
            "id": "Default Multipart Abort Rule",
            "enabled": true,
            "conditions": {},
            "abortMultipartUploadsTransition": { "condition": { "type": "Age", "maxAge": 604_800 } },
        }])
    });
    let usage = input.get("usage").cloned().unwrap_or_else(|| {
        json!({ "end": info["creation_date"], "payloadSize": "0", "metadataSize": "0", "objectCount": "0", "uploadCount": "0", "infrequentAccessPayloadSize": "0", "infrequentAccessMetadataSize": "0", "infrequentAccessObjectCount": "0", "infrequentAccessUploadCount": "0" })
    });
    Ok(Bucket { info, cors, lifecycle, usage })
}

fn database(
    input: &state::D1Database,
    index: usize,
    d1_dir: &Path,
    clock: &mut Clock,
) -> Result<Database, BuildError> {
    if input.name.is_empty() {
        return Err(BuildError::Missing { collection: "d1_databases", index, key: "name" });
    }
    let uuid = input.uuid.clone().unwrap_or_else(|| ids::uuid(&format!("d1:{}", input.name)));
    let info = json!({
        "uuid": uuid,
        "name": input.name,
        "version": input.version.as_deref().unwrap_or("production"),
        "created_at": input.created_at.clone().unwrap_or_else(|| clock.tick().replace(".000000Z", ".000Z")),
        "num_tables": 0,
        "file_size": 0,
        "running_in_region": input.running_in_region.as_deref().unwrap_or("WEUR"),
        "read_replication": { "mode": input.read_replication.as_deref().unwrap_or("disabled") },
        "jurisdiction": input.jurisdiction,
    });
    let path = d1_dir.join(format!("{uuid}.sqlite3"));
    let tables: Vec<(String, Vec<String>)> = input
        .tables
        .iter()
        .map(|table| match table {
            Table::Name(name) => (name.clone(), vec!["id INTEGER PRIMARY KEY".to_owned()]),
            Table::Columns { name, columns } => (name.clone(), columns.clone()),
        })
        .collect();
    let seed =
        d1::Seed { tables: &tables, sql: &input.sql, migrations: input.d1_migrations.as_deref() };
    d1::seed(&path, &seed, clock).map_err(|source| BuildError::D1 {
        index,
        name: input.name.clone(),
        source,
    })?;
    Ok(Database { info, uuid, name: input.name.clone(), path })
}

fn script(input: &state::Worker, index: usize, clock: &mut Clock) -> Result<Script, BuildError> {
    let name = &input.name;
    let created_on = input.created_on.clone().unwrap_or_else(|| clock.tick());
    let mut secrets: BTreeMap<String, StoredSecret> = input
        .secrets
        .iter()
        .map(|secret| match secret {
            Secret::Name(name) => (name.clone(), StoredSecret::first("secret_text")),
            Secret::Full { name, kind, .. } => {
                (name.clone(), StoredSecret::first(kind.as_deref().unwrap_or("secret_text")))
            }
        })
        .collect();
    for binding in &input.bindings {
        let kind = binding["type"].as_str().unwrap_or_default();
        if let (Some(name), true) = (binding["name"].as_str(), SECRET_TYPES.contains(&kind)) {
            secrets.insert(name.to_owned(), StoredSecret::first(kind));
        }
    }
    // Secrets the bindings do not place come first.
    let with_secrets = |bindings: &[Value]| -> Vec<Value> {
        let mut all: Vec<Value> = secrets
            .iter()
            .filter(|(name, _)| !bindings.iter().any(|b| b["name"] == name.as_str()))
            .map(|(name, secret)| json!({ "name": name, "type": secret.kind }))
            .collect();
        all.extend(bindings.iter().cloned());
        all
    };
    let handlers = input.handlers.clone().unwrap_or_else(|| vec!["fetch".to_owned()]);
    let main_module = input.main_module.clone().unwrap_or_else(|| "index.js".to_owned());
    let content = input.content.clone().unwrap_or_else(|| {
        "export default { fetch() { return new Response(\"ok\"); } };\n".to_owned()
    });
    let module = Module {
        name: main_module.clone(),
        content_type: "application/javascript+module".to_owned(),
        content: content.into_bytes(),
    };

    let inputs = if input.versions.is_empty() {
        vec![state::Version::default()]
    } else {
        input.versions.clone()
    };
    let mut versions = Vec::new();
    for (position, version) in inputs.iter().enumerate() {
        let number = version.number.unwrap_or(position as u32 + 1);
        let mut annotations = Map::new();
        annotations.insert(
            "workers/triggered_by".to_owned(),
            json!(version.triggered_by.as_deref().unwrap_or("upload")),
        );
        if let Some(message) = &version.message {
            annotations.insert("workers/message".to_owned(), json!(message));
        }
        if let Some(tag) = &version.tag {
            annotations.insert("workers/tag".to_owned(), json!(tag));
        }
        versions.push(ScriptVersion {
            id: version
                .id
                .clone()
                .unwrap_or_else(|| ids::uuid(&format!("version:{name}:{number}"))),
            number,
            created_on: version.created_on.clone().unwrap_or_else(|| clock.tick()),
            source: version.source.clone().unwrap_or_else(|| "wrangler".to_owned()),
            annotations,
            bindings: with_secrets(version.bindings.as_deref().unwrap_or(&input.bindings)),
            secrets: secrets.clone(),
            compatibility_date: version
                .compatibility_date
                .clone()
                .or_else(|| input.compatibility_date.clone())
                .unwrap_or_else(|| "2025-01-01".to_owned()),
            compatibility_flags: input.compatibility_flags.clone(),
            usage_model: input.usage_model.clone().unwrap_or_else(|| "standard".to_owned()),
            limits: input.limits.clone().unwrap_or(Value::Null),
            handlers: handlers.clone(),
            etag: version.etag.clone().unwrap_or_else(|| etag(name, number)),
            main_module: main_module.clone(),
            modules: vec![module.clone()],
        });
    }

    let mut deployments = Vec::new();
    let deployment_inputs = if input.deployments.is_empty() {
        vec![state::Deployment {
            versions: vec![state::DeploymentVersion {
                version_id: versions.last().map(|version| version.id.clone()),
                percentage: 100.0,
                ..state::DeploymentVersion::default()
            }],
            triggered_by: Some("upload".to_owned()),
            ..state::Deployment::default()
        }]
    } else {
        input.deployments.clone()
    };
    for (position, deployment) in deployment_inputs.iter().enumerate() {
        let mut shares = Vec::new();
        for share in &deployment.versions {
            let found = versions.iter().find(|version| {
                share.version_id.as_deref() == Some(version.id.as_str())
                    || share.number == Some(version.number)
            });
            let Some(version) = found else {
                return Err(BuildError::Reference {
                    collection: "workers",
                    index,
                    message: format!(
                        "deployment {} names a version that `versions` does not have",
                        position + 1
                    ),
                });
            };
            shares.push((version.id.clone(), share.percentage));
        }
        let mut annotations = Map::new();
        if let Some(message) = &deployment.message {
            annotations.insert("workers/message".to_owned(), json!(message));
        }
        if let Some(triggered_by) = &deployment.triggered_by {
            annotations.insert("workers/triggered_by".to_owned(), json!(triggered_by));
        }
        deployments.push(ScriptDeployment {
            id: deployment
                .id
                .clone()
                .unwrap_or_else(|| ids::uuid(&format!("deployment:{name}:{}", position + 1))),
            created_on: deployment.created_on.clone().unwrap_or_else(|| clock.tick()),
            source: "wrangler".to_owned(),
            annotations,
            versions: shares,
        });
    }

    let schedules = input
        .schedules
        .iter()
        .map(|cron| json!({ "cron": cron, "created_on": created_on, "modified_on": created_on }))
        .collect();
    let modified_on = input.modified_on.clone().unwrap_or_else(|| {
        deployments.last().map_or_else(|| created_on.clone(), |d| d.created_on.clone())
    });
    Ok(Script {
        name: name.clone(),
        tag: input.tag.clone().unwrap_or_else(|| ids::hex32(&format!("script:{name}"))),
        created_on,
        modified_on,
        secrets,
        logpush: input.logpush,
        observability: input.observability.clone().unwrap_or(Value::Null),
        tags: input.tags.as_ref().map_or(Value::Null, |tags| json!(tags)),
        tail_consumers: input.tail_consumers.clone().unwrap_or(Value::Null),
        workers_dev: input.workers_dev.unwrap_or(true),
        previews_enabled: false,
        schedules,
        migration_tag: input.migration_tag.clone(),
        versions,
        deployments,
    })
}

/// Binding types whose values are secret: the API shows only their names.
pub const SECRET_TYPES: [&str; 2] = ["secret_text", "secret_key"];

impl StoredSecret {
    /// A secret set once.
    pub fn first(kind: &str) -> StoredSecret {
        StoredSecret { kind: kind.to_owned(), generation: 1 }
    }
}

/// The content hash of a script's version, derived from its name and number.
pub fn etag(name: &str, number: u32) -> String {
    ids::hex32(&format!("etag:{name}:{number}")) + &ids::hex32(&format!("etag2:{name}:{number}"))
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

fn required_str<'a>(
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
fn apex_of(hostname: &str) -> Option<String> {
    let labels: Vec<&str> = hostname.split('.').collect();
    (labels.len() >= 2).then(|| labels[labels.len() - 2..].join("."))
}
