use crate::common::*;
use campfire_render::render_frame;
use campfire_scene::*;

fn meadow_with_child() -> SceneState {
    let mut s = scene(Setting::Meadow, TimeOfDay::Day, Weather::Cloudy);
    put(&mut s, "kid", Kind::Child, (Color::Red, Color::Blue), Spot::Center.position(), Action::Idle);
    s
}

#[test]
fn same_seed_same_bytes_other_seed_moves_the_details() {
    let s = meadow_with_child();
    let pose = s.pose_at(30.0);
    let a = render_frame(&pose, 128, 96, 7);
    let b = render_frame(&pose, 128, 96, 7);
    assert_eq!(a, b, "same seed must give the same bytes");
    let c = render_frame(&pose, 128, 96, 8);
    assert!(diff(&a, &c) > 0.5, "another seed must move clouds/grass/flowers (diff {})", diff(&a, &c));
    // The story content does not depend on the seed: the child's pixels stay where they were.
    let empty = scene(Setting::Meadow, TimeOfDay::Day, Weather::Cloudy);
    let fig = changed(&a, &render_frame(&empty.pose_at(30.0), 128, 96, 7), 40);
    let fig2 = changed(&c, &render_frame(&empty.pose_at(30.0), 128, 96, 8), 40);
    let same = fig.iter().zip(&fig2).filter(|(x, y)| x == y).count() as f64 / fig.len() as f64;
    assert!(same > 0.97, "figure silhouette moved with the seed ({same})");
}

#[test]
fn self_moving_parts_move_with_time() {
    let s = scene(Setting::Ocean, TimeOfDay::Day, Weather::Cloudy);
    let a = render_frame(&s.pose_at(0.0), 128, 96, 1);
    let b = render_frame(&s.pose_at(24.0), 128, 96, 1);
    assert!(diff(&a, &b) > 0.5, "water and clouds should move over a second");
}

#[test]
fn frame_has_the_asked_size_at_common_resolutions() {
    let s = meadow_with_child();
    for (w, h) in [(128, 96), (256, 192), (64, 48), (320, 180), (1, 1)] {
        let f = render_frame(&s.pose_at(5.0), w, h, 0);
        assert_eq!((f.width, f.height, f.rgb.len()), (w, h, (w * h * 3) as usize));
    }
}

#[test]
fn resolutions_agree_because_drawing_is_normalised() {
    let s = meadow_with_child();
    let pose = s.pose_at(10.0);
    let big = render_frame(&pose, 256, 192, 3);
    let small = render_frame(&pose, 128, 96, 3);
    // Box-downscale the big frame and compare.
    let mut down = vec![0u8; 128 * 96 * 3];
    for y in 0..96 {
        for x in 0..128 {
            for c in 0..3 {
                let mut sum = 0u32;
                for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
                    sum += big.rgb[((2 * y + dy) * 256 + 2 * x + dx) * 3 + c] as u32;
                }
                down[(y * 128 + x) * 3 + c] = (sum / 4) as u8;
            }
        }
    }
    let down = campfire_render::Frame { width: 128, height: 96, rgb: down };
    let d = diff(&down, &small);
    assert!(d < 8.0, "128x96 and 256x192 should show the same picture (diff {d})");
}

