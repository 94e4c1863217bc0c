//! What every command that plays a story takes: which story, and the family's parameters.

use anyhow::Context;
use campfire_story::{LineView, Objection, Params, Runtime, Story};
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(clap::Args, Clone)]
pub struct StoryArgs {
    /// Story name (`demo`) or path to a `.ron` file.
    #[arg(default_value = "demo")]
    pub story: String,
    /// Story parameters, e.g. `--param name=Ada --param color=red` (these win over --params).
    #[arg(long = "param", value_name = "KEY=VALUE")]
    pub params: Vec<String>,
    /// Story parameters from a RON map, e.g. a class's `{"mascot": "Pip", "pace": "slow"}`.
    #[arg(long = "params", value_name = "FILE.ron")]
    pub params_file: Option<PathBuf>,
}

impl Default for StoryArgs {
    fn default() -> Self {
        Self { story: "demo".into(), params: Vec::new(), params_file: None }
    }
}

impl StoryArgs {
    pub fn load(&self) -> anyhow::Result<Arc<Story>> {
        let path = campfire_story::find(&self.story)?;
        Ok(Arc::new(Story::load_with(&path, &kid_safe)?))
    }

    /// The parameters: the `--params` file's, then each `key=value` (a later one wins). Every
    /// value passes the kid-safe filter (as a name: that is what families and teachers type),
    /// since it will be spoken.
    pub fn params(&self) -> anyhow::Result<Params> {
        let mut pairs = match &self.params_file {
            Some(path) => params_file(path)?,
            None => Vec::new(),
        };
        for kv in &self.params {
            let (k, v) = kv.split_once('=').with_context(|| format!("`{kv}` should look like key=value"))?;
            pairs.push((k.trim().to_string(), v.trim().to_string()));
        }
        let mut params = Params::new();
        for (k, v) in pairs {
            if let campfire_intent::safety::Verdict::Unsafe { reason, .. } = campfire_intent::safety::check_name(&v) {
                anyhow::bail!("the value for `{k}` can't be used in a story: {}", reason.describe());
            }
            params.insert(k, v);
        }
        Ok(params)
    }

    /// Loads the story and starts it with the parameters.
    pub fn start(&self) -> anyhow::Result<Runtime> {
        self.load()?.start(self.params()?).with_context(|| format!("starting story `{}`", self.story))
    }
}

/// A RON map of parameter names to values (`{"mascot": "Pip", "detail": 2}`); numbers and
/// booleans are taken as their text, since parameters are text in a story.
fn params_file(path: &Path) -> anyhow::Result<Vec<(String, String)>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read the parameters {}", path.display()))?;
    let map: std::collections::BTreeMap<String, ron::Value> = ron::from_str(&text).map_err(|e| {
        anyhow::anyhow!(
            "{}:{}:{}: {} (expected a map such as {{\"mascot\": \"Pip\"}})",
            path.display(),
            e.span.start.line,
            e.span.start.col,
            e.code
        )
    })?;
    map.into_iter()
        .map(|(k, v)| {
            let text = match v {
                ron::Value::String(s) => s,
                ron::Value::Bool(b) => b.to_string(),
                ron::Value::Number(n) => n.into_f64().to_string(),
                other => {
                    anyhow::bail!("{}: the value of `{k}` should be text or a number, found {other:?}", path.display())
                }
            };
            Ok((k, text))
        })
        .collect()
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
