//! A damaged neural narrator gives way to espeak-ng. In its own test binary because it points
//! `CAMPFIRE_NARRATOR_DIR` at a damaged copy, which other tests must never see.
//!
//! Needs the narrator's files from `scripts/setup-narrator.sh` to copy; without them it prints
//! why and returns.

#![cfg(feature = "neural")]

use campfire_voice::neural::{Neural, files};
use campfire_voice::{Backend, Voice, VoiceSettings};

#[test]
fn a_corrupt_model_falls_back_to_espeak() {
    let dir = match files::dir() {
        Ok(d) => d,
        Err(e) => {
            println!("SKIPPED: {e}");
            return;
        }
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    for f in files::pinned() {
        std::fs::copy(dir.join(f.name), tmp.path().join(f.name)).expect("copy");
    }
    // Truncate the model: a download cut short.
    let model = std::fs::read(dir.join(files::MODEL)).expect("model");
    std::fs::write(tmp.path().join(files::MODEL), &model[..model.len() / 2]).expect("write");
    let err = Neural::open_in(tmp.path(), VoiceSettings::default()).err().expect("a corrupt model must not load");
    assert!(err.to_string().contains(files::MODEL), "{err}");

    // The same through the one place commands choose their voice.
    // SAFETY: the only test in this binary that touches the environment, and it reads nothing else.
    unsafe { std::env::set_var(files::DIR_VAR, tmp.path()) };
    let voice = Voice::open(Backend::Neural, VoiceSettings::default());
    unsafe { std::env::remove_var(files::DIR_VAR) };
    let mut voice = voice.expect("espeak-ng takes over");
    assert_eq!(voice.backend(), Backend::Espeak);
    let u = voice.prepare("The story goes on.").expect("espeak-ng speaks");
    assert_eq!(u.audio.expect("audio").sample_rate, 22_050);
}
