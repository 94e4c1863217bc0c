use crate::common::*;
use campfire_render::condition::{CH_HELD, CH_KIND, CH_LIT, CH_TEXT, CH_TITLE, CH_UNDERWATER};
use campfire_render::text::TextKind;
use campfire_render::{Frame, condition_map, figure_boxes, render_frame, text_boxes};
use campfire_scene::*;

const W: u32 = 320;
const H: u32 = 240;

fn luma_at(f: &Frame, x: u32, y: u32) -> f64 {
    let p = f.pixel(x, y).expect("inside the frame");
    0.3 * p[0] as f64 + 0.59 * p[1] as f64 + 0.11 * p[2] as f64
}

fn box_of(pose: &Pose<'_>, id: &str) -> [f32; 4] {
    figure_boxes(pose, W, H).into_iter().find(|(i, _)| i == id).map(|(_, b)| b).expect("figure drawn")
}

/// A moon alone in the night sky, in `phase`.
fn moon_scene(phase: MoonPhase) -> SceneState {
    let mut s = scene(Setting::NightSky, TimeOfDay::Night, Weather::Clear);
    put(&mut s, "moon", Kind::Moon, (Color::White, Color::Yellow), Position::new(0.0, 0.6, 0.3), Action::Idle);
    s.apply(&Event::SetMoon(phase)).expect("moon phase");
    s
}

/// Brightness along the row through the moon's centre, sampled at `n` points across the inner
/// 80 % of the disc (left to right on screen).
fn moon_row(phase: MoonPhase, n: usize) -> Vec<f64> {
    let s = moon_scene(phase);
    let pose = s.pose_at(0.0);
    let f = render_frame(&pose, W, H, 7);
    let [l, t, r, b] = box_of(&pose, "moon");
    // The disc is centred in the figure's unit box: centre at half height, radius 0.42 of it.
    let (cx, cy, rad) = (0.5 * (l + r), 0.5 * (t + b), 0.42 * (b - t));
    (0..n)
        .map(|i| {
            let x = cx - 0.8 * rad + 1.6 * rad * i as f32 / (n - 1) as f32;
            luma_at(&f, x.round() as u32, cy.round() as u32)
        })
        .collect()
}

#[test]
fn the_full_moon_is_lit_across_its_width_and_the_new_moon_is_not() {
    let full = moon_row(MoonPhase::Full, 15);
    let new = moon_row(MoonPhase::New, 15);
    let sky = 60.0;
    assert!(full.iter().all(|&l| l > 150.0), "full moon has dark points across its middle: {full:?}");
    assert!(new.iter().all(|&l| l < sky), "new moon has bright points: {new:?}");
}

#[test]
fn the_half_moon_is_lit_on_the_right_half_only() {
    let half = moon_row(MoonPhase::Half, 16);
    let (left, right) = half.split_at(8);
    // Points near the terminator are soft; judge the outer three on each side.
    assert!(left[..3].iter().all(|&l| l < 70.0), "left of a first-quarter moon is lit: {half:?}");
    assert!(right[5..].iter().all(|&l| l > 150.0), "right of a first-quarter moon is dark: {half:?}");
    let crescent = moon_row(MoonPhase::Crescent, 16);
    let gibbous = moon_row(MoonPhase::Gibbous, 16);
    let lit = |row: &[f64]| row.iter().filter(|&&l| l > 120.0).count();
    assert!(lit(&crescent) < lit(&half) && lit(&half) < lit(&gibbous) && lit(&gibbous) <= lit(&full_row()));
}

fn full_row() -> Vec<f64> {
    moon_row(MoonPhase::Full, 16)
}

#[test]
fn the_moon_phase_is_in_the_conditioning_map() {
    for phase in MoonPhase::ALL {
        let s = moon_scene(*phase);
        let pose = s.pose_at(0.0);
        let m = condition_map(&pose, 64, 48);
        let moon_px: Vec<usize> = (0..64 * 48).filter(|&p| m.channel(CH_KIND + Kind::Moon.index())[p] > 0.5).collect();
        assert!(!moon_px.is_empty());
        for p in moon_px {
            assert_eq!(m.channel(CH_LIT)[p], phase.lit(), "{phase}");
        }
    }
}

