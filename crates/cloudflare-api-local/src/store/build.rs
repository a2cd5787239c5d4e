//! Building the store from a state file: defaults for every object, zones brought into being
//! by what names them, D1 files created and seeded, Worker histories laid out.

use std::path::Path;

use serde_json::{Value, json};

use super::script::script;
use super::{
    Bucket, BuildError, Database, Scoped, Store, Token, apex_of, is_hex32, merge, required_str,
};
use crate::d1;
use crate::ids::{self, Clock};
use crate::state::{self, Object, State, Table, TokenKind, TokenStatus};

/// Zone settings every zone has unless the state sets them.
const DEFAULT_ZONE_SETTINGS: [(&str, &str); 4] = [
    ("ssl", "full"),
    ("min_tls_version", "1.0"),
    ("always_use_https", "off"),
    ("security_level", "medium"),
];

impl Store {
    /// Builds the store, creating and seeding the D1 files under `data_dir`.
    ///
    /// # Errors
    /// When the state refers to something it does not define, lacks a required key, or its D1
    /// seed SQL fails.
    pub fn build(state: &State, data_dir: &Path) -> Result<Store, BuildError> {
        let state = &with_worker_triggers(state);
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
        if let Some(index) = state.tokens.iter().position(|token| token.value.is_empty()) {
            return Err(BuildError::Missing { collection: "tokens", index, key: "value" });
        }
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

        store.refuse_duplicates()?;
        store.clock = clock;
        Ok(store)
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

/// The state with each Worker's own `routes` and `custom_domains` moved into the account's
/// lists, where they are built like any other.
fn with_worker_triggers(state: &State) -> State {
    let mut state = state.clone();
    let zone_names: Vec<String> = state
        .zones
        .iter()
        .filter_map(|zone| zone.get("name").and_then(Value::as_str).map(str::to_owned))
        .collect();
    let zone_of = |host: &str| {
        zone_names
            .iter()
            .filter(|name| host == name.as_str() || host.ends_with(&format!(".{name}")))
            .max_by_key(|name| name.len())
            .cloned()
            .or_else(|| apex_of(host))
    };
    for worker in &state.workers {
        for route in &worker.routes {
            let (pattern, zone) = match route {
                state::Route::Pattern(pattern) => {
                    let host =
                        pattern.split('/').next().unwrap_or_default().trim_start_matches("*.");
                    (pattern.clone(), zone_of(host.trim_start_matches('*')).unwrap_or_default())
                }
                state::Route::InZone { pattern, zone } => (pattern.clone(), zone.clone()),
            };
            let route = json!({ "zone": zone, "pattern": pattern, "script": worker.name });
            state.worker_routes.push(route.as_object().cloned().unwrap_or_default());
        }
        for hostname in &worker.custom_domains {
            let domain = json!({ "hostname": hostname, "service": worker.name });
            state.custom_domains.push(domain.as_object().cloned().unwrap_or_default());
        }
    }
    state
}

impl Store {
    /// Two objects with one id or name would make lookups pick one of them silently.
    fn refuse_duplicates(&self) -> Result<(), BuildError> {
        let text = |value: &Value| value.as_str().unwrap_or_default().to_owned();
        let lists: [(&'static str, Vec<String>); 7] = [
            ("zones", self.zones.iter().map(|zone| text(&zone["name"])).collect()),
            ("kv_namespaces", self.kv_namespaces.iter().map(|ns| text(&ns["id"])).collect()),
            ("kv_namespaces", self.kv_namespaces.iter().map(|ns| text(&ns["title"])).collect()),
            ("d1_databases", self.d1_databases.iter().map(|db| db.name.clone()).collect()),
            ("d1_databases", self.d1_databases.iter().map(|db| db.uuid.clone()).collect()),
            ("workers", self.workers.iter().map(|script| script.name.clone()).collect()),
            (
                "r2_buckets",
                self.r2_buckets
                    .iter()
                    .map(|b| {
                        format!("{} ({})", text(&b.info["name"]), text(&b.info["jurisdiction"]))
                    })
                    .collect(),
            ),
        ];
        for (collection, keys) in lists {
            for (index, key) in keys.iter().enumerate() {
                if let Some(first) = keys[..index].iter().position(|earlier| earlier == key) {
                    return Err(BuildError::Reference {
                        collection,
                        index,
                        message: format!("`{key}` is already used by {collection}[{first}]"),
                    });
                }
            }
        }
        Ok(())
    }
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
