//! Reading session text: the syntax (JSON, or TOML natively), the size limit, and
//! [`parse`], which hands the raw tree to [`validate`](super::validate::validate).

use super::format::{SessionError, MAX_BYTES};
use super::raw::{js_len, Raw};
use super::types::Session;
use super::validate::validate;

/// Which syntax a session file is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Json,
    /// Read natively only (the CLI); the playground reads JSON.
    Toml,
}

impl Syntax {
    /// TOML for a `.toml` file name, JSON otherwise.
    pub fn for_path(path: &str) -> Syntax {
        if path.to_ascii_lowercase().ends_with(".toml") {
            Syntax::Toml
        } else {
            Syntax::Json
        }
    }
}

/// Parse session text into a raw value (size limit and syntax only).
pub fn parse_raw(text: &str, syntax: Syntax) -> Result<Raw, SessionError> {
    let units = js_len(text);
    if units > MAX_BYTES {
        return Err(SessionError::new(
            format!("file too large ({units} bytes > {MAX_BYTES})"),
            "$",
        ));
    }
    match syntax {
        Syntax::Json => serde_json::from_str::<Raw>(text)
            .map_err(|e| SessionError::new(format!("not JSON: {e}"), "$")),
        Syntax::Toml => parse_toml(text),
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn parse_toml(text: &str) -> Result<Raw, SessionError> {
    toml::from_str::<Raw>(text)
        .map_err(|e| SessionError::new(format!("not TOML: {}", e.message().trim()), "$"))
}

#[cfg(target_arch = "wasm32")]
fn parse_toml(_text: &str) -> Result<Raw, SessionError> {
    Err(SessionError::new(
        "TOML sessions are read by the native CLI; the wasm build reads JSON",
        "$",
    ))
}

/// Parse and validate session text; every problem found, in the order JS meets them.
pub fn parse(text: &str, syntax: Syntax) -> Result<Session, Vec<SessionError>> {
    let raw = parse_raw(text, syntax).map_err(|e| vec![e])?;
    validate(&raw)
}
