//! Facts about the Cloudflare platform that wrangler does not check before it deploys.
//!
//! Each module is plain data plus small pure checks, with no dependencies, so validators can
//! share them. Sources for every fact are in `docs/platform-facts.md`.

pub mod compat_flags;
pub mod cron;
pub mod limits;
