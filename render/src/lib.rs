//! The reference renderer: a scene [`Pose`] becomes a storybook picture. No neural network.
//!
//! It is the teacher of the video model (its frames are the training targets), the ground truth
//! for quality and the fallback when no weights are present. Everything is drawn in normalised
//! screen units (height 1, width = aspect), so any resolution gives the same picture, and all
//! randomness comes from the seed, so a seed and a pose always give the same bytes.
//!
//! - [`raster`]: the signed-distance rasteriser (shapes, outlines, anti-aliasing).
//! - [`view`]: stage positions to screen (perspective, camera pan and zoom).
//! - [`light`]: sky colours and the colour grade of time of day and weather.
//! - [`background`]: one painted backdrop per [`Setting`](campfire_scene::Setting).
//! - [`motion`]: what each [`Action`](campfire_scene::Action) does to a figure over time.
//! - [`figures`]: one figure per [`Kind`], from shaded shapes with dark outlines.
//! - [`weather`]: clouds, rain, snow, wind and lightning in front of the scene.
//! - [`layout`]: every figure placed once for the picture and the conditioning map alike (held
//!   props in hands, faces turned to what they point at, the moon's phase, things under water).
//! - [`text`]: title cards, captions and labels with arrows, in a built-in bitmap font.

//!
//! What other crates use:
//! - [`render_frame`] and [`Frame`]: one RGB8 picture of a pose.
//! - [`condition_map`] / [`ConditionMap`]: the per-frame semantic layout the video model is
//!   conditioned on (channel contract and version in [`condition`]).
//! - [`VideoFormat`]: frame size, frame rate, chunk length and latent downscale in one place;
//!   frame and chunk times derived from frame numbers.
//! - [`text_boxes`] and [`figure_boxes`]: where words and figures land on a frame.
//! - [`Timeline`]: a starting world and the events after it, shared cheaply; a [`Playhead`]
//!   replays it frame by frame (previews, datasets, generators).

mod background;
pub mod condition;
mod figures;
mod format;
mod frame;
mod layout;
mod light;
mod motion;
mod raster;
pub mod text;
pub mod timeline;
mod view;
mod weather;

use campfire_scene::{Kind, Pose};
pub use condition::{CHANNELS, CONDITION_VERSION, ConditionMap, condition_map};
pub use format::{FormatError, VideoFormat};
pub use frame::Frame;
use raster::Canvas;
pub use timeline::{Playhead, Timeline};
use view::View;

/// Renders one frame of `pose` at `width`×`height`. Deterministic for a given `seed`; the seed
/// moves the self-animated details (clouds, stars, grass, rain), never the story's content.
/// Sizes are clamped to 1..=8192 on each side.
pub fn render_frame(pose: &Pose<'_>, width: u32, height: u32, seed: u64) -> Frame {
    let width = width.clamp(1, 8192);
    let height = height.clamp(1, 8192);
    let time = if pose.time.is_finite() { pose.time.max(0.0) } else { 0.0 };
    let view = View::new(width as f32, height as f32, pose.camera);
    let mut canvas = Canvas::new(width as usize, height as usize);
    let light = light::Light::new(pose.stage, time, seed);

    canvas.grade = light.grade;
    background::paint(&mut canvas, &view, &light, pose.stage, time, seed);
    weather::behind(&mut canvas, &view, &light, pose.stage, time, seed);

    let items = layout::layout(&view, pose);
    for item in &items {
        figures::draw_item(&mut canvas, item, time, &light);
    }

    weather::in_front(&mut canvas, &view, &light, pose.stage, time, seed);
    light::finish(&mut canvas, &light);
    // Words go on last, ungraded: a caption must read the same at night as by day.
    text::draw(&mut canvas, &text::layout(pose, &items, width, height));
    Frame { width, height, rgb: canvas.to_rgb8() }
}

