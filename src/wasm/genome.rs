//! Genome bindings: `parseGenome`, the `genome` key of `createVm` configs, and
//! `BiologicalVM.workload()`. Type and error conversion only; the parsing is in `crate::genome`.

use js_sys::{Array, Function, JsString, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;

use serde::Serialize;

use super::args::{absent, describe, js_to_json, object_keys};
use super::errors::{bad_arg, err, js_error, JsResult};
use super::values::{parse_json, set, to_js};
use super::vm::JsBiologicalVm;
use crate::error::BioxenError;
use crate::genome::{
    self, Gene, GeneType, GenomeFormat, GenomeSummary, GenomeWorkload, ParseOptions, Strand,
    MAX_INPUT_BYTES,
};
use crate::jsonsafe::json_safe;

fn too_large(what: &str, size: f64) -> JsValue {
    err(BioxenError::InputTooLarge {
        what: what.to_string(),
        size: size as u64,
        limit: MAX_INPUT_BYTES as u64,
    })
}

/// The bytes of a `string | Uint8Array` argument; sizes are checked before anything is copied.
fn bytes_arg(name: &str, v: &JsValue) -> JsResult<Vec<u8>> {
    if let Some(a) = v.dyn_ref::<Uint8Array>() {
        if a.length() as usize > MAX_INPUT_BYTES {
            return Err(too_large(name, a.length() as f64));
        }
        return Ok(a.to_vec());
    }
    if let Some(s) = v.dyn_ref::<JsString>() {
        // UTF-16 units: a string of n units is at most 3n UTF-8 bytes and at least n.
        if s.length() as usize > MAX_INPUT_BYTES {
            return Err(too_large(name, s.length() as f64));
        }
        let text = String::from(s);
        if text.len() > MAX_INPUT_BYTES {
            return Err(too_large(name, text.len() as f64));
        }
        return Ok(text.into_bytes());
    }
    Err(bad_arg(
        name,
        format!("expected a string or a Uint8Array, got {}", describe(v)),
    ))
}

/// A property of an options object, catching what a getter or proxy throws.
fn prop(obj: &JsValue, name: &str, key: &str) -> JsResult<JsValue> {
    Reflect::get(obj, &key.into()).map_err(|e| {
        bad_arg(
            name,
            format!(
                "reading {key:?} threw: {}",
                e.dyn_ref::<js_sys::Error>()
                    .map(|e| String::from(e.message()))
                    .unwrap_or_else(|| describe(&e))
            ),
        )
    })
}

struct Options {
    gene_table: Option<Vec<u8>>,
    format: Option<GenomeFormat>,
    on_progress: Option<Function>,
}

fn options_arg(v: &JsValue) -> JsResult<Options> {
    let mut o = Options {
        gene_table: None,
        format: None,
        on_progress: None,
    };
    if absent(v) {
        return Ok(o);
    }
    if !v.is_object() || Array::is_array(v) {
        return Err(bad_arg(
            "options",
            format!("expected an object, got {}", describe(v)),
        ));
    }
    let keys = object_keys(v).map_err(|_| bad_arg("options", "reading its keys threw"))?;
    for k in keys.iter() {
        let key = k.as_string().unwrap_or_default();
        let x = prop(v, "options", &key)?;
        if x.is_undefined() {
            continue;
        }
        match key.as_str() {
            "geneTable" => o.gene_table = Some(bytes_arg("options.geneTable", &x)?),
            "format" => {
                o.format = Some(match x.as_string().as_deref() {
                    Some("genbank") => GenomeFormat::Genbank,
                    Some("gff3") => GenomeFormat::Gff3,
                    Some("fasta") => GenomeFormat::Fasta,
                    Some("bioxen") => GenomeFormat::Bioxen,
                    _ => {
                        return Err(bad_arg(
                            "options.format",
                            format!(
                                "expected one of genbank, gff3, fasta, bioxen, got {}",
                                describe(&x)
                            ),
                        ))
                    }
                })
            }
            "onProgress" => {
                o.on_progress = Some(x.dyn_into::<Function>().map_err(|x| {
                    bad_arg(
                        "options.onProgress",
                        format!("expected a function, got {}", describe(&x)),
                    )
                })?)
            }
            other => {
                let other: String = other.chars().take(40).collect();
                return Err(bad_arg(
                    "options",
                    format!("unknown key {other:?}; expected geneTable, format or onProgress"),
                ));
            }
        }
    }
    Ok(o)
}

fn parse_value(input: &JsValue, options: &JsValue) -> JsResult<genome::GenomeSummary> {
    let bytes = bytes_arg("input", input)?;
    let o = options_arg(options)?;
    let opts = ParseOptions {
        gene_table: o.gene_table.as_deref(),
        format: o.format,
    };
    let mut thrown: Option<JsValue> = None;
    let mut progress = |f: f64| {
        if let (Some(cb), None) = (&o.on_progress, &thrown) {
            if let Err(e) = cb.call1(&JsValue::NULL, &f.into()) {
                thrown = Some(e);
            }
        }
    };
    let result = genome::parse_with_progress(&bytes, &opts, &mut progress);
    if let Some(e) = thrown {
        return Err(bad_arg(
            "options.onProgress",
            format!(
                "the callback threw: {}",
                e.dyn_ref::<js_sys::Error>()
                    .map(|e| String::from(e.message()))
                    .unwrap_or_else(|| describe(&e))
            ),
        ));
    }
    result.map_err(err)
}

/// Parse a genome file (GenBank, GFF3, FASTA or BioXen .genome; optionally gzip-compressed;
/// the format is detected from the content) into a summary with the VM workload it implies.
#[wasm_bindgen(js_name = parseGenome, unchecked_return_type = "GenomeSummary")]
pub fn parse_genome(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] input: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ParseGenomeOptions")] options: JsValue,
) -> JsResult<JsValue> {
    let s = parse_value(&input, &options)?;
    let w = s.workload().ok();
    let parsed = Parsed {
        summary: &s,
        workload: w.as_ref(),
    };
    if json_safe(&parsed) {
        return summary_object(s, w.as_ref());
    }
    let out = to_js(&s)?;
    let w = match &w {
        Some(w) => to_js(w)?,
        None => JsValue::NULL,
    };
    set(&out, "workload", &w);
    Ok(out)
}

