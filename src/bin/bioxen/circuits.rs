//! `bioxen circuits list` and `bioxen circuits show ID`: the built-in gene circuits with their
//! sources, what each teaches, and each gene's promoter in words (`--format json` prints what
//! the JS API's `getSupportedCircuits` returns); `bioxen export-sbml SESSION`: a session's
//! circuits as SBML (the model `bioxen::session::circuit_options` describes).

#[cfg(feature = "kinetics")]
use crate::args::ListFormat;
use crate::args::{CircuitsCommand, ExportSbmlArgs};
use crate::error::CliError;

#[cfg(feature = "kinetics")]
pub fn command(c: &CircuitsCommand) -> Result<(), CliError> {
    imp::command(c)
}

/// `bioxen export-sbml SESSION`: the session's circuits on the bare host as SBML.
#[cfg(feature = "kinetics")]
pub fn export_sbml(a: &ExportSbmlArgs) -> Result<(), CliError> {
    let s = crate::files::load_session(&a.scenario)?;
    let opts = bioxen::session::circuit_options(&s, 101).map_err(|e| CliError::Session(vec![e]))?;
    let xml = bioxen::sbml::circuits_to_sbml(&opts)?;
    match &a.output {
        Some(path) => crate::files::write_text(path, &xml),
        None => crate::files::print(&xml),
    }
}

#[cfg(not(feature = "kinetics"))]
pub fn export_sbml(_a: &ExportSbmlArgs) -> Result<(), CliError> {
    Err(CliError::Core(bioxen::BioxenError::feature_unavailable(
        "kinetics",
        "bioxen export-sbml",
    )))
}

#[cfg(not(feature = "kinetics"))]
pub fn command(_c: &CircuitsCommand) -> Result<(), CliError> {
    Err(CliError::Core(bioxen::BioxenError::feature_unavailable(
        "kinetics",
        "bioxen circuits",
    )))
}

#[cfg(feature = "kinetics")]
mod imp {
    use bioxen::circuits::{library_ids, supported_circuits, Circuit, LibraryCircuit, Regulation};
    use bioxen::BioxenError;

    use super::{CircuitsCommand, CliError, ListFormat};
    use crate::files::{pretty, print};
    use crate::fmt;

    fn json(c: &LibraryCircuit) -> Result<serde_json::Value, CliError> {
        serde_json::to_value(c).map_err(|e| CliError::Internal(e.to_string()))
    }

    pub fn command(c: &CircuitsCommand) -> Result<(), CliError> {
        let all = supported_circuits();
        match c {
            CircuitsCommand::List(a) => match a.format {
                ListFormat::Json => {
                    let v: Vec<serde_json::Value> =
                        all.iter().map(json).collect::<Result<_, _>>()?;
                    print(&(pretty(&serde_json::Value::Array(v)) + "\n"))
                }
                ListFormat::Table => {
                    let header: Vec<String> = ["circuit", "genes", "inducers", "title"]
                        .iter()
                        .map(|s| s.to_string())
                        .collect();
                    let rows: Vec<Vec<String>> = all
                        .iter()
                        .map(|c| {
                            vec![
                                c.id.to_string(),
                                c.circuit.genes.len().to_string(),
                                if c.inducers.is_empty() {
                                    "-".into()
                                } else {
                                    c.inducers.join(", ")
                                },
                                c.title.to_string(),
                            ]
                        })
                        .collect();
                    print(&fmt::table(&header, &rows))
                }
            },
            CircuitsCommand::Show(a) => {
                let Some(c) = all.iter().find(|c| c.id == a.id) else {
                    return Err(CliError::Core(BioxenError::InvalidArgument {
                        name: "circuit".into(),
                        message: format!(
                            "{:?} is not a built-in circuit; expected one of {}",
                            a.id.chars().take(40).collect::<String>(),
                            library_ids().join(", ")
                        ),
                    }));
                };
                match a.format {
                    ListFormat::Json => print(&(pretty(&json(c)?) + "\n")),
                    ListFormat::Table => print(&text(c)),
                }
            }
        }
    }

    /// One regulation in words: "repressed by lacI (K 300, n 2); IPTG inactivates lacI (K 30 µM, n 2)".
    fn regulation(r: &Regulation) -> String {
        let verb = match r.mode.as_str() {
            "repress" => "repressed",
            _ => "activated",
        };
        let mut s = format!("{verb} by {} (K {} molecules, n {})", r.by, r.k, r.n);
        if let Some(i) = &r.inducer {
            s += &format!(
                "; {} {} {} (K {} µM, n {})",
                i.name,
                i.effect.as_str(),
                r.by,
                i.k,
                i.n
            );
        }
        s
    }

    fn genes(c: &Circuit) -> String {
        let header: Vec<String> = [
            "gene",
            "w /min",
            "length aa",
            "leak",
            "degradation /min",
            "promoter",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let rows: Vec<Vec<String>> = c
            .genes
            .iter()
            .map(|g| {
                vec![
                    g.name.clone(),
                    g.w.to_string(),
                    g.length.to_string(),
                    g.leak.to_string(),
                    g.degradation.to_string(),
                    if g.regulation.is_empty() {
                        "constitutive".into()
                    } else {
                        g.regulation
                            .iter()
                            .map(regulation)
                            .collect::<Vec<_>>()
                            .join("; ")
                    },
                ]
            })
            .collect();
        fmt::table(&header, &rows)
    }

    fn text(c: &LibraryCircuit) -> String {
        let mut out = format!("{}: {}\n\n{}\n\n", c.id, c.title, c.teaches);
        out += &genes(&c.circuit);
        out += &format!("\nAdapted to the host: {}\n\nSources:\n", c.adapted);
        for s in c.sources {
            out += &format!("  - {s}\n");
        }
        out
    }
}
