//! Expressions of a model's rate laws as a small tree, written out as MathML (the math of
//! SBML Level 3). Builders keep the tree close to the formulas they come from, so a reader can
//! compare an exported rule with the paper's equation.

use std::fmt::Write;

/// An arithmetic expression over named quantities.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A number (written so that it reads back to the same f64).
    Num(f64),
    /// A quantity of the model (a parameter, a species, a rule's variable), by its SBML id.
    Sym(String),
    /// Simulated time (SBML's csymbol `time`), in the model's time unit.
    Time,
    Add(Vec<Expr>),
    Mul(Vec<Expr>),
    Sub(Box<Expr>, Box<Expr>),
    Div(Box<Expr>, Box<Expr>),
    Pow(Box<Expr>, Box<Expr>),
    Neg(Box<Expr>),
}

/// A quantity by id.
pub fn sym(id: &str) -> Expr {
    Expr::Sym(id.to_string())
}

/// A number.
pub fn num(x: f64) -> Expr {
    Expr::Num(x)
}

impl std::ops::Add for Expr {
    type Output = Expr;
    fn add(self, rhs: Expr) -> Expr {
        match self {
            Expr::Add(mut v) => {
                v.push(rhs);
                Expr::Add(v)
            }
            e => Expr::Add(vec![e, rhs]),
        }
    }
}

impl std::ops::Mul for Expr {
    type Output = Expr;
    fn mul(self, rhs: Expr) -> Expr {
        match self {
            Expr::Mul(mut v) => {
                v.push(rhs);
                Expr::Mul(v)
            }
            e => Expr::Mul(vec![e, rhs]),
        }
    }
}

impl std::ops::Sub for Expr {
    type Output = Expr;
    fn sub(self, rhs: Expr) -> Expr {
        Expr::Sub(Box::new(self), Box::new(rhs))
    }
}

impl std::ops::Div for Expr {
    type Output = Expr;
    fn div(self, rhs: Expr) -> Expr {
        Expr::Div(Box::new(self), Box::new(rhs))
    }
}

impl std::ops::Neg for Expr {
    type Output = Expr;
    fn neg(self) -> Expr {
        Expr::Neg(Box::new(self))
    }
}

impl Expr {
    /// `self ^ e`.
    pub fn pow(self, e: Expr) -> Expr {
        Expr::Pow(Box::new(self), Box::new(e))
    }

    /// The sum of `terms` (0 when there are none).
    pub fn sum(terms: Vec<Expr>) -> Expr {
        match terms.len() {
            0 => Expr::Num(0.0),
            1 => terms.into_iter().next().unwrap_or(Expr::Num(0.0)),
            _ => Expr::Add(terms),
        }
    }

    /// The product of `factors` (1 when there are none).
    pub fn product(factors: Vec<Expr>) -> Expr {
        match factors.len() {
            0 => Expr::Num(1.0),
            1 => factors.into_iter().next().unwrap_or(Expr::Num(1.0)),
            _ => Expr::Mul(factors),
        }
    }

    /// The ids this expression reads.
    pub fn symbols(&self, out: &mut Vec<String>) {
        match self {
            Expr::Num(_) | Expr::Time => {}
            Expr::Sym(s) => out.push(s.clone()),
            Expr::Add(v) | Expr::Mul(v) => v.iter().for_each(|e| e.symbols(out)),
            Expr::Sub(a, b) | Expr::Div(a, b) | Expr::Pow(a, b) => {
                a.symbols(out);
                b.symbols(out);
            }
            Expr::Neg(a) => a.symbols(out),
        }
    }

    /// The expression as a MathML `<math>` element.
    pub fn to_mathml(&self) -> String {
        let mut s = String::from("<math xmlns=\"http://www.w3.org/1998/Math/MathML\">");
        self.write(&mut s);
        s.push_str("</math>");
        s
    }

    fn write(&self, s: &mut String) {
        match self {
            Expr::Num(x) => write_number(s, *x),
            Expr::Sym(id) => {
                let _ = write!(s, "<ci>{id}</ci>");
            }
            Expr::Time => s.push_str(
                "<csymbol encoding=\"text\" definitionURL=\"http://www.sbml.org/sbml/symbols/time\">time</csymbol>",
            ),
            Expr::Add(v) => apply(s, "plus", v),
            Expr::Mul(v) => apply(s, "times", v),
            Expr::Sub(a, b) => apply2(s, "minus", a, b),
            Expr::Div(a, b) => apply2(s, "divide", a, b),
            Expr::Pow(a, b) => apply2(s, "power", a, b),
            Expr::Neg(a) => {
                s.push_str("<apply><minus/>");
                a.write(s);
                s.push_str("</apply>");
            }
        }
    }
}

fn apply(s: &mut String, op: &str, args: &[Expr]) {
    let _ = write!(s, "<apply><{op}/>");
    for a in args {
        a.write(s);
    }
    s.push_str("</apply>");
}

fn apply2(s: &mut String, op: &str, a: &Expr, b: &Expr) {
    let _ = write!(s, "<apply><{op}/>");
    a.write(s);
    b.write(s);
    s.push_str("</apply>");
}

/// A finite number as MathML `cn`: Rust's shortest round-trip text, in e-notation when it
/// has an exponent (MathML spells that `m<sep/>e`).
fn write_number(s: &mut String, x: f64) {
    let text = format!("{x:e}");
    match text.split_once('e') {
        Some((m, e)) if e != "0" => {
            let _ = write!(s, "<cn type=\"e-notation\">{m}<sep/>{e}</cn>");
        }
        Some((m, _)) => {
            let _ = write!(s, "<cn>{m}</cn>");
        }
        None => {
            let _ = write!(s, "<cn>{text}</cn>");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_back_exactly() {
        for x in [0.0, 1.0, 4.38, 1e8, 152219.0, 1e-300, 0.1 + 0.2, -2.5e-7] {
            let mut s = String::new();
            write_number(&mut s, x);
            let inner = s
                .trim_start_matches("<cn type=\"e-notation\">")
                .trim_start_matches("<cn>")
                .trim_end_matches("</cn>");
            let back: f64 = match inner.split_once("<sep/>") {
                Some((m, e)) => format!("{m}e{e}").parse().unwrap(),
                None => inner.parse().unwrap(),
            };
            assert_eq!(back.to_bits(), x.to_bits(), "{x} written as {s}");
        }
    }

    #[test]
    fn trees_become_nested_applies() {
        let e = (sym("w") * sym("a")) / (sym("theta") + sym("a")) - num(2.0) * sym("m");
        assert_eq!(
            e.to_mathml(),
            "<math xmlns=\"http://www.w3.org/1998/Math/MathML\"><apply><minus/><apply><divide/>\
             <apply><times/><ci>w</ci><ci>a</ci></apply><apply><plus/><ci>theta</ci><ci>a</ci>\
             </apply></apply><apply><times/><cn>2</cn><ci>m</ci></apply></apply></math>"
        );
        let mut ids = vec![];
        e.symbols(&mut ids);
        assert_eq!(ids, ["w", "a", "theta", "a", "m"]);
    }
}
