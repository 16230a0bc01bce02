//! The gene list as JSON text, written directly.
//!
//! `parseGenome` hands its result to JS as JSON text. serde_json's generic writer, compiled
//! into this crate at the wasm build's opt-level "s", spent about as long writing E. coli's
//! 4,600 genes as the GFF3 parser spent reading them; this loop over a pre-sized buffer writes
//! the same bytes (the tests compare it with serde_json on real files and random text).

use super::Gene;

/// `serde_json::to_string(genes)`, byte for byte.
pub fn genes_json(genes: &[Gene]) -> String {
    let text: usize = genes
        .iter()
        .map(|g| {
            g.id.len()
                + g.name.as_ref().map_or(0, String::len)
                + g.product.as_ref().map_or(0, String::len)
        })
        .sum();
    let mut out = Vec::with_capacity(text + genes.len() * 140 + 2);
    out.push(b'[');
    for (i, g) in genes.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"id\":");
        string(&mut out, &g.id);
        out.extend_from_slice(b",\"name\":");
        optional(&mut out, g.name.as_deref());
        out.extend_from_slice(b",\"product\":");
        optional(&mut out, g.product.as_deref());
        out.extend_from_slice(b",\"start\":");
        number(&mut out, g.start);
        out.extend_from_slice(b",\"end\":");
        number(&mut out, g.end);
        out.extend_from_slice(b",\"strand\":\"");
        out.extend_from_slice(g.strand.as_str().as_bytes());
        out.extend_from_slice(b"\",\"type\":\"");
        out.extend_from_slice(g.gene_type.as_str().as_bytes());
        out.extend_from_slice(b"\",\"length\":");
        number(&mut out, g.length);
        out.extend_from_slice(if g.essential {
            b",\"essential\":true}"
        } else {
            b",\"essential\":false}"
        });
    }
    out.push(b']');
    // Only whole UTF-8 strings and ASCII were written.
    String::from_utf8(out).expect("JSON text is UTF-8")
}

fn optional(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => string(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

/// A JSON string with serde_json's escapes: `\"`, `\\`, `\b \f \n \r \t`, other control
/// characters as `\u00XX`; everything else (including non-ASCII) as it is.
fn string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let b = s.as_bytes();
    let mut from = 0;
    for (i, &c) in b.iter().enumerate() {
        let escape: &[u8] = match c {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            0x0c => b"\\f",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0..=0x1f => {
                out.extend_from_slice(&b[from..i]);
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[(c >> 4) as usize]);
                out.push(HEX[(c & 15) as usize]);
                from = i + 1;
                continue;
            }
            _ => continue,
        };
        out.extend_from_slice(&b[from..i]);
        out.extend_from_slice(escape);
        from = i + 1;
    }
    out.extend_from_slice(&b[from..]);
    out.push(b'"');
}

fn number(out: &mut Vec<u8>, mut v: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

#[cfg(test)]
mod tests {
    use super::super::{GeneType, Strand};
    use super::*;
    use proptest::prelude::*;

    fn gene(
        id: String,
        name: Option<String>,
        product: Option<String>,
        n: u64,
        essential: bool,
    ) -> Gene {
        Gene {
            id,
            name,
            product,
            start: n,
            end: n.wrapping_mul(3),
            strand: [Strand::Forward, Strand::Reverse, Strand::Unknown][(n % 3) as usize],
            gene_type: [
                GeneType::ProteinCoding,
                GeneType::Trna,
                GeneType::Rrna,
                GeneType::Ncrna,
                GeneType::Pseudogene,
                GeneType::Other,
            ][(n % 6) as usize],
            length: u64::MAX - n,
            essential,
        }
    }

    #[test]
    fn edge_cases_match_serde_json() {
        let all_bytes: String = (0u8..=127).map(char::from).collect();
        let genes = [
            gene(String::new(), None, None, 0, false),
            gene(
                all_bytes.clone(),
                Some(all_bytes),
                Some("é \u{2028} \u{1F9EC} \"q\" \\".into()),
                1,
                true,
            ),
            gene("a".into(), Some(String::new()), None, u64::MAX, true),
            gene(
                "b".into(),
                None,
                Some("\u{7f}\u{0}".into()),
                9_007_199_254_740_993,
                false,
            ),
        ];
        for n in 0..genes.len() {
            assert_eq!(
                genes_json(&genes[..n]),
                serde_json::to_string(&genes[..n]).unwrap()
            );
        }
    }

    proptest! {
        #[test]
        fn random_genes_match_serde_json(
            genes in prop::collection::vec(
                (any::<String>(), any::<Option<String>>(), any::<Option<String>>(), any::<u64>(), any::<bool>()),
                0..8,
            )
        ) {
            let genes: Vec<Gene> = genes
                .into_iter()
                .map(|(id, name, product, n, e)| gene(id, name, product, n, e))
                .collect();
            prop_assert_eq!(genes_json(&genes), serde_json::to_string(&genes).unwrap());
        }
    }
}
