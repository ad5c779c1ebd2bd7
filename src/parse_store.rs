//! The parse store: every page's parse kept between builds, in the project's
//! `.briefing-cache/parsed/`, so that a build after an edit parses only the pages whose inputs
//! changed and reads the text of no other page. It is a cache, never a source: any shard
//! missing, damaged or written by another binary is parsed again, and `build --fresh` reads
//! none of its entries (only the shards' heads, so as not to rewrite what already holds).
//!
//! It sits in the project rather than in the output folder because it holds drafts and
//! translations held back, which must never reach a published folder.
//!
//! Entries are spread over a fixed number of shards by their path, so that a build writes
//! again only the shards whose entries changed (one, after one page was edited), and reads
//! them on every core. A shard is headed by the binary that wrote it, a signature of its
//! entries (each one's path, key, reads and result digest: what `save` compares to know the
//! shard unchanged without serializing it) and a checksum of its bytes (a damaged shard is
//! never read).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::content::lazy_text;
use crate::content::page::{HomeText, Page};
use crate::output::{Cleanup, with_path};
use crate::source::{Digest, DigestHasher};

/// The project's cache folder, which only briefing writes (a build may not write its site
/// there).
pub const CACHE_DIR: &str = ".briefing-cache";

/// Tells backup and archiving tools that the folder holds nothing to keep
/// (<https://bford.info/cachedir/>).
const CACHEDIR_TAG: &str = "Signature: 8a477f597d28d172789f06886806bc55\n\
# This folder is briefing's cache: it is made again by any build. See https://bford.info/cachedir/\n";

const SHARDS: usize = 64;

/// The first bytes of every shard: the format, then the binary that wrote it (a parse by
/// another binary may differ).
fn header() -> String {
    format!(
        "briefing-parse-store 2 {}\n",
        crate::output::record::binary_identity()
    )
}

/// One file's parse as a build stored it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredParse {
    pub path: PathBuf,
    /// The digests of the file and of what else its parse depends on (see `build::parse`).
    pub key: (Digest, Digest),
    /// The other files the parse read, with their digests then.
    pub reads: Vec<(PathBuf, Option<Digest>)>,
    pub parsed: StoredItem,
    /// The digest a translation of this page records for it, when a build worked it out.
    pub translation_digest: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum StoredItem {
    Page(Arc<Page>),
    Home(Arc<HomeText>),
}

/// The parse store of one project.
#[derive(Debug, Clone)]
pub struct ParseStore {
    dir: PathBuf,
    /// What each shard held when it was read (none: absent or unreadable), so that `save`
    /// writes only those that changed.
    read_signatures: Vec<Option<Digest>>,
}

impl ParseStore {
    /// The store of the project at `root` (nothing is read yet).
    pub fn of_project(root: &Path) -> ParseStore {
        ParseStore {
            dir: root.join(CACHE_DIR).join("parsed"),
            read_signatures: vec![None; SHARDS],
        }
    }

    /// Notes what each shard holds from its head alone (none of its entries is read), so
    /// that `save` leaves the shards that already hold what it would write: for a build that
    /// parses everything itself (`--fresh`).
    pub fn note_heads(&mut self) {
        let header = header();
        self.read_signatures = (0..SHARDS)
            .into_par_iter()
            .map(|shard| read_head(&self.shard_path(shard), &header))
            .collect();
    }

    /// Every entry of every shard this binary wrote that reads whole.
    pub fn load(&mut self) -> Vec<StoredParse> {
        let header = header();
        let shards: Vec<Option<(Digest, Vec<StoredParse>)>> = (0..SHARDS)
            .into_par_iter()
            .map(|shard| read_shard(&self.shard_path(shard), &header))
            .collect();
        let mut entries = Vec::new();
        for (shard, read) in shards.into_iter().enumerate() {
            if let Some((signature, found)) = read {
                self.read_signatures[shard] = Some(signature);
                entries.extend(found);
            }
        }
        entries
    }

