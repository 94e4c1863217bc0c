//! Shared helpers: shipped stories and frame statistics.

use campfire_render::Frame;
use campfire_story::{Output, Params, Runtime, Story, Template};
use std::path::PathBuf;
use std::sync::Arc;

pub fn story(name: &str) -> Arc<Template> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../stories").join(format!("{name}.ron"));
    Story::load(&path).expect("shipped story loads").template
}

pub fn runtime(name: &str, params: &[(&str, &str)]) -> Runtime {
    let params: Params = params.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    Runtime::new(story(name), params).expect("story starts")
}

/// Plays until choices or the end.
pub fn settle(rt: &mut Runtime) -> Output {
    loop {
        match rt.next().expect("story plays") {
            Output::Line(_) => continue,
            other => return other,
        }
    }
}

/// Mean brightness, 0..255.
pub fn brightness(f: &Frame) -> f64 {
    f.rgb.iter().map(|&b| f64::from(b)).sum::<f64>() / f.rgb.len() as f64
}

/// Share of pixels close to a colour.
pub fn share_near(f: &Frame, rgb: [u8; 3], tolerance: i32) -> f64 {
    let near = f
        .rgb
        .chunks_exact(3)
        .filter(|p| (0..3).all(|i| (i32::from(p[i]) - i32::from(rgb[i])).abs() <= tolerance))
        .count();
    near as f64 / (f.rgb.len() / 3) as f64
}