/// The words drawn on a `width`×`height` frame of `pose`: title card, caption and labels, with
/// their panels and arrows in pixels.
pub fn text_boxes(pose: &Pose<'_>, width: u32, height: u32) -> Vec<text::TextBox> {
    let view = View::new(width as f32, height as f32, pose.camera);
    text::layout(pose, &layout::layout(&view, pose), width, height)
}

/// Where each figure of `pose` is drawn on a `width`×`height` frame: its entity id and pixel box
/// (left, top, right, bottom), back to front.
pub fn figure_boxes(pose: &Pose<'_>, width: u32, height: u32) -> Vec<(String, [f32; 4])> {
    let view = View::new(width as f32, height as f32, pose.camera);
    layout::layout(&view, pose).iter().map(|it| (it.id.to_string(), layout::figure_box(it))).collect()
}

/// Usual height of a kind on screen at the front of the stage, as a fraction of the frame
/// height (before `appearance.size`, perspective and zoom).
pub fn kind_height(kind: Kind) -> f32 {
    match kind {
        Kind::Child => 0.32,
        Kind::Dragon => 0.42,
        Kind::Cat => 0.2,
        Kind::Dog => 0.22,
        Kind::Rabbit => 0.24,
        Kind::Bird => 0.18,
        Kind::Fish => 0.18,
        Kind::Robot => 0.34,
        Kind::Tree => 0.5,
        Kind::Flower => 0.17,
        Kind::Seed => 0.09,
        Kind::Sprout => 0.14,
        Kind::Cloud => 0.17,
        Kind::Sun => 0.26,
        Kind::Moon => 0.24,
        Kind::Star => 0.13,
        Kind::Rain => 0.26,
        Kind::Boat => 0.28,
        Kind::Rocket => 0.4,
        Kind::Lantern => 0.15,
        Kind::House => 0.52,
        Kind::Rock => 0.13,
        Kind::Planet => 0.3,
        Kind::Earth => 0.3,
        Kind::Volcano => 0.55,
        Kind::Ice => 0.14,
        Kind::Water => 0.16,
        Kind::Steam => 0.3,
        Kind::Ball => 0.085,
        Kind::Book => 0.08,
        Kind::Key => 0.07,
        Kind::Apple => 0.075,
        Kind::Shovel => 0.2,
        Kind::Shell => 0.07,
        Kind::Horse => 0.36,
        Kind::Cow => 0.32,
        Kind::Pig => 0.2,
        Kind::Sheep => 0.24,
        Kind::Duck => 0.17,
        Kind::Owl => 0.22,
        Kind::Frog => 0.14,
        Kind::Bear => 0.34,
        Kind::Lion => 0.3,
        Kind::Elephant => 0.44,
        Kind::Giraffe => 0.62,
        Kind::Monkey => 0.28,
        Kind::Mouse => 0.11,
        Kind::Turtle => 0.15,
        Kind::Snake => 0.16,
        Kind::Butterfly => 0.16,
        Kind::Bee => 0.11,
        Kind::Penguin => 0.26,
        Kind::Whale => 0.32,
        Kind::Dinosaur => 0.48,
        Kind::Car => 0.25,
        Kind::Bus => 0.38,
        Kind::Train => 0.38,
        Kind::Truck => 0.33,
        Kind::Plane => 0.28,
        Kind::Bicycle => 0.22,
        Kind::FireEngine => 0.38,
        Kind::Teddy => 0.15,
        Kind::Balloon => 0.3,
        Kind::Kite => 0.28,
        Kind::Doll => 0.15,
        Kind::Drum => 0.11,
        Kind::Cake => 0.14,
        Kind::Banana => 0.07,
        Kind::Carrot => 0.1,
        Kind::IceCream => 0.13,
        Kind::Cookie => 0.065,
        Kind::Mushroom => 0.12,
        Kind::Leaf => 0.08,
        Kind::Rainbow => 0.42,
        Kind::Chair => 0.22,
        Kind::Bed => 0.22,
        Kind::Cup => 0.07,
        Kind::Hat => 0.08,
        Kind::Umbrella => 0.26,
    }
}

