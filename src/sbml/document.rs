//! An SBML Level 3 Version 2 core document: the model's quantities (parameters, constant or
//! changed by a rule), its assignment rules and rate rules, and its timed events, checked for
//! consistency and written as XML with quick-xml.
//!
//! Every state of an ODE model becomes a parameter with a rate rule, every derived quantity
//! (growth rate, translation rate, promoter activity) a parameter with an assignment rule.
//! This is the plainest SBML that COPASI, Tellurium and libRoadRunner all read as the same
//! ODEs; reactions would add nothing the equations need.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;

use super::math::Expr;

/// A number of the model: a parameter, or a state or derived quantity set by a rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    pub id: String,
    /// What it is, for a reader (the SBML `name`).
    pub name: String,
    /// The value at t = 0 (for a rule's variable: its initial value, or a placeholder that
    /// the rule overrides).
    pub value: f64,
    pub constant: bool,
}

/// At `at` (model time), set each quantity to its value.
#[derive(Debug, Clone, PartialEq)]
pub struct TimedEvent {
    pub id: String,
    pub at: f64,
    pub set: Vec<(String, f64)>,
}

/// A whole model.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    pub id: String,
    pub name: String,
    /// Plain text shown as the model's notes (sources, what the model leaves out).
    pub notes: String,
    pub quantities: Vec<Quantity>,
    /// `id := expr`, in an order where each reads only earlier ones or non-rule quantities.
    pub assignments: Vec<(String, Expr)>,
    /// `d id / dt = expr`.
    pub rates: Vec<(String, Expr)>,
    pub events: Vec<TimedEvent>,
}

/// `[A-Za-z_][A-Za-z0-9_]*`: SBML's SId.
pub fn is_sid(s: &str) -> bool {
    let mut c = s.chars();
    matches!(c.next(), Some(x) if x.is_ascii_alphabetic() || x == '_')
        && c.all(|x| x.is_ascii_alphanumeric() || x == '_')
}

impl Document {
    pub fn quantity(&mut self, id: &str, name: &str, value: f64, constant: bool) {
        self.quantities.push(Quantity {
            id: id.to_string(),
            name: name.to_string(),
            value,
            constant,
        });
    }

    /// Problems that would make the document invalid SBML or a different model than meant:
    /// bad or duplicate ids, a rule on a constant or on a quantity that has one already, a
    /// symbol that names nothing, an assignment read before it is defined, a non-finite number.
    pub fn problems(&self) -> Vec<String> {
        let mut out = vec![];
        let mut constant = BTreeMap::new();
        for q in &self.quantities {
            if !is_sid(&q.id) {
                out.push(format!("quantity id {:?} is not an SBML SId", q.id));
            }
            if constant.insert(q.id.as_str(), q.constant).is_some() {
                out.push(format!("quantity {} is defined twice", q.id));
            }
            if !q.value.is_finite() {
                out.push(format!("quantity {} has value {}", q.id, q.value));
            }
        }
        let mut ruled = BTreeSet::new();
        let mut defined: BTreeSet<&str> = self
            .quantities
            .iter()
            .map(|q| q.id.as_str())
            .filter(|id| !self.assignments.iter().any(|(v, _)| v == id))
            .collect();
        let mut check = |what: &str, var: &str, e: &Expr, defined: &BTreeSet<&str>| {
            match constant.get(var) {
                None => out.push(format!("{what} for {var}, which is not a quantity")),
                Some(true) => out.push(format!("{what} for {var}, which is constant")),
                Some(false) => {}
            }
            if !ruled.insert(var.to_string()) {
                out.push(format!("{var} has more than one rule"));
            }
            let mut ids = vec![];
            e.symbols(&mut ids);
            for id in ids {
                if !defined.contains(id.as_str()) {
                    out.push(format!(
                        "the {what} for {var} reads {id} before it is defined"
                    ));
                }
            }
            if !finite(e) {
                out.push(format!("the {what} for {var} has a non-finite number"));
            }
        };
        for (var, e) in &self.assignments {
            check("assignment rule", var, e, &defined);
            defined.insert(var);
        }
        for (var, e) in &self.rates {
            check("rate rule", var, e, &defined);
        }
        for ev in &self.events {
            if !is_sid(&ev.id) || constant.contains_key(ev.id.as_str()) {
                out.push(format!("event id {:?} is not a free SBML SId", ev.id));
            }
            if !(ev.at.is_finite() && ev.at > 0.0) {
                out.push(format!("event {} at {}: expected a time > 0", ev.id, ev.at));
            }
            for (var, v) in &ev.set {
                // A rate rule's variable may jump at an event; an assignment rule's may not.
                let assigned = self.assignments.iter().any(|(v, _)| v == var);
                if constant.get(var.as_str()) != Some(&false) || assigned {
                    out.push(format!(
                        "event {} sets {var}: not a non-constant quantity free of assignment rules",
                        ev.id
                    ));
                }
                if !v.is_finite() {
                    out.push(format!("event {} sets {var} to {v}", ev.id));
                }
            }
        }
        out
    }

