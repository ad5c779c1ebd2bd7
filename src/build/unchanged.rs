//! A build with nothing to do: when the output folder's record says the last build was made
//! from the same inputs (every source file, the configuration, the logo, the options and the
//! binary) and the folder still holds exactly the files it wrote, a full run stops after
//! loading the sources. Nothing is parsed, rendered or written, and the folder is left as it
//! is, which is what the whole run would have made of it.

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::{Pipeline, Site};
use crate::config::{CONFIG_FILE, Config};
use crate::output::record::OutputRecord;
use crate::source::{Digest, DigestHasher, digest_bytes};

/// The record of the build that wrote the output folder, kept for the up-to-date check.
pub(super) struct RecordedBuild {
    pub(super) out_dir: PathBuf,
    pub(super) record: OutputRecord,
    /// `record.folder_is_as_written(out_dir)`, found while the sources loaded.
    pub(super) folder_as_written: bool,
}

impl Pipeline {
    /// A digest of everything a full run reads: the configuration file, every source file
    /// (path and bytes, symbolic links left out), the logo and the build's options. Two runs
    /// of one binary with the same digest make the same site.
    pub(super) fn inputs_digest(&self, config: &Config) -> Digest {
        let read = |path: &Path| std::fs::read(self.root.join(path)).map(|b| digest_bytes(&b));
        let mut key = DigestHasher::default();
        key.add(&read(Path::new(CONFIG_FILE)).ok())
            .add(&self.options.drafts)
            .add(&self.options.link_style)
            .add(&self.options.base_url);
        for (path, file) in &self.sources.files {
            key.add(path).add(&file.digest);
        }
        for path in self.sources.skipped.keys() {
            key.add(path);
        }
        if let Some(logo) = &config.logo {
            key.add(&logo.value).add(&read(Path::new(&logo.value)).ok());
        }
        key.digest()
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
            record,
            folder_as_written,
        } = self.recorded_build.take()?;
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
            pages_per_language: record.pages.per_language,
            html_pages: record.pages.html,
            base_url,
            duration: started.elapsed(),
            warnings: Vec::new(),
            timings: std::mem::take(&mut self.timings),
            unchanged_files: Some(record.files.len()),
        })
    }
}
