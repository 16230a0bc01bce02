//! The rules a circuit must follow, checked on the typed description: every problem with
//! the path of the offending value (`circuits[0].genes[1].regulation[0].by`), the value and
//! what was expected.
//!
//! - a circuit has 1..=32 genes, its name (if any) 1–64 characters without control
//!   characters;
//! - gene names are unique in their circuit, 1–32 characters of `[A-Za-z0-9_.-]`;
//! - w, degradation and initialProtein are finite and ≥ 0; leak is in 0..=1; length is
//!   1..=10 000 aa;
//! - a gene has 0..=4 regulations; each names a gene of the same circuit, with K finite and
//!   > 0 and n in (0, 16];
//! - an inducer's name follows the gene-name rule, its K (µM) is finite and > 0 and its n in
//!   (0, 16].

use super::types::{
    Circuit, Gene, Inducer, Regulation, MAX_CIRCUIT_GENES, MAX_CIRCUIT_NAME_CHARS, MAX_HILL,
    MAX_LENGTH_AA, MAX_NAME_CHARS, MAX_REGULATIONS,
};
use crate::error::{BioxenError, ConfigIssue, Result};

/// `prefix.rest`, or `rest` when the prefix is empty.
pub(crate) fn join(prefix: &str, rest: &str) -> String {
    if prefix.is_empty() {
        rest.to_string()
    } else if rest.starts_with('[') {
        format!("{prefix}{rest}")
    } else {
        format!("{prefix}.{rest}")
    }
}

pub(crate) fn issue(path: String, message: String) -> ConfigIssue {
    ConfigIssue { path, message }
}

