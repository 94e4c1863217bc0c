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

/// The video DiT: the one given, else the one in the data tree, else `None` (the caller falls
/// back to the reference renderer with a warning).
pub fn dit_dir(given: Option<PathBuf>) -> Option<PathBuf> {
    given.or_else(|| campfire_paths::find(campfire_paths::DIT))
}

/// The DiT generator with the autoencoder it decodes through, or `None` with a warning.
pub fn dit_generator(
    dit: Option<PathBuf>,
    ae: Option<PathBuf>,
) -> anyhow::Result<Option<campfire_generator::DitGenerator>> {
    dit_generator_with(dit, ae, campfire_generator::DitOptions::default())
}

/// [`dit_generator`] sampling with `options`.
pub fn dit_generator_with(
    dit: Option<PathBuf>,
    ae: Option<PathBuf>,
    options: campfire_generator::DitOptions,
) -> anyhow::Result<Option<campfire_generator::DitGenerator>> {
    let ae = autoencoder_dir(ae)?;
    let Some(dir) = dit_dir(dit) else {
        tracing::warn!(
            "no DiT weights in {} (make them with `campfire train dit`); falling back to the reference renderer",
            campfire_paths::DIT
        );
        return Ok(None);
    };
    Ok(campfire_generator::DitGenerator::open_or_fall_back(&dir, &ae, &candle_core::Device::Cpu, options))
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
