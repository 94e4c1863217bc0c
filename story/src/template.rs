//! The story template as authors write it in RON. `stories/README.md` documents every field.
//!
//! Steps and flows use RON enum variants (`Enter("pip", Left)`, `Fly`) so that a typo is a
//! parse error with a line and column. Cast fields that parameters may personalize (`kind`,
//! `color`, `accent`) are text with `{param}` placeholders, resolved when a story starts.

use campfire_scene::{Action, Kind, MoonPhase, Setting, Spot, TimeOfDay, Value, Weather};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(rename = "Story", deny_unknown_fields)]
pub struct Template {
    pub id: String,
    /// Bump when a change would make old saves replay differently.
    pub version: u32,
    pub title: String,
    #[serde(default)]
    pub summary: String,
    pub ages: (u8, u8),
    /// Rough running time, for the library screen.
    pub minutes: u32,
    #[serde(default)]
    pub narrator: VoiceSpec,
    #[serde(default)]
    pub params: Vec<Param>,
    pub stage: StageSpec,
    pub cast: Vec<Character>,
    #[serde(default, deserialize_with = "unique_names")]
    pub vars: BTreeMap<String, Value>,
    /// Which free voice commands ("make the dragon fly") may change this story's world.
    #[serde(default)]
    pub commands: Vec<FreeCommand>,
    pub start: String,
    #[serde(deserialize_with = "unique_names")]
    pub beats: BTreeMap<String, Beat>,
    /// Words the kid-safe filter would refuse that the author vouches for in this story
    /// (`allow: ["bang"]`): they pass wherever the story uses them, and nowhere else.
    #[serde(default)]
    pub allow: Vec<String>,
}

/// How a voice sounds. Fields left out keep the narrator's defaults. Written `Voice(…)` in
/// stories; the speech engine that uses it is `campfire_voice::Voice`.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(rename = "Voice", default, deny_unknown_fields)]
pub struct VoiceSpec {
    /// espeak-ng voice name, e.g. `en-us`, `en-gb`, or with a variant `en-us+f3`.
    pub name: String,
    /// 0..=99, 50 is the voice's normal pitch.
    pub pitch: u8,
    /// Words per minute.
    pub speed: u16,
}

impl Default for VoiceSpec {
    fn default() -> Self {
        Self { name: "en-us".into(), pitch: 50, speed: 150 }
    }
}

/// A value the family chooses before the story starts (the child's name, a favorite animal).
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Param {
    pub id: String,
    pub prompt: String,
    pub default: String,
    /// When set, only these values are allowed (needed for params used as a kind or color).
    #[serde(default)]
    pub one_of: Vec<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(rename = "Stage", deny_unknown_fields)]
pub struct StageSpec {
    pub setting: Setting,
    #[serde(default = "day")]
    pub time: TimeOfDay,
    #[serde(default = "clear")]
    pub weather: Weather,
}

/// A map whose names each appear once: serde's own map keeps the last of two same-named beats
/// silently, and the author then meets the mistake somewhere else.
fn unique_names<'de, D, V>(d: D) -> Result<BTreeMap<String, V>, D::Error>
where
    D: serde::Deserializer<'de>,
    V: Deserialize<'de>,
{
    struct Names<V>(std::marker::PhantomData<V>);
    impl<'de, V: Deserialize<'de>> serde::de::Visitor<'de> for Names<V> {
        type Value = BTreeMap<String, V>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a map of names")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            while let Some((name, value)) = map.next_entry::<String, V>()? {
                if out.insert(name.clone(), value).is_some() {
                    return Err(serde::de::Error::custom(format!(
                        "`{name}` is declared twice (the second ends here); give each a name of its own"
                    )));
                }
            }
            Ok(out)
        }
    }
    d.deserialize_map(Names(std::marker::PhantomData))
}

fn day() -> TimeOfDay {
    TimeOfDay::Day
}
fn clear() -> Weather {
    Weather::Clear
}

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Character {
    pub id: String,
    pub name: String,
    /// A kind name (`"dragon"`) or a placeholder (`"{animal}"`).
    pub kind: String,
    /// `color` is read too, so files written with either spelling load.
    #[serde(alias = "color")]
    pub color: String,
    #[serde(default = "default_accent")]
    pub accent: String,
    #[serde(default = "one")]
    pub size: f32,
    #[serde(default)]
    pub voice: Option<VoiceSpec>,
}

fn default_accent() -> String {
    "white".into()
}
fn one() -> f32 {
    1.0
}

/// Kinds of free voice command a story lets change its world.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum FreeCommand {
    /// "make the dragon fly": any on-stage character may start an action.
    Act,
    /// "it starts to rain".
    Weather,
    /// "make it night".
    Time,
}

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Beat {
    #[serde(default, rename = "do")]
    pub steps: Vec<Step>,
    pub then: Flow,
}

/// Where a character goes: a named spot or exact stage coordinates.
#[derive(Clone, Copy, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
pub enum Place {
    FarLeft,
    Left,
    Center,
    Right,
    FarRight,
    OffLeft,
    OffRight,
    Sky,
    SkyLeft,
    SkyRight,
    Back,
    Ground,
    /// High up in the sky.
    HighSky,
    /// Low over the far hills, where the sun rises and sets.
    Horizon,
    /// Below the water line: under the water where the setting has water.
    Underwater,
    At(f32, f32, f32),
}

