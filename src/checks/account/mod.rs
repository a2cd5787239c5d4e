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

/// How a binding kind names the resource it binds, for [`expect_each`].
pub struct Lookup {
    /// The key of the binding's name: `binding`, or `name` for Durable Objects.
    pub binding_key: &'static str,
    /// What it binds, in words: `KV namespace`, `D1 database`.
    pub what: &'static str,
    /// The key that names the resource: `id`, `database_id`, `bucket_name`.
    pub key: &'static str,
    /// Whether that key holds a name (R2 buckets, queues) rather than an id.
    pub by_name: bool,
    /// What the account calls the resource's name, for the report line: `title`, `name`.
    pub name_field: &'static str,
    /// Where to find the name the resource probably has, to point at it under another id.
    pub hint: Hint,
    /// The prefix of the report line: `KV`, `D1`, `R2`.
    pub short: &'static str,
    /// What the deploy answers when it is missing, for the message.
    pub consequence: &'static str,
}

/// The name a bound resource probably has in the account.
pub enum Hint {
    /// None besides the value itself.
    Value,
    /// The value of this key of the binding (`database_name`).
    Key(&'static str),
    /// `<worker>-<binding>`, as wrangler titles the KV namespaces it creates.
    WorkerTitle,
}

/// Looks up the resource of every binding in `items` among those the account lists.
pub fn expect_each(
    sink: &mut Sink<'_>,
    env: &Environment<'_>,
    snapshot: &Snapshot,
    items: &[Node],
    listed: &Fetched<Vec<Listed>>,
    lookup: &Lookup,
) {
    for item in items {
        let Some((binding, _)) = text(item, lookup.binding_key) else { continue };
        let Some((value, span)) = text(item, lookup.key) else { continue };
        let hint = match lookup.hint {
            Hint::Value => None,
            Hint::Key(key) => text(item, key).map(|(name, _)| name.to_owned()),
            Hint::WorkerTitle => env.worker_name().map(|worker| format!("{worker}-{binding}")),
        };
        let wanted = Wanted { binding, value, span, name_hint: hint.as_deref(), lookup };
        expect_listed(sink, env, snapshot, listed, &wanted);
    }
}

/// One binding whose resource must exist in the account.
struct Wanted<'a> {
    binding: &'a str,
    value: &'a str,
    span: Span,
    name_hint: Option<&'a str>,
    lookup: &'a Lookup,
}

/// Looks `wanted` up in `listed`: a verified line when it is there, an unknown line when the
/// list could not be read, an error naming the closest resource the account has otherwise.
/// Returns the resource found.
fn expect_listed<'l>(
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
    let malformed = !wanted.lookup.by_name && !well_formed;
    if malformed || crate::resource_ids::is_placeholder(wanted.value) {
        return None;
    }
    let subject = format!("{} {}", wanted.lookup.short, wanted.binding);
    let items = match listed {
        Ok(items) => items,
        Err(reason) => {
            sink.unknown(Some(env), wanted.span, subject, reason);
            return None;
        }
    };
    let found = items.iter().find(|item| {
        if wanted.lookup.by_name { item.name == wanted.value } else { item.id == wanted.value }
    });
    if let Some(item) = found {
        let detail = if wanted.lookup.by_name || item.name.is_empty() || item.name == item.id {
            format!("→ {} exists", item.name)
        } else {
            format!("→ {} exists ({} {})", short_id(&item.id), wanted.lookup.name_field, item.name)
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
            wanted.lookup.what,
            wanted.binding,
            wanted.lookup.key,
            wanted.value,
            snapshot.account_id,
            suggestion.as_ref().map_or("", |(text, _)| text.as_str()),
            wanted.lookup.consequence,
        ),
    )
    .binding(wanted.binding)
    .help(match suggestion {
        Some((_, help)) => help,
        None => format!(
            "create the {} in this account, or correct {} (the account has {} of them)",
            wanted.lookup.what,
            wanted.lookup.key,
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
        .or_else(|| if wanted.lookup.by_name { suffixed() } else { None })?;
    if wanted.lookup.by_name {
        return Some((
            format!(" (the account has {})", item.name),
            format!("did you mean {} = \"{}\"?", wanted.lookup.key, item.name),
        ));
    }
    Some((
        format!(" (the account has {} as {}: it was probably recreated)", item.name, item.id),
        format!(
            "set {} = \"{}\" everywhere this {} is pinned",
            wanted.lookup.key, item.id, wanted.lookup.what
        ),
    ))
}

/// The text of `key` in a binding table.
#[must_use]
pub fn text<'a>(node: &'a Node, key: &str) -> Option<(&'a str, Span)> {
    let value = node.get(key)?;
    Some((value.as_str()?, value.span))
}
