//! What every command that plays a story takes: which story, and the family's parameters.

use anyhow::Context;
use campfire_story::{LineView, Objection, Params, Runtime, Story};
use std::sync::Arc;

#[derive(clap::Args, Clone)]
pub struct StoryArgs {
    /// Story name (`demo`) or path to a `.ron` file.
    #[arg(default_value = "demo")]
    pub story: String,
    /// Story parameters, e.g. `--param name=Ada --param color=red`.
    #[arg(long = "param", value_name = "KEY=VALUE")]
    pub params: Vec<String>,
}

impl Default for StoryArgs {
    fn default() -> Self {
        Self { story: "demo".into(), params: Vec::new() }
    }
}

impl StoryArgs {
    pub fn load(&self) -> anyhow::Result<Arc<Story>> {
        let path = campfire_story::find(&self.story)?;
        Ok(Arc::new(Story::load_with(&path, &kid_safe)?))
    }

    /// Parses `key=value` pairs; each value passes the kid-safe filter (as a name: that is what
    /// families type), since it will be spoken.
    pub fn params(&self) -> anyhow::Result<Params> {
        self.params
            .iter()
            .map(|kv| {
                let (k, v) = kv.split_once('=').with_context(|| format!("`{kv}` should look like key=value"))?;
                if let campfire_intent::safety::Verdict::Unsafe { reason, .. } = campfire_intent::safety::check_name(v)
                {
                    anyhow::bail!("the value for `{}` can't be used in a story: {}", k.trim(), reason.describe());
                }
                Ok((k.trim().to_string(), v.trim().to_string()))
            })
            .collect()
    }

    /// Loads the story and starts it with the parameters.
    pub fn start(&self) -> anyhow::Result<Runtime> {
        self.load()?.start(self.params()?).with_context(|| format!("starting story `{}`", self.story))
    }
}

/// The kid-safe filter as the story crate asks for it: every command that loads a story
/// passes every text it will speak or show through this, with the story's own `allow` list.
pub fn kid_safe(text: &str, allow: &[String]) -> Option<Objection> {
    campfire_intent::safety::find_allowing(text, allow)
        .map(|f| Objection { word: f.word, reason: f.reason.describe().to_string() })
}

/// Prints a narration line as a script would show it.
pub fn print_line(line: &LineView) {
    match &line.speaker_name {
        Some(who) => println!("{who}: \"{}\"", line.text),
        None => println!("{}", line.text),
    }
}
