//! `bioxen genome inspect FILE`: the hook for the genome parser (built on another branch).
//!
//! When the parser lands, `inspect` calls it and prints what it found (genes, essential genes,
//! coding length, the workload a VM of that genome would run). Until then the command says
//! so and exits with NOT_AVAILABLE's status; it never pretends to have read the file.

use crate::args::GenomeCommand;
use crate::error::CliError;

pub fn command(c: &GenomeCommand) -> Result<(), CliError> {
    match c {
        GenomeCommand::Inspect(a) => inspect(&a.file),
    }
}

fn inspect(file: &str) -> Result<(), CliError> {
    // Fail on a missing file first, as the real command will.
    std::fs::metadata(file).map_err(|e| CliError::io(file, e))?;
    Err(CliError::NotAvailable(format!(
        "cannot inspect {file}: this build has no genome parser yet (the genome issue); \
         `bioxen genome inspect` will summarise genome files once it lands"
    )))
}
