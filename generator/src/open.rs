//! Which generator draws the picture, and the one rule for when it cannot: every command and the
//! app open their generator here.
//!
//! The reference renderer is the default. It draws exactly what the world says, sharp at any size,
//! and it is cheap enough to leave the cores to the child's voice. The neural generators are
//! chosen by name (`--generator dit`; the app has no parents' settings yet) and measured against
//! it; the DiT becomes the default again only when it wins (`assets/models/dit/README.md` states
//! the rule).
//!
//! **The fallback rule.** A neural generator whose weights are missing, unreadable or made for
//! other conditioning maps is replaced by the reference renderer, with a warning that names the
//! file and the cause. Opening a generator never fails: the story always has a picture.

use crate::{DitGenerator, DitOptions, Generator, LatentGenerator, ReferenceGenerator};
use candle_core::Device;
use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

/// What draws the picture.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Choice {
    /// The procedural renderer: what the world says, at the output's own size.
    #[default]
    Reference,
    /// The renderer's frames through the latent autoencoder: the best a latent model can show.
    Latent,
    /// The video DiT, chunk by chunk, continuing its own frames.
    Dit,
}

impl Choice {
    pub const ALL: [Choice; 3] = [Choice::Reference, Choice::Latent, Choice::Dit];

    pub fn name(self) -> &'static str {
        match self {
            Choice::Reference => "reference",
            Choice::Latent => "latent",
            Choice::Dit => "dit",
        }
    }
}

impl fmt::Display for Choice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Choice {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let wanted = s.trim().to_ascii_lowercase();
        Choice::ALL
            .into_iter()
            .find(|c| c.name() == wanted)
            .ok_or_else(|| format!("unknown generator `{s}`; expected one of: reference (the default), latent, dit"))
    }
}

/// The weights a neural generator loads; `None` takes the shipped ones from the data trees.
#[derive(Clone, Debug, Default)]
pub struct Weights {
    pub ae: Option<PathBuf>,
    pub dit: Option<PathBuf>,
}

impl Weights {
    /// The autoencoder to load, or why there is none.
    fn ae(&self) -> Result<PathBuf, String> {
        match &self.ae {
            Some(dir) => Ok(dir.clone()),
            None => campfire_paths::require(campfire_paths::AUTOENCODER, "the latent autoencoder", None)
                .map_err(|e| e.to_string()),
        }
    }

    /// The DiT to load, or why there is none.
    fn dit(&self) -> Result<PathBuf, String> {
        match &self.dit {
            Some(dir) => Ok(dir.clone()),
            None => campfire_paths::require(campfire_paths::DIT, "the video DiT", Some("campfire train dit"))
                .map_err(|e| e.to_string()),
        }
    }
}

/// The generator `choice` names, by the fallback rule above.
pub fn open(choice: Choice, weights: &Weights) -> Box<dyn Generator> {
    let opened: Option<Box<dyn Generator>> = match choice {
        Choice::Reference => None,
        Choice::Latent => open_latent(weights).map(|g| Box::new(g) as Box<dyn Generator>),
        Choice::Dit => open_dit(weights, DitOptions::default()).map(|g| Box::new(g) as Box<dyn Generator>),
    };
    opened.unwrap_or_else(|| Box::new(ReferenceGenerator::new()))
}

/// The DiT sampling with `options`, or `None` after the fallback rule's warning (for callers that
/// need the DiT itself, such as its evaluation).
pub fn open_dit(weights: &Weights, options: DitOptions) -> Option<DitGenerator> {
    let dirs = weights.ae().and_then(|ae| Ok((ae, weights.dit()?)));
    match dirs {
        Ok((ae, dit)) => DitGenerator::open_or_fall_back(&dit, &ae, &Device::Cpu, options),
        Err(why) => {
            tracing::warn!("the DiT cannot be used ({why}); falling back to the reference renderer");
            None
        }
    }
}

/// The latent generator, or `None` after the fallback rule's warning.
pub fn open_latent(weights: &Weights) -> Option<LatentGenerator> {
    match weights.ae() {
        Ok(ae) => LatentGenerator::open_or_fall_back(&ae, &Device::Cpu),
        Err(why) => {
            tracing::warn!("{why}; falling back to the reference renderer");
            None
        }
    }
}