    /// Writes the shards whose entries differ from what `load` read, each replaced whole
    /// (written beside, then renamed, under `cleanup`'s hold so that an interruption leaves
    /// no half-written file), and removes the shards left with no entry.
    pub fn save(&self, entries: Vec<StoredParse>, cleanup: &Cleanup) -> io::Result<()> {
        let mut shards: Vec<Vec<StoredParse>> = (0..SHARDS).map(|_| Vec::new()).collect();
        for entry in entries {
            shards[shard_of(&entry.path)].push(entry);
        }
        make_cache_folder(&self.dir)?;
        let header = header();
        shards
            .into_par_iter()
            .enumerate()
            .try_for_each(|(shard, mut entries)| {
                entries.sort_by(|a, b| a.path.cmp(&b.path));
                let signature = signature_of(&entries);
                if self.read_signatures[shard] == Some(signature) {
                    return Ok(());
                }
                let path = self.shard_path(shard);
                if entries.is_empty() {
                    return match fs::remove_file(&path) {
                        Err(error) if error.kind() != io::ErrorKind::NotFound => Err(error),
                        _ => Ok(()),
                    };
                }
                // One buffer of the shard's size (some 2 MB at 5,000 topics), its head then
                // its entries: not grown by doubling, nor the entries copied after the head.
                let size =
                    postcard::experimental::serialized_size(&entries).map_err(io::Error::other)?;
                let checksum_at = header.len() + signature.len();
                let mut bytes = Vec::with_capacity(checksum_at + 4 + size);
                bytes.extend_from_slice(header.as_bytes());
                bytes.extend_from_slice(&signature);
                bytes.extend_from_slice(&[0; 4]);
                let mut bytes = postcard::serialize_with_flavor(&entries, Append(bytes))
                    .map_err(io::Error::other)?;
                let sum = checksum(&bytes[checksum_at + 4..]);
                bytes[checksum_at..checksum_at + 4].copy_from_slice(&sum);
                replace_cache_file(&path, &bytes, cleanup)
            })
    }

    fn shard_path(&self, shard: usize) -> PathBuf {
        self.dir.join(format!("{shard:02}"))
    }
}

/// A postcard output that appends to the bytes already in a buffer.
struct Append(Vec<u8>);

impl postcard::ser_flavors::Flavor for Append {
    type Output = Vec<u8>;

    fn try_extend(&mut self, data: &[u8]) -> postcard::Result<()> {
        self.0.extend_from_slice(data);
        Ok(())
    }

    fn try_push(&mut self, data: u8) -> postcard::Result<()> {
        self.0.push(data);
        Ok(())
    }

    fn finalize(self) -> postcard::Result<Vec<u8>> {
        Ok(self.0)
    }
}

/// The checksum a cache file carries of its bytes, against damage (a file cut short by a
/// crash, a flipped bit), not against forgery: anyone who can write the cache can write the
/// sources. CRC-32 with the processor's carry-less multiply: about a fifth of the time a
/// cryptographic digest (BLAKE3) took over the parse store's 141 MB at 5,000 topics.
pub(crate) fn checksum(bytes: &[u8]) -> [u8; 4] {
    crc32fast::hash(bytes).to_le_bytes()
}

/// Replaces the cache file at `path` with `bytes` whole: written beside, then renamed, under
/// `cleanup`'s hold, so that an interruption leaves no half-written file.
pub(crate) fn replace_cache_file(path: &Path, bytes: &[u8], cleanup: &Cleanup) -> io::Result<()> {
    let temporary = path.with_extension(format!("new-{}", std::process::id()));
    let _held = cleanup.share()?;
    fs::write(&temporary, bytes).map_err(|e| with_path(e, &temporary))?;
    fs::rename(&temporary, path).map_err(|error| {
        let _ = fs::remove_file(&temporary);
        with_path(error, path)
    })
}