/// Half-width of a kind's figure in its own units (height is 1), for layout and conditioning.
pub fn kind_half_width(kind: Kind) -> f32 {
    match kind {
        Kind::Child => 0.32,
        Kind::Dragon => 0.75,
        Kind::Cat => 0.7,
        Kind::Dog => 0.65,
        Kind::Rabbit => 0.45,
        Kind::Bird => 0.55,
        Kind::Fish => 0.8,
        Kind::Robot => 0.42,
        Kind::Tree => 0.45,
        Kind::Flower => 0.3,
        Kind::Seed => 0.4,
        Kind::Sprout => 0.45,
        Kind::Cloud => 0.95,
        Kind::Sun => 0.5,
        Kind::Moon => 0.5,
        Kind::Star => 0.5,
        Kind::Rain => 0.7,
        Kind::Boat => 0.75,
        Kind::Rocket => 0.3,
        Kind::Lantern => 0.35,
        Kind::House => 0.55,
        Kind::Rock => 0.75,
        Kind::Planet => 0.85,
        Kind::Earth => 0.5,
        Kind::Volcano => 0.95,
        Kind::Ice => 0.55,
        Kind::Water => 1.3,
        Kind::Steam => 0.5,
        Kind::Ball => 0.5,
        Kind::Book => 0.6,
        Kind::Key => 0.6,
        Kind::Apple => 0.5,
        Kind::Shovel => 0.25,
        Kind::Shell => 0.6,
        Kind::Horse => 0.72,
        Kind::Cow => 0.72,
        Kind::Pig => 0.62,
        Kind::Sheep => 0.6,
        Kind::Duck => 0.55,
        Kind::Owl => 0.42,
        Kind::Frog => 0.5,
        Kind::Bear => 0.7,
        Kind::Lion => 0.75,
        Kind::Elephant => 0.7,
        Kind::Giraffe => 0.45,
        Kind::Monkey => 0.45,
        Kind::Mouse => 0.75,
        Kind::Turtle => 0.7,
        Kind::Snake => 0.85,
        Kind::Butterfly => 0.55,
        Kind::Bee => 0.55,
        Kind::Penguin => 0.38,
        Kind::Whale => 0.95,
        Kind::Dinosaur => 0.9,
        Kind::Car => 0.85,
        Kind::Bus => 0.95,
        Kind::Train => 0.95,
        Kind::Truck => 0.92,
        Kind::Plane => 0.95,
        Kind::Bicycle => 0.7,
        Kind::FireEngine => 1.0,
        Kind::Teddy => 0.5,
        Kind::Balloon => 0.3,
        Kind::Kite => 0.5,
        Kind::Doll => 0.4,
        Kind::Drum => 0.55,
        Kind::Cake => 0.6,
        Kind::Banana => 0.6,
        Kind::Carrot => 0.6,
        Kind::IceCream => 0.3,
        Kind::Cookie => 0.5,
        Kind::Mushroom => 0.5,
        Kind::Leaf => 0.5,
        Kind::Rainbow => 1.05,
        Kind::Chair => 0.4,
        Kind::Bed => 0.85,
        Kind::Cup => 0.5,
        Kind::Hat => 0.6,
        Kind::Umbrella => 0.6,
    }
}

/// Seeded hashing: the only source of randomness in the renderer.
pub mod rng {
    /// SplitMix64 finaliser.
    pub fn mix64(mut z: u64) -> u64 {
        z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform number in 0..1 for (seed, stream, index).
    pub fn unit(seed: u64, stream: u64, i: u64) -> f32 {
        let h = mix64(seed ^ mix64(stream.wrapping_mul(0x1000_0000_01B3) ^ mix64(i)));
        (h >> 40) as f32 / (1u64 << 24) as f32
    }

    /// A uniform number in `lo..hi`.
    pub fn range(seed: u64, stream: u64, i: u64, lo: f32, hi: f32) -> f32 {
        lo + (hi - lo) * unit(seed, stream, i)
    }
}
