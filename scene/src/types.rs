//! The vocabulary of the world: settings, kinds, actions, colors and positions.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Declares a plain enum with a snake_case name for each variant, used by stories (as text),
/// by the voice layer (as words a child may say) and by the generator (as a stable index).
macro_rules! named_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema)]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every variant, in declaration order (the order is the generator's code).
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The name used in stories and saves.
            pub fn name(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Stable index of the variant, used as a conditioning code.
            pub fn index(self) -> usize {
                Self::ALL.iter().position(|v| *v == self).unwrap_or(0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                let wanted = s.trim().to_ascii_lowercase().replace([' ', '-'], "_");
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.name() == wanted)
                    .ok_or_else(|| {
                        let names: Vec<_> = Self::ALL.iter().map(|v| v.name()).collect();
                        format!("unknown {} `{s}`; expected one of: {}", stringify!($name).to_lowercase(), names.join(", "))
                    })
            }
        }
    };
}

named_enum!(
    /// Where the story takes place: each has its own painted background.
    Setting {
        Meadow => "meadow", Forest => "forest", Beach => "beach", NightSky => "night_sky",
        Ocean => "ocean", Castle => "castle", Classroom => "classroom", Space => "space",
        Garden => "garden", Mountain => "mountain", Underwater => "underwater",
    }
);

named_enum!(
    /// Light of the day.
    TimeOfDay { Dawn => "dawn", Day => "day", Dusk => "dusk", Night => "night" }
);

named_enum!(
    /// Weather over the whole stage.
    Weather { Clear => "clear", Cloudy => "cloudy", Rain => "rain", Snow => "snow", Storm => "storm", Windy => "windy" }
);

named_enum!(
    /// What an entity is: decides its figure.
    Kind {
        Child => "child", Dragon => "dragon", Cat => "cat", Dog => "dog", Rabbit => "rabbit",
        Bird => "bird", Fish => "fish", Robot => "robot", Tree => "tree", Flower => "flower",
        Seed => "seed", Sprout => "sprout", Cloud => "cloud", Sun => "sun", Moon => "moon",
        Star => "star", Rain => "rain", Boat => "boat", Rocket => "rocket", Lantern => "lantern",
        House => "house", Rock => "rock",
        // Teaching vocabulary (conditioning version 2): bodies in space, states of matter and
        // of the land, and props small enough to be held.
        Planet => "planet", Earth => "earth", Volcano => "volcano", Ice => "ice", Water => "water",
        Steam => "steam", Ball => "ball", Book => "book", Key => "key", Apple => "apple",
        Shovel => "shovel", Shell => "shell",
        // What children of 3-8 name most (conditioning version 3): animals, vehicles, toys,
        // food, nature and things at home.
        Horse => "horse", Cow => "cow", Pig => "pig", Sheep => "sheep", Duck => "duck",
        Owl => "owl", Frog => "frog", Bear => "bear", Lion => "lion", Elephant => "elephant",
        Giraffe => "giraffe", Monkey => "monkey", Mouse => "mouse", Turtle => "turtle",
        Snake => "snake", Butterfly => "butterfly", Bee => "bee", Penguin => "penguin",
        Whale => "whale", Dinosaur => "dinosaur",
        Car => "car", Bus => "bus", Train => "train", Truck => "truck", Plane => "plane",
        Bicycle => "bicycle", FireEngine => "fire_engine",
        Teddy => "teddy", Balloon => "balloon", Kite => "kite", Doll => "doll", Drum => "drum",
        Cake => "cake", Banana => "banana", Carrot => "carrot", IceCream => "ice_cream",
        Cookie => "cookie",
        Mushroom => "mushroom", Leaf => "leaf", Rainbow => "rainbow",
        Chair => "chair", Bed => "bed", Cup => "cup", Hat => "hat", Umbrella => "umbrella",
    }
);

