//! The models every command loads by default, found through `campfire_paths` from any directory.

use anyhow::Context;
use campfire_voice::transcribe::{self, Transcriber};
use std::path::PathBuf;

/// The autoencoder to load: the one given, else the shipped one from the data trees.
pub fn autoencoder_dir(given: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    match given {
        Some(dir) => Ok(dir),
        None => Ok(campfire_paths::require(
            campfire_paths::AUTOENCODER,
            "the latent autoencoder",
            Some("campfire train ae --data DIR (see assets/models/ae/README.md)"),
        )?),
    }
}

/// The video DiT: the one given, else the one in the data tree, else `None`.
pub fn dit_dir(given: Option<PathBuf>) -> Option<PathBuf> {
    given.or_else(|| campfire_paths::find(campfire_paths::DIT))
}

/// The whisper model: the one given, else `transcribe::default_model_path`, with a message that
/// names the file and the command that makes it.
pub fn transcriber(given: Option<PathBuf>) -> anyhow::Result<(Transcriber, PathBuf)> {
    transcriber_with(given, false)
}

/// [`transcriber`], with word times from whisper's alignment when `aligned`
/// ([`Transcriber::load_aligned`]).
pub fn transcriber_with(given: Option<PathBuf>, aligned: bool) -> anyhow::Result<(Transcriber, PathBuf)> {
    let model = given.unwrap_or_else(transcribe::default_model_path);
    if !model.is_file() {
        anyhow::bail!(
            "whisper model {} not found; make it with `bash scripts/setup-whisper.sh` in a checkout (or pass --model)",
            model.display()
        );
    }
    let t = if aligned { Transcriber::load_aligned(&model) } else { Transcriber::load(&model) }
        .with_context(|| format!("loading {}", model.display()))?;
    Ok((t, model))
}
