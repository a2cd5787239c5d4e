//! Accounts, zones and what lives in a zone: DNS records, Worker routes, settings, certificate
//! packs, rulesets. Also account rulesets and Pages projects.

use serde_json::{Value, json};

use super::json_body;
use crate::envelope::{PageSize, cursor_page, fail, ok, ok_with_info, page};
use crate::http::{Request, Response};
use crate::ids;
use crate::store::{Scoped, Store, is_hex32};

const ACCOUNTS_PAGE: PageSize = PageSize { min: 5, max: 50, default: 20 };
const ZONES_PAGE: PageSize = PageSize { min: 5, max: 50, default: 20 };
const DNS_PAGE: PageSize = PageSize { min: 5, max: 50_000, default: 100 };
const PACKS_PAGE: PageSize = PageSize { min: 5, max: 50, default: 20 };
const RULESETS_PAGE: PageSize = PageSize { min: 1, max: 50, default: 50 };

/// Answers a zone or account path; `None` when no endpoint serves it.
pub fn answer(store: &mut Store, request: &Request, segments: &[&str]) -> Option<Response> {
    let method = request.method.as_str();
    let response = match (method, segments) {
        ("GET", ["accounts"]) => {
            let name = request.query_param("name");
            let accounts = store
                .accounts
                .iter()
                .filter(|account| name.as_deref().is_none_or(|name| account["name"] == name))
                .cloned()
                .collect();
            page(request, accounts, ACCOUNTS_PAGE)
        }
        ("GET", ["accounts", account]) => match store.accounts.iter().find(|a| a["id"] == *account)
        {
            Some(found) => ok(found.clone()),
            None => fail(403, 10000, "Authentication error"),
        },
        ("GET", ["user"]) => ok(json!({
            "id": ids::hex32("author"),
            "email": crate::routes::workers::AUTHOR_EMAIL,
            "first_name": null,
            "last_name": null,
            "username": ids::hex32("author"),
            "telephone": null,
            "country": null,
            "zipcode": null,
            "two_factor_authentication_enabled": false,
            "two_factor_authentication_locked": false,
            "has_pro_zones": false,
            "has_business_zones": false,
            "has_enterprise_zones": false,
            "suspended": false,
            "betas": [],
            "organizations": [],
        })),
        ("GET", ["memberships"]) => {
            let memberships = store
                .accounts
                .iter()
                .map(|account| {
                    json!({
                        "id": ids::hex32(&format!("membership:{}", account["id"])),
                        "account": { "id": account["id"], "name": account["name"] },
                        "status": "accepted",
                        "roles": ["Administrator"],
                    })
                })
                .collect();
            page(request, memberships, ACCOUNTS_PAGE)
        }
        ("GET", ["zones"]) => {
            let zones =
                store.zones.iter().filter(|zone| zone_matches(zone, request)).cloned().collect();
            page(request, zones, ZONES_PAGE)
        }
        ("GET", ["zones", zone]) => match find_zone(store, zone) {
            Some(found) => ok(found.clone()),
            None => return None,
        },
        (_, ["zones", zone, rest @ ..]) => {
            let zone_id = find_zone(store, zone)?["id"].as_str().unwrap_or_default().to_owned();
            return in_zone(store, request, &zone_id, rest);
        }
        ("GET", ["accounts", _, "rulesets"]) => list_rulesets(request, &store.rulesets, ""),
        ("GET", ["accounts", _, "rulesets", "phases", phase, "entrypoint"]) => {
            entrypoint(&store.rulesets, "", phase)
        }
        ("GET", ["accounts", _, "pages", "projects"]) => {
            page(request, store.pages_projects.clone(), PageSize { min: 1, max: 100, default: 10 })
        }
        ("GET", ["accounts", _, "pages", "projects", name]) => {
            match store.pages_projects.iter().find(|project| project["name"] == *name) {
                Some(project) => ok(project.clone()),
                None => fail(
                    404,
                    8_000_007,
                    "Project not found. The specified project name does not match any of your existing projects.",
                ),
            }
        }
        _ => return None,
    };
    Some(response)
}