#[test]
fn space_is_space_no_ground_and_no_planet_unless_asked() {
    let s = scene(Setting::Space, TimeOfDay::Day, Weather::Clear);
    let f = render_frame(&s.pose_at(0.0), W, H, 3);
    // The bottom third was a grey moon surface and a ringed planet sat top left: now only
    // stars on black, so almost every pixel is dark.
    let bright = f.rgb.chunks(3).filter(|p| p.iter().map(|&c| c as u32).sum::<u32>() > 3 * 90).count();
    assert!(bright * 100 < f.rgb.len() / 3, "{bright} bright pixels in empty space");
    let bottom: f64 =
        (H * 2 / 3..H).flat_map(|y| (0..W).map(move |x| (x, y))).map(|(x, y)| luma_at(&f, x, y)).sum::<f64>()
            / ((H / 3) * W) as f64;
    assert!(bottom < 30.0, "the bottom of space is lit like ground: {bottom}");
    // Asked for, a planet is there.
    let mut s = s;
    put(&mut s, "saturn", Kind::Planet, (Color::Orange, Color::Gold), Spot::SkyLeft.position(), Action::Idle);
    let g = render_frame(&s.pose_at(0.0), W, H, 3);
    assert!(diff(&f, &g) > 1.0);
}

#[test]
fn a_sun_in_space_casts_no_shadow_on_a_ground_that_is_not_there() {
    let mut with = scene(Setting::Space, TimeOfDay::Day, Weather::Clear);
    put(&mut with, "sun", Kind::Sun, (Color::Yellow, Color::Orange), Spot::Center.position(), Action::Idle);
    let pose = with.pose_at(0.0);
    let f = render_frame(&pose, W, H, 3);
    let [l, _, r, b] = box_of(&pose, "sun");
    // Just below the figure's feet: black space, not a shadow on grey ground.
    let below = luma_at(&f, (0.5 * (l + r)) as u32, (b + 4.0).min(H as f32 - 1.0) as u32);
    assert!(below < 90.0, "{below}");
}

#[test]
fn a_label_sits_next_to_its_entity_with_an_arrow_that_reaches_it() {
    let mut s = scene(Setting::Meadow, TimeOfDay::Day, Weather::Clear);
    put(&mut s, "kid", Kind::Child, (Color::Red, Color::Blue), Spot::Left.position(), Action::Idle);
    put(&mut s, "seed", Kind::Seed, (Color::Brown, Color::Green), Spot::Right.position(), Action::Idle);
    let plain = render_frame(&s.pose_at(0.0), W, H, 1);
    s.apply(&Event::Label { id: "seed".into(), text: "a seed".into() }).expect("label");
    let pose = s.pose_at(0.0);
    let labelled = render_frame(&pose, W, H, 1);
    let boxes = text_boxes(&pose, W, H);
    assert_eq!(boxes.len(), 1);
    let label = &boxes[0];
    assert_eq!(label.kind, TextKind::Label);
    assert_eq!(label.entity.as_deref(), Some("seed"));
    let seed = box_of(&pose, "seed");
    let (_, head) = label.arrow.expect("a label has an arrow");
    assert!(head[0] >= seed[0] && head[0] <= seed[2] && head[1] >= seed[1] - 1.0 && head[1] <= seed[3] + 1.0);
    // Every changed pixel (the text, its panel and arrow) lies near the seed, none near the child.
    let changed = changed(&plain, &labelled, 12);
    let kid = box_of(&pose, "kid");
    let seed_cx = 0.5 * (seed[0] + seed[2]);
    let mut n = 0;
    for (i, c) in changed.iter().enumerate() {
        if !*c {
            continue;
        }
        n += 1;
        let (x, y) = ((i as u32 % W) as f32, (i as u32 / W) as f32);
        assert!((x - seed_cx).abs() < 0.3 * W as f32, "label pixel at ({x}, {y}) far from the seed at x {seed_cx}");
        assert!(!(x >= kid[0] && x <= kid[2] && y >= kid[1] && y <= kid[3]), "label drawn over the child");
    }
    assert!(n > 100, "the label changed only {n} pixels");
    // The panel's text pixels: dark ink on the light panel.
    let [x0, y0, x1, y1] = label.rect;
    let ink = (y0 as u32..y1 as u32)
        .flat_map(|y| (x0 as u32..x1 as u32).map(move |x| (x, y)))
        .filter(|&(x, y)| luma_at(&labelled, x, y) < 60.0)
        .count();
    assert!(ink > 20, "no dark text pixels in the label's panel ({ink})");
    let m = condition_map(&pose, W, H);
    let cx = ((x0 + x1) * 0.5) as usize;
    let cy = ((y0 + y1) * 0.5) as usize;
    assert_eq!(m.channel(CH_TEXT)[cy * W as usize + cx], 1.0);
}

