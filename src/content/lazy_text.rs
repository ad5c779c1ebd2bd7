//! The long texts of a parse (a body's HTML and plain text), which most builds never read: a
//! build after an edit renders a few pages and indexes one language, but takes every page's
//! parse from the parse store. Read from the store, such a text stays where it is in the
//! shard's bytes, unchecked and uncopied, until something reads it; just parsed, it is owned.
//!
//! The store's shards are decoded with `decoding_shard`, which tells the texts decoded in it
//! which bytes they borrow from. Elsewhere (JSON, or postcard without a shard) a text is
//! decoded into one of its own. A shard's bytes are the file mapped into memory where the
//! system allows it (`ShardBytes::of_file`): most of them (the texts) are then never copied.

use std::cell::RefCell;
use std::fmt;
use std::ops::{Deref, Range};
use std::sync::Arc;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A text that derefs to `str`.
#[derive(Clone)]
pub struct LazyText(Repr);

#[derive(Clone)]
enum Repr {
    Owned(Box<str>),
    /// A range of a shard's bytes, which the store wrote from a `str` and whose checksum it
    /// checked before decoding any of it (UTF-8 is checked when the text is read).
    InShard {
        shard: Arc<ShardBytes>,
        range: Range<usize>,
    },
}

/// The bytes of one shard of the parse store, as a whole.
pub enum ShardBytes {
    Read(Vec<u8>),
    /// The shard's file mapped read-only. The store replaces a shard by writing a new file
    /// and renaming it over the old one, never by writing into it, so the mapped bytes stay
    /// those of the file as it was opened (another program writing into `.briefing-cache`,
    /// which is briefing's alone, could change them: a text is checked as UTF-8 when read).
    Mapped(memmap2::Mmap),
}

impl ShardBytes {
    /// The bytes of `file` (of `length` bytes): mapped, or read where mapping fails.
    pub fn of_file(file: &std::fs::File, length: u64) -> std::io::Result<ShardBytes> {
        if length > 0 {
            // SAFETY: see `Mapped`: nothing briefing does writes into a mapped shard.
            if let Ok(mapped) = unsafe { memmap2::Mmap::map(file) } {
                return Ok(ShardBytes::Mapped(mapped));
            }
        }
        let mut bytes = Vec::with_capacity(usize::try_from(length).unwrap_or(0));
        std::io::Read::read_to_end(&mut &*file, &mut bytes)?;
        Ok(ShardBytes::Read(bytes))
    }
}

impl Deref for ShardBytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            ShardBytes::Read(bytes) => bytes,
            ShardBytes::Mapped(mapped) => mapped,
        }
    }
}

impl From<Vec<u8>> for ShardBytes {
    fn from(bytes: Vec<u8>) -> Self {
        ShardBytes::Read(bytes)
    }
}

thread_local! {
    /// The shard this thread is decoding, if any (see `decoding_shard`).
    static SHARD: RefCell<Option<Arc<ShardBytes>>> = const { RefCell::new(None) };
}

/// Runs `decode` over (part of) `shard`'s bytes, the texts it decodes left in `shard`.
pub fn decoding_shard<T>(shard: &Arc<ShardBytes>, decode: impl FnOnce() -> T) -> T {
    let before = SHARD.with(|current| current.replace(Some(shard.clone())));
    let decoded = decode();
    SHARD.with(|current| current.replace(before));
    decoded
}

impl LazyText {
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Owned(text) => text,
            // Written from a `str` and checked against its checksum before it was decoded:
            // only damage that the CRC-32 did not see could make it otherwise.
            Repr::InShard { shard, range } => std::str::from_utf8(&shard[range.clone()]).expect(
                "a parse store shard passed its checksum but holds text that is not UTF-8: \
                     delete .briefing-cache/parsed and build again",
            ),
        }
    }

    /// Its length in bytes, found without reading it.
    pub fn len(&self) -> usize {
        match &self.0 {
            Repr::Owned(text) => text.len(),
            Repr::InShard { range, .. } => range.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A text borrowed from the shard being decoded, if `bytes` lies in it.
    fn in_shard(bytes: &[u8]) -> Option<LazyText> {
        SHARD.with(|current| {
            let current = current.borrow();
            let shard = current.as_ref()?;
            let start = (bytes.as_ptr() as usize).checked_sub(shard.as_ptr() as usize)?;
            let range = start..start.checked_add(bytes.len())?;
            (range.end <= shard.len()).then(|| {
                LazyText(Repr::InShard {
                    shard: shard.clone(),
                    range,
                })
            })
        })
    }
}

impl Default for LazyText {
    fn default() -> Self {
        LazyText(Repr::Owned(Box::default()))
    }
}

impl From<String> for LazyText {
    fn from(text: String) -> Self {
        LazyText(Repr::Owned(text.into_boxed_str()))
    }
}

impl From<&str> for LazyText {
    fn from(text: &str) -> Self {
        LazyText(Repr::Owned(text.into()))
    }
}

impl Deref for LazyText {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for LazyText {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for LazyText {}

impl std::hash::Hash for LazyText {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl fmt::Debug for LazyText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for LazyText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A string in human-readable formats; bytes in the others (postcard writes both as their
/// length and then the bytes, and gives bytes back without checking them as UTF-8).
impl Serialize for LazyText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            serializer.serialize_str(self)
        } else {
            serializer.serialize_bytes(self.as_bytes())
        }
    }
}

impl<'de> Deserialize<'de> for LazyText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        if deserializer.is_human_readable() {
            String::deserialize(deserializer).map(LazyText::from)
        } else {
            deserializer.deserialize_bytes(TextVisitor)
        }
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = LazyText;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the bytes of a UTF-8 text")
    }

    fn visit_borrowed_bytes<E: de::Error>(self, bytes: &'de [u8]) -> Result<LazyText, E> {
        match LazyText::in_shard(bytes) {
            Some(text) => Ok(text),
            None => self.visit_bytes(bytes),
        }
    }

    fn visit_bytes<E: de::Error>(self, bytes: &[u8]) -> Result<LazyText, E> {
        std::str::from_utf8(bytes)
            .map(LazyText::from)
            .map_err(|_| E::invalid_value(de::Unexpected::Bytes(bytes), &self))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<LazyText, E> {
        Ok(LazyText::from(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_decoded_from_a_shard_borrows_its_bytes_and_elsewhere_owns_them() {
        let texts = vec![LazyText::from("Sécurité"), LazyText::from("")];
        let bytes = postcard::to_stdvec(&texts).unwrap();
        let shard = Arc::new(ShardBytes::from(bytes));
        let borrowed: Vec<LazyText> =
            decoding_shard(&shard, || postcard::from_bytes(&shard).unwrap());
        assert_eq!(borrowed, texts);
        assert!(matches!(borrowed[0].0, Repr::InShard { .. }));
        let owned: Vec<LazyText> = postcard::from_bytes(&shard).unwrap();
        assert_eq!(owned, texts);
        assert!(matches!(owned[0].0, Repr::Owned(_)));
        // Not UTF-8: refused when decoded without a shard.
        assert!(postcard::from_bytes::<LazyText>(&[2, 0xC3, 0x28]).is_err());
        let json = serde_json::to_string(&texts[0]).unwrap();
        assert_eq!(json, "\"Sécurité\"");
        assert_eq!(serde_json::from_str::<LazyText>(&json).unwrap(), texts[0]);
    }
}
