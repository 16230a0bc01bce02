//! Files and standard streams of the CLI: reading scenarios (size-limited, BOM dropped),
//! writing sessions as the playground exports them, printing to stdout.

use std::io::{Read, Write};

use bioxen::session::{self, Session, Syntax};

use crate::error::CliError;

/// Read a file (or standard input for `-`), refusing a file far over the session size limit
/// before reading it (the exact limit, in UTF-16 units as JS counts, is checked on the text).
pub fn read_text(path: &str) -> Result<String, CliError> {
    const MAX_FILE: u64 = 3 * session::MAX_BYTES as u64;
    let too_large = |n: u64| {
        CliError::Session(vec![session::SessionError {
            path: "$".into(),
            message: format!("file too large ({n} bytes > {})", session::MAX_BYTES),
            cause: None,
        }])
    };
    let mut buf = Vec::new();
    if path == "-" {
        std::io::stdin()
            .take(MAX_FILE + 1)
            .read_to_end(&mut buf)
            .map_err(|e| CliError::io("standard input", e))?;
    } else {
        let f = std::fs::File::open(path).map_err(|e| CliError::io(path, e))?;
        let len = f.metadata().map_err(|e| CliError::io(path, e))?.len();
        if len > MAX_FILE {
            return Err(too_large(len));
        }
        f.take(MAX_FILE + 1)
            .read_to_end(&mut buf)
            .map_err(|e| CliError::io(path, e))?;
    }
    if buf.len() as u64 > MAX_FILE {
        return Err(too_large(buf.len() as u64));
    }
    // A byte-order mark is dropped, as the browser's File.text() drops it.
    if buf.starts_with(&[0xEF, 0xBB, 0xBF]) {
        buf.drain(..3);
    }
    String::from_utf8(buf).map_err(|e| CliError::io(path, format!("not UTF-8 text: {e}")))
}

/// Read and validate a session file; every problem is reported.
pub fn load_session(path: &str) -> Result<Session, CliError> {
    let text = read_text(path)?;
    session::parse(&text, Syntax::for_path(path)).map_err(CliError::Session)
}

pub fn write_text(path: &str, text: &str) -> Result<(), CliError> {
    std::fs::write(path, text).map_err(|e| CliError::io(path, e))
}

/// The session as the CLI writes it: `meta.createdBy` and `meta.bioxenVersion` set, as the
/// playground sets them on export.
pub fn session_json(s: &Session) -> String {
    let mut s = s.clone();
    s.set_meta("createdBy", "bioxen cli");
    s.set_meta("bioxenVersion", env!("CARGO_PKG_VERSION"));
    session::to_json(&s)
}

pub fn pretty(v: &serde_json::Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_else(|_| "null".into())
}

pub fn print(text: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|_| out.flush())
        .map_err(|e| CliError::io("standard output", e))
}