/// Statistics of an isolated figure: where the frame differs from the empty stage.
fn figure_stats(kind: Kind) -> (Vec<bool>, [f64; 7]) {
    let at = Position::new(0.0, 0.0, 0.1);
    let mut s = scene(Setting::Classroom, TimeOfDay::Day, Weather::Clear);
    let empty = render_frame(&s.pose_at(12.0), 128, 96, 0);
    put(&mut s, "it", kind, (Color::Teal, Color::Orange), at, Action::Idle);
    let f = render_frame(&s.pose_at(12.0), 128, 96, 0);
    let mask = changed(&f, &empty, 12);
    let (mut n, mut sx, mut sy, mut r, mut g, mut b) = (0.0f64, 0.0f64, 0.0f64, 0.0f64, 0.0f64, 0.0f64);
    let (mut x0, mut x1, mut y0, mut y1) = (128.0f64, 0.0f64, 96.0f64, 0.0f64);
    for (i, m) in mask.iter().enumerate() {
        if *m {
            let (x, y) = ((i % 128) as f64, (i / 128) as f64);
            n += 1.0;
            sx += x;
            sy += y;
            r += f.rgb[i * 3] as f64;
            g += f.rgb[i * 3 + 1] as f64;
            b += f.rgb[i * 3 + 2] as f64;
            x0 = x0.min(x);
            x1 = x1.max(x);
            y0 = y0.min(y);
            y1 = y1.max(y);
        }
    }
    assert!(n > 20.0, "{kind} is (almost) invisible: {n} pixels");
    (mask, [n.sqrt(), (x1 - x0) / 2.0, (y1 - y0) / 2.0, sx / n, sy / n, (r - g) / n / 8.0, (b - g) / n / 8.0])
}

#[test]
fn every_kind_looks_different_from_every_other() {
    let stats: Vec<_> = Kind::ALL.iter().map(|&k| (k, figure_stats(k))).collect();
    for (i, (ka, (ma, sa))) in stats.iter().enumerate() {
        for (kb, (mb, sb)) in &stats[i + 1..] {
            let inter = ma.iter().zip(mb).filter(|(a, b)| **a && **b).count() as f64;
            let union = ma.iter().zip(mb).filter(|(a, b)| **a || **b).count() as f64;
            let iou = inter / union;
            let dist: f64 = sa.iter().zip(sb).map(|(a, b)| (a - b).abs()).sum();
            assert!(
                iou < 0.85 || dist > 3.0,
                "{ka} and {kb} look alike (silhouette IoU {iou:.2}, stats distance {dist:.2})"
            );
        }
    }
}

#[test]
fn every_action_differs_from_idle_over_time() {
    let mut alike = Vec::new();
    for kind in [Kind::Child, Kind::Fish, Kind::Tree] {
        for &action in Action::ALL.iter().filter(|a| **a != Action::Idle) {
            let mut idle = scene(Setting::Meadow, TimeOfDay::Day, Weather::Clear);
            put(&mut idle, "it", kind, (Color::Purple, Color::Yellow), Spot::Center.position(), Action::Idle);
            let mut acting = scene(Setting::Meadow, TimeOfDay::Day, Weather::Clear);
            put(&mut acting, "it", kind, (Color::Purple, Color::Yellow), Spot::Center.position(), action);
            let most = (0..24)
                .map(|i| {
                    let t = i as f64 * 2.0;
                    diff(&render_frame(&idle.pose_at(t), 128, 96, 1), &render_frame(&acting.pose_at(t), 128, 96, 1))
                })
                .fold(0.0, f64::max);
            if most <= 0.3 {
                alike.push(format!("{kind} doing {action} (max diff {most:.3})"));
            }
        }
    }
    assert!(alike.is_empty(), "these look like idle over two seconds: {alike:?}");
}

#[test]
fn actions_animate_over_time() {
    for action in [Action::Walk, Action::Fly, Action::Jump, Action::Talk, Action::Dance, Action::Wave, Action::Swim] {
        let mut s = scene(Setting::Classroom, TimeOfDay::Day, Weather::Clear);
        put(&mut s, "kid", Kind::Child, (Color::Green, Color::Brown), Spot::Center.position(), action);
        let frames: Vec<_> = (0..6).map(|i| render_frame(&s.pose_at(i as f64 * 2.0), 128, 96, 1)).collect();
        let moving = frames.windows(2).filter(|w| diff(&w[0], &w[1]) > 0.05).count();
        assert!(moving >= 3, "{action} is not animated ({moving} of 5 frame steps change)");
    }
}