#[test]
fn titles_and_captions_are_drawn_and_taken_away() {
    let mut s = scene(Setting::Garden, TimeOfDay::Day, Weather::Clear);
    let before = render_frame(&s.pose_at(0.0), W, H, 1);
    s.apply(&Event::Caption { text: "Seeds need water and light".into() }).expect("caption");
    let pose = s.pose_at(0.0);
    let cap = render_frame(&pose, W, H, 1);
    let rows_changed: Vec<u32> =
        changed(&before, &cap, 12).iter().enumerate().filter(|(_, c)| **c).map(|(i, _)| i as u32 / W).collect();
    assert!(rows_changed.iter().all(|&y| y > H * 3 / 4), "the caption is not along the bottom");
    s.apply(&Event::Title { text: "How a Seed Grows".into() }).expect("title");
    let m = condition_map(&s.pose_at(0.0), 32, 24);
    assert!(m.channel(CH_TITLE).iter().all(|&v| v == 1.0));
    s.apply(&Event::Title { text: String::new() }).expect("untitle");
    s.apply(&Event::Caption { text: String::new() }).expect("uncaption");
    assert_eq!(diff(&before, &render_frame(&s.pose_at(0.0), W, H, 1)), 0.0);
}

#[test]
fn a_held_prop_is_drawn_in_the_holders_hand_and_given_on() {
    let mut s = scene(Setting::Meadow, TimeOfDay::Day, Weather::Clear);
    put(&mut s, "kid", Kind::Child, (Color::Red, Color::Blue), Spot::Left.position(), Action::Idle);
    put(&mut s, "friend", Kind::Child, (Color::Green, Color::Purple), Spot::Right.position(), Action::Idle);
    let appearance = Appearance { color: Color::Red, accent: Color::Green, size: 1.0 };
    s.apply(&Event::Add { id: "apple".into(), name: "apple".into(), kind: Kind::Apple, appearance }).expect("add");
    s.apply(&Event::Hold { holder: "kid".into(), item: "apple".into() }).expect("hold");
    let pose = s.pose_at(0.0);
    let kid = box_of(&pose, "kid");
    let apple = box_of(&pose, "apple");
    let (ax, ay) = (0.5 * (apple[0] + apple[2]), 0.5 * (apple[1] + apple[3]));
    // At hand height (the middle of the child), just in front of the body.
    assert!(ax > kid[0] && ax < kid[2] + 0.5 * (kid[2] - kid[0]), "apple at x {ax}, child {kid:?}");
    assert!(
        ay > kid[1] + 0.25 * (kid[3] - kid[1]) && ay < kid[3] - 0.3 * (kid[3] - kid[1]),
        "apple at y {ay}, child {kid:?}"
    );
    let m = condition_map(&pose, W, H);
    let p = ay as usize * W as usize + ax as usize;
    assert_eq!(m.channel(CH_HELD)[p], 1.0);
    assert_eq!(m.channel(CH_KIND + Kind::Apple.index())[p], 1.0);
    // Given: now in the friend's hand.
    s.apply(&Event::Give { from: "kid".into(), to: "friend".into() }).expect("give");
    let pose = s.pose_at(0.0);
    let friend = box_of(&pose, "friend");
    let apple = box_of(&pose, "apple");
    let ax = 0.5 * (apple[0] + apple[2]);
    assert!(ax > friend[0] - 0.5 * (friend[2] - friend[0]) && ax < friend[2], "apple at x {ax}, friend {friend:?}");
    assert_eq!(s.entity("kid").map(|e| e.action), Some(Action::Give));
    assert_eq!(s.entity("friend").map(|e| e.action), Some(Action::Hold));
}

