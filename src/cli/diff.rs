//! `atom-sage diff ENV_A ENV_B [PATH]`: two environments side by side.

use std::path::PathBuf;

use clap::ValueEnum;

use super::print;

#[derive(clap::Args)]
pub struct DiffArgs {
    /// The first environment (`top` for the top level).
    left: String,
    /// The second environment.
    right: String,
    /// The project directory (the config is searched from here upward) or a config file.
    path: Option<PathBuf>,
    /// Output format.
    #[arg(short, long, value_enum, default_value = "pretty")]
    format: DiffFormat,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum DiffFormat {
    Pretty,
    Json,
}

/// Compares the two environments; exit 1 when an error finding (a shared production resource,
/// one worker for both) comes out.
pub fn run(args: &DiffArgs) -> anyhow::Result<u8> {
    diff(
        &args.left,
        &args.right,
        args.path.as_deref().unwrap_or(std::path::Path::new(".")),
        args.format,
    )
}

/// Compares and prints; shared with `atom DIFF`.
pub fn diff(
    left: &str,
    right: &str,
    path: &std::path::Path,
    format: DiffFormat,
) -> anyhow::Result<u8> {
    let diff = crate::diff::diff(path, left, right)?;
    print(&match format {
        DiffFormat::Pretty => crate::diff::pretty(&diff),
        DiffFormat::Json => crate::diff::json(&diff),
    })?;
    Ok(u8::from(diff.fails()))
}
