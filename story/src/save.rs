//! Save files: a versioned RON document written atomically (temp file + rename).
//!
//! A save stays usable across edits that cannot change what it means: rewording a line, a
//! comment, new colors or places, another narrator voice. It is refused when the author bumps
//! the story's `version` (their word that old saves no longer fit) or when the story's
//! [`structure`] changed without it: beats, the order and kind of their steps, choices and where
//! they lead, cast ids, variables and their types — the things a save's position and memory
//! point into.

use crate::runtime::{Params, PlayState, Runtime, initial_stage, resolve_params};
use crate::template::{Flow, Step, Template};
use campfire_scene::SceneState;
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Bumped whenever the layout of [`SaveFile`] changes.
pub const FORMAT: u32 = 2;

const START_OVER: &str = "to start the story again, delete the save file or save to another one";

#[derive(Debug, thiserror::Error)]
pub enum SaveFileError {
    #[error("cannot write save {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("cannot read save {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path} is not a Campfire save file (or it is damaged): {reason}; {START_OVER}")]
    Corrupt { path: PathBuf, reason: String },
    #[error(
        "{path} was saved by a newer or older Campfire (save format {found}, this one reads {FORMAT}); {START_OVER}"
    )]
    Format { path: PathBuf, found: u32 },
    #[error("{path} is a save of story `{found}`, not `{expected}`")]
    OtherStory { path: PathBuf, found: String, expected: String },
    #[error(
        "{path} was saved from version {saved} of story `{story}`, which is now version {now}: the author marked the change as one old saves do not survive; {START_OVER}"
    )]
    VersionChanged { path: PathBuf, story: String, saved: u32, now: u32 },
    #[error(
        "{path} no longer fits story `{story}`: {what} changed since it was saved (rewording is fine, but this moves what the save points at); {START_OVER}"
    )]
    StructureChanged { path: PathBuf, story: String, what: String },
    #[error(
        "{path} was saved with {param}={saved}; a saved story keeps its answers, so --param {param}={given} cannot apply; {START_OVER}"
    )]
    ParamChanged { path: PathBuf, param: String, saved: String, given: String },
}

#[derive(Debug, Serialize, Deserialize)]
pub struct SaveFile {
    pub format: u32,
    pub story: String,
    pub version: u32,
    /// [`structure`] of the template that made the save, part by part.
    pub structure: Vec<(String, String)>,
    pub params: Params,
    pub progress: PlayState,
}

/// What a save depends on in a template, part by part (`"cast"`, `"vars"`, `"beat dark"` …),
/// each with a description of its shape: step kinds in order, choice targets, variable types.
/// Words, colors, places, times and voices are left out: changing them keeps saves usable.
pub fn structure(t: &Template) -> Vec<(String, String)> {
    let mut parts = vec![
        ("start".to_string(), t.start.clone()),
        ("cast".to_string(), t.cast.iter().map(|c| c.id.as_str()).collect::<Vec<_>>().join(",")),
        (
            "vars".to_string(),
            t.vars.iter().map(|(k, v)| format!("{k}:{}", v.type_name())).collect::<Vec<_>>().join(","),
        ),
        ("params".to_string(), t.params.iter().map(|p| p.id.as_str()).collect::<Vec<_>>().join(",")),
    ];
    for (id, beat) in &t.beats {
        let mut shape = steps_shape(&beat.steps);
        match &beat.then {
            Flow::Goto(to) => _ = write!(shape, " -> {to}"),
            Flow::End(_) => shape.push_str(" -> end"),
            Flow::Branch { cases, otherwise } => {
                let to: Vec<&str> = cases.iter().map(|c| c.1.as_str()).collect();
                _ = write!(shape, " -> branch[{}|{otherwise}]", to.join(","));
            }
            Flow::Choose(choices) => {
                let cs: Vec<String> = choices
                    .iter()
                    .map(|c| format!("{}{}:{}", c.goto, if c.once { "!" } else { "" }, steps_shape(&c.steps)))
                    .collect();
                _ = write!(shape, " -> choose[{}]", cs.join(","));
            }
            Flow::Random(to) => _ = write!(shape, " -> random[{}]", to.join(",")),
            Flow::Call(beat, after) => _ = write!(shape, " -> call[{beat}|{after}]"),
            Flow::Return => shape.push_str(" -> return"),
        }
        parts.push((format!("beat `{id}`"), shape));
    }
    parts
}