named_enum!(
    /// What an entity is doing: decides its motion.
    Action {
        Idle => "idle", Walk => "walk", Run => "run", Fly => "fly", Jump => "jump",
        Swim => "swim", Sleep => "sleep", Talk => "talk", Grow => "grow", Wave => "wave",
        Dance => "dance", Shine => "shine", Hide => "hide",
        // Conditioning version 2: what a hand does, and a volcano's one action.
        Hold => "hold", Give => "give", Dig => "dig", Point => "point", LookAt => "look_at",
        Erupt => "erupt",
    }
);

named_enum!(
    /// A named color; stories and children speak in names, not numbers.
    Color {
        Red => "red", Orange => "orange", Yellow => "yellow", Green => "green", Blue => "blue",
        Purple => "purple", Pink => "pink", Brown => "brown", Black => "black", White => "white",
        Grey => "grey", Gold => "gold", Teal => "teal", Silver => "silver",
    }
);

impl Color {
    /// sRGB of the color, picked to look good on the painted backgrounds.
    pub fn rgb(self) -> [u8; 3] {
        match self {
            Color::Red => [214, 48, 49],
            Color::Orange => [243, 139, 40],
            Color::Yellow => [250, 215, 60],
            Color::Green => [76, 175, 80],
            Color::Blue => [52, 120, 219],
            Color::Purple => [142, 68, 173],
            Color::Pink => [240, 128, 170],
            Color::Brown => [141, 96, 62],
            Color::Black => [40, 40, 48],
            Color::White => [245, 245, 240],
            Color::Grey => [150, 150, 155],
            Color::Gold => [222, 178, 40],
            Color::Teal => [32, 160, 150],
            Color::Silver => [200, 205, 215],
        }
    }
}

named_enum!(
    /// The moon's phase as seen from the Earth (waxing: the lit side is on the right).
    MoonPhase { New => "new", Crescent => "crescent", Half => "half", Gibbous => "gibbous", Full => "full" }
);

impl MoonPhase {
    /// Fraction of the disc's width that is lit, 0 (new) to 1 (full).
    pub fn lit(self) -> f32 {
        match self {
            MoonPhase::New => 0.0,
            MoonPhase::Crescent => 0.25,
            MoonPhase::Half => 0.5,
            MoonPhase::Gibbous => 0.75,
            MoonPhase::Full => 1.0,
        }
    }
}

impl Default for MoonPhase {
    /// The moon was always drawn as a crescent before phases existed; old stories keep it.
    fn default() -> Self {
        MoonPhase::Crescent
    }
}

impl Kind {
    /// Small things a character can hold, give and find.
    pub fn is_prop(self) -> bool {
        matches!(
            self,
            Kind::Ball
                | Kind::Book
                | Kind::Key
                | Kind::Apple
                | Kind::Shovel
                | Kind::Shell
                | Kind::Seed
                | Kind::Lantern
                | Kind::Teddy
                | Kind::Balloon
                | Kind::Kite
                | Kind::Doll
                | Kind::Drum
                | Kind::Cake
                | Kind::Banana
                | Kind::Carrot
                | Kind::IceCream
                | Kind::Cookie
                | Kind::Mushroom
                | Kind::Leaf
                | Kind::Cup
                | Kind::Hat
                | Kind::Umbrella
        )
    }

    /// Things that belong in the sky (or in space), never standing on the ground.
    pub fn is_celestial(self) -> bool {
        matches!(self, Kind::Sun | Kind::Moon | Kind::Star | Kind::Planet | Kind::Earth)
    }

    /// Things that live in water.
    pub fn is_aquatic(self) -> bool {
        matches!(self, Kind::Fish | Kind::Shell | Kind::Whale)
    }

