//! The shipped stories: each lints clean, and every path of every story reaches an ending.

mod common;

use campfire_story::explore::explore;
use campfire_story::{Params, Story, lint};

#[test]
fn at_least_six_stories_ship_and_lint_clean() {
    let files = common::shipped();
    assert!(files.len() >= 6, "only {} stories ship", files.len());
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let diags = lint::lint_source(&f.display().to_string(), &text);
        assert!(
            diags.is_empty(),
            "{}:\n{}",
            f.display(),
            diags.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n")
        );
    }
}

#[test]
fn every_path_of_every_story_reaches_an_ending() {
    for f in common::shipped() {
        let story = Story::load(&f).unwrap().template;
        // Every allowed value of every parameter, one parameter at a time.
        let mut param_sets = vec![Params::new()];
        for p in &story.params {
            for v in &p.one_of {
                param_sets.push([(p.id.clone(), v.clone())].into_iter().collect());
            }
        }
        for params in param_sets {
            let walk = explore(story.clone(), params.clone(), 100_000);
            assert!(walk.complete, "{}: walk did not finish", f.display());
            assert!(walk.problems.is_empty(), "{} {params:?}: {:?}", f.display(), walk.problems);
            assert!(!walk.endings.is_empty(), "{}: no ending", f.display());
            assert!(walk.lines > 0);
        }
    }
}

#[test]
fn branching_stories_have_several_endings_and_explainers_teach_to_the_end() {
    let endings = |name: &str| explore(common::load(name), Params::new(), 100_000).endings;
    assert_eq!(endings("dragon-dark").keys().collect::<Vec<_>>(), ["brave", "cosy", "together"]);
    assert!(endings("lost-kitten").len() >= 2);
    assert!(endings("moon-trip").contains_key("home"));
    assert_eq!(endings("water-cycle").keys().collect::<Vec<_>>(), ["learned"]);
    assert_eq!(endings("seed-to-plant").keys().collect::<Vec<_>>(), ["grown"]);
}

#[test]
fn stories_are_for_the_ages_they_say() {
    for f in common::shipped() {
        let story = Story::load(&f).unwrap();
        let (lo, hi) = story.template.ages;
        assert!(lo >= 3 && hi <= 10 && lo <= hi, "{}: ages {lo}-{hi}", f.display());
    }
}
