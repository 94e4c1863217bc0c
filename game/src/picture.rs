//! The picture: one texture, updated in place (only pixels change), drawn at the window's own
//! resolution and fitted to it with its aspect kept. When the window is resized the picture thread
//! is asked for frames at the new size, and the texture takes the new size with the first of
//! them. A frame is shown when the clock reaches its time
//! (ffplay's rule); when the next one is late the last is held with a gentle dimming pulse
//! instead of a stutter, and the late spell is logged.

use crate::GameOptions;
use crate::link::LiveLink;
use crate::screens::Screen;
use bevy::asset::RenderAssetUsages;
use bevy::prelude::*;
use bevy::render::render_resource::{Extent3d, TextureDimension, TextureFormat};
use bevy::window::PrimaryWindow;
use campfire_session::live::LiveFrame;
use std::collections::VecDeque;
use std::time::Instant;

/// The texture frames are written into.
#[derive(Resource)]
pub struct PictureTexture {
    pub handle: Handle<Image>,
    pub width: u32,
    pub height: u32,
}

/// What the picture did, for the overlay, tests and benchmarks.
#[derive(Resource, Default, Debug)]
pub struct PictureStats {
    /// Frames copied into the texture.
    pub shown: u64,
    /// Frame number and clock time of the frame on screen.
    pub current: Option<(u64, f64)>,
    /// Frames the clock passed while the last frame was held.
    pub late_frames: u64,
    /// Spells of holding (each logged once).
    pub late_spells: u64,
    /// Frames that arrived after their time had passed and were never shown.
    pub skipped: u64,
    /// Generation time of the frame on screen, milliseconds; the generator that made it.
    pub gen_ms: f64,
    pub generator: String,
    /// When the frame on screen was asked for.
    pub requested: Option<Instant>,
    /// Times the texture took a new size (the window was resized).
    pub resized: u64,
}

/// Frames arrived but not yet due.
#[derive(Resource, Default)]
struct Waiting(VecDeque<LiveFrame>);

/// Whether the picture is being held now (for the effect and the log).
#[derive(Resource, Default)]
struct Holding(bool);

#[derive(Component)]
pub struct PictureNode;

pub(crate) fn plugin(app: &mut App) {
    app.init_resource::<PictureStats>().init_resource::<Waiting>().init_resource::<Holding>();
    app.add_systems(Startup, make_texture);
    app.add_systems(OnEnter(Screen::Playing), (reset, spawn_picture));
    app.add_systems(
        Update,
        (follow_window, take_frames, fit_to_window, hold_effect).chain().run_if(in_state(Screen::Playing)),
    );
}

/// A picture-sized texture the CPU writes pixels into (the frames, the title's opening),
/// filled with the night colour until the first pixels come.
pub(crate) fn blank_picture(options: &GameOptions) -> Image {
    let format = options.live.picture.unwrap_or_default();
    let (width, height) = (format.width.max(1), format.height.max(1));
    Image::new_fill(
        Extent3d { width, height, depth_or_array_layers: 1 },
        TextureDimension::D2,
        &[20, 16, 30, 255],
        TextureFormat::Rgba8UnormSrgb,
        RenderAssetUsages::RENDER_WORLD | RenderAssetUsages::MAIN_WORLD,
    )
}

fn make_texture(mut commands: Commands, mut images: ResMut<Assets<Image>>, options: Res<GameOptions>) {
    let image = blank_picture(&options);
    let (width, height) = (image.width(), image.height());
    commands.insert_resource(PictureTexture { handle: images.add(image), width, height });
}

fn reset(mut stats: ResMut<PictureStats>, mut waiting: ResMut<Waiting>, mut holding: ResMut<Holding>) {
    *stats = PictureStats::default();
    waiting.0.clear();
    holding.0 = false;
}

fn spawn_picture(mut commands: Commands, texture: Res<PictureTexture>) {
    commands
        .spawn((
            crate::screens::playing_layer(Node {
                height: Val::Percent(100.0),
                justify_content: JustifyContent::Center,
                align_items: AlignItems::Center,
                ..default()
            }),
            BackgroundColor(Color::BLACK),
            // Behind the subtitles and choices.
            GlobalZIndex(-1),
        ))
        .with_child((
            PictureNode,
            ImageNode::new(texture.handle.clone()),
            Node { width: Val::Px(texture.width as f32), height: Val::Px(texture.height as f32), ..default() },
        ));
}

