//! The model `scripts/setup-whisper.sh` converted: what the converter computes agrees with it.

use campfire_convert::assets::MelFilters;
use campfire_voice::{ggml, transcribe};

#[test]
fn computed_mel_filters_match_the_stored_ones() {
    let path = transcribe::default_model_path();
    assert!(path.is_file(), "whisper model missing at {}: run scripts/setup-whisper.sh first", path.display());
    let (n_mel, n_fft, stored) = ggml::read_mel_filters(&path).expect("mel filters");
    let computed = MelFilters::compute(n_mel);
    assert_eq!((computed.n_mels, computed.n_freq), (n_mel, n_fft));
    let worst = stored.iter().zip(&computed.data).map(|(a, b)| (a - b).abs()).fold(0.0, f32::max);
    assert!(worst < 1e-5, "largest difference {worst}");
}
