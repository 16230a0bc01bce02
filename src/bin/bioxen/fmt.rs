//! Formatting for people: durations, amounts and plain-text tables (as the playground shows
//! them, see www/js/format.js), and duration parsing for `--until` and `--speed`.

/// A duration in simulated ms: "820 ms", "20 s", "12.5 min", "3.2 h", "2.1 d".
pub fn dur(ms: f64) -> String {
    let a = ms.abs();
    if a < 1000.0 {
        format!("{} ms", ms.round())
    } else if a < 60_000.0 {
        format!("{} s", trim(ms / 1000.0))
    } else if a < 3_600_000.0 {
        format!("{} min", trim(ms / 60_000.0))
    } else if a < 172_800_000.0 {
        format!("{} h", trim(ms / 3_600_000.0))
    } else {
        format!("{} d", trim(ms / 86_400_000.0))
    }
}

fn trim(x: f64) -> String {
    let a = x.abs();
    let s = if a >= 100.0 {
        format!("{x:.0}")
    } else if a >= 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    };
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// A clock reading: "0 s", "45 s", "12 min 30 s", "3 h 05 min", "2 d 03 h 00 min".
pub fn clock(ms: u64) -> String {
    let s = ms / 1000;
    let (d, h, m, sec) = (s / 86_400, (s % 86_400) / 3600, (s % 3600) / 60, s % 60);
    if d > 0 {
        format!("{d} d {h:02} h {m:02} min")
    } else if h > 0 {
        format!("{h} h {m:02} min")
    } else if m > 0 {
        if sec > 0 {
            format!("{m} min {sec:02} s")
        } else {
            format!("{m} min")
        }
    } else if s > 0 {
        format!("{sec} s")
    } else if ms > 0 {
        format!("{ms} ms")
    } else {
        "0 s".into()
    }
}

/// Amino acids: "950 aa", "12.3 k aa", "99.8 M aa".
pub fn aa(n: f64) -> String {
    for (v, s) in [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")] {
        if n.abs() >= v {
            return format!("{} {s} aa", trim(n / v));
        }
    }
    format!("{} aa", n.round())
}

/// A fraction as a percentage: "33.3 %".
/// `part` as a percentage of `whole` (0 when `whole` is not positive).
pub fn percent_of(part: f64, whole: f64) -> f64 {
    if whole > 0.0 {
        part / whole * 100.0
    } else {
        0.0
    }
}

pub fn pct(x: f64) -> String {
    format!("{:.1} %", x * 100.0)
}

/// Whole numbers with thousands separators: "18,500".
pub fn int(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Parse a duration: a whole number of ms, or parts with units (`ms`, `s`, `m`/`min`,
/// `h`, `d`), e.g. `90m`, `6h`, `1h30m`, `2d`, `500ms`, `1.5h`.
pub fn parse_duration(text: &str) -> Result<u64, String> {
    let bad = |why: &str| {
        format!(
            "invalid duration {text:?}: {why}; expected e.g. 500ms, 30s, 90m, 6h, 2d, 1h30m or a whole number of ms"
        )
    };
    let t = text.trim();
    if t.is_empty() {
        return Err(bad("it is empty"));
    }
    if t.bytes().all(|b| b.is_ascii_digit()) {
        return t.parse::<u64>().map_err(|_| bad("too large"));
    }
    let mut total = 0f64;
    let mut rest = t;
    while !rest.is_empty() {
        let n_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(|| bad("a number at the end has no unit"))?;
        if n_end == 0 {
            return Err(bad("expected a number"));
        }
        let n: f64 = rest[..n_end].parse().map_err(|_| bad("not a number"))?;
        rest = &rest[n_end..];
        let u_end = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit = rest[..u_end].trim();
        let scale = match unit {
            "ms" => 1.0,
            "s" | "sec" => 1000.0,
            "m" | "min" => 60_000.0,
            "h" => 3_600_000.0,
            "d" => 86_400_000.0,
            _ => return Err(bad(&format!("unknown unit {unit:?}"))),
        };
        total += n * scale;
        rest = &rest[u_end..];
    }
    if !total.is_finite() || total > 9_007_199_254_740_991.0 {
        return Err(bad("too large"));
    }
    Ok(total.round() as u64)
}

/// A plain-text table: columns whose cells all start with a digit are right-aligned.
pub fn table(header: &[String], rows: &[Vec<String>]) -> String {
    let n = header.len();
    let mut w: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    let mut numeric = vec![true; n];
    numeric[0] = false;
    for r in rows {
        for (i, c) in r.iter().enumerate().take(n) {
            w[i] = w[i].max(c.chars().count());
            if !c.starts_with(|ch: char| ch.is_ascii_digit()) {
                numeric[i] = false;
            }
        }
    }
    let line = |cells: &[String]| -> String {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate().take(n) {
            let pad = " ".repeat(w[i] - c.chars().count());
            if i > 0 {
                s.push_str("  ");
            }
            if numeric[i] {
                s.push_str(&pad);
                s.push_str(c);
            } else {
                s.push_str(c);
                s.push_str(&pad);
            }
        }
        s.trim_end().to_string()
    };
    let mut out = line(header);
    out.push('\n');
    out.push_str(
        &w.iter()
            .map(|x| "-".repeat(*x))
            .collect::<Vec<_>>()
            .join("  "),
    );
    out.push('\n');
    for r in rows {
        out.push_str(&line(r));
        out.push('\n');
    }
    out
}

/// One CSV field (quoted when needed).
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_and_refuse() {
        assert_eq!(parse_duration("6h"), Ok(21_600_000));
        assert_eq!(parse_duration("1h30m"), Ok(5_400_000));
        assert_eq!(parse_duration("1.5h"), Ok(5_400_000));
        assert_eq!(parse_duration("500ms"), Ok(500));
        assert_eq!(parse_duration("2d"), Ok(172_800_000));
        assert_eq!(parse_duration("1500"), Ok(1500));
        for bad in ["", "h", "5x", "5h3", "-1h"] {
            let e = parse_duration(bad).unwrap_err();
            assert!(e.contains("invalid duration"), "{bad}: {e}");
        }
    }

    #[test]
    fn readable_numbers() {
        assert_eq!(clock(3 * 3_600_000 + 5 * 60_000), "3 h 05 min");
        assert_eq!(dur(90_000.0), "1.5 min");
        assert_eq!(int(1_234_567), "1,234,567");
        assert_eq!(aa(12_345.0), "12.3 k aa");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
    }
}
