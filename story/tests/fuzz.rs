//! Mutated templates (truncations, byte flips, swapped fields, deleted and duplicated lines):
//! the loader and linter return errors or valid stories, and never panic.

mod common;

use campfire_story::{Params, Runtime, Story, lint};
use std::panic::{AssertUnwindSafe, catch_unwind};

fn mutate(src: &str, rng: &mut fastrand::Rng) -> String {
    let bytes = src.as_bytes();
    let lines: Vec<&str> = src.lines().collect();
    match rng.u8(..7) {
        0 => String::from_utf8_lossy(&bytes[..rng.usize(..bytes.len())]).into_owned(),
        1 => {
            let mut b = bytes.to_vec();
            for _ in 0..rng.usize(1..4) {
                let i = rng.usize(..b.len());
                b[i] = rng.u8(..);
            }
            String::from_utf8_lossy(&b).into_owned()
        }
        2 => {
            let (i, j) = (rng.usize(..lines.len()), rng.usize(..lines.len()));
            let mut l = lines.clone();
            l.swap(i, j);
            l.join("\n")
        }
        3 => {
            let mut l = lines.clone();
            l.remove(rng.usize(..l.len()));
            l.join("\n")
        }
        4 => {
            let mut l = lines.clone();
            let i = rng.usize(..l.len());
            l.insert(i, lines[rng.usize(..lines.len())]);
            l.join("\n")
        }
        5 => {
            // Swap two quoted values: ids, beats, kinds and texts change places.
            let quoted: Vec<&str> = src.split('"').skip(1).step_by(2).collect();
            let (a, b) = (quoted[rng.usize(..quoted.len())], quoted[rng.usize(..quoted.len())]);
            src.replacen(&format!("\"{a}\""), "\u{0}", 1)
                .replacen(&format!("\"{b}\""), &format!("\"{a}\""), 1)
                .replacen('\u{0}', &format!("\"{b}\""), 1)
        }
        _ => {
            // Swap two numbers or identifiers after a colon.
            let words: Vec<&str> = src
                .split([' ', ',', '(', ')'])
                .filter(|w| w.chars().next().is_some_and(|c| c.is_ascii_alphanumeric()))
                .collect();
            let (a, b) = (words[rng.usize(..words.len())], words[rng.usize(..words.len())]);
            src.replacen(a, b, 1)
        }
    }
}

#[test]
fn a_thousand_mutants_never_panic() {
    let originals: Vec<String> = common::shipped().iter().map(|p| std::fs::read_to_string(p).unwrap()).collect();
    let mut rng = fastrand::Rng::with_seed(7);
    let (mut valid, mut invalid) = (0, 0);
    for n in 0..1200 {
        let src = mutate(&originals[n % originals.len()], &mut rng);
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let diags = lint::lint_source("mutant.ron", &src);
            for d in &diags {
                assert!(d.line >= 1 && d.column >= 1 && d.offset <= src.len(), "bad place {d}");
            }
            match Story::from_source("mutant.ron", &src) {
                Ok(story) => {
                    // A valid mutant must also play: a few steps of its first path.
                    let mut rt = Runtime::new(story.template, Params::new()).expect("valid stories start");
                    for _ in 0..50 {
                        match rt.next() {
                            Ok(campfire_story::Output::Choices(_)) => rt.choose(0).expect("offered choice"),
                            Ok(campfire_story::Output::End(_)) => break,
                            Ok(_) => {}
                            Err(e) => panic!("linted story failed at run time: {e}"),
                        }
                    }
                    true
                }
                Err(_) => false,
            }
        }));
        match outcome {
            Ok(true) => valid += 1,
            Ok(false) => invalid += 1,
            Err(_) => panic!("mutant {n} panicked; source:\n{src}"),
        }
    }
    println!("{valid} valid, {invalid} invalid mutants");
    assert!(valid > 50 && invalid > 300, "mutations should produce both: {valid} valid, {invalid} invalid");
}
