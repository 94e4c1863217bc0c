//! The kid-safe filter against a data file of safe and unsafe inputs.

use campfire_intent::safety::{Reason, Verdict, check};
use serde::Deserialize;

#[derive(Deserialize)]
struct Cases {
    safe: Vec<String>,
    #[serde(rename = "unsafe")]
    bad: Vec<(String, Reason)>,
}

fn cases() -> Cases {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/safety.ron");
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    ron::from_str(&text).unwrap_or_else(|e| panic!("{path} is not a valid case list: {e}"))
}

#[test]
fn fifty_safe_and_fifty_unsafe_inputs() {
    let cases = cases();
    assert!(cases.safe.len() >= 50 && cases.bad.len() >= 50, "the data file needs ≥ 50 of each");
    let mut wrong = Vec::new();
    for t in &cases.safe {
        if let Verdict::Unsafe { reason, .. } = check(t) {
            wrong.push(format!("safe text refused as {reason:?}: {t:?}"));
        }
    }
    for (t, expected) in &cases.bad {
        match check(t) {
            Verdict::Safe => wrong.push(format!("unsafe text passed ({expected:?} expected): {t:?}")),
            Verdict::Unsafe { reason, redirect } => {
                assert!(!redirect.is_empty());
                // Any refusal keeps the child safe, but the reason picks the redirect text.
                if reason != *expected {
                    wrong.push(format!("refused for {reason:?}, expected {expected:?}: {t:?}"));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{} of {} wrong:\n{}", wrong.len(), cases.safe.len() + cases.bad.len(), wrong.join("\n"));
}

#[test]
fn redirects_never_repeat_the_input() {
    for (t, _) in cases().bad {
        if let Verdict::Unsafe { redirect, .. } = check(&t) {
            assert!(!redirect.to_lowercase().contains(&t.to_lowercase()), "{redirect}");
            assert_eq!(check(&redirect), Verdict::Safe, "the redirect itself must pass: {redirect}");
        }
    }
}
