//! Without the `whisper` feature the crate still builds and says clearly what is missing.

#![cfg(not(feature = "whisper"))]

use campfire_voice::transcribe::{self, TranscribeError, Transcriber};

#[test]
fn loading_says_the_feature_is_off() {
    let path = transcribe::default_model_path();
    assert!(path.is_file(), "whisper model missing at {}: run scripts/setup-whisper.sh first", path.display());
    let err = Transcriber::load(&path).expect_err("no whisper without the feature");
    assert!(matches!(err, TranscribeError::FeatureDisabled), "{err}");
    assert!(err.to_string().contains("`whisper` feature"), "{err}");
}