    /// The document as SBML L3V2 core XML. `Err` lists [`problems`](Self::problems).
    pub fn to_xml(&self) -> Result<String, Vec<String>> {
        let problems = self.problems();
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut w = Writer::new_with_indent(Vec::new(), b' ', 1);
        self.write(&mut w).map_err(|e| vec![e.to_string()])?;
        String::from_utf8(w.into_inner()).map_err(|e| vec![e.to_string()])
    }

    fn write(&self, w: &mut Writer<Vec<u8>>) -> std::io::Result<()> {
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        w.create_element("sbml")
            .with_attributes([
                ("xmlns", "http://www.sbml.org/sbml/level3/version2/core"),
                ("level", "3"),
                ("version", "2"),
            ])
            .write_inner_content(|w| {
                w.create_element("model")
                    .with_attributes([("id", self.id.as_str()), ("name", self.name.as_str())])
                    .write_inner_content(|w| self.write_model(w))?;
                Ok(())
            })?;
        Ok(())
    }

    fn write_model(&self, w: &mut Writer<Vec<u8>>) -> std::io::Result<()> {
        if !self.notes.is_empty() {
            w.create_element("notes").write_inner_content(|w| {
                w.create_element("body")
                    .with_attribute(("xmlns", "http://www.w3.org/1999/xhtml"))
                    .write_inner_content(|w| {
                        for para in self.notes.split("\n\n") {
                            w.create_element("p")
                                .write_text_content(BytesText::new(para.trim()))?;
                        }
                        Ok(())
                    })?;
                Ok(())
            })?;
        }
        w.create_element("listOfParameters")
            .write_inner_content(|w| {
                for q in &self.quantities {
                    let value = format!("{:e}", q.value);
                    w.create_element("parameter")
                        .with_attributes([
                            ("id", q.id.as_str()),
                            ("name", q.name.as_str()),
                            ("value", value.as_str()),
                            ("constant", if q.constant { "true" } else { "false" }),
                        ])
                        .write_empty()?;
                }
                Ok(())
            })?;
        if !(self.assignments.is_empty() && self.rates.is_empty()) {
            w.create_element("listOfRules").write_inner_content(|w| {
                for (tag, rules) in [
                    ("assignmentRule", &self.assignments),
                    ("rateRule", &self.rates),
                ] {
                    for (var, e) in rules {
                        w.create_element(tag)
                            .with_attribute(("variable", var.as_str()))
                            .write_inner_content(|w| raw(w, &e.to_mathml()))?;
                    }
                }
                Ok(())
            })?;
        }
        if !self.events.is_empty() {
            w.create_element("listOfEvents").write_inner_content(|w| {
                for ev in &self.events {
                    self.write_event(w, ev)?;
                }
                Ok(())
            })?;
        }
        Ok(())
    }

