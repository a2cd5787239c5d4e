//! Checks against the Cloudflare account (`check --remote`), and what they share: finding a
//! bound resource among those the account lists.

pub mod api_token;
pub mod check_not_made;
pub mod usage_against_limits;
pub mod vectorize_index_not_found;

use crate::checks::Sink;
use crate::config::Environment;
use crate::remote::{Fetched, Listed, Snapshot, short_id};
use crate::syntax::{Node, Span};

/// A binding whose resource must exist in the account.
pub struct Wanted<'a> {
    /// The binding's name, as the code reads it.
    pub binding: &'a str,
    /// What it binds, in words: `KV namespace`, `D1 database`.
    pub what: &'static str,
    /// The key that names the resource: `id`, `database_id`, `bucket_name`.
    pub key: &'static str,
    /// The id or name written there.
    pub value: &'a str,
    /// Where it is written.
    pub span: Span,
    /// Whether `value` is a name (R2 buckets, queues) rather than an id.
    pub by_name: bool,
    /// The name the config gives the resource beside its id (`database_name`), for pointing
    /// at a resource of that name under another id.
    pub name_hint: Option<&'a str>,
    /// The prefix of the report line: `KV`, `D1`, `R2`.
    pub short: &'static str,
    /// What the deploy answers when it is missing, for the message.
    pub consequence: &'static str,
}

/// Looks `wanted` up in `listed`: a verified line when it is there, an unknown line when the
/// list could not be read, an error naming the closest resource the account has otherwise.
/// Returns the resource found.
pub fn expect_listed<'l>(
    sink: &mut Sink<'_>,
    env: &Environment<'_>,
    snapshot: &Snapshot,
    listed: &'l Fetched<Vec<Listed>>,
    wanted: &Wanted<'_>,
) -> Option<&'l Listed> {
    // A placeholder or malformed id is the offline checks' finding (KV001, D1001, HYP001);
    // looking it up would say the same thing twice.
    let well_formed =
        crate::resource_ids::is_hex_id(wanted.value) || crate::resource_ids::is_uuid(wanted.value);
    let malformed = !wanted.by_name && !well_formed;
    if malformed || crate::resource_ids::is_placeholder(wanted.value) {
        return None;
    }
    let subject = format!("{} {}", wanted.short, wanted.binding);
    let items = match listed {
        Ok(items) => items,
        Err(reason) => {
            sink.unknown(Some(env), wanted.span, subject, reason);
            return None;
        }
    };
    let found = items.iter().find(|item| {
        if wanted.by_name { item.name == wanted.value } else { item.id == wanted.value }
    });
    if let Some(item) = found {
        let detail = if wanted.by_name || item.name.is_empty() || item.name == item.id {
            format!("→ {} exists", item.name)
        } else {
            format!("→ {} exists ({})", short_id(&item.id), item.name)
        };
        sink.verified(Some(env), wanted.span, subject, detail);
        return found;
    }
    let suggestion = suggestion(items, wanted);
    sink.report(
        Some(env),
        wanted.span,
        format!(
            "{} {} binding {} points at {} {}, which does not exist in account {}{}; {}",
            env.label(),
            wanted.what,
            wanted.binding,
            wanted.key,
            wanted.value,
            snapshot.account_id,
            suggestion.as_ref().map_or("", |(text, _)| text.as_str()),
            wanted.consequence,
        ),
    )
    .binding(wanted.binding)
    .help(match suggestion {
        Some((_, help)) => help,
        None => format!(
            "create the {} in this account, or correct {} (the account has {} of them)",
            wanted.what,
            wanted.key,
            items.len()
        ),
    });
    None
}

/// The resource a wrong id or name most likely meant: one with the name the config gives it,
/// else the closest name. Returns the text for the message and the help.
fn suggestion(items: &[Listed], wanted: &Wanted<'_>) -> Option<(String, String)> {
    let same_name = wanted.name_hint.and_then(|hint| items.iter().find(|item| item.name == hint));
    // An environment's worker or resource is often the name with `-<env>` added.
    let suffixed = || {
        let prefix = format!("{}-", wanted.value);
        items.iter().find(|item| item.name.starts_with(&prefix))
    };
    let item = same_name
        .or_else(|| {
            let typed = wanted.name_hint.unwrap_or(wanted.value);
            let closest = crate::suggest::closest(typed, items.iter().map(|i| i.name.as_str()))?;
            items.iter().find(|item| item.name == closest)
        })
        .or_else(|| if wanted.by_name { suffixed() } else { None })?;
    if wanted.by_name {
        return Some((
            format!(" (the account has {})", item.name),
            format!("did you mean {} = \"{}\"?", wanted.key, item.name),
        ));
    }
    Some((
        format!(" (the account has {} as {}: it was probably recreated)", item.name, item.id),
        format!("set {} = \"{}\" everywhere this {} is pinned", wanted.key, item.id, wanted.what),
    ))
}

/// The text of `key` in a binding table.
#[must_use]
pub fn text<'a>(node: &'a Node, key: &str) -> Option<(&'a str, Span)> {
    let value = node.get(key)?;
    Some((value.as_str()?, value.span))
}
