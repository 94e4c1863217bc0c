use crate::common::*;
use campfire_render::condition::*;
use campfire_render::{condition_map, render_frame};
use campfire_scene::*;

#[test]
fn map_has_the_documented_shape_and_globals() {
    let mut s = scene(Setting::Beach, TimeOfDay::Dusk, Weather::Windy);
    put(&mut s, "cat", Kind::Cat, (Color::Orange, Color::White), Spot::Center.position(), Action::Walk);
    let m = condition_map(&s.pose_at(12.0), 32, 24);
    assert_eq!((m.channels as usize, m.width, m.height), (CHANNELS, 32, 24));
    assert_eq!(m.data.len(), CHANNELS * 32 * 24);
    for (x, y) in [(0, 0), (31, 23), (16, 12)] {
        assert_eq!(m.at(CH_SETTING + Setting::Beach.index(), x, y), 1.0);
        assert_eq!(m.at(CH_TIME + TimeOfDay::Dusk.index(), x, y), 1.0);
        assert_eq!(m.at(CH_WEATHER + Weather::Windy.index(), x, y), 1.0);
        let settings: f32 = (0..Setting::ALL.len()).map(|i| m.at(CH_SETTING + i, x, y)).sum();
        assert_eq!(settings, 1.0);
    }
    // The cat is in the middle bottom of the picture, with its code, colours and action.
    let covered: Vec<(u32, u32)> =
        (0..24).flat_map(|y| (0..32).map(move |x| (x, y))).filter(|&(x, y)| m.at(CH_OCCUPANCY, x, y) > 0.5).collect();
    assert!(covered.len() >= 6, "cat covers {} cells", covered.len());
    for &(x, y) in &covered {
        assert_eq!(m.at(CH_KIND + Kind::Cat.index(), x, y), 1.0);
        assert_eq!(m.at(CH_ACTION + Action::Walk.index(), x, y), 1.0);
        assert!((m.at(CH_COLOR, x, y) - 243.0 / 255.0).abs() < 1e-3);
        assert!(y >= 12, "the cat stands on the ground, not in the sky (row {y})");
    }
    let empty =
        (0..24).flat_map(|y| (0..32).map(move |x| (x, y))).filter(|&(x, y)| m.at(CH_OCCUPANCY, x, y) == 0.0).count();
    assert!(empty > 32 * 24 / 2, "most of the frame is empty stage");
}

#[test]
fn map_changes_with_kind_but_is_not_the_picture() {
    let make = |kind: Kind| {
        let mut s = scene(Setting::Meadow, TimeOfDay::Day, Weather::Clear);
        put(&mut s, "it", kind, (Color::Blue, Color::Gold), Spot::Left.position(), Action::Idle);
        s
    };
    let a = condition_map(&make(Kind::Dog).pose_at(0.0), 32, 24);
    let b = condition_map(&make(Kind::Robot).pose_at(0.0), 32, 24);
    assert_ne!(a.channel(CH_KIND + Kind::Dog.index()), b.channel(CH_KIND + Kind::Dog.index()));
    assert!(a.channel(CH_KIND + Kind::Dog.index()).contains(&1.0));
    assert!(b.channel(CH_KIND + Kind::Robot.index()).contains(&1.0));
    // Not the image: the sky is not painted into it, only the layout.
    let s = make(Kind::Dog);
    let frame = render_frame(&s.pose_at(0.0), 32, 24, 0);
    let top_left = frame.pixel(0, 0).expect("pixel");
    assert!(top_left.iter().any(|c| *c > 50), "the picture has a sky");
    assert!((0..48).all(|c| a.at(c, 0, 0) == 0.0), "the conditioning map leaves the empty sky empty");
}

#[test]
fn map_follows_motion_and_depth_order() {
    let mut s = scene(Setting::Meadow, TimeOfDay::Day, Weather::Clear);
    put(&mut s, "kid", Kind::Child, (Color::Red, Color::Red), Spot::Center.position(), Action::Jump);
    let ground = condition_map(&s.pose_at(0.0), 64, 48);
    let air = condition_map(&s.pose_at(10.0), 64, 48);
    let top_row =
        |m: &ConditionMap| (0..48).find(|&y| (0..64).any(|x| m.at(CH_OCCUPANCY, x, y) > 0.5)).expect("visible");
    assert!(top_row(&air) < top_row(&ground), "a jump lifts the box");
    // Two overlapping entities: the front one owns the shared cells.
    let mut s = scene(Setting::Meadow, TimeOfDay::Day, Weather::Clear);
    put(&mut s, "back", Kind::House, (Color::Red, Color::Red), Position::new(0.0, 0.0, 0.6), Action::Idle);
    put(&mut s, "front", Kind::Dog, (Color::Blue, Color::Blue), Position::new(0.0, 0.0, 0.0), Action::Idle);
    let m = condition_map(&s.pose_at(0.0), 64, 48);
    let dog_cells = m.channel(CH_KIND + Kind::Dog.index()).iter().filter(|v| **v == 1.0).count();
    let house_cells = m.channel(CH_KIND + Kind::House.index()).iter().filter(|v| **v == 1.0).count();
    assert!(dog_cells > 10 && house_cells > 10);
    let (x, y) = (32, (0..48).rev().find(|&y| m.at(CH_OCCUPANCY, 32, y) > 0.5).expect("dog feet"));
    assert_eq!(m.at(CH_KIND + Kind::Dog.index(), x, y), 1.0, "front dog wins at its feet");
    assert_eq!(m.at(CH_DEPTH, x, y), 0.0);
}