/// Why `name` is not a valid gene or inducer name (None: it is).
pub fn name_problem(name: &str) -> Option<String> {
    let n = name.chars().count();
    if n == 0 || n > MAX_NAME_CHARS {
        return Some(format!(
            "{name:?} has {n} characters; expected 1 to {MAX_NAME_CHARS} characters of A-Z a-z 0-9 _ . -"
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')))
    {
        return Some(format!(
            "{name:?} contains {c:?}; expected only the characters A-Z a-z 0-9 _ . -"
        ));
    }
    None
}

fn finite_nonneg(v: f64, unit: &str) -> Option<String> {
    (!(v.is_finite() && v >= 0.0)).then(|| format!("must be finite and ≥ 0{unit}, got {v}"))
}

fn finite_positive(v: f64, unit: &str) -> Option<String> {
    (!(v.is_finite() && v > 0.0)).then(|| format!("must be finite and > 0{unit}, got {v}"))
}

fn hill_coefficient(v: f64) -> Option<String> {
    (!(v.is_finite() && v > 0.0 && v <= MAX_HILL))
        .then(|| format!("must be a Hill coefficient > 0 and ≤ {MAX_HILL}, got {v}"))
}

impl Inducer {
    /// Every problem of this inducer, paths under `prefix`.
    pub fn issues(&self, prefix: &str) -> Vec<ConfigIssue> {
        let mut out = Vec::new();
        if let Some(m) = name_problem(&self.name) {
            out.push(issue(join(prefix, "name"), m));
        }
        if let Some(m) = finite_positive(self.k, " µM") {
            out.push(issue(join(prefix, "K"), m));
        }
        if let Some(m) = hill_coefficient(self.n) {
            out.push(issue(join(prefix, "n"), m));
        }
        out
    }
}

impl Regulation {
    /// Every problem of this regulation except whether `by` exists (the circuit checks
    /// that), paths under `prefix`.
    pub fn issues(&self, prefix: &str) -> Vec<ConfigIssue> {
        let mut out = Vec::new();
        if let Some(m) = finite_positive(self.k, " molecules") {
            out.push(issue(join(prefix, "K"), m));
        }
        if let Some(m) = hill_coefficient(self.n) {
            out.push(issue(join(prefix, "n"), m));
        }
        if let Some(i) = &self.inducer {
            out.extend(i.issues(&join(prefix, "inducer")));
        }
        out
    }
}

impl Gene {
    /// Every problem of this gene on its own (not whether its regulators exist), paths
    /// under `prefix`.
    pub fn issues(&self, prefix: &str) -> Vec<ConfigIssue> {
        let mut out = Vec::new();
        let mut add = |key: &str, m: Option<String>| {
            if let Some(m) = m {
                out.push(issue(join(prefix, key), m));
            }
        };
        add("name", name_problem(&self.name));
        add("w", finite_nonneg(self.w, " molecules/min"));
        add(
            "length",
            (!(1..=MAX_LENGTH_AA).contains(&self.length)).then(|| {
                format!(
                    "must be an integer from 1 to {MAX_LENGTH_AA} aa, got {}",
                    self.length
                )
            }),
        );
        add(
            "leak",
            (!(self.leak.is_finite() && (0.0..=1.0).contains(&self.leak)))
                .then(|| format!("must be from 0 to 1, got {}", self.leak)),
        );
        add("degradation", finite_nonneg(self.degradation, " per min"));
        add(
            "initialProtein",
            finite_nonneg(self.initial_protein, " molecules"),
        );
        if self.regulation.len() > MAX_REGULATIONS {
            out.push(issue(
                join(prefix, "regulation"),
                format!(
                    "{} regulations is too many; a gene has at most {MAX_REGULATIONS}",
                    self.regulation.len()
                ),
            ));
        }
        for (k, r) in self.regulation.iter().enumerate() {
            out.extend(r.issues(&join(prefix, &format!("regulation[{k}]"))));
        }
        out
    }
}

impl Circuit {
    /// Every problem of this circuit, paths under `prefix` (e.g. `circuits[0]`; empty for
    /// a circuit on its own). Empty when the circuit is valid.
    pub fn issues(&self, prefix: &str) -> Vec<ConfigIssue> {
        let mut out = Vec::new();
        if let Some(name) = &self.name {
            let n = name.chars().count();
            if n == 0 || n > MAX_CIRCUIT_NAME_CHARS || name.chars().any(char::is_control) {
                out.push(issue(
                    join(prefix, "name"),
                    format!(
                        "{name:?} is not a circuit name; expected 1 to {MAX_CIRCUIT_NAME_CHARS} characters without control characters"
                    ),
                ));
            }
        }
        if self.genes.is_empty() || self.genes.len() > MAX_CIRCUIT_GENES {
            out.push(issue(
                join(prefix, "genes"),
                format!(
                    "{} genes; a circuit has 1 to {MAX_CIRCUIT_GENES}",
                    self.genes.len()
                ),
            ));
        }
        let names: Vec<&str> = self.genes.iter().map(|g| g.name.as_str()).collect();
        for (j, g) in self.genes.iter().enumerate() {
            let gp = join(prefix, &format!("genes[{j}]"));
            out.extend(g.issues(&gp));
            if let Some(first) = names[..j].iter().position(|n| *n == g.name) {
                out.push(issue(
                    join(&gp, "name"),
                    format!(
                        "{:?} is already the name of genes[{first}]; gene names are unique in a circuit",
                        g.name
                    ),
                ));
            }
            for (k, r) in g.regulation.iter().enumerate() {
                if !names.contains(&r.by.as_str()) {
                    out.push(issue(
                        join(&gp, &format!("regulation[{k}].by")),
                        format!(
                            "no gene {:?} in this circuit; a regulator is a gene of the same circuit: {}",
                            r.by,
                            names.join(", ")
                        ),
                    ));
                }
            }
        }
        out
    }

    /// `Ok` for a valid circuit, otherwise `InvalidConfig` with every problem.
    pub fn validate(&self) -> Result<()> {
        let issues = self.issues("");
        if issues.is_empty() {
            Ok(())
        } else {
            Err(BioxenError::InvalidConfig(issues))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::types::{Effect, Mode};
    use super::*;

    fn toggle() -> Circuit {
        Circuit {
            name: Some("toggle".into()),
            genes: vec![
                Gene {
                    regulation: vec![Regulation::new("tetR", Mode::Repress, 300.0, 2.0)
                        .with_inducer("aTc", 0.05, 2.0, Effect::Inactivates)],
                    ..Gene::constitutive("lacI", 10.0, 360)
                },
                Gene {
                    regulation: vec![Regulation::new("lacI", Mode::Repress, 300.0, 2.0)],
                    ..Gene::constitutive("tetR", 10.0, 207)
                },
            ],
        }
    }

    fn paths(c: &Circuit) -> Vec<String> {
        c.issues("circuits[0]")
            .into_iter()
            .map(|i| i.path)
            .collect()
    }

    #[test]
    fn a_valid_circuit_has_no_issues() {
        assert!(toggle().validate().is_ok());
    }

    #[test]
    fn each_rule_names_its_path() {
        let mut c = toggle();
        c.genes[1].regulation[0].by = "tetr".into();
        assert_eq!(paths(&c), ["circuits[0].genes[1].regulation[0].by"]);
        let msg = &c.issues("")[0].message;
        assert!(
            msg.contains("\"tetr\"") && msg.contains("lacI, tetR"),
            "{msg}"
        );

        let mut c = toggle();
        c.genes[1].name = "lacI".into();
        // The duplicate, and tetR is no longer a gene for lacI's regulation.
        assert_eq!(
            paths(&c),
            [
                "circuits[0].genes[0].regulation[0].by",
                "circuits[0].genes[1].name"
            ]
        );

        for (bad, path) in [
            ("", "name"),
            ("a b", "name"),
            ("x".repeat(33).as_str(), "name"),
        ] {
            let mut c = toggle();
            c.genes[0].name = bad.into();
            c.genes[1].regulation.clear();
            assert_eq!(
                paths(&c),
                [format!("circuits[0].genes[0].{path}")],
                "{bad:?}"
            );
        }
        type Edit = Box<dyn Fn(&mut Circuit)>;
        let cases: Vec<(Edit, &str)> = vec![
            (Box::new(|c| c.genes[0].w = -1.0), "genes[0].w"),
            (Box::new(|c| c.genes[0].w = f64::NAN), "genes[0].w"),
            (Box::new(|c| c.genes[0].w = f64::INFINITY), "genes[0].w"),
            (Box::new(|c| c.genes[0].length = 0), "genes[0].length"),
            (Box::new(|c| c.genes[0].length = 10_001), "genes[0].length"),
            (Box::new(|c| c.genes[0].leak = 1.5), "genes[0].leak"),
            (
                Box::new(|c| c.genes[0].degradation = -0.1),
                "genes[0].degradation",
            ),
            (
                Box::new(|c| c.genes[0].initial_protein = f64::NAN),
                "genes[0].initialProtein",
            ),
            (
                Box::new(|c| c.genes[0].regulation[0].k = 0.0),
                "genes[0].regulation[0].K",
            ),
            (
                Box::new(|c| c.genes[0].regulation[0].n = 0.0),
                "genes[0].regulation[0].n",
            ),
            (
                Box::new(|c| c.genes[0].regulation[0].n = 17.0),
                "genes[0].regulation[0].n",
            ),
            (
                Box::new(|c| c.genes[0].regulation[0].inducer.as_mut().unwrap().k = -1.0),
                "genes[0].regulation[0].inducer.K",
            ),
            (
                Box::new(|c| c.genes[0].regulation[0].inducer.as_mut().unwrap().n = f64::NAN),
                "genes[0].regulation[0].inducer.n",
            ),
            (
                Box::new(|c| {
                    c.genes[0].regulation[0].inducer.as_mut().unwrap().name = "a/b".into()
                }),
                "genes[0].regulation[0].inducer.name",
            ),
            (
                Box::new(|c| {
                    let r = c.genes[0].regulation[0].clone();
                    c.genes[0].regulation = vec![r; 5];
                }),
                "genes[0].regulation",
            ),
            (Box::new(|c| c.genes.clear()), "genes"),
            (
                Box::new(|c| {
                    for j in 0..31 {
                        c.genes.push(Gene::constitutive(&format!("g{j}"), 1.0, 100));
                    }
                }),
                "genes",
            ),
            (Box::new(|c| c.name = Some(String::new())), "name"),
        ];
        for (edit, path) in cases {
            let mut c = toggle();
            edit(&mut c);
            assert_eq!(paths(&c), [format!("circuits[0].{path}")]);
            let e = c.validate().unwrap_err();
            assert_eq!(e.code(), "INVALID_CONFIG");
            assert_eq!(e.config_issues()[0].path, path);
        }
    }

    #[test]
    fn messages_give_the_value_and_what_was_expected() {
        let mut c = toggle();
        c.genes[0].w = -3.0;
        let m = &c.issues("")[0].message;
        assert!(m.contains("-3") && m.contains("≥ 0"), "{m}");
        c.genes[0].w = 1.0;
        c.genes[0].leak = 2.0;
        let m = &c.issues("")[0].message;
        assert!(m.contains('2') && m.contains("0 to 1"), "{m}");
    }
}
