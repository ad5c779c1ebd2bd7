//! A build with nothing to do: when the output folder's record says the last build was made
//! from the same inputs (every source file, the configuration, the logo, the options and the
//! binary) and the folder still holds exactly the files it wrote, a full run stops once it
//! knows its sources unchanged: from their stamps alone when every one has the stamp the
//! record gives it (`source::Stamp`), else by reading them and comparing digests. Nothing is
//! parsed, rendered or written, and the folder is left as it is, which is what the whole run
//! would have made of it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use super::{Pipeline, Site};
use crate::config::{CONFIG_FILE, Config};
use crate::diagnostic::Diagnostic;
use crate::output::record::{OutputRecord, RecordedSource};
use crate::source::{
    Digest, DigestHasher, Discovered, KnownListing, Sources, Stamp, Stamped, digest_bytes,
};

/// What `Pipeline::walk_sources` gave.
pub(super) enum Walked {
    /// The source files found, and those whose stamps say they are the recorded build's.
    Stamped {
        discovered: Discovered,
        stamped: Stamped,
    },
    /// The record names no source stamps: every file was read.
    Read(Result<Sources, Vec<Diagnostic>>),
}

/// The record of the build that wrote the output folder, kept for the up-to-date check: its
/// files, sources and inputs (its renders and indexes went to the caches).
pub(super) struct RecordedBuild {
    pub(super) out_dir: PathBuf,
    pub(super) read: Arc<OutputRecord>,
    /// `record.folder_is_as_written(out_dir)`, found while the sources loaded.
    pub(super) folder_as_written: bool,
}

impl RecordedBuild {
    pub(super) fn record(&self) -> &OutputRecord {
        &self.read
    }
}

impl Pipeline {
    /// A digest of everything a full run reads: the configuration file, every source file
    /// (path and bytes, symbolic links left out), the logo and the build's options. Two runs
    /// of one binary with the same digest make the same site.
    pub(super) fn inputs_digest(&self, config: &Config) -> Digest {
        let files = self.sources.files.iter();
        self.inputs_key(
            config,
            files.map(|(path, file)| (path.as_path(), &file.digest)),
            self.sources.skipped.keys().map(PathBuf::as_path),
        )
    }

    /// `inputs_digest` of these source files (in their load's order) and skipped links.
    fn inputs_key<'a>(
        &self,
        config: &Config,
        files: impl Iterator<Item = (&'a Path, &'a Digest)>,
        skipped: impl Iterator<Item = &'a Path>,
    ) -> Digest {
        let read = |path: &Path| std::fs::read(self.root.join(path)).map(|b| digest_bytes(&b));
        let mut key = DigestHasher::default();
        key.add(&read(Path::new(CONFIG_FILE)).ok())
            .add(&self.options.drafts)
            .add(&self.options.link_style)
            .add(&self.options.base_url);
        for (path, digest) in files {
            key.add(path).add(digest);
        }
        for path in skipped {
            key.add(path);
        }
        if let Some(logo) = &config.logo {
            key.add(&logo.value).add(&read(Path::new(&logo.value)).ok());
        }
        key.digest()
    }

    /// The sources of a full run that starts from `record`, still unread, with those whose
    /// recorded stamp they still have (when all have, the run may have nothing to do; else
    /// only the others need reading); read at once when the record has no stamps.
    pub(super) fn walk_sources(&self, config: &Config, record: &OutputRecord) -> Walked {
        if record.inputs.is_none() || record.sources.is_empty() {
            let discovered = Discovered::walk(&self.root, config);
            return Walked::Read(Sources::load_discovered(&self.root, config, discovered));
        }
        let known = KnownListing::new(
            &record.folders,
            record.sources.iter().map(|source| source.path.as_path()),
        );
        let discovered = Discovered::walk_known(&self.root, config, &known);
        let recorded: HashMap<&Path, (Stamp, Digest)> = record
            .sources
            .iter()
            .map(|source| (source.path.as_path(), (source.stamp, source.digest)))
            .collect();
        let stamped = discovered.stamped(&self.root, config, &recorded);
        Walked::Stamped {
            discovered,
            stamped,
        }
    }

    /// The site as the last build left it, found without reading the sources: every one
    /// has the stamp the record gives it, the other inputs are the recorded build's, and
    /// the folder is as that build left it (`RecordedBuild::folder_as_written`).
    pub(super) fn unchanged_by_stamps(
        &mut self,
        config: &Config,
        digests: &[(PathBuf, Digest)],
        started: Instant,
    ) -> Option<Site> {
        let recorded = self.recorded_build.as_ref()?;
        if !recorded.folder_as_written {
            return None;
        }
        let recorded_inputs = recorded.record().inputs;
        let files = digests
            .iter()
            .map(|(path, digest)| (path.as_path(), digest));
        let inputs = self.inputs_key(config, files, std::iter::empty());
        if recorded_inputs != Some(inputs) {
            return None;
        }
        self.lap("sources unchanged", &mut started.clone());
        self.config = Some(config.clone());
        self.last_inputs = Some(inputs);
        self.unchanged_site(config, &inputs, started)
    }

    /// What the record of this build says of the sources it read (see `walk_sources`).
    pub(super) fn recorded_sources(&self) -> Vec<RecordedSource> {
        // Both maps in path order, walked side by side rather than looked up in.
        let mut files = self.sources.files.iter().peekable();
        self.sources
            .stamps
            .iter()
            .filter_map(|(path, stamp)| {
                while files.next_if(|(file, _)| *file < path).is_some() {}
                let (_, file) = files.next_if(|(file, _)| *file == path)?;
                Some(RecordedSource {
                    path: path.clone(),
                    stamp: *stamp,
                    digest: file.digest,
                })
            })
            .collect()
    }

    /// The site as the last build left it, when this run's inputs are that build's and its
    /// folder is untouched; `None` when anything must be made again.
    pub(super) fn unchanged_site(
        &mut self,
        config: &Config,
        inputs: &Digest,
        started: Instant,
    ) -> Option<Site> {
        let RecordedBuild {
            out_dir: _,
            read,
            folder_as_written,
        } = self.recorded_build.take()?;
        let record = &*read;
        let unchanged = record.inputs.as_ref() == Some(inputs)
            && self.sources.skipped.is_empty()
            && folder_as_written;
        if !unchanged {
            return None;
        }
        let base_url = self
            .options
            .base_url
            .clone()
            .unwrap_or_else(|| config.base_url.clone());
        Some(Site {
            outputs: Default::default(),
            generation: 0,
            delta: None,
            rendered: 0,
            render_outputs: record.pages.render_outputs,
            rendered_paths: Vec::new(),
            pages_per_language: record.pages.per_language.clone(),
            html_pages: record.pages.html,
            base_url,
            duration: started.elapsed(),
            warnings: Vec::new(),
            timings: std::mem::take(&mut self.timings),
            unchanged_files: Some(record.files.len()),
        })
    }
}