#[test]
fn the_front_entity_wins_where_they_overlap() {
    let build = |red_depth: f32, blue_depth: f32| {
        let mut s = scene(Setting::Classroom, TimeOfDay::Day, Weather::Clear);
        put(&mut s, "red", Kind::Robot, (Color::Red, Color::Red), Position::new(0.0, 0.0, red_depth), Action::Idle);
        put(
            &mut s,
            "blue",
            Kind::Robot,
            (Color::Blue, Color::Blue),
            Position::new(0.02, 0.0, blue_depth),
            Action::Idle,
        );
        s
    };
    let alone = |id: &str, depth: f32| {
        let mut s = scene(Setting::Classroom, TimeOfDay::Day, Weather::Clear);
        let c = if id == "red" { Color::Red } else { Color::Blue };
        let x = if id == "red" { 0.0 } else { 0.02 };
        put(&mut s, id, Kind::Robot, (c, c), Position::new(x, 0.0, depth), Action::Idle);
        render_frame(&s.pose_at(0.0), 256, 192, 0)
    };
    let empty = render_frame(&scene(Setting::Classroom, TimeOfDay::Day, Weather::Clear).pose_at(0.0), 256, 192, 0);
    for (front, back, fd, bd) in [("blue", "red", 0.0, 0.3), ("red", "blue", 0.0, 0.3)] {
        let (rd, bl) = if front == "red" { (fd, bd) } else { (bd, fd) };
        let both = render_frame(&build(rd, bl).pose_at(0.0), 256, 192, 0);
        let front_alone = alone(front, fd);
        let back_alone = alone(back, bd);
        let f_mask = changed(&front_alone, &empty, 30);
        let b_mask = changed(&back_alone, &empty, 30);
        let overlap: Vec<usize> = (0..f_mask.len()).filter(|&i| f_mask[i] && b_mask[i]).collect();
        assert!(overlap.len() > 200, "the two robots should overlap ({} px)", overlap.len());
        let front_wins = overlap
            .iter()
            .filter(|&&i| (0..3).all(|c| both.rgb[i * 3 + c].abs_diff(front_alone.rgb[i * 3 + c]) <= 24))
            .count();
        let share = front_wins as f64 / overlap.len() as f64;
        assert!(share > 0.9, "{front} in front should cover {back} where they overlap ({share:.2})");
    }
}

#[test]
fn time_of_day_changes_the_light() {
    let frames: Vec<_> = TimeOfDay::ALL
        .iter()
        .map(|&t| {
            let mut s = scene(Setting::Meadow, t, Weather::Clear);
            put(&mut s, "kid", Kind::Child, (Color::Yellow, Color::Blue), Spot::Center.position(), Action::Idle);
            (t, render_frame(&s.pose_at(10.0), 128, 96, 2))
        })
        .collect();
    for (i, (ta, fa)) in frames.iter().enumerate() {
        for (tb, fb) in &frames[i + 1..] {
            assert!(diff(fa, fb) > 5.0, "{ta} and {tb} look the same");
        }
    }
    let get = |t: TimeOfDay| &frames.iter().find(|(x, _)| *x == t).expect("rendered").1;
    let (day, night, dusk) = (get(TimeOfDay::Day), get(TimeOfDay::Night), get(TimeOfDay::Dusk));
    assert!(luma(night) < luma(day) * 0.6, "night should be much darker");
    let (n, d) = (mean_rgb(night), mean_rgb(day));
    assert!(n[2] / n[0] > d[2] / d[0], "night should be bluish");
    let k = mean_rgb(dusk);
    assert!(k[0] / k[2] > d[0] / d[2], "dusk should be warmer than day");
}