/// `folder`, a folder of the project's cache folder, made if missing along with the cache
/// folder. Never a cache folder briefing did not make (one without its `CACHEDIR.TAG`) nor one
/// reached through a symbolic link: the caches write nothing over a file of the user's, nor
/// anywhere a link points.
pub(crate) fn make_cache_folder(folder: &Path) -> io::Result<()> {
    let cache = folder.parent().unwrap_or(folder);
    let tag = cache.join("CACHEDIR.TAG");
    match fs::symlink_metadata(cache) {
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            match fs::create_dir(cache) {
                Ok(()) => fs::write(&tag, CACHEDIR_TAG).map_err(|e| with_path(e, &tag))?,
                // Made meanwhile by another build of the project (or another cache of this
                // one), which writes its tag too.
                Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {}
                Err(error) => return Err(with_path(error, cache)),
            }
        }
        Err(error) => return Err(with_path(error, cache)),
        Ok(found) => {
            let ours =
                found.is_dir() && fs::read_to_string(&tag).is_ok_and(|text| text == CACHEDIR_TAG);
            if !ours {
                return Err(with_path(
                    io::Error::other("not a folder briefing made (no CACHEDIR.TAG of its own)"),
                    cache,
                ));
            }
        }
    }
    match fs::symlink_metadata(folder) {
        Ok(found) if found.is_dir() => Ok(()),
        Ok(_) => Err(with_path(io::Error::other("not a folder"), folder)),
        Err(_) => match fs::create_dir(folder) {
            Err(error) if error.kind() != io::ErrorKind::AlreadyExists => {
                Err(with_path(error, folder))
            }
            _ => Ok(()),
        },
    }
}

/// The shard an entry of `path` goes into: the same one for the same path, on every build.
fn shard_of(path: &Path) -> usize {
    let digest = crate::source::digest_bytes(path.as_os_str().as_encoded_bytes());
    usize::from(digest[0]) % SHARDS
}

/// What a shard's entries are: equal signatures, equal entries (each parse's key, reads and
/// result digest say all of it).
fn signature_of(entries: &[StoredParse]) -> Digest {
    let mut hasher = DigestHasher::default();
    for entry in entries {
        let digest = match &entry.parsed {
            StoredItem::Page(page) => page.digest,
            StoredItem::Home(home) => home.digest,
        };
        hasher
            .add(&entry.path)
            .add(&entry.key)
            .add(&entry.reads)
            .add(&digest)
            .add(&entry.translation_digest);
    }
    hasher.digest()
}

/// The signature and entries of the shard at `path`, if this binary wrote it and it reads
/// whole: its bytes are the ones written (their checksum), and its entries those it was
/// written with (their signature). The entries' long texts stay in the shard's bytes
/// (`LazyText`), which live as long as one of them does.
fn read_shard(path: &Path, header: &str) -> Option<(Digest, Vec<StoredParse>)> {
    let file = fs::File::open(path).ok()?;
    let length = file.metadata().ok()?.len();
    let shard = Arc::new(lazy_text::ShardBytes::of_file(&file, length).ok()?);
    let rest = shard.strip_prefix(header.as_bytes())?;
    let (signature, rest) = rest.split_first_chunk::<{ size_of::<Digest>() }>()?;
    let (written, payload) = rest.split_first_chunk::<4>()?;
    if checksum(payload) != *written {
        return None;
    }
    let entries: Vec<StoredParse> =
        lazy_text::decoding_shard(&shard, || postcard::from_bytes(payload).ok())?;
    (signature_of(&entries) == *signature).then_some((*signature, entries))
}

