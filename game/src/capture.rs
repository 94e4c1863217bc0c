//! Screenshots through Bevy's screenshot API every few seconds, a timed quit and a squeezed
//! window: how tests and previews see what the window shows. Files are `NNN-SCREEN.png` in the
//! folder given.

use crate::screens::Screen;
use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, save_to_disk};
use bevy::window::PrimaryWindow;
use std::path::PathBuf;

#[derive(Resource, Clone, Debug, Default)]
pub struct CapturePlan {
    pub dir: Option<PathBuf>,
    /// Seconds between screenshots.
    pub every: f64,
    /// Quit after this many seconds (real time).
    pub quit_after: Option<f64>,
    /// Shrink the window to 1x1 and minimise it at this many seconds, restore it 3 s later.
    pub squeeze_at: Option<f64>,
}

/// The window's size before it was squeezed, while it is.
#[derive(Resource, Default)]
struct Squeezed {
    done: bool,
    size: Option<Vec2>,
}

#[derive(Resource, Default)]
struct Taken {
    count: u32,
    last: f64,
}

pub(crate) fn plugin(plan: CapturePlan) -> impl Fn(&mut App) {
    move |app: &mut App| {
        if let Some(dir) = &plan.dir
            && let Err(e) = std::fs::create_dir_all(dir)
        {
            tracing::warn!("cannot create the screenshot folder {}: {e}", dir.display());
        }
        app.insert_resource(plan.clone()).init_resource::<Taken>().init_resource::<Squeezed>();
        app.add_systems(Update, (screenshots, quit_after, squeeze));
    }
}

fn screenshots(
    mut commands: Commands,
    plan: Res<CapturePlan>,
    time: Res<Time<Real>>,
    screen: Res<State<Screen>>,
    squeezed: Res<Squeezed>,
    mut taken: ResMut<Taken>,
) {
    let Some(dir) = &plan.dir else { return };
    // A 1x1 window has nothing to show.
    if squeezed.size.is_some() {
        return;
    }
    let now = time.elapsed_secs_f64();
    // The first frames of a window are often blank: the first shot waits half a period.
    let due = if taken.count == 0 { plan.every.max(0.1) / 2.0 } else { taken.last + plan.every.max(0.1) };
    if now < due {
        return;
    }
    taken.last = now;
    let path = dir.join(format!("{:03}-{:?}.png", taken.count, screen.get()).to_lowercase());
    taken.count += 1;
    tracing::info!(path = %path.display(), "screenshot");
    commands.spawn(Screenshot::primary_window()).observe(save_to_disk(path));
}

fn quit_after(plan: Res<CapturePlan>, time: Res<Time<Real>>, mut exit: MessageWriter<AppExit>) {
    if plan.quit_after.is_some_and(|q| time.elapsed_secs_f64() >= q) {
        exit.write(AppExit::Success);
    }
}

fn squeeze(
    plan: Res<CapturePlan>,
    time: Res<Time<Real>>,
    mut squeezed: ResMut<Squeezed>,
    mut windows: Query<&mut Window, With<PrimaryWindow>>,
) {
    let Some(at) = plan.squeeze_at else { return };
    let Ok(mut window) = windows.single_mut() else { return };
    let now = time.elapsed_secs_f64();
    match squeezed.size {
        None if !squeezed.done && now >= at => {
            squeezed.size = Some(window.resolution.size());
            window.resolution.set(1.0, 1.0);
            window.set_minimized(true);
            tracing::info!("the window is squeezed to 1x1 and minimised");
        }
        Some(size) if now >= at + 3.0 => {
            window.set_minimized(false);
            window.resolution.set(size.x, size.y);
            squeezed.size = None;
            squeezed.done = true;
            tracing::info!("the window is restored to {}x{}", size.x, size.y);
        }
        _ => {}
    }
}
