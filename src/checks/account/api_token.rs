use crate::checks::{Check, Context, Rule, Run, Sink};
use crate::config::Environment;
use crate::diagnostic::{Service, Severity};
use crate::remote::Snapshot;

/// The API token `check --remote` uses.
pub const RULE: Rule = Rule {
    code: "ACC001",
    name: "api-token",
    service: Service::Account,
    severity: Severity::Error,
    fixable: false,
    summary: "The API token is refused, disabled or expired, so nothing in the account can be checked",
    docs: r#"## What it checks
Before any account check, the token in `CLOUDFLARE_API_TOKEN` is verified where it lives: a
user token at `/user/tokens/verify`, an account token (which the user endpoint does not know,
code 1000) at `/accounts/{account_id}/tokens/verify`. It must be `active`. A global API key
(`CLOUDFLARE_API_KEY` with `CLOUDFLARE_EMAIL`) is verified by listing the accounts.

## Why it matters
A token that is refused, disabled or expired makes every account check meaningless, so
atom-sage stops with exit 2 and says which; the token itself is never printed.

## Example
```sh
CLOUDFLARE_API_TOKEN=... CLOUDFLARE_ACCOUNT_ID=0123456789abcdef0123456789abcdef atom-sage check --remote
```

## Known limitations
The permissions of the token are not listed by the API; a check the token may not read is
reported as unknown with the API's answer (403, code 10000 or 9109).

## See also
https://developers.cloudflare.com/fundamentals/api/get-started/create-token/
"#,
};

/// The registered check.
pub const CHECK: Check = Check { rule: &RULE, run: Run::Remote(check) };

fn check(context: &Context<'_>, env: &Environment<'_>, snapshot: &Snapshot, sink: &mut Sink<'_>) {
    if !env.is_top_level() {
        return;
    }
    let span = context.root.get("account_id").map_or(crate::syntax::Span::new(0, 0), |n| n.span);
    sink.verified(
        Some(env),
        span,
        "API token",
        format!("→ {} is active, account {}", snapshot.token, snapshot.account_id),
    );
}
