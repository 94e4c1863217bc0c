//! The network sizes a fresh training run (or `campfire bench video`) can start from, by name.

use campfire_models::{autoencoder, dit};
use std::fmt;
use std::str::FromStr;

/// A named network size, the same three names for both models.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Preset {
    /// Tests of the machinery, not of quality: trains in seconds.
    Tiny,
    /// The DiT that runs in real time on two CPU cores (the shipped one).
    Small,
    /// The shipped autoencoder; a DiT for a GPU.
    Base,
}

impl Preset {
    pub const ALL: [Preset; 3] = [Preset::Tiny, Preset::Small, Preset::Base];

    pub fn name(self) -> &'static str {
        match self {
            Preset::Tiny => "tiny",
            Preset::Small => "small",
            Preset::Base => "base",
        }
    }

    /// The autoencoder of this size, at its preset frame size (a run sets the dataset's).
    pub fn autoencoder(self) -> autoencoder::Config {
        match self {
            Preset::Tiny => autoencoder::Config::tiny(),
            Preset::Small => autoencoder::Config::small(),
            Preset::Base => autoencoder::Config::base(),
        }
    }

    /// The DiT of this size, on the real autoencoder's latents and this build's conditioning
    /// maps (their channels and version: the maps grow with the renderer's vocabulary, and a
    /// preset must train on what `campfire data` writes now): the tiny model too, since what it
    /// trains on here is rendered data.
    pub fn dit(self) -> dit::Config {
        let size = match self {
            Preset::Tiny => {
                dit::Config { latent_channels: dit::Config::small().latent_channels, ..dit::Config::tiny() }
            }
            Preset::Small => dit::Config::small(),
            Preset::Base => dit::Config::base(),
        };
        dit::Config {
            cond_channels: campfire_render::CHANNELS,
            cond_version: campfire_render::CONDITION_VERSION,
            ..size
        }
    }
}

impl fmt::Display for Preset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is none of the presets.
#[derive(Debug, thiserror::Error)]
#[error("unknown preset `{0}`; expected `tiny`, `small` or `base`")]
pub struct UnknownPreset(String);

impl FromStr for Preset {
    type Err = UnknownPreset;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Preset::ALL.into_iter().find(|p| p.name() == s).ok_or_else(|| UnknownPreset(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_is_read_back_from_its_name_and_is_a_valid_network() {
        for p in Preset::ALL {
            assert_eq!(p.to_string().parse::<Preset>().unwrap(), p);
            assert!(p.dit().validate().is_ok(), "{p}");
            assert!(p.autoencoder().validate().is_ok(), "{p}");
        }
        let e = "huge".parse::<Preset>().unwrap_err();
        assert!(e.to_string().contains("`huge`") && e.to_string().contains("`small`"), "{e}");
    }

    #[test]
    fn the_tiny_dit_reads_the_real_latents_and_maps() {
        let tiny = Preset::Tiny.dit();
        assert_eq!(tiny.latent_channels, 16);
        assert_eq!(tiny.cond_channels, campfire_render::CHANNELS);
        assert_eq!(tiny.hidden_size, dit::Config::tiny().hidden_size);
    }
}
