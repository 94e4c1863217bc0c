//! The picture: renders the scene state into video frames, chunk by chunk.
