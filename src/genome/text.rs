//! Reading text for the parsers: errors at a line and column ([`At`]), line splitting, a
//! fast byte search, UTF-8 fields with their position, excerpts for messages, and base counts.

use crate::error::BioxenError;

/// A parse error at a place in the input (1-based line and column; 0 = not known).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct At {
    pub line: u64,
    pub column: u64,
    pub message: String,
}

impl At {
    pub(crate) fn new(line: u64, column: u64, message: impl Into<String>) -> Self {
        At {
            line,
            column,
            message: message.into(),
        }
    }
    pub(crate) fn into_error(self, what: &str) -> BioxenError {
        BioxenError::InvalidGenome {
            what: what.to_string(),
            line: self.line,
            column: self.column,
            message: self.message,
        }
    }
}

pub(crate) type ParseResult<T> = std::result::Result<T, At>;

/// A short, printable excerpt of a line for error messages.
pub(crate) fn excerpt(bytes: &[u8]) -> String {
    let s = String::from_utf8_lossy(&bytes[..bytes.len().min(40)]);
    let s: String = s
        .chars()
        .map(|c| if c.is_control() { '·' } else { c })
        .collect();
    if bytes.len() > 40 {
        format!("{s:?}…")
    } else {
        format!("{s:?}")
    }
}

/// Lines of a byte buffer with their 1-based numbers; `\r\n` and `\n` endings are stripped.
pub(crate) fn lines(data: &[u8]) -> impl Iterator<Item = (u64, &[u8])> {
    let mut rest = data;
    let mut n = 0u64;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        n += 1;
        let (line, next) = match memchr(b'\n', rest) {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, &rest[rest.len()..]),
        };
        rest = next;
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        Some((n, line))
    })
}

/// Index of the first `b` in `s`. Eight bytes at a time: wasm32 has no SIMD here, and a
/// byte-by-byte loop over a 12 MB file was a visible share of the parse.
pub(crate) fn memchr(b: u8, s: &[u8]) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let pattern = LO * b as u64;
    let mut words = s.chunks_exact(8);
    let mut at = 0usize;
    for w in &mut words {
        let x = u64::from_le_bytes(w.try_into().expect("8 bytes")) ^ pattern;
        // Bytes equal to `b` are zero in x; the lowest set bit of this marks the first of them
        // (higher bits can be false positives, the lowest never is).
        let zero = x.wrapping_sub(LO) & !x & HI;
        if zero != 0 {
            return Some(at + (zero.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    words
        .remainder()
        .iter()
        .position(|&x| x == b)
        .map(|i| at + i)
}

/// A field as UTF-8, or an error naming line and column.
pub(crate) fn utf8(bytes: &[u8], line: u64, column: u64) -> ParseResult<&str> {
    std::str::from_utf8(bytes).map_err(|e| {
        At::new(
            line,
            column + e.valid_up_to() as u64,
            "invalid UTF-8: expected text",
        )
    })
}

/// (G+C, A+C+G+T) of a sequence.
pub(crate) fn gc_counts(seq: &[u8]) -> (u64, u64) {
    // One table lookup and one add per base: G/C count in the high 32 bits, A/C/G/T in the low
    // 32. Chunks of under 2^32 bases keep the low half from carrying into the high half.
    const WEIGHT: [u64; 256] = {
        let mut t = [0u64; 256];
        let (gc, at) = (1u64 << 32 | 1, 1u64);
        t[b'G' as usize] = gc;
        t[b'g' as usize] = gc;
        t[b'C' as usize] = gc;
        t[b'c' as usize] = gc;
        t[b'A' as usize] = at;
        t[b'a' as usize] = at;
        t[b'T' as usize] = at;
        t[b't' as usize] = at;
        t
    };
    let (mut gc, mut acgt) = (0u64, 0u64);
    for chunk in seq.chunks(u32::MAX as usize) {
        let sum = chunk.iter().fold(0u64, |s, &b| s + WEIGHT[b as usize]);
        gc += sum >> 32;
        acgt += sum & u64::from(u32::MAX);
    }
    (gc, acgt)
}

#[cfg(test)]
mod tests {
    use super::{gc_counts, memchr};

    #[test]
    fn memchr_finds_the_first_occurrence() {
        let hay: Vec<u8> = (0..200u32).map(|i| (i * 7 % 256) as u8).collect();
        for len in 0..hay.len() {
            let s = &hay[..len];
            for b in [0u8, 1, 7, 10, 0x80, 0xff, 0x81, 200] {
                assert_eq!(memchr(b, s), s.iter().position(|&x| x == b), "{b} in {len}");
            }
        }
        // Bytes next to the searched one that differ only in the high bit or by one.
        let s = b"\x0b\x8a\x09\x8a\x0b\x0b\x8a\x0a";
        assert_eq!(memchr(b'\n', s), Some(7));
        assert_eq!(
            memchr(b'\n', b"\x8a\x8a\x8a\x8a\x8a\x8a\x8a\x8a\x0a"),
            Some(8)
        );
    }

    #[test]
    fn gc_counts_both_cases_and_ignores_other_letters() {
        assert_eq!(gc_counts(b""), (0, 0));
        assert_eq!(gc_counts(b"ACGTacgtNnRy-\x00\xff"), (4, 8));
        assert_eq!(gc_counts(b"GGGGcccc"), (8, 8));
    }
}