impl Place {
    pub fn position(self) -> campfire_scene::Position {
        let spot = match self {
            Place::At(x, y, depth) => return campfire_scene::Position::new(x, y, depth),
            Place::FarLeft => Spot::FarLeft,
            Place::Left => Spot::Left,
            Place::Center => Spot::Center,
            Place::Right => Spot::Right,
            Place::FarRight => Spot::FarRight,
            Place::OffLeft => Spot::OffLeft,
            Place::OffRight => Spot::OffRight,
            Place::Sky => Spot::Sky,
            Place::SkyLeft => Spot::SkyLeft,
            Place::SkyRight => Spot::SkyRight,
            Place::Back => Spot::Back,
            Place::Ground => Spot::Ground,
            Place::HighSky => Spot::HighSky,
            Place::Horizon => Spot::Horizon,
            Place::Underwater => Spot::Underwater,
        };
        spot.position()
    }
}

/// One thing that happens inside a beat, in order.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
pub enum Step {
    /// The narrator says a line.
    Narrate(String),
    /// A character says a line (their voice, their mouth moves).
    Say(String, String),
    /// A line with options: who says it, only once, only when a condition holds, tags.
    Line(Line),
    Enter(String, Place),
    Exit(String),
    /// Move to a place over some seconds.
    Move(String, Place, f32),
    Act(String, Action),
    /// `Become("seed", "sprout")`; the kind is written as in `cast` (`Sprout` is read too).
    Become(String, #[schemars(with = "String")] KindName),
    /// Change size (1.0 is normal).
    Size(String, f32),
    Setting(Setting),
    Time(TimeOfDay),
    Weather(Weather),
    /// Camera center x and zoom, over some seconds.
    Camera(f32, f32, f32),
    /// Let the picture play for some seconds with no narration.
    Wait(f32),
    /// Set a variable to the value of an expression, e.g. `Set("courage", "courage + 1")`.
    Set(String, String),
    /// The moon's phase: `Moon(Full)`.
    Moon(MoonPhase),
    /// `Hold("who", "item")`: the item comes on stage in the hand of `who`.
    Hold(String, String),
    /// `Find("who", "item")`: like `Hold`, with a sparkle on the item as it is found.
    Find(String, String),
    /// `Give("from", "to")`: what `from` holds passes to `to`.
    Give(String, String),
    /// `Drop("who")`: puts down what `who` holds.
    Drop(String),
    /// `PointAt("who", "what")`: `who` turns to and points at `what`.
    PointAt(String, String),
    /// `LookAt("who", "what")`: `who` turns to and looks at `what`.
    LookAt(String, String),
    /// A title card over the picture; `Title("")` takes it away.
    Title(String),
    /// A caption along the bottom; `Caption("")` takes it away.
    Caption(String),
    /// `Label("id", "text")`: a label with an arrow to `id`; `Label("id", "")` takes it away.
    Label(String, String),
}

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Line {
    pub text: String,
    #[serde(default)]
    pub who: Option<String>,
    #[serde(default)]
    pub once: bool,
    #[serde(default)]
    pub when: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
}

/// What happens when a beat's steps are done.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
pub enum Flow {
    Goto(String),
    Choose(Vec<Choice>),
    /// The first case whose condition holds, else `otherwise`.
    Branch {
        cases: Vec<(String, String)>,
        otherwise: String,
    },
    /// An ending, with a name ("happy", "cosy").
    End(String),
    /// One of these beats, picked at random: `Random(["rain", "sun", "wind"])`. The pick is
    /// seeded per play, so a save replays it the same way.
    Random(Vec<String>),
    /// Plays a reusable beat like a function call: `Call("song", "after")` runs `song` and
    /// its beats until one of them ends with `Return`, then goes on at `after`.
    Call(String, String),
    /// Goes back to where the last `Call` said to go on.
    Return,
}

impl Flow {
    /// The beats this flow can lead to, with what leads there (a choice's text, a
    /// condition), in the order written; `Call` leads to the called beat first.
    pub fn targets(&self) -> Vec<(&str, String)> {
        match self {
            Flow::Goto(to) => vec![(to.as_str(), String::new())],
            Flow::Choose(cs) => cs.iter().map(|c| (c.goto.as_str(), c.text.clone())).collect(),
            Flow::Branch { cases, otherwise } => cases
                .iter()
                .map(|(cond, to)| (to.as_str(), format!("if {cond}")))
                .chain([(otherwise.as_str(), "otherwise".to_string())])
                .collect(),
            Flow::Random(to) => to.iter().map(|b| (b.as_str(), "at random".to_string())).collect(),
            Flow::Call(beat, after) => {
                vec![(beat.as_str(), "call".into()), (after.as_str(), "after it returns".into())]
            }
            Flow::End(_) | Flow::Return => Vec::new(),
        }
    }
}

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// Shown on screen and read aloud.
    pub text: String,
    /// Words or phrases a child might say to pick it.
    #[serde(default)]
    pub say: Vec<String>,
    pub goto: String,
    #[serde(default)]
    pub when: Option<String>,
    /// Offered only until picked once.
    #[serde(default)]
    pub once: bool,
    #[serde(default, rename = "do")]
    pub steps: Vec<Step>,
}

/// A kind in a step, written as in `cast` (`"sprout"`) or as a name (`Sprout`), so that an
/// author need not remember which part takes which.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(transparent)]
pub struct KindName(pub Kind);

impl<'de> Deserialize<'de> for KindName {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // RON hands `deserialize_any` a bare `Sprout` as a unit value without its name, and
        // `deserialize_enum` refuses a string: the raw text is the one way to take both.
        let raw = Box::<ron::value::RawValue>::deserialize(d)?;
        let text = raw.get_ron().trim();
        let name = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')).unwrap_or(text);
        name.parse().map(KindName).map_err(serde::de::Error::custom)
    }
}
