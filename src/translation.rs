//! Translations and their source: the digest a translation records of the source-language
//! file it was made from.

use sha2::{Digest as _, Sha256};

/// SHA-256 (hex) of a source file's text with line endings normalized to `\n`, so that a
/// checkout with other line endings gives the same digest. `sha256sum` gives the same value
/// for a file with `\n` endings.
pub fn source_digest(text: &str) -> String {
    let normalized = text.replace("\r\n", "\n");
    let hash = Sha256::digest(normalized.as_bytes());
    hash.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_endings_do_not_change_the_digest() {
        assert_eq!(source_digest("a\r\nb\r\n"), source_digest("a\nb\n"));
        assert_eq!(
            source_digest(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
