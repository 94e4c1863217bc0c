//! End-to-end tests across crates. One module per flow:
//! - `story_to_frames`: a story played by the runtime drives the generator, chunk by chunk.

mod common;
mod story_to_frames;
