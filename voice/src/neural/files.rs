//! Where the neural narrator's files are, and whether they are the ones we pinned.
//!
//! `scripts/setup-narrator.sh` puts them in the data tree's `narrator/` folder; both it and
//! [`check`] read the same list of names and SHA-256 sums (`files.txt` beside this file). The
//! checksums are verified before anything is loaded: a truncated model would only fail inside
//! ONNX Runtime, but a damaged runtime library could crash the process when it is opened.

use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};

/// The list shared with `scripts/setup-narrator.sh`.
const MANIFEST: &str = include_str!("files.txt");

/// Overrides the search for the narrator's folder (read by [`campfire_paths::narrator_override`]).
pub const DIR_VAR: &str = campfire_paths::NARRATOR_DIR_VAR;

pub const MODEL: &str = "hibari.onnx";
pub const VOCAB: &str = "vocab.json";
pub const OOV_MODEL: &str = "oov.onnx";
pub const OOV_META: &str = "oov.json";
pub const RUNTIME: &str = "libonnxruntime.so";

#[derive(Debug, thiserror::Error)]
pub enum FilesError {
    #[error("the neural narrator's files are not installed: {0}")]
    NotInstalled(#[from] campfire_paths::NotFound),
    #[error("{} is missing (run scripts/setup-narrator.sh)", .0.display())]
    Missing(PathBuf),
    #[error("{} is not the pinned file (SHA-256 {found}, expected {expected}); run scripts/setup-narrator.sh", .path.display())]
    Checksum { path: PathBuf, expected: String, found: String },
    #[error("cannot read {}: {source}", .path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("no ONNX Runtime library is pinned for {0} machines")]
    UnsupportedMachine(&'static str),
}

/// One pinned file for this machine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pinned {
    pub name: &'static str,
    pub sha256: &'static str,
}

/// The files this machine needs, from the shared list.
pub fn pinned() -> Vec<Pinned> {
    MANIFEST
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let cols: Vec<&str> = l.split_whitespace().collect();
            let [name, sha256, arch, _spec, _member] = cols[..] else { return None };
            (arch == "any" || arch == std::env::consts::ARCH).then_some(Pinned { name, sha256 })
        })
        .collect()
}

/// The narrator's folder: `$CAMPFIRE_NARRATOR_DIR`, else `narrator/` in the first data tree that
/// has one (see `campfire_paths`). The one place that decides it.
pub fn dir() -> Result<PathBuf, FilesError> {
    if let Some(d) = campfire_paths::narrator_override() {
        return Ok(d);
    }
    Ok(campfire_paths::require(
        campfire_paths::NARRATOR,
        "the neural narrator's files",
        Some("scripts/setup-narrator.sh"),
    )?)
}

/// Checks every pinned file in `dir` against its SHA-256 (about 30 MB to hash).
pub fn check(dir: &Path) -> Result<(), FilesError> {
    let files = pinned();
    if !files.iter().any(|f| f.name == RUNTIME) {
        return Err(FilesError::UnsupportedMachine(std::env::consts::ARCH));
    }
    for f in files {
        let path = dir.join(f.name);
        if !path.is_file() {
            return Err(FilesError::Missing(path));
        }
        let found = sha256(&path)?;
        if found != f.sha256 {
            return Err(FilesError::Checksum { path, expected: f.sha256.to_string(), found });
        }
    }
    Ok(())
}

fn sha256(path: &Path) -> Result<String, FilesError> {
    let io = |source| FilesError::Io { path: path.to_path_buf(), source };
    let mut file = std::fs::File::open(path).map_err(io)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf).map_err(io)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hasher.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_names_every_file_once_for_this_machine() {
        let files = pinned();
        for name in [MODEL, VOCAB, OOV_MODEL, OOV_META, RUNTIME] {
            assert_eq!(files.iter().filter(|f| f.name == name).count(), 1, "{name} in {files:?}");
        }
        assert!(files.iter().all(|f| f.sha256.len() == 64 && f.sha256.chars().all(|c| c.is_ascii_hexdigit())));
    }

    #[test]
    fn a_changed_file_fails_its_checksum() {
        let tmp = tempfile::tempdir().expect("tempdir");
        for f in pinned() {
            std::fs::write(tmp.path().join(f.name), b"not the pinned bytes").expect("write");
        }
        let err = check(tmp.path()).unwrap_err();
        assert!(matches!(err, FilesError::Checksum { .. }), "{err}");
        std::fs::remove_file(tmp.path().join(MODEL)).expect("rm");
        assert!(matches!(check(tmp.path()).unwrap_err(), FilesError::Missing(p) if p.ends_with(MODEL)));
    }
}
