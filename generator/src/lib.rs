//! The picture: renders the scene state into video frames, chunk by chunk.
//!
//! - [`Frame`]: one RGB8 picture.
//! - [`render_frame`]: the procedural reference renderer (teacher, ground truth and fallback).

pub mod frame;
pub mod render;

pub use frame::Frame;
pub use render::render_frame;
