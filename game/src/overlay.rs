//! F3: the developer overlay. Generation time per frame, the picture queue, late and dropped
//! frames, the real-time factor and the generator in use, refreshed a few times a second.

use crate::link::LiveLink;
use crate::picture::PictureStats;
use crate::screens::Screen;
use bevy::prelude::*;
use std::sync::atomic::Ordering;

#[derive(Resource, Default)]
pub struct OverlayShown(pub bool);

#[derive(Component)]
struct OverlayText;

pub(crate) fn plugin(app: &mut App) {
    app.init_resource::<OverlayShown>();
    app.add_systems(OnEnter(Screen::Playing), spawn_overlay);
    app.add_systems(Update, (toggle, refresh).chain().run_if(in_state(Screen::Playing)));
}

fn spawn_overlay(mut commands: Commands) {
    commands.spawn((
        DespawnOnExit(Screen::Playing),
        OverlayText,
        Text::new(""),
        // Bevy's monospaced default font, not Andika: the figures line up in columns, and
        // this overlay is for developers, not for children.
        TextFont::from_font_size(16.0),
        TextColor(Color::srgb(0.6, 1.0, 0.6)),
        BackgroundColor(Color::srgba(0.0, 0.0, 0.0, 0.7)),
        Node {
            position_type: PositionType::Absolute,
            right: Val::Px(8.0),
            top: Val::Px(8.0),
            padding: UiRect::all(Val::Px(8.0)),
            ..default()
        },
        Visibility::Hidden,
    ));
}

fn toggle(keys: Res<ButtonInput<KeyCode>>, mut shown: ResMut<OverlayShown>) {
    if keys.just_pressed(KeyCode::F3) {
        shown.0 = !shown.0;
    }
}

/// The overlay's lines (also printed by benchmarks).
pub fn describe(link: &LiveLink, pic: &PictureStats) -> String {
    let s = &link.live.stats;
    let mean = s.mean_gen_ms();
    let frame_ms = 1000.0 / f64::from(link.live.fps);
    let rtf = if mean > 0.0 { frame_ms / mean } else { 0.0 };
    format!(
        "generator   {}{}\ngen/frame   {:.1} ms (last {:.1} ms)\nreal time   {:.1}x\nqueue       {}\nlate        {} frames in {} spells\ndropped     {} (+{} skipped)\nclock       {:.1} s ({:?})",
        if pic.generator.is_empty() { "-" } else { &pic.generator },
        if s.generator_replaced.load(Ordering::Relaxed) { " (replaced)" } else { "" },
        mean,
        pic.gen_ms,
        rtf,
        link.live.picture_queue.len(),
        pic.late_frames,
        pic.late_spells,
        s.frames_dropped.load(Ordering::Relaxed),
        pic.skipped,
        link.position(),
        link.live.clock.kind(),
    )
}

fn refresh(
    shown: Res<OverlayShown>,
    link: Option<Res<LiveLink>>,
    pic: Res<PictureStats>,
    time: Res<Time<Real>>,
    mut last: Local<f64>,
    mut text: Query<(&mut Text, &mut Visibility), With<OverlayText>>,
) {
    let Ok((mut t, mut v)) = text.single_mut() else { return };
    let want = if shown.0 { Visibility::Inherited } else { Visibility::Hidden };
    if *v != want {
        *v = want;
    }
    let now = time.elapsed_secs_f64();
    if !shown.0 || now - *last < 0.25 {
        return;
    }
    *last = now;
    if let Some(link) = link {
        t.0 = describe(&link, &pic);
    }
}
