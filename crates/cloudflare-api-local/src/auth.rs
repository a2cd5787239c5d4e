//! Credentials: which token a request carries, and whether it may do what it asks. The error
//! codes differ by where the request goes: zone APIs answer 9109, account products 10000.

use serde_json::json;

use crate::envelope::{fail, fail_with, ok_with_messages};
use crate::http::{Request, Response};
use crate::state::TokenStatus;
use crate::store::{Store, Token};

/// Where a request goes, which decides the error code of a refused token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// `/zones/...`, `/user/...`, `/accounts`, `/memberships`: 403 with 9109.
    Zone,
    /// `/accounts/{id}/...`: 403 with 10000.
    Account,
}

/// The bearer token of a request, or the answer to send instead: 400/9106 without credentials,
/// 400/6003 when the `Authorization` header is not `Bearer <token>`.
///
/// # Errors
/// The response to send when the request has no usable bearer value.
pub fn bearer(request: &Request) -> Result<&str, Response> {
    let Some(header) = request.header("authorization") else {
        let legacy =
            request.header("x-auth-email").is_some() || request.header("x-auth-key").is_some();
        if legacy {
            // Global API keys are not modelled: a key pair is refused like a bad token.
            return Ok("");
        }
        return Err(fail(400, 9106, "Missing X-Auth-Key, X-Auth-Email or Authorization headers"));
    };
    let value = header.strip_prefix("Bearer ").map(str::trim).unwrap_or_default();
    let well_formed = !value.is_empty()
        && value.bytes().all(|byte| byte.is_ascii_alphanumeric() || b"-_.".contains(&byte));
    if !well_formed {
        return Err(fail_with(
            400,
            vec![json!({
                "code": 6003,
                "message": "Invalid request headers",
                "error_chain": [{ "code": 6111, "message": "Invalid format for Authorization header" }],
            })],
        ));
    }
    Ok(value)
}

/// The token a request may act with, for `area` (e.g. `d1`), reading or writing.
///
/// # Errors
/// The 403 to send when the token is unknown, not active, or lacks the permission.
pub fn authorize<'a>(
    store: &'a Store,
    value: &str,
    scope: Scope,
    area: &str,
    write: bool,
) -> Result<&'a Token, Response> {
    let refuse = |insufficient: bool| match scope {
        Scope::Zone if insufficient => fail(403, 9109, "Unauthorized to access requested resource"),
        Scope::Zone => fail(403, 9109, "Invalid access token"),
        Scope::Account => fail(403, 10000, "Authentication error"),
    };
    let Some(token) = store.tokens.iter().find(|token| token.value == value) else {
        return Err(refuse(false));
    };
    if token.status != TokenStatus::Active {
        return Err(refuse(false));
    }
    if let Some(permissions) = &token.permissions {
        let allowed = permissions.iter().any(|permission| {
            let (granted, level) = permission.split_once(':').unwrap_or((permission, "edit"));
            granted == area && (level == "edit" || (level == "read" && !write))
        });
        if !allowed {
            return Err(refuse(true));
        }
    }
    Ok(token)
}

/// The token-verify answer, or 401/1000 when `value` names no token that may be verified there.
pub fn verify(token: Option<&Token>) -> Response {
    let Some(token) = token else {
        return fail(401, 1000, "Invalid API Token");
    };
    let status = match token.status {
        TokenStatus::Active => "active",
        TokenStatus::Disabled => "disabled",
        TokenStatus::Expired => "expired",
    };
    let mut result = json!({ "id": token.id, "status": status });
    if let Some(not_before) = &token.not_before {
        result["not_before"] = json!(not_before);
    }
    if let Some(expires_on) = &token.expires_on {
        result["expires_on"] = json!(expires_on);
    }
    ok_with_messages(
        result,
        json!([{ "code": 10000, "message": "This API Token is valid and active", "type": null }]),
    )
}