#[test]
fn a_fish_in_the_sea_is_under_the_water() {
    let fish_at = |spot: Spot| {
        let mut s = scene(Setting::Ocean, TimeOfDay::Day, Weather::Clear);
        put(&mut s, "fish", Kind::Fish, (Color::Orange, Color::Yellow), spot.position(), Action::Swim);
        s
    };
    let s = fish_at(Spot::Underwater);
    let pose = s.pose_at(0.0);
    let m = condition_map(&pose, W, H);
    let b = box_of(&pose, "fish");
    let p = (0.5 * (b[1] + b[3])) as usize * W as usize + (0.5 * (b[0] + b[2])) as usize;
    assert_eq!(m.channel(CH_UNDERWATER)[p], 1.0);
    // Its orange is seen through blue water: bluer than the same fish at the surface.
    let f = render_frame(&pose, W, H, 2);
    let surface = fish_at(Spot::Center);
    let g = render_frame(&surface.pose_at(0.0), W, H, 2);
    let blueness = |f: &Frame, b: [f32; 4]| {
        let (mut r, mut bl) = (0.0, 0.0);
        for y in b[1].max(0.0) as u32..(b[3] as u32).min(H) {
            for x in b[0].max(0.0) as u32..(b[2] as u32).min(W) {
                let px = f.pixel(x, y).expect("in frame");
                r += px[0] as f64;
                bl += px[2] as f64;
            }
        }
        bl / r.max(1.0)
    };
    let under = blueness(&f, b);
    let above = blueness(&g, box_of(&surface.pose_at(0.0), "fish"));
    assert!(under > above * 1.1, "under water {under:.2} is not bluer than at the surface {above:.2}");
    // The fish is below the water line: lower on screen than the surface fish.
    assert!(b[3] > box_of(&surface.pose_at(0.0), "fish")[3]);
}

#[test]
fn new_kinds_and_actions_draw_and_erupting_differs_from_asleep() {
    for kind in [Kind::Volcano, Kind::Ice, Kind::Water, Kind::Steam, Kind::Earth, Kind::Shovel, Kind::Book, Kind::Key] {
        let mut s = scene(Setting::Meadow, TimeOfDay::Day, Weather::Clear);
        let empty = render_frame(&s.pose_at(0.0), W, H, 1);
        put(&mut s, "it", kind, (Color::Grey, Color::Red), Spot::Center.position(), Action::Idle);
        let n = changed(&empty, &render_frame(&s.pose_at(0.0), W, H, 1), 20).iter().filter(|c| **c).count();
        assert!(n > 80, "{kind} changes only {n} pixels");
    }
    let mut s = scene(Setting::Mountain, TimeOfDay::Day, Weather::Clear);
    put(&mut s, "v", Kind::Volcano, (Color::Brown, Color::Red), Spot::Center.position(), Action::Idle);
    let calm = render_frame(&s.pose_at(24.0), W, H, 1);
    s.apply(&Event::Act { id: "v".into(), action: Action::Erupt }).expect("erupt");
    let erupting = render_frame(&s.pose_at(24.0), W, H, 1);
    assert!(diff(&calm, &erupting) > 1.0);
}
