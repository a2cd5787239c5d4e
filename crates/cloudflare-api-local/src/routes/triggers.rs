//! What routes traffic to a Worker: zone routes and custom domains.

use serde_json::{Value, json};

use crate::envelope::{fail, ok};
use crate::http::Response;
use crate::ids;
use crate::store::{Scoped, Store};

/// Routes of a script across zones, as `{id, pattern, zone_name, script}`.
pub(super) fn script_routes(store: &Store, name: &str) -> Vec<Value> {
    store
        .zone_routes
        .iter()
        .filter(|route| route.object["script"] == name)
        .map(|route| {
            json!({
                "id": route.object["id"],
                "pattern": route.object["pattern"],
                "zone_name": store.zone_name(&route.zone_id),
                "script": name,
            })
        })
        .collect()
}

pub(super) fn put_routes(store: &mut Store, name: &str, body: &Value) -> Response {
    let Some(items) = body.as_array() else {
        return fail(400, 10021, "routes must be an array of {\"pattern\": ...}");
    };
    let mut wanted = Vec::new();
    for item in items {
        let Some(pattern) = item["pattern"].as_str() else {
            return fail(400, 10021, "a route needs a `pattern`");
        };
        let host = pattern
            .split('/')
            .next()
            .unwrap_or_default()
            .trim_start_matches("*.")
            .trim_start_matches('*');
        let zone_id = item["zone_id"]
            .as_str()
            .map(str::to_owned)
            .or_else(|| item["zone_name"].as_str().and_then(|zone| store.zone_id(zone)))
            .or_else(|| store.zone_for_host(host).map(|(id, _)| id));
        let Some(zone_id) = zone_id else {
            return fail(400, 10019, &format!("Could not find zone for `{pattern}`"));
        };
        let taken = store.zone_routes.iter().any(|route| {
            route.zone_id == zone_id
                && route.object["pattern"] == pattern
                && route.object["script"] != name
        });
        if taken {
            return fail(
                409,
                10020,
                &format!("The route {pattern} is already in use by another Worker."),
            );
        }
        wanted.push((zone_id, pattern.to_owned()));
    }
    // PUT replaces every route of the script.
    store.zone_routes.retain(|route| route.object["script"] != name);
    for (zone_id, pattern) in wanted {
        let object = json!({ "id": ids::hex32(&format!("route:{zone_id}:{pattern}")), "pattern": pattern, "script": name });
        store.zone_routes.push(Scoped { zone_id, object });
    }
    ok(Value::Array(script_routes(store, name)))
}

/// The zone of a custom domain origin: named by id or name, or found from the hostname.
pub(super) fn origin_zone(store: &Store, origin: &Value) -> Option<(String, String)> {
    let hostname = origin["hostname"].as_str().unwrap_or_default();
    let named = origin["zone_id"].as_str().or_else(|| origin["zone_name"].as_str());
    match named {
        Some(zone) => {
            let id = store.zone_id(zone)?;
            let name = store.zone_name(&id)?.to_owned();
            Some((id, name))
        }
        None => store.zone_for_host(hostname),
    }
}

/// What attaching `origins` to a script would change: domains that move from another
/// script, and hostnames that already have DNS records.
pub(super) fn domains_changeset(store: &Store, name: &str, body: &Value) -> Response {
    let mut added = Vec::new();
    let mut updated = Vec::new();
    let mut conflicting = Vec::new();
    for origin in body.as_array().into_iter().flatten() {
        let hostname = origin["hostname"].as_str().unwrap_or_default();
        match store.custom_domains.iter().find(|domain| domain["hostname"] == hostname) {
            Some(domain) => {
                let mut domain = domain.clone();
                domain["modified"] = json!(domain["service"] != name);
                updated.push(domain);
            }
            None => added.push(json!({ "hostname": hostname })),
        }
        if store.dns_records.iter().any(|record| record.object["name"] == hostname) {
            conflicting.push(json!({ "hostname": hostname }));
        }
    }
    ok(json!({ "added": added, "removed": [], "updated": updated, "conflicting": conflicting }))
}

/// Attaches custom domains to a script, replacing the ones it had. A hostname with DNS records
/// or on another script is refused unless the body allows overriding it.
pub(super) fn put_domains(store: &mut Store, name: &str, body: &Value) -> Response {
    let override_dns = body["override_existing_dns_record"].as_bool() == Some(true);
    let override_origin = body["override_existing_origin"].as_bool() == Some(true);
    let mut attached = Vec::new();
    for origin in body["origins"].as_array().into_iter().flatten() {
        let hostname = origin["hostname"].as_str().unwrap_or_default().to_owned();
        let Some((zone_id, zone_name)) = origin_zone(store, origin) else {
            return fail(400, 100_109, &format!("No zone of this account contains {hostname}"));
        };
        let records =
            store.dns_records.iter().any(|record| record.object["name"] == hostname.as_str());
        if records && !override_dns {
            return fail(
                409,
                100_117,
                &format!("Hostname '{hostname}' already has externally managed DNS records"),
            );
        }
        let elsewhere = store
            .custom_domains
            .iter()
            .any(|domain| domain["hostname"] == hostname.as_str() && domain["service"] != name);
        if elsewhere && !override_origin {
            return fail(
                409,
                100_116,
                &format!("Hostname '{hostname}' is already used by another Worker"),
            );
        }
        attached.push(json!({
            "id": ids::hex32(&format!("domain:{hostname}")),
            "zone_id": zone_id,
            "zone_name": zone_name,
            "hostname": hostname,
            "service": name,
            "environment": "production",
            "cert_id": ids::hex32(&format!("cert:{hostname}")),
        }));
    }
    // The Worker's records replace the DNS records of the hostnames it takes.
    let taken: Vec<Value> = attached.iter().map(|domain| domain["hostname"].clone()).collect();
    store.dns_records.retain(|record| !taken.contains(&record.object["name"]));
    store
        .custom_domains
        .retain(|domain| domain["service"] != name && !taken.contains(&domain["hostname"]));
    store.custom_domains.extend(attached.iter().cloned());
    ok(Value::Array(attached))
}
