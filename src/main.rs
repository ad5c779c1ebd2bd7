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
        /// Output folder.
        #[arg(long, default_value = "site")]
        out: PathBuf,
    },
    /// Build with drafts, serve on 127.0.0.1, rebuild on every change and reload open pages.
    Serve {
        /// Port to listen on (0: any free port). Default: 1111, or the next free one.
        #[arg(long)]
        port: Option<u16>,
        /// Address to listen on. Default: 127.0.0.1, this machine only.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
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
            out,
        } => build(&cli.root, drafts, offline, &out),
        Command::Serve { port, bind, open } => serve(&cli.root, port, bind, open),
        Command::New { topic_id } => new_topic(&cli.root, &topic_id),
    }
}

fn build(root: &std::path::Path, drafts: bool, offline: bool, out: &std::path::Path) -> ExitCode {
    let options = BuildOptions {
        drafts,
        link_style: if offline {
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
    let out_dir = if out.is_absolute() {
        out.to_path_buf()
    } else {
        root.join(out)
    };
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
    ExitCode::SUCCESS
}

fn serve(
    root: &std::path::Path,
    port: Option<u16>,
    bind: std::net::IpAddr,
    open: bool,
) -> ExitCode {
    let options = briefing::serve::ServeOptions {
        port,
        bind,
        open,
        styled: std::io::stderr().is_terminal(),
        ..briefing::serve::ServeOptions::new(root)
    };
    match briefing::serve::serve(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
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