    /// Colours a thing has when nobody said which (a child asking for "a cow" gets a white cow
    /// with black spots): `(color, accent)`.
    pub fn usual_colors(self) -> (Color, Color) {
        use Color::*;
        match self {
            Kind::Child => (Red, Blue),
            Kind::Dragon => (Green, Gold),
            Kind::Cat => (Orange, Brown),
            Kind::Dog => (Brown, Black),
            Kind::Rabbit => (White, Pink),
            Kind::Bird => (Blue, Yellow),
            Kind::Fish => (Orange, Yellow),
            Kind::Robot => (Silver, Blue),
            Kind::Tree => (Green, Red),
            Kind::Flower => (Pink, Yellow),
            Kind::Seed => (Brown, Green),
            Kind::Sprout => (Green, Yellow),
            Kind::Cloud => (White, Grey),
            Kind::Sun => (Yellow, Orange),
            Kind::Moon => (White, Yellow),
            Kind::Star => (Yellow, Gold),
            Kind::Rain => (Grey, Blue),
            Kind::Boat => (Red, White),
            Kind::Rocket => (White, Red),
            Kind::Lantern => (Red, Yellow),
            Kind::House => (Yellow, Red),
            Kind::Rock => (Grey, Green),
            Kind::Planet => (Orange, Gold),
            Kind::Earth => (Green, White),
            Kind::Volcano => (Brown, Red),
            Kind::Ice => (White, Blue),
            Kind::Water => (Blue, White),
            Kind::Steam => (White, Grey),
            Kind::Ball => (Red, White),
            Kind::Book => (Blue, Black),
            Kind::Key => (Gold, Black),
            Kind::Apple => (Red, Green),
            Kind::Shovel => (Silver, Brown),
            Kind::Shell => (Pink, Brown),
            Kind::Horse => (Brown, Black),
            Kind::Cow => (White, Black),
            Kind::Pig => (Pink, Pink),
            Kind::Sheep => (White, Black),
            Kind::Duck => (Yellow, Orange),
            Kind::Owl => (Brown, Yellow),
            Kind::Frog => (Green, Yellow),
            Kind::Bear => (Brown, Gold),
            Kind::Lion => (Gold, Brown),
            Kind::Elephant => (Grey, Pink),
            Kind::Giraffe => (Yellow, Brown),
            Kind::Monkey => (Brown, Gold),
            Kind::Mouse => (Grey, Pink),
            Kind::Turtle => (Green, Brown),
            Kind::Snake => (Green, Yellow),
            Kind::Butterfly => (Purple, Yellow),
            Kind::Bee => (Yellow, Black),
            Kind::Penguin => (Black, Orange),
            Kind::Whale => (Blue, White),
            Kind::Dinosaur => (Green, Yellow),
            Kind::Car => (Red, Yellow),
            Kind::Bus => (Yellow, Black),
            Kind::Train => (Blue, Red),
            Kind::Truck => (Orange, Brown),
            Kind::Plane => (White, Blue),
            Kind::Bicycle => (Green, Black),
            Kind::FireEngine => (Red, Silver),
            Kind::Teddy => (Brown, Red),
            Kind::Balloon => (Red, White),
            Kind::Kite => (Blue, Red),
            Kind::Doll => (Purple, Orange),
            Kind::Drum => (Red, Gold),
            Kind::Cake => (Pink, White),
            Kind::Banana => (Yellow, Brown),
            Kind::Carrot => (Orange, Green),
            Kind::IceCream => (Pink, Red),
            Kind::Cookie => (Gold, Brown),
            Kind::Mushroom => (Red, White),
            Kind::Leaf => (Green, Yellow),
            Kind::Rainbow => (White, White),
            Kind::Chair => (Brown, Red),
            Kind::Bed => (Blue, White),
            Kind::Cup => (Red, White),
            Kind::Hat => (Black, Red),
            Kind::Umbrella => (Yellow, Red),
        }
    }
}

impl Setting {
    /// Whether the setting has open water an entity can be under.
    pub fn has_water(self) -> bool {
        matches!(self, Setting::Ocean | Setting::Beach | Setting::Underwater)
    }
}

/// How an entity looks. Kept when it leaves the stage.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Appearance {
    pub color: Color,
    pub accent: Color,
    /// 1.0 is the kind's usual size.
    pub size: f32,
}

impl Appearance {
    /// The same look with a size every later stage can draw: NaN or infinite sizes become
    /// 1.0, the rest is kept between 0.05 and 8.
    pub fn sanitized(&self) -> Appearance {
        let size = if self.size.is_finite() { self.size.clamp(0.05, 8.0) } else { 1.0 };
        Appearance { size, ..self.clone() }
    }
}

