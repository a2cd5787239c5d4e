//! From a request to an answer: credentials first, then the endpoint its method and path name.
//! A path no endpoint serves gets 7003 and 7000, as the real API answers it.

mod storage;
mod triggers;
pub mod versions;
pub mod workers;
mod zones;

use serde_json::Value;

use crate::auth::{self, Scope};
use crate::envelope::{bad_json, fail, no_route};
use crate::http::{Request, Response, decode_segment};
use crate::store::{Store, is_hex32};

/// The path prefix every endpoint lives under.
pub const PREFIX: &str = "/client/v4";

/// Answers one API request (the control endpoints are handled before this).
pub fn answer(store: &mut Store, request: &Request) -> Response {
    let Some(rest) = request.path.strip_prefix(PREFIX) else {
        return no_route(&request.path);
    };
    let segments: Vec<String> =
        rest.split('/').filter(|segment| !segment.is_empty()).map(decode_segment).collect();
    let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
    let method = request.method.as_str();

    let bearer = match auth::bearer(request) {
        Ok(value) => value,
        Err(response) => return response,
    };

    // The verify endpoints answer 401/1000 rather than 403 and take no permission.
    match (method, segments.as_slice()) {
        ("GET", ["user", "tokens", "verify"]) => {
            let token = store
                .tokens
                .iter()
                .find(|token| token.value == bearer && token.kind == crate::state::TokenKind::User);
            return auth::verify(token);
        }
        ("GET", ["accounts", account, "tokens", "verify"]) => {
            let token = store.tokens.iter().find(|token| {
                token.value == bearer && token.kind == crate::state::TokenKind::Account
            });
            let known = store.accounts.iter().any(|a| a["id"] == *account);
            return auth::verify(token.filter(|_| known));
        }
        _ => {}
    }

    let (scope, area) = area_of(&segments);
    let write = method != "GET";
    if let Err(response) = auth::authorize(store, bearer, scope, area, write) {
        return response;
    }

    if let ["accounts", account, rest @ ..] = segments.as_slice() {
        // An id of the wrong shape cannot be routed; a well-formed one of another account is
        // refused, as only the first account holds anything.
        if !is_hex32(account) {
            return no_route(&request.path);
        }
        if !rest.is_empty() && *account != store.account_id() {
            return fail(403, 10000, "Authentication error");
        }
    }

    let path = &request.path;
    match segments.as_slice() {
        ["accounts", _, "storage" | "d1" | "r2" | "queues" | "hyperdrive" | "vectorize", ..]
        | ["accounts", _, "workers", "durable_objects", ..] => {
            storage::answer(store, request, &segments[2..]).unwrap_or_else(|| no_route(path))
        }
        ["accounts", _, "workers", ..] => {
            workers::answer(store, request, &segments[2..]).unwrap_or_else(|| no_route(path))
        }
        _ => zones::answer(store, request, &segments).unwrap_or_else(|| no_route(path)),
    }
}

/// The scope and permission area of a path.
fn area_of<'a>(segments: &[&'a str]) -> (Scope, &'a str) {
    match segments {
        ["zones", _, "dns_records", ..] => (Scope::Zone, "dns"),
        ["zones", _, "ssl", ..] => (Scope::Zone, "ssl"),
        ["zones", _, "rulesets", ..] => (Scope::Zone, "rulesets"),
        ["zones", _, "workers", ..] => (Scope::Zone, "workers"),
        ["accounts", _, product, ..] => {
            let area = match *product {
                "storage" => "kv",
                "d1" => "d1",
                "r2" => "r2",
                "workers" => "workers",
                "queues" => "queues",
                "hyperdrive" => "hyperdrive",
                "vectorize" => "vectorize",
                "rulesets" => "rulesets",
                "pages" => "pages",
                _ => "account",
            };
            (Scope::Account, area)
        }
        ["accounts" | "memberships" | "user", ..] => (Scope::Zone, "account"),
        _ => (Scope::Zone, "zone"),
    }
}

/// The request body as JSON, or the 400 to send.
fn json_body(request: &Request) -> Result<Value, Response> {
    serde_json::from_slice(&request.body).map_err(|error| bad_json(&error.to_string()))
}
