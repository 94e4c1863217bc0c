//! The app's typeface: Andika, made by SIL International for beginning readers (single-storey
//! a and g, a capital I, small l and 1 that do not look alike, an r n that is not an m), under
//! the SIL Open Font License 1.1.
//!
//! The TTF is compiled into the binary (`assets/fonts/`, its licence beside it), so the app
//! finds it from any directory: nothing is read through Bevy's asset server.

use bevy::prelude::*;

/// Andika Regular 6.101 (Debian's `fonts-sil-andika`), licence in `assets/fonts/OFL.txt`.
const ANDIKA_REGULAR: &[u8] = include_bytes!("../../assets/fonts/Andika-Regular.ttf");

/// The typefaces the app's text is set in.
#[derive(Resource, Clone)]
pub struct Fonts {
    /// Andika Regular: titles, subtitles, buttons, banners.
    pub text: Handle<Font>,
}

impl Fonts {
    /// A [`TextFont`] in the app's typeface at `size` pixels.
    pub fn at(&self, size: f32) -> TextFont {
        TextFont::from_font_size(size).with_font(self.text.clone())
    }
}

/// Adds the font as an asset while the app is built, so that every `Startup` and `OnEnter`
/// system finds [`Fonts`]. Without `TextPlugin` (headless tests) the asset type is registered
/// here: the text is laid out by no one, but it carries the same handle.
pub(crate) fn plugin(app: &mut App) {
    if !app.world().contains_resource::<Assets<Font>>() {
        app.init_asset::<Font>();
    }
    let text = app.world_mut().resource_mut::<Assets<Font>>().add(Font::from_bytes(ANDIKA_REGULAR.to_vec()));
    app.insert_resource(Fonts { text });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_font_is_andika_with_its_licence_beside_it() {
        // A TrueType file (version 1.0 tag), with its family name inside.
        assert_eq!(&ANDIKA_REGULAR[..4], &[0, 1, 0, 0]);
        let utf16: Vec<u8> = "Andika".encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert!(ANDIKA_REGULAR.windows(utf16.len()).any(|w| w == utf16.as_slice()));
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/fonts");
        let licence = std::fs::read_to_string(dir.join("OFL.txt")).unwrap();
        assert!(licence.contains("SIL OPEN FONT LICENSE Version 1.1"));
        assert!(licence.contains("SIL International"));
    }
}