impl Default for Appearance {
    fn default() -> Self {
        Self { color: Color::Orange, accent: Color::Yellow, size: 1.0 }
    }
}

/// A point on the stage. `x` runs from -1 (left edge) to 1 (right edge), `y` from 0 (ground)
/// to 1 (top of the sky), `depth` from 0 (front) to 1 (far back). Values outside are allowed
/// (off stage) and are drawn clipped.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Position {
    pub x: f32,
    pub y: f32,
    pub depth: f32,
}

impl Position {
    pub const fn new(x: f32, y: f32, depth: f32) -> Self {
        Self { x, y, depth }
    }

    /// Straight-line blend; `t` in 0..=1.
    pub fn lerp(self, to: Position, t: f32) -> Position {
        Position {
            x: self.x + (to.x - self.x) * t,
            y: self.y + (to.y - self.y) * t,
            depth: self.depth + (to.depth - self.depth) * t,
        }
    }

    /// Replaces NaN and absurd values so that no later stage has to care.
    pub fn sanitized(self) -> Position {
        let fix = |v: f32, lo: f32, hi: f32| if v.is_finite() { v.clamp(lo, hi) } else { 0.0 };
        Position { x: fix(self.x, -10.0, 10.0), y: fix(self.y, -10.0, 10.0), depth: fix(self.depth, 0.0, 1.0) }
    }
}

named_enum!(
    /// Named places on the stage, so that authors need not write numbers.
    Spot {
        FarLeft => "far_left", Left => "left", Center => "center", Right => "right",
        FarRight => "far_right", OffLeft => "off_left", OffRight => "off_right",
        Sky => "sky", SkyLeft => "sky_left", SkyRight => "sky_right", Back => "back",
        Ground => "ground", HighSky => "high_sky", Horizon => "horizon", Underwater => "underwater",
    }
);

impl Spot {
    pub fn position(self) -> Position {
        match self {
            Spot::FarLeft => Position::new(-0.75, 0.0, 0.2),
            Spot::Left => Position::new(-0.4, 0.0, 0.1),
            Spot::Center => Position::new(0.0, 0.0, 0.1),
            Spot::Right => Position::new(0.4, 0.0, 0.1),
            Spot::FarRight => Position::new(0.75, 0.0, 0.2),
            Spot::OffLeft => Position::new(-1.4, 0.0, 0.1),
            Spot::OffRight => Position::new(1.4, 0.0, 0.1),
            Spot::Sky => Position::new(0.0, 0.75, 0.6),
            Spot::SkyLeft => Position::new(-0.55, 0.75, 0.6),
            Spot::SkyRight => Position::new(0.55, 0.75, 0.6),
            Spot::Back => Position::new(0.0, 0.05, 0.7),
            Spot::Ground => Position::new(0.0, 0.0, 0.0),
            Spot::HighSky => Position::new(0.0, 0.92, 0.6),
            // Just above the far hills: where the sun rises and sets.
            Spot::Horizon => Position::new(0.45, 0.12, 1.0),
            // Below the water line (y < 0): drawn under the surface where there is water.
            Spot::Underwater => Position::new(0.0, -0.2, 0.3),
        }
    }
}

/// The stage: setting, light and weather.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stage {
    pub setting: Setting,
    pub time: TimeOfDay,
    pub weather: Weather,
}

impl Default for Stage {
    fn default() -> Self {
        Self { setting: Setting::Meadow, time: TimeOfDay::Day, weather: Weather::Clear }
    }
}

/// The camera: horizontal center on the stage and zoom (1.0 shows the whole stage).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Camera {
    pub x: f32,
    pub zoom: f32,
}

impl Default for Camera {
    fn default() -> Self {
        Self { x: 0.0, zoom: 1.0 }
    }
}

/// A story variable's value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Value {
    Bool(bool),
    Int(i64),
    Text(String),
}

impl Value {
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Text(_) => "text",
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Text(s) => f.write_str(s),
        }
    }
}