/// `parseGenome`'s result: the summary with its workload (null without one) as a last key.
#[derive(Serialize)]
struct Parsed<'a> {
    #[serde(flatten)]
    summary: &'a GenomeSummary,
    workload: Option<&'a GenomeWorkload>,
}

/// The summary as a JS object. serde-wasm-bindgen makes a JS call per field and per string (some
/// 50,000 for E. coli's 4,600 genes), which cost more than parsing the GenBank text's feature
/// table in Rust; everything but the gene list goes through JSON text and one `JSON.parse`, and
/// the genes, nearly all of the result, are built in JS from columns ([`gene_objects`]), ten
/// times faster again than `JSON.parse` of their text. The gene list replaces the empty one the
/// rest was written with, so the keys keep serde's order.
fn summary_object(mut s: GenomeSummary, w: Option<&GenomeWorkload>) -> JsResult<JsValue> {
    let json = |e: serde_json::Error| js_error("INVALID_ARGUMENT", &e.to_string());
    let all = std::mem::take(&mut s.genes);
    let c = GeneColumns::of(&all);
    let genes = match gene_objects(&c.text, &c.lengths, &c.numbers, &c.codes, &c.names) {
        Ok(genes) => genes,
        // Glue without the helper (e.g. wasm-bindgen-test's): the same objects through JSON.
        Err(_) => parse_json(&serde_json::to_string(&all).map_err(json)?)?,
    };
    let text = serde_json::to_string(&Parsed {
        summary: &s,
        workload: w,
    })
    .map_err(json)?;
    let out = parse_json(&text)?;
    set(&out, "genes", &genes);
    Ok(out)
}

#[wasm_bindgen]
extern "C" {
    /// `bioxenGeneObjects` of `src/wasm/gene_objects.js`, which scripts/build-pkg.sh adds to
    /// both glue files: the gene objects from [`GeneColumns`]. It only reads its arguments (the
    /// arrays are views of wasm memory, valid during the call).
    #[wasm_bindgen(catch, js_name = bioxenGeneObjects)]
    fn gene_objects(
        text: &str,
        lengths: &[u32],
        numbers: &[f64],
        codes: &[u8],
        names: &str,
    ) -> Result<JsValue, JsValue>;
}

/// Gene types and strands in the order of their codes in [`GeneColumns::codes`].
const TYPES: [GeneType; 6] = [
    GeneType::ProteinCoding,
    GeneType::Trna,
    GeneType::Rrna,
    GeneType::Ncrna,
    GeneType::Pseudogene,
    GeneType::Other,
];
const STRANDS: [Strand; 3] = [Strand::Forward, Strand::Reverse, Strand::Unknown];