/// The picture size for a window of `width × height` physical pixels: the same, each side
/// rounded down to whole latent cells (8 px, which every generator's format needs) within
/// 8..=2048. A minimised window (0 px) still gets a picture, a tiny one.
pub fn picture_size_for(width: u32, height: u32) -> (u32, u32) {
    let side = |v: u32| v.clamp(8, 2048) / 8 * 8;
    (side(width), side(height))
}

/// Asks for frames at the window's resolution, so the picture is as sharp as the screen.
fn follow_window(windows: Query<&Window, With<PrimaryWindow>>, link: Res<LiveLink>) {
    let Ok(window) = windows.single() else { return };
    let want = picture_size_for(window.physical_width(), window.physical_height());
    if link.live.picture_size() != want {
        link.live.set_picture_size(want.0, want.1);
    }
}

/// Takes the frames that arrived and shows the newest one the clock has reached.
fn take_frames(
    link: Res<LiveLink>,
    mut texture: ResMut<PictureTexture>,
    mut images: ResMut<Assets<Image>>,
    mut waiting: ResMut<Waiting>,
    mut stats: ResMut<PictureStats>,
    mut holding: ResMut<Holding>,
) {
    while let Ok(f) = link.live.frames.try_recv() {
        waiting.0.push_back(f);
    }
    let pos = link.position();
    let mut due: Option<LiveFrame> = None;
    while waiting.0.front().is_some_and(|f| f.secs <= pos) {
        if due.is_some() {
            stats.skipped += 1;
        }
        due = waiting.0.pop_front();
    }
    let fps = f64::from(link.live.fps.max(1));
    if let Some(f) = due {
        let Some(mut image) = images.get_mut(&texture.handle) else { return };
        if f.width != texture.width || f.height != texture.height {
            // The window was resized: the texture takes the new size once, then is reused.
            image.resize(Extent3d { width: f.width, height: f.height, depth_or_array_layers: 1 });
            (texture.width, texture.height) = (f.width, f.height);
            stats.resized += 1;
        }
        // Same size and format as the last frame: the pixels are copied over, nothing is
        // reallocated.
        let fits = image.data.as_ref().is_some_and(|d| d.len() == f.rgba.len());
        if fits && let Some(data) = image.data.as_mut() {
            data.copy_from_slice(&f.rgba);
        } else {
            image.data = Some(f.rgba);
        }
        stats.shown += 1;
        stats.current = Some((f.index, f.secs));
        stats.gen_ms = f.gen_ms;
        stats.generator = f.generator;
        stats.requested = Some(f.requested);
        if holding.0 {
            tracing::info!(frame = f.index, "the picture caught up");
            holding.0 = false;
        }
        return;
    }
    // Nothing due: the frame on screen is held. Late once the clock is two frames past it.
    let shown_at = stats.current.map_or(0.0, |c| c.1);
    let behind = pos - shown_at;
    if behind > 2.0 / fps && pos > 1.0 / fps {
        if !holding.0 {
            holding.0 = true;
            stats.late_spells += 1;
            tracing::info!(
                at = pos,
                frame = stats.current.map(|c| c.0),
                "the next frame is late; holding the last one"
            );
        }
        let passed = (behind * fps).floor() as u64;
        stats.late_frames = stats.late_frames.max(passed.saturating_sub(1));
    }
}

/// The picture as large as the window allows with its aspect kept (a 1x1 window included).
fn fit_to_window(
    windows: Query<&Window, With<PrimaryWindow>>,
    texture: Res<PictureTexture>,
    mut nodes: Query<&mut Node, With<PictureNode>>,
) {
    let Ok(window) = windows.single() else { return };
    let (w, h) = (window.width().max(1.0), window.height().max(1.0));
    let scale = (w / texture.width as f32).min(h / texture.height as f32);
    for mut node in &mut nodes {
        let (nw, nh) = (Val::Px(texture.width as f32 * scale), Val::Px(texture.height as f32 * scale));
        if node.width != nw || node.height != nh {
            node.width = nw;
            node.height = nh;
        }
    }
}

/// While the picture is held it dims and brightens gently, so a late chunk reads as a pause.
fn hold_effect(holding: Res<Holding>, time: Res<Time<Real>>, mut images: Query<&mut ImageNode, With<PictureNode>>) {
    for mut image in &mut images {
        let v = if holding.0 { 0.8 + 0.1 * (time.elapsed_secs() * 3.0).sin() } else { 1.0 };
        let want = Color::srgb(v, v, v);
        if image.color != want {
            image.color = want;
        }
    }
}
