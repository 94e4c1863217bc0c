//! What each action does to a figure over time.
//!
//! An [`Anim`] is a handful of numbers every figure understands (lift, tilt, squash, limb swing,
//! wing beat, mouth, eyes, glow); figures read the ones that fit their body (a fish has no legs
//! to swing, a robot has no wings to flap) and the rest moves the whole figure.

use super::rng;
use campfire_scene::{Action, Kind};
use std::f32::consts::TAU;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Anim {
    /// Whole-figure offset in figure units (x forward, y up).
    pub dx: f32,
    pub dy: f32,
    /// Whole-figure rotation in radians (positive leans back, counter-clockwise when facing right).
    pub tilt: f32,
    /// Whole-figure scale, and vertical squash (1 = none).
    pub scale: f32,
    pub squash: f32,
    /// Leg swing, -1..1 (walk cycle), and arm swing.
    pub legs: f32,
    pub arms: f32,
    /// Front arm raised: 0 down, 1 straight up (waving).
    pub wave: f32,
    /// Wing beat, -1 (down) .. 1 (up).
    pub wing: f32,
    /// Mouth opening 0..1.
    pub mouth: f32,
    pub eyes_closed: bool,
    /// Glow strength 0..1 (shine).
    pub glow: f32,
    pub alpha: f32,
    /// Tail wag, -1..1.
    pub tail: f32,
    /// Sleeping z's: phase 0..1 of the floating letters, if asleep.
    pub zzz: Option<f32>,
    /// Speech bubble dots, if talking: phase 0..1.
    pub talk: Option<f32>,
    /// Swimming: water line across the body, and its phase.
    pub swim: Option<f32>,
    /// Sparkles around a growing or shining figure: phase.
    pub sparkle: Option<f32>,
    /// Speed lines behind a running figure.
    pub speed: f32,
    /// A volcano's eruption: phase 0..1 of the lava fountain, if erupting.
    pub erupt: Option<f32>,
}

impl Anim {
    pub const REST: Anim = Anim {
        dx: 0.0,
        dy: 0.0,
        tilt: 0.0,
        scale: 1.0,
        squash: 1.0,
        legs: 0.0,
        arms: 0.0,
        wave: 0.0,
        wing: 0.0,
        mouth: 0.0,
        eyes_closed: false,
        glow: 0.0,
        alpha: 1.0,
        tail: 0.0,
        zzz: None,
        talk: None,
        swim: None,
        sparkle: None,
        speed: 0.0,
        erupt: None,
    };
}

/// Kinds that lie still rather than breathe or bob (they still glow, grow, hide).
fn is_object(kind: Kind) -> bool {
    has_wheels(kind)
        || matches!(
            kind,
            Kind::House
                | Kind::Rock
                | Kind::Tree
                | Kind::Lantern
                | Kind::Boat
                | Kind::Rocket
                | Kind::Seed
                | Kind::Plane
                | Kind::Teddy
                | Kind::Balloon
                | Kind::Kite
                | Kind::Doll
                | Kind::Drum
                | Kind::Cake
                | Kind::Banana
                | Kind::Carrot
                | Kind::IceCream
                | Kind::Cookie
                | Kind::Mushroom
                | Kind::Leaf
                | Kind::Rainbow
                | Kind::Chair
                | Kind::Bed
                | Kind::Cup
                | Kind::Hat
                | Kind::Umbrella
        )
}

