use super::common::*;
use campfire_render::{kind_height, render_frame};
use campfire_scene::*;

const W: u32 = 160;
const H: u32 = 120;

/// A kind alone on the stage in `look`, about 45 % of the frame's height whatever its usual size
/// (a cookie is judged as closely as a house).
fn alone(kind: Kind, look: (Color, Color)) -> campfire_render::Frame {
    let mut s = scene(Setting::Meadow, TimeOfDay::Day, Weather::Clear);
    let size = (0.45 / kind_height(kind)).clamp(0.5, 8.0);
    let appearance = Appearance { color: look.0, accent: look.1, size };
    s.apply(&Event::Add { id: "it".into(), name: "it".into(), kind, appearance }).expect("add");
    let y = if kind.is_celestial() || matches!(kind, Kind::Cloud | Kind::Rain) { 0.3 } else { 0.0 };
    s.apply(&Event::Enter { id: "it".into(), at: Position::new(0.0, y, 0.1) }).expect("enter");
    render_frame(&s.pose_at(10.0), W, H, 0)
}

fn empty_stage() -> campfire_render::Frame {
    render_frame(&scene(Setting::Meadow, TimeOfDay::Day, Weather::Clear).pose_at(10.0), W, H, 0)
}

/// Pixels where a figure was drawn: they differ from the empty stage.
fn figure_pixels(f: &campfire_render::Frame) -> Vec<bool> {
    changed(f, &empty_stage(), 12)
}

#[test]
fn the_vocabulary_has_what_children_name_most() {
    assert!(Kind::ALL.len() >= 70, "{} kinds", Kind::ALL.len());
    // The first 34 keep their places: the kind's index is the conditioning code.
    assert_eq!((Kind::ALL[0], Kind::ALL[33], Kind::ALL[34]), (Kind::Child, Kind::Shell, Kind::Horse));
    for name in ["cow", "pig", "elephant", "car", "fire_engine", "teddy", "ice_cream", "rainbow", "umbrella"] {
        assert!(name.parse::<Kind>().is_ok(), "{name}");
    }
}

#[test]
fn every_kind_draws_something_and_no_two_draw_the_same_pixels() {
    let look = (Color::Teal, Color::Orange);
    let frames: Vec<_> = Kind::ALL.iter().map(|&k| (k, alone(k, look))).collect();
    let px = (W * H) as usize;
    for (k, f) in &frames {
        let n = figure_pixels(f).iter().filter(|m| **m).count();
        // At least 1.5 % of the frame (a 45 %-high figure is many times that).
        assert!(n * 1000 > px * 15, "{k} draws almost nothing: {n} pixels");
    }
    for (i, (ka, fa)) in frames.iter().enumerate() {
        for (kb, fb) in &frames[i + 1..] {
            let differ = changed(fa, fb, 12).iter().filter(|m| **m).count();
            assert!(differ * 100 > px, "{ka} and {kb} draw nearly the same pixels ({differ} differ)");
        }
    }
}

/// The first kind of conditioning version 3: the ones from here on are drawn so that their
/// colour is most of what shows.
const FIRST_OF_VERSION_3: usize = 34;

/// Children name colours: "a red cow" must be red. The same thing in red and in blue differs
/// over a large part of the figure, and that part is red in the one and blue in the other. (A
/// rainbow keeps its own bands; its `color` only tints its clouds.)
#[test]
fn every_new_kind_shows_the_colour_it_is_given() {
    for &kind in Kind::ALL[FIRST_OF_VERSION_3..].iter().filter(|k| **k != Kind::Rainbow) {
        let accent = kind.usual_colors().1;
        let (red, blue) = (alone(kind, (Color::Red, accent)), alone(kind, (Color::Blue, accent)));
        let figure: Vec<bool> = figure_pixels(&red).iter().zip(figure_pixels(&blue)).map(|(a, b)| *a || b).collect();
        let coloured = changed(&red, &blue, 40);
        let n_figure = figure.iter().filter(|m| **m).count();
        let n_coloured = coloured.iter().filter(|m| **m).count();
        // A fifth of the figure at least (a doll's dress among her face, hair and socks; most
        // things are more than half their colour).
        assert!(
            n_coloured * 5 > n_figure,
            "{kind}: only {n_coloured} of {n_figure} pixels change between red and blue"
        );
        // Redness (red minus blue channel) of the pixels that changed.
        let redness = |f: &campfire_render::Frame| {
            let sum: f64 = coloured
                .iter()
                .enumerate()
                .filter(|(_, m)| **m)
                .map(|(i, _)| f64::from(f.rgb[i * 3]) - f64::from(f.rgb[i * 3 + 2]))
                .sum();
            sum / n_coloured.max(1) as f64
        };
        let (r, b) = (redness(&red), redness(&blue));
        assert!(r > 60.0 && b < -60.0, "{kind}: the red one's redness is {r:.0}, the blue one's {b:.0}");
    }
}

/// A balloon is held by the end of its string, so it floats above the holder's head; most
/// props sit in the hand by their middle.
#[test]
fn a_held_balloon_floats_above_the_head_on_its_string() {
    let mut s = scene(Setting::Meadow, TimeOfDay::Day, Weather::Clear);
    put(&mut s, "kid", Kind::Child, (Color::Red, Color::Blue), Spot::Center.position(), Action::Hold);
    for (id, kind) in [("balloon", Kind::Balloon), ("apple", Kind::Apple)] {
        let appearance = Appearance { color: Color::Red, accent: Color::White, size: 1.0 };
        s.apply(&Event::Add { id: id.into(), name: id.into(), kind, appearance }).expect("add");
    }
    let box_of = |s: &SceneState, id: &str| {
        let boxes = campfire_render::figure_boxes(&s.pose_at(5.0), 256, 192);
        boxes.into_iter().find(|(i, _)| i == id).map(|(_, b)| b).expect("a box")
    };
    s.apply(&Event::Hold { holder: "kid".into(), item: "balloon".into() }).expect("hold");
    let (kid, balloon) = (box_of(&s, "kid"), box_of(&s, "balloon"));
    assert!(balloon[1] < kid[1] - 10.0, "the balloon's top {balloon:?} is not above the child's head {kid:?}");
    assert!(
        balloon[3] > kid[1] && balloon[3] < kid[3],
        "the string's end {balloon:?} is not in the child's reach {kid:?}"
    );
    s.apply(&Event::Hold { holder: "kid".into(), item: "apple".into() }).expect("hold");
    let apple = box_of(&s, "apple");
    let middle = 0.5 * (apple[1] + apple[3]);
    assert!(middle > kid[1] && middle < kid[3], "the apple {apple:?} is not in the hand {kid:?}");
}
