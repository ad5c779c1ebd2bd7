//! The `briefing` command: parses arguments, calls the library, prints diagnostics once and
//! chooses the exit code.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use briefing::urls::LinkStyle;
use briefing::{BuildOptions, Diagnostic, Pipeline};

#[derive(Parser)]
#[command(
    name = "briefing",
    version,
    about = "Static site generator for bilingual briefing sites"
)]
struct Cli {
    /// The project folder (holding briefing.toml).
    #[arg(long, global = true, default_value = ".")]
    root: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into site/ (or --out).
    Build {
        /// Include pages marked `draft = true`.
        #[arg(long)]
        drafts: bool,
        /// Make every link name its file, so that the site works opened from disk.
        #[arg(long)]
        offline: bool,
        /// Also pack the site into this zip file (implies --offline).
        #[arg(long, value_name = "FILE.zip")]
        archive: Option<PathBuf>,
        /// Output folder.
        #[arg(long, default_value = "site")]
        out: PathBuf,
    },
    /// Create a topic with one file per language.
    New {
        /// The topic's id, which is also its folder name.
        topic_id: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            drafts,
            offline,
            archive,
            out,
        } => build(
            &cli.root,
            &BuildRequest {
                drafts,
                offline: offline || archive.is_some(),
                archive,
                out,
            },
        ),
        Command::New { topic_id } => new_topic(&cli.root, &topic_id),
    }
}

/// What `briefing build` was asked to do.
struct BuildRequest {
    drafts: bool,
    offline: bool,
    archive: Option<PathBuf>,
    out: PathBuf,
}

fn build(root: &std::path::Path, request: &BuildRequest) -> ExitCode {
    let options = BuildOptions {
        drafts: request.drafts,
        link_style: if request.offline {
            LinkStyle::Offline
        } else {
            LinkStyle::Server
        },
        base_url: None,
    };
    let started = std::time::Instant::now();
    let mut pipeline = Pipeline::new(root, options);
    let site = match pipeline.run_full() {
        Ok(site) => site,
        Err(failure) => return report_failure(&failure.diagnostics),
    };
    let out_dir = root.join(&request.out);
    if let Err(error) = briefing::output::write_site(&out_dir, &site.outputs) {
        eprintln!("error: cannot write the site: {error}");
        return ExitCode::FAILURE;
    }
    let per_language: Vec<String> = site
        .pages_per_language
        .iter()
        .map(|(lang, count)| format!("{lang} {count}"))
        .collect();
    println!(
        "Built {} ({} pages: {}) in {:.2} s",
        out_dir.display(),
        site.pages_per_language
            .iter()
            .map(|(_, n)| n)
            .sum::<usize>(),
        per_language.join(", "),
        started.elapsed().as_secs_f64()
    );
    if let Some(archive) = &request.archive {
        let archive = root.join(archive);
        match briefing::archive::write_archive(&archive, &site.outputs) {
            Ok(stats) => println!(
                "Packed {} ({} files, {} kB)",
                archive.display(),
                stats.files,
                stats.bytes.div_ceil(1000)
            ),
            Err(error) => {
                eprintln!("error: cannot write the archive: {error}");
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}

fn new_topic(root: &std::path::Path, id: &str) -> ExitCode {
    let today = jiff::ZonedDateTime::now().date().to_string();
    match briefing::new_topic::new_topic(root, id, &today) {
        Ok(files) => {
            for file in files {
                println!("Created {}", file.display());
            }
            ExitCode::SUCCESS
        }
        Err(diagnostics) => report_failure(&diagnostics),
    }
}

fn report_failure(diagnostics: &[Diagnostic]) -> ExitCode {
    let styled = std::io::stderr().is_terminal();
    for diagnostic in diagnostics {
        eprintln!("{}\n", diagnostic.render(styled));
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    eprintln!(
        "error: build failed with {errors} error{}",
        if errors == 1 { "" } else { "s" }
    );
    ExitCode::FAILURE
}