/// The animation of `action` at `t` seconds after it began. `salt` desynchronises figures doing
/// the same thing so a crowd does not move in lockstep.
pub fn animate(action: Action, kind: Kind, t: f32, salt: u64) -> Anim {
    let t = if t.is_finite() { t } else { 0.0 };
    let off = rng::unit(0xA11CE, 5, salt) * 0.7;
    let s = |hz: f32| (TAU * hz * (t + off)).sin();
    let mut a = Anim::REST;
    // Idle life under every action: slow breathing and a lazy tail.
    if !is_object(kind) {
        a.squash = 1.0 + 0.018 * s(0.45);
        a.tail = 0.35 * s(0.6);
        a.wing = 0.15 * s(0.5);
    }
    match action {
        Action::Idle => {}
        Action::Walk => {
            a.legs = s(1.8);
            a.arms = -s(1.8);
            a.dy = 0.035 * s(3.6).abs();
            a.tail = 0.6 * s(1.8);
            a.tilt = -0.03;
        }
        Action::Run => {
            a.legs = s(3.0) * 1.3;
            a.arms = -s(3.0) * 1.2;
            a.dy = 0.08 * s(6.0).abs();
            a.tilt = -0.16;
            a.tail = 0.9 * s(3.0);
            a.speed = 1.0;
        }
        Action::Fly => {
            a.wing = s(3.2);
            a.dy = 0.22 + 0.06 * s(1.6);
            a.tilt = -0.08 + 0.05 * s(0.8);
            a.legs = 0.3;
            a.arms = 0.8;
        }
        Action::Jump => {
            let p = ((t + off) / 0.9).fract();
            a.dy = 0.55 * 4.0 * p * (1.0 - p);
            // Squash when landing and taking off, stretch in the air.
            a.squash = if !(0.08..=0.92).contains(&p) { 0.85 } else { 1.0 + 0.08 * (1.0 - (2.0 * p - 1.0).abs()) };
            a.legs = if (0.08..=0.92).contains(&p) { 0.6 } else { 0.0 };
            a.wave = 0.9 * (1.0 - (2.0 * p - 1.0).abs());
            a.arms = 0.5;
        }
        Action::Swim => {
            a.tilt = 0.14 * s(1.1);
            a.dy = 0.03 * s(2.2) - if matches!(kind, Kind::Fish | Kind::Whale) { 0.0 } else { 0.12 };
            a.dx = 0.05 * s(0.55);
            a.legs = s(2.2);
            a.arms = s(2.2);
            a.tail = s(2.2);
            a.swim = Some(((t + off) * 0.8).fract());
        }
        Action::Sleep => {
            a.eyes_closed = true;
            if matches!(kind, Kind::Child | Kind::Robot) {
                // Upright figures lie down on their back, breathing slowly.
                a.tilt = 1.5;
                a.dy = 0.2;
                a.squash = 1.0 + 0.02 * s(0.3);
            } else {
                a.squash = 0.85 + 0.03 * s(0.3);
                a.dy = -0.02;
                a.tilt = 0.05;
            }
            a.tail = 0.0;
            a.wing = -0.4;
            a.zzz = Some(((t + off) * 0.35).fract());
        }
        Action::Talk => {
            a.mouth = (0.5 + 0.5 * s(4.5)).powf(0.7);
            a.dy = 0.012 * s(2.2).abs();
            a.arms = 0.25 * s(1.2);
            a.talk = Some(((t + off) * 1.2).fract());
        }
        Action::Grow => {
            let p = ((t + off) / 1.6).fract();
            a.scale = 1.0 + 0.22 * (0.5 - 0.5 * (TAU * p).cos());
            a.sparkle = Some(p);
            a.glow = 0.3;
        }
        Action::Wave => {
            a.wave = 0.9;
            a.arms = 0.45 * s(2.2);
            // Without arms the whole body waves hello.
            a.tilt = if has_legs(kind) { 0.06 * s(1.1) } else { 0.22 * s(1.1) };
            a.tail = s(2.2);
            a.wing = 0.7 * s(2.2);
        }
        Action::Dance => {
            a.tilt = 0.24 * s(1.2);
            a.dy = 0.07 * s(2.4).abs();
            a.dx = 0.06 * s(1.2);
            a.legs = s(2.4) * 0.8;
            a.arms = s(1.2);
            a.wave = 0.5 + 0.5 * s(1.2);
            a.tail = s(2.4);
            a.wing = s(2.4);
        }
        Action::Shine => {
            a.glow = 0.7 + 0.3 * s(1.3);
            a.sparkle = Some(((t + off) * 0.7).fract());
            a.squash = 1.0 + 0.03 * s(1.3);
        }
        // The front arm reaches forward to the hand where a prop sits (`hand_point`).
        Action::Hold => {
            a.wave = 0.55;
            a.arms = 0.1 * s(0.5);
            // Leaning a little forward, offering what is in hand; without arms, the whole body.
            a.tilt = if has_legs(kind) { -0.08 } else { -0.18 };
            a.dy = 0.015 * s(0.9).abs();
        }
        Action::Give => {
            // Arm out towards the one given to, with a small lean.
            a.wave = 0.6;
            a.tilt = -0.06;
            a.dx = 0.04;
        }
        Action::Point => {
            a.wave = 0.72;
            a.arms = 0.05 * s(1.5);
            a.tilt = if has_legs(kind) { -0.03 } else { -0.2 };
        }
        Action::LookAt => {
            // Head up and a slow lean towards what is looked at.
            a.tilt = -0.05 + 0.02 * s(0.4);
            a.dy = 0.01 * s(0.8).abs();
        }
        Action::Dig => {
            let p = ((t + off) / 1.1).fract();
            // Bend down and push, then straighten and lift.
            let k = (TAU * p).sin();
            a.tilt = -0.25 - 0.15 * k;
            a.arms = 0.8 * k;
            a.wave = 0.2 + 0.15 * k;
            a.dy = -0.02;
        }
        Action::Erupt => {
            a.erupt = Some(((t + off) * 0.8).fract());
            a.glow = 0.5 + 0.3 * s(2.0);
            a.dx = 0.012 * s(9.0);
        }
        Action::Hide => {
            let k = (t / 0.6).clamp(0.0, 1.0);
            let k = k * k * (3.0 - 2.0 * k);
            a.scale = 1.0 - 0.4 * k;
            a.squash = 1.0 - 0.2 * k;
            a.alpha = 1.0 - 0.45 * k;
            a.eyes_closed = s(0.4) > 0.7;
            a.tilt = 0.0;
            a.legs = 0.0;
        }
    }
    if !has_legs(kind) && !has_wheels(kind) {
        // Nothing to swing: the whole body rocks and hops with the stride instead (wheels roll).
        a.tilt += 0.2 * a.legs;
        a.dy += 0.08 * a.legs.abs();
    }
    a
}