#[test]
fn weather_changes_the_image() {
    let render = |w: Weather, t: f64| {
        let mut s = scene(Setting::Meadow, TimeOfDay::Day, w);
        put(&mut s, "kid", Kind::Child, (Color::Yellow, Color::Blue), Spot::Center.position(), Action::Idle);
        render_frame(&s.pose_at(t), 128, 96, 5)
    };
    let clear = render(Weather::Clear, 10.0);
    for &w in Weather::ALL.iter().filter(|w| **w != Weather::Clear) {
        let d = diff(&render(w, 10.0), &clear);
        assert!(d > 2.0, "{w} looks like clear weather (diff {d:.2})");
    }
    assert!(luma(&render(Weather::Storm, 10.0)) < luma(&clear) * 0.8, "a storm should darken the stage");
    // A storm flashes now and then: some frame of ten seconds is much brighter than the median.
    let lumas: Vec<f64> = (0..120).map(|i| luma(&render(Weather::Storm, i as f64 * 2.0))).collect();
    let mut sorted = lumas.clone();
    sorted.sort_by(f64::total_cmp);
    assert!(sorted[119] > sorted[60] * 1.3, "no lightning flash in ten seconds of storm");
}

#[test]
fn camera_pan_and_zoom_move_the_picture() {
    let mut s = meadow_with_child();
    let before = render_frame(&s.pose_at(0.0), 128, 96, 0);
    s.apply(&Event::Camera { x: 0.5, zoom: 1.0, ticks: 0 }).expect("camera");
    let panned = render_frame(&s.pose_at(0.0), 128, 96, 0);
    s.apply(&Event::Camera { x: 0.0, zoom: 2.0, ticks: 0 }).expect("camera");
    let zoomed = render_frame(&s.pose_at(0.0), 128, 96, 0);
    assert!(diff(&before, &panned) > 2.0 && diff(&before, &zoomed) > 2.0);
}

#[test]
fn absurd_positions_and_sizes_do_not_crash() {
    let mut s = scene(Setting::Castle, TimeOfDay::Night, Weather::Storm);
    let bad = [
        Position::new(f32::NAN, f32::NAN, f32::NAN),
        Position::new(1e30, -1e30, 5.0),
        Position::new(-50.0, 40.0, -3.0),
        Position::new(f32::INFINITY, 0.0, 0.5),
        Position::new(0.0, -0.9, 0.0),
    ];
    for (i, p) in bad.iter().enumerate() {
        put(
            &mut s,
            &format!("e{i}"),
            Kind::ALL[i * 3 % Kind::ALL.len()],
            (Color::Gold, Color::Pink),
            *p,
            Action::ALL[i % 13],
        );
    }
    let mut pose = s.pose_at(1e9);
    // Bypass the scene's own sanitising, as a hand-made pose could.
    for (pe, p) in pose.entities.iter_mut().zip(bad) {
        pe.position = p;
        pe.action_time = f32::INFINITY;
    }
    pose.time = f32::NAN;
    pose.camera = Camera { x: f32::NAN, zoom: f32::INFINITY };
    for (w, h) in [(128, 96), (3, 2), (256, 192)] {
        let f = render_frame(&pose, w, h, u64::MAX);
        assert_eq!(f.rgb.len(), (w * h * 3) as usize);
    }
    let mut huge = scene(Setting::Space, TimeOfDay::Day, Weather::Snow);
    huge.apply(&Event::Add {
        id: "big".into(),
        name: "big".into(),
        kind: Kind::Dragon,
        appearance: Appearance { color: Color::Red, accent: Color::Gold, size: f32::NAN },
    })
    .expect("add");
    huge.apply(&Event::Enter { id: "big".into(), at: Spot::Center.position() }).expect("enter");
    let f = render_frame(&huge.pose_at(3.0), 128, 96, 0);
    assert_eq!(f.rgb.len(), 128 * 96 * 3);
}

#[test]
fn every_setting_has_its_own_backdrop() {
    let frames: Vec<_> = Setting::ALL
        .iter()
        .map(|&st| (st, render_frame(&scene(st, TimeOfDay::Day, Weather::Clear).pose_at(0.0), 128, 96, 0)))
        .collect();
    for (i, (a, fa)) in frames.iter().enumerate() {
        for (b, fb) in &frames[i + 1..] {
            assert!(diff(fa, fb) > 4.0, "{a} and {b} backdrops look alike");
        }
    }
}