/// The signature the shard at `path` says it was written with, if this binary wrote it.
fn read_head(path: &Path, header: &str) -> Option<Digest> {
    let mut head = vec![0; header.len() + size_of::<Digest>()];
    let mut file = fs::File::open(path).ok()?;
    io::Read::read_exact(&mut file, &mut head).ok()?;
    let signature = head.strip_prefix(header.as_bytes())?;
    signature.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn home(path: &str, title: &str) -> StoredParse {
        let home = HomeText {
            path: PathBuf::from(path),
            lang: "fr".into(),
            title: Some(title.into()),
            digest: crate::source::digest_bytes(title.as_bytes()),
            ..HomeText::default()
        };
        StoredParse {
            path: PathBuf::from(path),
            key: ([1; 16], [2; 16]),
            reads: vec![(PathBuf::from("content/a.png"), Some([3; 16]))],
            parsed: StoredItem::Home(Arc::new(home)),
            translation_digest: Some("abc".into()),
        }
    }

    fn titles(entries: &[StoredParse]) -> Vec<(String, Option<String>)> {
        let mut titles: Vec<_> = entries
            .iter()
            .map(|entry| match &entry.parsed {
                StoredItem::Home(home) => (entry.path.display().to_string(), home.title.clone()),
                StoredItem::Page(page) => {
                    (entry.path.display().to_string(), Some(page.title.clone()))
                }
            })
            .collect();
        titles.sort();
        titles
    }

    #[test]
    fn what_a_build_saves_the_next_one_loads_and_a_damaged_shard_is_left_out() {
        let project = tempfile::tempdir().unwrap();
        let store = ParseStore::of_project(project.path());
        let entries: Vec<StoredParse> = (0..1000)
            .map(|at| {
                home(
                    &format!("content/{at}/_index.fr.md"),
                    &format!("title {at}"),
                )
            })
            .collect();
        store.save(entries.clone(), &Cleanup::new()).unwrap();
        let mut loaded = ParseStore::of_project(project.path());
        assert_eq!(titles(&loaded.load()), titles(&entries));
        assert!(
            project
                .path()
                .join(CACHE_DIR)
                .join("CACHEDIR.TAG")
                .is_file()
        );

        // One shard cut short: its entries are gone, the others still load.
        let damaged = loaded.shard_path(shard_of(&entries[0].path));
        let bytes = fs::read(&damaged).unwrap();
        fs::write(&damaged, &bytes[..bytes.len() - 3]).unwrap();
        let reloaded = ParseStore::of_project(project.path()).load();
        assert!(reloaded.len() < entries.len() && !reloaded.is_empty());
        assert!(reloaded.iter().all(|entry| entry.path != entries[0].path));

        // One byte of a title changed, the shard otherwise whole: its checksum tells.
        let (number, elsewhere) = entries
            .iter()
            .enumerate()
            .find(|(_, entry)| shard_of(&entry.path) != shard_of(&entries[0].path))
            .unwrap();
        let other = loaded.shard_path(shard_of(&elsewhere.path));
        assert_ne!(other, damaged);
        let mut bytes = fs::read(&other).unwrap();
        let title = format!("title {number}");
        let at = bytes
            .windows(title.len())
            .position(|window| window == title.as_bytes())
            .unwrap();
        bytes[at] = b'T';
        fs::write(&other, &bytes).unwrap();
        let reloaded = ParseStore::of_project(project.path()).load();
        assert!(reloaded.iter().all(|entry| entry.path != elsewhere.path));
    }

    /// A project whose store holds 1,000 home texts of the same title, and those entries.
    fn saved_store() -> (tempfile::TempDir, Vec<StoredParse>) {
        let project = tempfile::tempdir().unwrap();
        let entries: Vec<StoredParse> = (0..1000)
            .map(|at| home(&format!("content/{at}/_index.fr.md"), "same"))
            .collect();
        ParseStore::of_project(project.path())
            .save(entries.clone(), &Cleanup::new())
            .unwrap();
        (project, entries)
    }

    #[test]
    fn a_store_that_parses_everything_itself_writes_only_the_shards_that_differ() {
        let (project, mut entries) = saved_store();
        let mut store = ParseStore::of_project(project.path());
        store.note_heads();
        let bytes = |shard: usize| fs::read(store.shard_path(shard)).unwrap();
        let before: Vec<Vec<u8>> = (0..SHARDS).map(&bytes).collect();
        entries[0] = home("content/0/_index.fr.md", "edited");
        store.save(entries.clone(), &Cleanup::new()).unwrap();
        let edited = shard_of(&entries[0].path);
        for (shard, before) in before.iter().enumerate() {
            assert_eq!(bytes(shard) != *before, shard == edited, "shard {shard}");
        }
    }

    #[test]
    fn a_save_writes_again_only_the_shards_whose_entries_changed() {
        let (project, mut entries) = saved_store();
        let mut store = ParseStore::of_project(project.path());
        store.load();
        let modified = |shard: usize| {
            fs::metadata(store.shard_path(shard))
                .unwrap()
                .modified()
                .unwrap()
        };
        let before: Vec<_> = (0..SHARDS).map(&modified).collect();
        std::thread::sleep(std::time::Duration::from_millis(20));
        entries[0] = home("content/0/_index.fr.md", "edited");
        store.save(entries.clone(), &Cleanup::new()).unwrap();
        let edited = shard_of(&entries[0].path);
        for (shard, before) in before.iter().enumerate() {
            assert_eq!(modified(shard) != *before, shard == edited, "shard {shard}");
        }
        assert_eq!(
            titles(&ParseStore::of_project(project.path()).load()),
            titles(&entries)
        );
    }
}