fn has_legs(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Child
            | Kind::Dragon
            | Kind::Cat
            | Kind::Dog
            | Kind::Rabbit
            | Kind::Bird
            | Kind::Robot
            | Kind::Horse
            | Kind::Cow
            | Kind::Pig
            | Kind::Sheep
            | Kind::Duck
            | Kind::Owl
            | Kind::Frog
            | Kind::Bear
            | Kind::Lion
            | Kind::Elephant
            | Kind::Giraffe
            | Kind::Monkey
            | Kind::Mouse
            | Kind::Turtle
            | Kind::Penguin
            | Kind::Dinosaur
    )
}

/// Vehicles: their wheels turn while they walk or run, and they do not rock like a hopping thing.
pub fn has_wheels(kind: Kind) -> bool {
    matches!(kind, Kind::Car | Kind::Bus | Kind::Train | Kind::Truck | Kind::Bicycle | Kind::FireEngine)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_moves_differently_from_idle_somewhere_in_two_seconds() {
        for &action in Action::ALL.iter().filter(|a| **a != Action::Idle) {
            let moved = (0..24).any(|i| {
                let t = i as f32 / 12.0;
                animate(action, Kind::Child, t, 0) != animate(Action::Idle, Kind::Child, t, 0)
            });
            assert!(moved, "{action} looks like idle");
        }
    }
}