    fn write_event(&self, w: &mut Writer<Vec<u8>>, ev: &TimedEvent) -> std::io::Result<()> {
        let trigger = Expr::Time;
        let at = Expr::Num(ev.at);
        let geq = format!(
            "<math xmlns=\"http://www.w3.org/1998/Math/MathML\"><apply><geq/>{}{}</apply></math>",
            inner(&trigger.to_mathml()),
            inner(&at.to_mathml())
        );
        w.create_element("event")
            .with_attributes([("id", ev.id.as_str()), ("useValuesFromTriggerTime", "true")])
            .write_inner_content(|w| {
                w.create_element("trigger")
                    .with_attributes([("initialValue", "false"), ("persistent", "true")])
                    .write_inner_content(|w| raw(w, &geq))?;
                w.create_element("listOfEventAssignments")
                    .write_inner_content(|w| {
                        for (var, v) in &ev.set {
                            w.create_element("eventAssignment")
                                .with_attribute(("variable", var.as_str()))
                                .write_inner_content(|w| raw(w, &Expr::Num(*v).to_mathml()))?;
                        }
                        Ok(())
                    })?;
                Ok(())
            })?;
        Ok(())
    }
}

/// MathML from [`Expr::to_mathml`] holds only SIds, numbers and fixed tags: written as is.
fn raw(w: &mut Writer<Vec<u8>>, xml: &str) -> std::io::Result<()> {
    w.get_mut().write_all(xml.as_bytes())
}

/// The content of a `<math>` element.
fn inner(math: &str) -> &str {
    let start = math.find('>').map_or(0, |i| i + 1);
    let end = math.rfind("</math>").unwrap_or(math.len());
    &math[start..end]
}

fn finite(e: &Expr) -> bool {
    match e {
        Expr::Num(x) => x.is_finite(),
        Expr::Sym(_) | Expr::Time => true,
        Expr::Add(v) | Expr::Mul(v) => v.iter().all(finite),
        Expr::Sub(a, b) | Expr::Div(a, b) | Expr::Pow(a, b) => finite(a) && finite(b),
        Expr::Neg(a) => finite(a),
    }
}

#[cfg(test)]
mod tests {
    use super::super::math::{num, sym};
    use super::*;

    fn decay() -> Document {
        let mut d = Document {
            id: "decay".into(),
            name: "first-order decay with a dose".into(),
            notes: "x' = -k x; x += 5 at t = 2 (here: x set to 5).".into(),
            ..Default::default()
        };
        d.quantity("k", "rate constant", 0.5, true);
        d.quantity("x", "amount", 1.0, false);
        d.quantity("twice", "2 x", 0.0, false);
        d.assignments.push(("twice".into(), num(2.0) * sym("x")));
        d.rates.push(("x".into(), -(sym("k") * sym("x"))));
        d.events.push(TimedEvent {
            id: "dose".into(),
            at: 2.0,
            set: vec![("x".into(), 5.0)],
        });
        d
    }

    #[test]
    fn a_consistent_model_is_written() {
        let xml = decay().to_xml().unwrap();
        assert!(xml.contains("<rateRule variable=\"x\">"));
        assert!(xml.contains("<assignmentRule variable=\"twice\">"));
        assert!(xml.contains("<event id=\"dose\" useValuesFromTriggerTime=\"true\">"));
        assert!(xml.contains("level=\"3\" version=\"2\""));
    }

    #[test]
    fn inconsistencies_are_named() {
        let mut d = decay();
        d.rates.push(("k".into(), num(1.0)));
        d.rates.push(("x".into(), sym("nothing")));
        d.quantity("9bad", "", f64::NAN, true);
        d.events[0].at = 0.0;
        let p = d.to_xml().unwrap_err();
        for want in [
            "rate rule for k, which is constant",
            "x has more than one rule",
            "reads nothing before it is defined",
            "\"9bad\" is not an SBML SId",
            "quantity 9bad has value NaN",
            "event dose at 0: expected a time > 0",
        ] {
            assert!(
                p.iter().any(|x| x.contains(want)),
                "{want} missing from {p:?}"
            );
        }
    }
}
