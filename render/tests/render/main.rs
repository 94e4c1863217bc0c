//! Renderer tests, on the real renderer and conditioning maps.

/// Scenes and frame statistics shared by the tests.
mod common;
/// Conditioning maps: shape, contract, what they respond to.
mod condition;
/// Every kind: drawn, told apart, in the colour it is given.
mod kinds;
/// The reference renderer: determinism, kinds, actions, depth, light, robustness.
mod render;
/// The teaching vocabulary: moon phases, space, labels and captions, held props, under water.
mod teach;