fn in_zone(store: &mut Store, request: &Request, zone_id: &str, rest: &[&str]) -> Option<Response> {
    let in_this = |scoped: &&Scoped| scoped.zone_id == zone_id;
    let response = match (request.method.as_str(), rest) {
        ("GET", ["dns_records"]) => {
            let records = store
                .dns_records
                .iter()
                .filter(in_this)
                .filter(|scoped| record_matches(&scoped.object, request))
                .map(|scoped| scoped.object.clone())
                .collect();
            page(request, records, DNS_PAGE)
        }
        ("GET", ["dns_records", id]) => {
            match store.dns_records.iter().filter(in_this).find(|s| s.object["id"] == *id) {
                Some(record) => ok(record.object.clone()),
                None => fail(404, 81044, "Record does not exist."),
            }
        }
        ("GET", ["workers", "routes"]) => {
            let routes =
                store.zone_routes.iter().filter(in_this).map(|s| s.object.clone()).collect();
            ok(Value::Array(routes))
        }
        ("POST", ["workers", "routes"]) => {
            let body = match json_body(request) {
                Ok(body) => body,
                Err(response) => return Some(response),
            };
            let Some(pattern) = body["pattern"].as_str() else {
                return Some(fail(400, 10021, "a route needs a `pattern`"));
            };
            if store.zone_routes.iter().filter(in_this).any(|s| s.object["pattern"] == pattern) {
                return Some(fail(409, 10020, "A route with the same pattern already exists."));
            }
            let mut route = json!({ "id": ids::hex32(&format!("route:{zone_id}:{pattern}")), "pattern": pattern });
            if let Some(script) = body["script"].as_str() {
                route["script"] = json!(script);
            }
            store.zone_routes.push(Scoped { zone_id: zone_id.to_owned(), object: route.clone() });
            ok(route)
        }
        ("DELETE", ["workers", "routes", id]) => {
            let before = store.zone_routes.len();
            store.zone_routes.retain(|s| !(s.zone_id == zone_id && s.object["id"] == *id));
            if store.zone_routes.len() == before {
                fail(404, 10020, "Route not found.")
            } else {
                ok(json!({ "id": id }))
            }
        }
        ("GET", ["settings"]) => {
            let settings =
                store.zone_settings.iter().filter(in_this).map(|s| s.object.clone()).collect();
            ok(Value::Array(settings))
        }
        ("GET", ["settings", id]) => {
            match store.zone_settings.iter().filter(in_this).find(|s| s.object["id"] == *id) {
                Some(setting) => ok(setting.object.clone()),
                None => return None,
            }
        }
        ("GET", ["ssl", "certificate_packs"]) => {
            let all = request.query_param("status").as_deref() == Some("all");
            let packs = store
                .certificate_packs
                .iter()
                .filter(in_this)
                .filter(|s| {
                    all || !matches!(s.object["status"].as_str(), Some("deleted" | "expired"))
                })
                .map(|s| s.object.clone())
                .collect();
            page(request, packs, PACKS_PAGE)
        }
        ("GET", ["rulesets"]) => list_rulesets(request, &store.rulesets, zone_id),
        ("GET", ["rulesets", "phases", phase, "entrypoint"]) => {
            entrypoint(&store.rulesets, zone_id, phase)
        }
        ("GET", ["rulesets", id]) => {
            match store.rulesets.iter().filter(in_this).find(|s| s.object["id"] == *id) {
                Some(ruleset) => ok(ruleset.object.clone()),
                None => fail(404, 10003, &format!("could not find ruleset {id}")),
            }
        }
        _ => return None,
    };
    Some(response)
}

fn find_zone<'a>(store: &'a Store, zone_id: &str) -> Option<&'a Value> {
    if !is_hex32(zone_id) {
        return None;
    }
    store.zones.iter().find(|zone| zone["id"] == zone_id)
}

fn zone_matches(zone: &Value, request: &Request) -> bool {
    let text = |key: &str| zone.pointer(key).and_then(Value::as_str).unwrap_or_default().to_owned();
    request.query_pairs().iter().all(|(key, wanted)| match key.as_str() {
        "name" => compare(&text("/name"), wanted),
        "status" => text("/status") == *wanted,
        "type" => text("/type") == *wanted,
        "account.id" => text("/account/id") == *wanted,
        "account.name" => compare(&text("/account/name"), wanted),
        _ => true,
    })
}

/// Compares a field with a filter value that may start with an operator (`contains:` ...).
fn compare(actual: &str, filter: &str) -> bool {
    let (operator, wanted) = filter.split_once(':').unwrap_or(("equal", filter));
    let (actual, wanted) = (actual.to_ascii_lowercase(), wanted.to_ascii_lowercase());
    match operator {
        "contains" => actual.contains(&wanted),
        "starts_with" => actual.starts_with(&wanted),
        "ends_with" => actual.ends_with(&wanted),
        "not_equal" => actual != wanted,
        "equal" => actual == wanted,
        _ => actual == filter.to_ascii_lowercase(),
    }
}

fn record_matches(record: &Value, request: &Request) -> bool {
    let field = |key: &str| record[key].as_str().unwrap_or_default().to_ascii_lowercase();
    let any = request.query_param("match").as_deref() == Some("any");
    let verdicts: Vec<bool> = request
        .query_pairs()
        .into_iter()
        .filter_map(|(key, wanted)| {
            let wanted_lower = wanted.to_ascii_lowercase();
            let (name, operator) = key.split_once('.').unwrap_or((key.as_str(), "exact"));
            let verdict = match name {
                "name" | "content" | "comment" => {
                    let actual = field(name);
                    match operator {
                        "exact" => actual == wanted_lower,
                        "contains" => actual.contains(&wanted_lower),
                        "startswith" => actual.starts_with(&wanted_lower),
                        "endswith" => actual.ends_with(&wanted_lower),
                        _ => return None,
                    }
                }
                "type" => record["type"] == wanted.as_str(),
                "proxied" => record["proxied"].as_bool() == Some(wanted == "true"),
                _ => return None,
            };
            Some(verdict)
        })
        .collect();
    if verdicts.is_empty() {
        return true;
    }
    if any { verdicts.contains(&true) } else { !verdicts.contains(&false) }
}

fn list_rulesets(request: &Request, rulesets: &[Scoped], zone_id: &str) -> Response {
    let listed: Vec<Value> = rulesets
        .iter()
        .filter(|s| s.zone_id == zone_id)
        .map(|s| {
            let mut summary = s.object.clone();
            if let Some(object) = summary.as_object_mut() {
                object.remove("rules");
            }
            summary
        })
        .collect();
    let (items, _, next) = cursor_page(request, listed, RULESETS_PAGE);
    match next {
        None => ok(Value::Array(items)),
        Some(cursor) => ok_with_info(
            Value::Array(items),
            json!({ "cursor": cursor, "cursors": { "after": cursor } }),
        ),
    }
}

fn entrypoint(rulesets: &[Scoped], zone_id: &str, phase: &str) -> Response {
    let found = rulesets.iter().find(|s| {
        s.zone_id == zone_id && s.object["phase"] == phase && s.object["kind"] != "managed"
    });
    match found {
        Some(ruleset) => ok(ruleset.object.clone()),
        None => {
            fail(404, 10003, &format!("could not find entrypoint ruleset in the {phase} phase"))
        }
    }
}
