use campfire_render::Frame;
use campfire_scene::*;

pub fn scene(setting: Setting, time: TimeOfDay, weather: Weather) -> SceneState {
    SceneState::new(Stage { setting, time, weather })
}

pub fn put(state: &mut SceneState, id: &str, kind: Kind, look: (Color, Color), at: Position, action: Action) {
    let appearance = Appearance { color: look.0, accent: look.1, size: 1.0 };
    state.apply(&Event::Add { id: id.into(), name: id.into(), kind, appearance }).expect("add");
    state.apply(&Event::Enter { id: id.into(), at }).expect("enter");
    state.apply(&Event::Act { id: id.into(), action }).expect("act");
}

/// Mean absolute difference per byte, 0..255.
pub fn diff(a: &Frame, b: &Frame) -> f64 {
    assert_eq!((a.width, a.height), (b.width, b.height));
    a.rgb.iter().zip(&b.rgb).map(|(x, y)| (*x as f64 - *y as f64).abs()).sum::<f64>() / a.rgb.len() as f64
}

/// Pixels where two frames differ by more than `thr` on some channel.
pub fn changed(a: &Frame, b: &Frame, thr: u8) -> Vec<bool> {
    a.rgb.chunks(3).zip(b.rgb.chunks(3)).map(|(p, q)| p.iter().zip(q).any(|(x, y)| x.abs_diff(*y) > thr)).collect()
}

/// Mean luminance 0..255.
pub fn luma(f: &Frame) -> f64 {
    f.rgb.chunks(3).map(|p| 0.3 * p[0] as f64 + 0.59 * p[1] as f64 + 0.11 * p[2] as f64).sum::<f64>()
        / (f.rgb.len() / 3) as f64
}

/// Mean colour of the frame.
pub fn mean_rgb(f: &Frame) -> [f64; 3] {
    let mut m = [0.0; 3];
    for p in f.rgb.chunks(3) {
        for i in 0..3 {
            m[i] += p[i] as f64;
        }
    }
    let n = (f.rgb.len() / 3) as f64;
    [m[0] / n, m[1] / n, m[2] / n]
}