/// The gene list as columns for `bioxenGeneObjects`.
struct GeneColumns {
    /// Every gene's id, name and product (those present), one after another.
    text: String,
    /// Per gene: the UTF-16 lengths (JS string units) of id, name and product (0 when absent).
    lengths: Vec<u32>,
    /// Per gene: start, end, length (safe integers; checked by `json_safe`).
    numbers: Vec<f64>,
    /// Per gene: strand (bits 0-1) and type (bits 2-4) as indices into `names`, essential (bit
    /// 5), name present (bit 6), product present (bit 7).
    codes: Vec<u8>,
    /// The type names, `|`, the strand names; each list separated by spaces.
    names: String,
}

impl GeneColumns {
    fn of(genes: &[Gene]) -> Self {
        fn utf16_len(s: &str) -> u32 {
            (if s.is_ascii() {
                s.len()
            } else {
                s.encode_utf16().count()
            }) as u32
        }
        let mut c = GeneColumns {
            text: String::new(),
            lengths: Vec::with_capacity(genes.len() * 3),
            numbers: Vec::with_capacity(genes.len() * 3),
            codes: Vec::with_capacity(genes.len()),
            names: format!(
                "{}|{}",
                TYPES.map(GeneType::as_str).join(" "),
                STRANDS.map(Strand::as_str).join(" ")
            ),
        };
        for g in genes {
            let mut code = STRANDS.iter().position(|&x| x == g.strand).unwrap_or(0) as u8
                | (TYPES.iter().position(|&x| x == g.gene_type).unwrap_or(0) as u8) << 2
                | u8::from(g.essential) << 5;
            c.text.push_str(&g.id);
            c.lengths.push(utf16_len(&g.id));
            for (bit, v) in [(6, &g.name), (7, &g.product)] {
                let v = v.as_deref();
                if let Some(v) = v {
                    code |= 1 << bit;
                    c.text.push_str(v);
                }
                c.lengths.push(v.map_or(0, utf16_len));
            }
            c.numbers
                .extend([g.start as f64, g.end as f64, g.length as f64]);
            c.codes.push(code);
        }
        c
    }
}

/// Largest number of bytes a genome input may have (before or after gzip decompression).
#[wasm_bindgen(js_name = genomeInputLimit)]
pub fn genome_input_limit() -> f64 {
    MAX_INPUT_BYTES as f64
}

/// The workload behind `config.genome`: raw input (string or Uint8Array) is parsed; a summary
/// from `parseGenome` gives its `workload`.
fn genome_workload(v: &JsValue) -> JsResult<GenomeWorkload> {
    if v.is_string() || v.dyn_ref::<Uint8Array>().is_some() {
        let s = parse_value(v, &JsValue::UNDEFINED)?;
        return s.workload().map_err(err);
    }
    if !v.is_object() || Array::is_array(v) {
        return Err(bad_arg(
            "config.genome",
            format!(
                "expected a GenomeSummary from parseGenome, a string or a Uint8Array, got {}",
                describe(v)
            ),
        ));
    }
    let w = prop(v, "config.genome", "workload")?;
    if absent(&w) {
        return Err(bad_arg(
            "config.genome",
            "this genome has no workload (no protein-coding genes): expected an annotated genome",
        ));
    }
    let json = js_to_json(&w, 0, true).map_err(|e| bad_arg("config.genome.workload", e))?;
    GenomeWorkload::from_json(json).map_err(err)
}

/// Split `config.genome` off a config object: (the config without it, the genome's workload).
pub(crate) fn take_genome(config: &JsValue) -> JsResult<(JsValue, Option<GenomeWorkload>)> {
    if !config.is_object() || Array::is_array(config) {
        return Ok((config.clone(), None));
    }
    let g = prop(config, "config", "genome")?;
    if absent(&g) {
        return Ok((config.clone(), None));
    }
    let workload = genome_workload(&g)?;
    let rest = Object::new();
    let keys = object_keys(config).map_err(|_| bad_arg("config", "reading its keys threw"))?;
    for k in keys.iter() {
        if k.as_string().as_deref() != Some("genome") {
            let x = prop(config, "config", &k.as_string().unwrap_or_default())?;
            let _ = Reflect::set(&rest, &k, &x);
        }
    }
    Ok((rest.into(), Some(workload)))
}

#[wasm_bindgen(js_class = BiologicalVM)]
impl JsBiologicalVm {
    /// What this VM's workload comes from: its genome's facts, or its biological type's.
    #[wasm_bindgen(unchecked_return_type = "Workload")]
    pub fn workload(&self) -> JsResult<JsValue> {
        let w = self
            .inner
            .hypervisor()
            .lock()
            .vm_workload(self.inner.vm_id())
            .map_err(err)?;
        to_js(&w)
    }
}
