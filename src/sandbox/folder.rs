//! Where a stand-in keeps its files: a temporary folder, or the one
//! `dcos lb sandbox --state-dir` names.

use std::path::{Path, PathBuf};

/// Where a stand-in keeps its files: a temporary folder removed when it
/// stops, or a kept one (`dcos lb sandbox --state-dir`) left for inspection.
#[derive(Debug)]
pub enum Folder {
    /// Removed on drop.
    Temporary(tempfile::TempDir),
    /// Created if missing; kept.
    Kept(PathBuf),
}

impl Folder {
    /// `kept`, created if missing, else a new temporary folder.
    pub fn new(kept: Option<PathBuf>) -> std::io::Result<Self> {
        match kept {
            Some(dir) => {
                fs_err::create_dir_all(&dir)?;
                Ok(Self::Kept(dir))
            }
            None => tempfile::tempdir().map(Self::Temporary),
        }
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        match self {
            Self::Temporary(dir) => dir.path(),
            Self::Kept(dir) => dir,
        }
    }
}
