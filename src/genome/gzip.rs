//! Optional gzip decompression (flate2 with its pure-Rust miniz_oxide backend), bounded by
//! [`MAX_INPUT_BYTES`](super::summary::MAX_INPUT_BYTES) so that a small bomb cannot exhaust memory.

use std::borrow::Cow;
use std::io::Read;

use super::summary::MAX_INPUT_BYTES;
use crate::error::{BioxenError, Result};

/// True for data starting with the gzip magic bytes.
pub(crate) fn is_gzip(data: &[u8]) -> bool {
    data.starts_with(&[0x1f, 0x8b])
}

fn too_large(what: &str, size: u64) -> BioxenError {
    BioxenError::InputTooLarge {
        what: what.to_string(),
        size,
        limit: MAX_INPUT_BYTES as u64,
    }
}

/// The data itself, or its gzip decompression (all members, as `gzip -d` does); `true` when it
/// was compressed. Refuses inputs over the limit before reading, and decompressed data as soon as
/// it passes the limit.
pub(crate) fn maybe_decompress<'a>(data: &'a [u8], what: &str) -> Result<(Cow<'a, [u8]>, bool)> {
    if data.len() > MAX_INPUT_BYTES {
        return Err(too_large(what, data.len() as u64));
    }
    if !is_gzip(data) {
        return Ok((Cow::Borrowed(data), false));
    }
    let mut out = Vec::with_capacity((data.len() * 4).min(MAX_INPUT_BYTES));
    let decoder = flate2::read::MultiGzDecoder::new(data);
    match decoder
        .take(MAX_INPUT_BYTES as u64 + 1)
        .read_to_end(&mut out)
    {
        Ok(n) if n > MAX_INPUT_BYTES => Err(BioxenError::InputTooLarge {
            what: format!("{what} (decompressed)"),
            size: n as u64,
            limit: MAX_INPUT_BYTES as u64,
        }),
        Ok(_) => Ok((Cow::Owned(out), true)),
        Err(e) => Err(BioxenError::InvalidGenome {
            what: format!("gzip-compressed {what}"),
            line: 0,
            column: 0,
            message: format!(
                "cannot decompress after {} bytes of output: {e} (expected a complete gzip stream)",
                out.len()
            ),
        }),
    }
}
