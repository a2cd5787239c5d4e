//! Checks of routes and custom domains.

pub mod custom_domain_dns_conflict;
pub mod host_not_proxied;
pub mod invalid_custom_domain;
pub mod invalid_route_pattern;
pub mod route_taken;
pub mod routes_drift;
pub mod zone_name_mismatch;
pub mod zone_not_found;

use crate::config::Environment;
use crate::syntax::{Node, Span};

/// One route or custom domain of an environment, after inheritance.
#[derive(Debug, Clone, Copy)]
pub struct Route<'a> {
    /// The pattern or domain as written.
    pub pattern: &'a str,
    /// Where the pattern is written.
    pub span: Span,
    /// The route's table, when written as one.
    pub table: Option<&'a Node>,
    /// Whether it is a custom domain rather than a route.
    pub custom_domain: bool,
    /// Whether the environment inherits it from the top level.
    pub inherited: bool,
}

/// Every route and custom domain an environment deploys with.
#[must_use]
pub fn routes<'a>(env: &Environment<'a>) -> Vec<Route<'a>> {
    let mut out = Vec::new();
    let mut add = |node: &'a Node, inherited: bool| {
        let (pattern_node, table) = match node.as_str() {
            Some(_) => (node, None),
            None => match node.get("pattern") {
                Some(pattern) => (pattern, Some(node)),
                None => return,
            },
        };
        let Some(pattern) = pattern_node.as_str() else { return };
        let custom_domain =
            table.and_then(|t| t.get("custom_domain")).and_then(Node::as_bool) == Some(true);
        out.push(Route { pattern, span: pattern_node.span, table, custom_domain, inherited });
    };
    // wrangler deploys `routes` when the environment has any (its own or inherited), and only
    // otherwise `route`; it reads `route = ""` as no route at all.
    if let Some(field) = env.get("routes") {
        for item in field.node.items() {
            add(item, field.inherited);
        }
    } else if let Some(field) = env.get("route").filter(|f| f.node.as_str() != Some("")) {
        add(field.node, field.inherited);
    }
    out
}

/// The host a route pattern or custom domain serves, lowercase, without scheme, path or a
/// leading wildcard: `*.example.com/api/*` serves `example.com`.
#[must_use]
pub fn host_of(pattern: &str) -> String {
    pattern
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .split(['/', '?', ':'])
        .next()
        .unwrap_or("")
        .trim_start_matches('*')
        .trim_start_matches('.')
        .trim_end_matches('.')
        .to_ascii_lowercase()
}
