//! The command line, declared with clap's derive API.

use clap::{Args, Parser, Subcommand, ValueEnum};

const AFTER_HELP: &str = "\
SCENARIO is a session file: the playground's export format (JSON; `.toml` files are read as
TOML), or `-` for standard input. Examples: examples/scenarios/.

Errors go to stderr as `bioxen: error [CODE] message`, with the codes of the JS API; each code
has its own exit status (`bioxen exit-codes` lists them).";

/// BioXen: guest genomes sharing one host cell's expression machinery under real schedulers.
#[derive(Debug, Parser)]
#[command(name = "bioxen", version, after_help = AFTER_HELP, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Replay a scenario and print its metrics (deterministic: same file, same bytes)
    Run(RunArgs),
    /// Check a scenario: every problem with its path, then a replay that lists refused operations
    Validate(ValidateArgs),
    /// Replay a scenario under several schedulers and compare their metrics side by side
    Compare(CompareArgs),
    /// The host chassis presets
    #[command(subcommand)]
    Chassis(ChassisCommand),
    /// The scheduling policies
    Schedulers(ListArgs),
    /// Genome files: what the parser finds and the workload a VM built on it would run
    #[command(subcommand)]
    Genome(GenomeCommand),
    /// The built-in gene circuits: list them, or show one with its genes and sources
    #[command(subcommand)]
    Circuits(CircuitsCommand),
    /// Write a session's gene circuits as SBML Level 3 Version 2 (the bare host model: every
    /// circuit VM's genes fully on from t = 0, its setInducer operations as events)
    ExportSbml(ExportSbmlArgs),
    /// Menus over a live hypervisor: chassis, scheduler, VMs, resources, metrics, save/load
    Interactive(InteractiveArgs),
    /// A live terminal dashboard of a scenario: schedule lanes, machinery gauges, VM table
    Watch(WatchArgs),
    /// Print a shell completion script
    Completions(CompletionsArgs),
    /// List the exit statuses and the error codes they stand for
    ExitCodes,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Session file to replay (`-` reads standard input)
    pub scenario: String,
    /// Simulate to this time instead of the session's end (e.g. 90m, 6h, 2d, 1h30m, 500ms);
    /// operations after it are left out
    #[arg(long, value_name = "DURATION")]
    pub until: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the Gantt trace and the event log to FILE (JSON)
    #[arg(long, value_name = "FILE")]
    pub trace: Option<String>,
    /// Write the replayed session to FILE (JSON the playground imports)
    #[arg(long, value_name = "FILE")]
    pub save_session: Option<String>,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Session file to check (`-` reads standard input)
    pub scenario: String,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Session file to replay (`-` reads standard input)
    pub scenario: String,
    /// Comma-separated schedulers; each replaces the session's scheduler and every switch
    #[arg(long, value_delimiter = ',', required = true, value_name = "A,B,...")]
    pub schedulers: Vec<String>,
    /// Simulate to this time instead of the session's end
    #[arg(long, value_name = "DURATION")]
    pub until: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Subcommand)]
pub enum ChassisCommand {
    /// The chassis presets and their headline numbers
    List(ListArgs),
    /// Everything about one chassis, with sources
    Show(ChassisShowArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct ChassisShowArgs {
    /// ecoli, yeast, syn3a, orthogonal or textbook
    pub name: String,
    /// Output format
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

#[derive(Debug, Subcommand)]
pub enum GenomeCommand {
    /// Summarise a genome file (genes, essential genes, coding length)
    Inspect(GenomeInspectArgs),
}

#[derive(Debug, Args)]
pub struct ExportSbmlArgs {
    /// Session file with circuit VMs (`-` reads standard input)
    pub scenario: String,
    /// Write the SBML to FILE instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum CircuitsCommand {
    /// Every built-in circuit: id, genes, inducers, title
    List(ListArgs),
    /// One circuit: what it teaches, each gene's promoter in words, where its numbers come from
    Show(CircuitShowArgs),
}

#[derive(Debug, Args)]
pub struct CircuitShowArgs {
    /// A circuit id (see `bioxen circuits list`), e.g. toggle
    pub id: String,
    /// Output format (json: the entry getSupportedCircuits returns)
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct GenomeInspectArgs {
    /// Genome file: GenBank, GFF3, FASTA or BioXen .genome, optionally gzip-compressed (the
    /// format is detected from the content)
    pub file: String,
    /// Output format (json: the summary the JS API's parseGenome returns, gene list included)
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    /// Essentiality table (CSV/TSV, e.g. transposon data): marks essential genes and gives the
    /// genes of a sequence-only FASTA
    #[arg(long, value_name = "FILE")]
    pub gene_table: Option<String>,
}

#[derive(Debug, Args)]
pub struct InteractiveArgs {
    /// Start from this session file instead of asking for a chassis and scheduler
    #[arg(long, value_name = "SCENARIO")]
    pub load: Option<String>,
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    /// Session file to play (its operations are applied when the clock reaches them)
    pub scenario: String,
    /// Initial speed: simulated time per real second (e.g. 1m, 10m, 1h)
    #[arg(long, value_name = "DURATION", default_value = "10m")]
    pub speed: String,
    /// Start paused
    #[arg(long)]
    pub paused: bool,
    /// On quit, write the session (with what was done in the dashboard) to FILE
    #[arg(long, value_name = "FILE")]
    pub save_session: Option<String>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// bash, zsh, fish, powershell or elvish
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}