fn steps_shape(steps: &[Step]) -> String {
    steps
        .iter()
        .map(|s| match s {
            Step::Narrate(_) => "narrate".to_string(),
            Step::Say(who, _) => format!("say:{who}"),
            Step::Line(l) => format!("line{}", if l.once { "!" } else { "" }),
            Step::Enter(id, _) => format!("enter:{id}"),
            Step::Exit(id) => format!("exit:{id}"),
            Step::Move(id, ..) => format!("move:{id}"),
            Step::Act(id, _) => format!("act:{id}"),
            Step::Become(id, _) => format!("become:{id}"),
            Step::Size(id, _) => format!("size:{id}"),
            Step::Setting(_) => "setting".into(),
            Step::Time(_) => "time".into(),
            Step::Weather(_) => "weather".into(),
            Step::Camera(..) => "camera".into(),
            Step::Wait(_) => "wait".into(),
            Step::Set(name, _) => format!("set:{name}"),
            Step::Moon(_) => "moon".into(),
            Step::Hold(who, item) => format!("hold:{who}:{item}"),
            Step::Find(who, item) => format!("find:{who}:{item}"),
            Step::Give(from, to) => format!("give:{from}:{to}"),
            Step::Drop(who) => format!("drop:{who}"),
            Step::PointAt(who, what) => format!("point:{who}:{what}"),
            Step::LookAt(who, what) => format!("look:{who}:{what}"),
            Step::Title(_) => "title".into(),
            Step::Caption(_) => "caption".into(),
            Step::Label(id, _) => format!("label:{id}"),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Writes the runtime's progress to `path` atomically: a crash mid-write leaves the old save.
pub fn save(rt: &Runtime, path: &Path) -> Result<(), SaveFileError> {
    let err = |source| SaveFileError::Write { path: path.into(), source };
    let t = rt.template();
    let file = SaveFile {
        format: FORMAT,
        story: t.id.clone(),
        version: t.version,
        structure: structure(t),
        params: rt.params().clone(),
        progress: rt.play_state().clone(),
    };
    let text = ron::ser::to_string_pretty(&file, ron::ser::PrettyConfig::default())
        .map_err(|e| err(std::io::Error::other(e)))?;
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(err)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(err)?;
    tmp.write_all(text.as_bytes()).map_err(err)?;
    tmp.as_file().sync_all().map_err(err)?;
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(())
}

/// Reads a save file and resumes it onto `template`. Never writes to `path`. `given` are
/// parameters asked for now: a saved story keeps its own, so any that differ are refused
/// rather than silently ignored.
pub fn resume(template: Arc<Template>, path: &Path, given: &Params) -> Result<Runtime, SaveFileError> {
    let text = std::fs::read(path).map_err(|source| SaveFileError::Read { path: path.into(), source })?;
    let corrupt = |reason: String| SaveFileError::Corrupt { path: path.into(), reason };
    let text = String::from_utf8(text).map_err(|_| corrupt("it is not text".into()))?;
    // Read the format first so that a future layout gets the right message, not a parse error.
    #[derive(Deserialize)]
    struct Header {
        format: u32,
    }
    // Saves are written and read with plain RON; the template extensions are for authors.
    let opts = ron::Options::default();
    let header: Header = opts.from_str(&text).map_err(|e| corrupt(e.to_string()))?;
    if header.format != FORMAT {
        return Err(SaveFileError::Format { path: path.into(), found: header.format });
    }
    let file: SaveFile = opts.from_str(&text).map_err(|e| corrupt(e.to_string()))?;
    if file.story != template.id {
        return Err(SaveFileError::OtherStory { path: path.into(), found: file.story, expected: template.id.clone() });
    }
    if file.version != template.version {
        return Err(SaveFileError::VersionChanged {
            path: path.into(),
            story: file.story,
            saved: file.version,
            now: template.version,
        });
    }
    let now = structure(&template);
    if file.structure != now {
        let saved: std::collections::BTreeMap<_, _> = file.structure.iter().cloned().collect();
        let current: std::collections::BTreeMap<_, _> = now.iter().cloned().collect();
        let mut what: Vec<String> = saved
            .iter()
            .filter(|(k, v)| current.get(*k) != Some(*v))
            .map(|(k, _)| if current.contains_key(k) { k.clone() } else { format!("{k} (removed)") })
            .collect();
        what.extend(current.keys().filter(|k| !saved.contains_key(*k)).map(|k| format!("{k} (added)")));
        return Err(SaveFileError::StructureChanged { path: path.into(), story: file.story, what: what.join(", ") });
    }
    for (param, value) in given {
        let saved = file.params.get(param).cloned().unwrap_or_default();
        if saved.trim() != value.trim() {
            return Err(SaveFileError::ParamChanged {
                path: path.into(),
                param: param.clone(),
                saved,
                given: value.clone(),
            });
        }
    }
    let params = resolve_params(&template, file.params.clone()).map_err(|e| corrupt(e.to_string()))?;
    // The log is the truth; a state that does not follow from it was edited or damaged.
    let mut replayed = SceneState::replay(initial_stage(&template), &file.progress.log)
        .map_err(|e| corrupt(format!("its event log does not replay: {e}")))?;
    replayed.advance_to(file.progress.state.now());
    if replayed != file.progress.state {
        return Err(corrupt("its world does not match its event log".into()));
    }
    if !template.beats.contains_key(&file.progress.cursor.beat) {
        return Err(corrupt(format!(
            "it stands at beat `{}`, which the story does not have",
            file.progress.cursor.beat
        )));
    }
    Ok(Runtime::from_progress(template, params, file.progress))
}
