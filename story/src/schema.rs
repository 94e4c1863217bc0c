//! The story format as a JSON Schema, generated from the template's Rust types so that it
//! cannot drift from what the loader reads. `stories/story.schema.json` is this text (a test
//! keeps it so); `campfire schema` prints it.

/// The schema, pretty-printed, ending with a newline.
pub fn json() -> String {
    let schema = schemars::schema_for!(crate::Template);
    // A schema is plain JSON values: serializing it cannot fail.
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}
