//! Case-insensitive search for a small, fixed set of ASCII keywords.
//!
//! The essentiality heuristic and the gene groups look for a dozen or more keywords in every
//! gene's product. Lowercasing each product into a new `String` and calling `str::contains` once
//! per keyword builds a substring searcher per call and allocates per gene, which dominated the
//! summary's cost in wasm. Here the keywords are indexed by first byte at compile time and the
//! text is scanned once, comparing ASCII case-insensitively in place.
//!
//! The result is exactly that of `text.to_lowercase().contains(keyword)`: for ASCII text the two
//! agree byte for byte; text with other characters (whose Unicode lowercase can be ASCII, e.g.
//! the Kelvin sign → `k`) is lowercased with `str::to_lowercase` first.

/// Up to 64 lowercase ASCII keywords, indexed by their first byte.
pub(crate) struct Keywords {
    words: &'static [&'static str],
    /// Bit i set in `by_first[b]` when keyword i starts with byte b (either case).
    by_first: [u64; 256],
    /// Bit i set in `by_second[b]` when keyword i's second byte is b (either case).
    by_second: [u64; 256],
}

impl Keywords {
    pub(crate) const fn new(words: &'static [&'static str]) -> Self {
        assert!(words.len() <= 64, "at most 64 keywords");
        let mut by_first = [0u64; 256];
        let mut by_second = [0u64; 256];
        let mut i = 0;
        while i < words.len() {
            let w = words[i].as_bytes();
            assert!(w.len() >= 2, "keywords have two bytes or more");
            let mut j = 0;
            while j < w.len() {
                assert!(
                    w[j].is_ascii() && !w[j].is_ascii_uppercase(),
                    "keywords are lowercase ASCII"
                );
                j += 1;
            }
            by_first[w[0] as usize] |= 1 << i;
            by_first[w[0].to_ascii_uppercase() as usize] |= 1 << i;
            by_second[w[1] as usize] |= 1 << i;
            by_second[w[1].to_ascii_uppercase() as usize] |= 1 << i;
            i += 1;
        }
        Keywords {
            words,
            by_first,
            by_second,
        }
    }

    /// Bit i set when keyword i occurs in `text`, ignoring case (as `to_lowercase` does).
    /// Scanning stops early once a keyword of `stop` is found.
    pub(crate) fn found(&self, text: &str, stop: u64) -> u64 {
        if text.is_ascii() {
            self.scan(text.as_bytes(), stop)
        } else {
            self.scan(text.to_lowercase().as_bytes(), stop)
        }
    }

    /// True when any keyword occurs in `text`, ignoring case (the essentiality heuristic).
    #[cfg(any(feature = "genome", test))]
    pub(crate) fn any(&self, text: &str) -> bool {
        self.found(text, u64::MAX) != 0
    }

    fn scan(&self, text: &[u8], stop: u64) -> u64 {
        let mut found = 0u64;
        for (i, pair) in text.windows(2).enumerate() {
            // Keywords whose first two bytes match here (two table lookups).
            let mut candidates =
                self.by_first[pair[0] as usize] & self.by_second[pair[1] as usize] & !found;
            while candidates != 0 {
                let k = candidates.trailing_zeros() as usize;
                candidates &= candidates - 1;
                let w = self.words[k].as_bytes();
                if text[i..]
                    .get(..w.len())
                    .is_some_and(|t| t.eq_ignore_ascii_case(w))
                {
                    found |= 1 << k;
                }
            }
            if found & stop != 0 {
                break;
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::Keywords;

    const WORDS: &[&str] = &["ribosom", "dna polymerase", "ase", "abc ", "ki"];
    static K: Keywords = Keywords::new(WORDS);

    fn reference(text: &str) -> u64 {
        let lower = text.to_lowercase();
        WORDS
            .iter()
            .enumerate()
            .filter(|(_, w)| lower.contains(*w))
            .fold(0, |m, (i, _)| m | 1 << i)
    }

    #[test]
    fn agrees_with_lowercase_contains() {
        for text in [
            "",
            "a",
            "30S RIBOSOMAL protein",
            "DNA Polymerase III",
            "dna polymeras",
            "ABC transporter",
            "abc",
            "\u{212A}inase", // Kelvin sign: lowercases to ASCII k
            "\u{212A}",
            "KI",
            "İ ribosome",
            "phosph\u{C5}tASE",
            "aase",
            "dna  polymerase",
        ] {
            assert_eq!(K.found(text, 0), reference(text), "{text:?}");
            assert_eq!(K.any(text), reference(text) != 0, "{text:?}");
        }
    }
}
