//! The layout of the zip `dcos plugin add` installs: the zip root becomes the
//! plugin's `env/` directory, so it holds `plugin.toml`, the binary under
//! `bin/` (with Unix mode 0755 in the external attributes, which the dcos
//! CLI's unzip applies) and the bash completion under `completion/bash/`.
//! Nothing else, and no top-level folder. Shared by the `package-plugin`
//! example and the e2e tests.

use std::io::{Seek, Write};

use zip::write::SimpleFileOptions;
use zip::{DateTime, ZipWriter};

/// Path of the manifest inside the zip.
pub const MANIFEST_PATH: &str = "plugin.toml";
/// Path of the executable inside the zip (`[[commands]] path` in plugin.toml).
pub const BINARY_PATH: &str = "bin/dcos-lb";
/// Path of the dcos-protocol bash completion inside the zip.
pub const COMPLETION_PATH: &str = "completion/bash/dcos-lb.sh";

/// The three files of the plugin.
pub struct PluginFiles<'a> {
    /// plugin.toml as committed.
    pub manifest: &'a [u8],
    /// The `dcos-lb` executable.
    pub binary: &'a [u8],
    /// The bash file the dcos CLI sources for `dcos lb <TAB>`.
    pub completion: &'a [u8],
}

/// Writes the plugin zip. Entries carry the zip format's 1980 epoch as their
/// time, so the same inputs give the same bytes.
pub fn write_plugin_zip(
    out: impl Write + Seek,
    files: &PluginFiles<'_>,
) -> zip::result::ZipResult<()> {
    let mut zip = ZipWriter::new(out);
    let fixed_time = SimpleFileOptions::default().last_modified_time(DateTime::default());
    let data = fixed_time.unix_permissions(0o644);
    let executable = fixed_time.unix_permissions(0o755);
    for (path, options, contents) in [
        (MANIFEST_PATH, data, files.manifest),
        (BINARY_PATH, executable, files.binary),
        (COMPLETION_PATH, data, files.completion),
    ] {
        zip.start_file(path, options)?;
        zip.write_all(contents)?;
    }
    zip.finish()?;
    Ok(())
}
