//! Builds the zip that `dcos plugin add <zip>` installs:
//!
//! ```text
//! cargo run --locked --example package-plugin -- [--release] [--binary PATH] [--out dist/dcos-lb-plugin.zip]
//! ```
//!
//! Without `--binary` it runs `cargo build --locked [--release] --bin dcos-lb`
//! and packages the executable cargo reports. plugin.toml is the committed
//! one; the completion file is generated from this source tree's CLI.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod plugin_zip;

use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};

use anyhow::{Context as _, bail};
use clap::{CommandFactory, Parser};
use dcos_lb::cli::Cli;
use dcos_lb::plugin::Artifact;

use plugin_zip::{PluginFiles, write_plugin_zip};

/// Package dcos-lb as a DC/OS CLI plugin zip.
#[derive(Debug, Parser)]
struct Args {
    /// Build (or take) the release binary instead of the debug one.
    #[arg(long)]
    release: bool,
    /// Package this executable instead of building one.
    #[arg(long, value_name = "PATH")]
    binary: Option<PathBuf>,
    /// Where to write the zip (relative to the working directory).
    #[arg(long, value_name = "PATH", default_value = "dist/dcos-lb-plugin.zip")]
    out: PathBuf,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let binary = match &args.binary {
        Some(path) => path.clone(),
        None => build_binary(root, args.release)?,
    };
    let manifest = fs_err::read(root.join("plugin.toml"))?;
    let binary_bytes = fs_err::read(&binary)?;
    let completion = Artifact::DcosBash.render(&Cli::command());
    let out = args.out;
    if let Some(parent) = out.parent() {
        fs_err::create_dir_all(parent)?;
    }
    let file = fs_err::File::create(&out)?;
    write_plugin_zip(
        file,
        &PluginFiles {
            manifest: &manifest,
            binary: &binary_bytes,
            completion: &completion,
        },
    )
    .with_context(|| format!("writing {}", out.display()))?;
    eprintln!("Packaged {} (binary {})", out.display(), binary.display());
    eprintln!("Install it with: dcos plugin add -u {}", out.display());
    Ok(())
}

/// Runs `cargo build` for the `dcos-lb` binary and returns the path of the
/// executable, read from cargo's JSON messages.
fn build_binary(root: &Path, release: bool) -> anyhow::Result<PathBuf> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut build = Process::new(cargo);
    build
        .current_dir(root)
        .args([
            "build",
            "--locked",
            "--bin",
            "dcos-lb",
            "--message-format=json-render-diagnostics",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    if release {
        build.arg("--release");
    }
    let output = build.output().context("running cargo build")?;
    if !output.status.success() {
        bail!("cargo build failed ({})", output.status);
    }
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|msg| msg["reason"] == "compiler-artifact" && msg["target"]["name"] == "dcos-lb")
        .find_map(|msg| msg["executable"].as_str().map(PathBuf::from))
        .context("cargo build reported no dcos-lb executable")
}
