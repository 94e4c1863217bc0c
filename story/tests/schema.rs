//! The JSON schema shipped for editors and tools matches the Rust types the loader reads.

mod common;

use campfire_story::schema;

#[test]
fn the_shipped_schema_is_the_one_the_types_give() {
    let path = common::stories_dir().join("story.schema.json");
    let shipped = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        shipped == schema::json(),
        "{} is out of date: run `campfire schema > stories/story.schema.json`",
        path.display()
    );
}

#[test]
fn the_schema_names_every_step_and_flow_with_its_documentation() {
    let json: serde_json::Value = serde_json::from_str(&schema::json()).unwrap();
    let text = json.to_string();
    for name in ["Narrate", "Line", "Label", "Choose", "Branch", "Random", "Call", "Return", "Dance", "Castle", "Storm"]
    {
        assert!(text.contains(&format!("\"{name}\"")), "`{name}` missing from the schema");
    }
    // Doc comments become descriptions an editor shows on hover.
    assert!(text.contains("picked at random"), "Random's description is missing");
    assert_eq!(json["title"], "Story");
}
