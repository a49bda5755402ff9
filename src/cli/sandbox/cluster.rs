//! `dcos lb sandbox --dcos-cluster NAME`: a cluster entry for the sandbox
//! under the dcos CLI's config (`clusters/<id>/dcos.toml`, mode 0600, as
//! `dcos cluster setup` writes it), never attached, removed on stop.
//!
//! The dcos CLI treats a lone configured cluster as current even without
//! its `attached` marker. Adding a second entry would silently leave such a
//! user with none, so the lone cluster gets the marker it implied (and
//! loses it again on stop): which cluster is current does not change.

use std::path::{Path, PathBuf};

use crate::cli::exit::{CliError, ExitCode};
use crate::dcos::config::{cluster_dirs, dcos_dir, read_dcos_toml};
use crate::env::Env;

/// The entry while the sandbox runs; removed on drop.
#[derive(Debug)]
pub(super) struct ClusterEntry {
    dir: PathBuf,
    /// The `attached` marker written on the lone other cluster, if any.
    marker: Option<PathBuf>,
}

/// What goes into the entry.
pub(super) struct Settings<'a> {
    pub name: &'a str,
    pub dcos_url: &'a str,
    pub token: &'a str,
    pub lb_urls: &'a [String],
}

impl ClusterEntry {
    /// The cluster id the entry's folder is named by.
    pub(super) fn id(name: &str) -> String {
        format!("sandbox-{name}")
    }

    /// Writes the entry, refusing a name some cluster already has.
    pub(super) fn add(env: &Env, settings: &Settings<'_>) -> Result<Self, CliError> {
        let name = settings.name;
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(CliError::new(
                ExitCode::Usage,
                format!("--dcos-cluster {name:?}: a name is letters, digits, '-' and '_'"),
            ));
        }
        let failed = |e: std::io::Error| {
            CliError::new(
                ExitCode::Failure,
                format!("cannot add the dcos cluster entry {name}: {e}"),
            )
        };
        let root = dcos_dir(env)
            .map_err(|e| CliError::new(ExitCode::Failure, e.to_string()))?
            .join("clusters");
        let others = cluster_dirs(&root);
        let dir = root.join(Self::id(name));
        let taken = others
            .iter()
            .any(|d| d == &dir || cluster_name(d).as_deref() == Some(name));
        if taken {
            return Err(CliError::new(
                ExitCode::Failure,
                format!("the dcos CLI already has a cluster named {name} ({})", root.display()),
            )
            .hint("choose another --dcos-cluster NAME, or remove that entry with `dcos cluster remove`"));
        }
        let marker = match others.as_slice() {
            [only] if !only.join("attached").is_file() => Some(only.join("attached")),
            _ => None,
        };
        fs_err::create_dir_all(&dir).map_err(failed)?;
        let entry = Self { dir, marker };
        entry.write(settings).map_err(failed)?;
        if let Some(marker) = &entry.marker {
            fs_err::write(marker, "").map_err(failed)?;
        }
        Ok(entry)
    }

    fn write(&self, s: &Settings<'_>) -> std::io::Result<()> {
        let mut core = toml::Table::new();
        core.insert("dcos_url".into(), s.dcos_url.into());
        core.insert("dcos_acs_token".into(), s.token.into());
        let mut cluster = toml::Table::new();
        cluster.insert("name".into(), s.name.into());
        let mut lb = toml::Table::new();
        lb.insert("marathon_lb_url".into(), s.lb_urls.join(",").into());
        let mut doc = toml::Table::new();
        doc.insert("core".into(), core.into());
        doc.insert("cluster".into(), cluster.into());
        doc.insert("lb".into(), lb.into());
        let file = self.dir.join("dcos.toml");
        let text = toml::to_string(&doc).map_err(std::io::Error::other)?;
        write_private(&file, &text)
    }

    /// The entry's folder.
    pub(super) fn dir(&self) -> &Path {
        &self.dir
    }
}

impl Drop for ClusterEntry {
    fn drop(&mut self) {
        let _ = fs_err::remove_dir_all(&self.dir);
        if let Some(marker) = &self.marker {
            let _ = fs_err::remove_file(marker);
        }
    }
}

/// Writes a file only its owner can read: it holds a token.
fn write_private(file: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(file)?;
    f.write_all(text.as_bytes())
}

fn cluster_name(dir: &Path) -> Option<String> {
    read_dcos_toml(&dir.join("dcos.toml")).ok()?.cluster.name
}
