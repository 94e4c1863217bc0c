//! The voice: the narrator speaking, and a child's voice steering the story.
