//! The module graph of `src/`: no import cycles, and the lower layers import nothing above them.
//!
//! Every `.rs` file under `src/` (not `src/bin/`, a separate crate) is read, its `use`
//! declarations are parsed (`use`, `pub use`, `pub(crate) use`, grouped and multi-line trees,
//! paths from `crate::`, `super::`, `self::` and relative paths into a child module), inline
//! `mod x { ... }` blocks are tracked so that `super` means the right module, and each path
//! is resolved to the deepest existing module file (`src/a/b.rs` or `src/a/b/mod.rs`); paths
//! written inline from `crate::`, `super::` or `self::` (e.g. `crate::chassis::X` in an
//! expression) count as imports too. A
//! `mod x;` declaration is not an import; a file importing itself (e.g. `use super::*` in its
//! own `mod tests`) is no edge. The test fails on any cycle of the file graph, naming it whole.
//!
//! Layering: the lower layers, lowest first, are [`LAYERS`]. A file of a lower layer may import
//! only files of its own layer or of a layer before it in that list.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The lower layers, lowest first: a module of one may import only modules of itself or of
/// the layers before it. (A layer is a top-level module of `src/`, a file or a folder.)
const LAYERS: [&str; 6] = ["error", "vm", "resources", "chassis", "scheduler", "trace"];

/// A file by its path below `src/`, e.g. `hypervisor/mod.rs`.
type File = String;

/// The module path of a file: `lib.rs` → [], `a.rs` and `a/mod.rs` → [a], `a/b.rs` → [a, b].
fn module_of(file: &str) -> Vec<String> {
    let stem = file.strip_suffix(".rs").unwrap_or(file);
    let mut parts: Vec<String> = stem.split('/').map(str::to_string).collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    parts
}

/// The file of a module path, if one exists.
fn file_of(module: &[String], files: &BTreeSet<File>) -> Option<File> {
    if module.is_empty() {
        return files.get("lib.rs").cloned();
    }
    let base = module.join("/");
    [format!("{base}.rs"), format!("{base}/mod.rs")]
        .into_iter()
        .find(|f| files.contains(f))
}

/// `src` with comments, string and character literals blanked out (their braces and `use`
/// words must not count), lifetimes kept.
fn strip(src: &str) -> String {
    let c: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    while i < c.len() {
        let at = |k: usize| c.get(k).copied().unwrap_or('\0');
        if c[i] == '/' && at(i + 1) == '/' {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if c[i] == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < c.len() {
                if c[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if c[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
        } else if (c[i] == 'r' || (c[i] == 'b' && at(i + 1) == 'r')) && !prev_is_ident(&c, i) && {
            let mut k = i + if c[i] == 'b' { 2 } else { 1 };
            while at(k) == '#' {
                k += 1;
            }
            at(k) == '"'
        } {
            // A raw string: r#"..."#.
            let mut k = i + if c[i] == 'b' { 2 } else { 1 };
            let mut hashes = 0;
            while at(k) == '#' {
                hashes += 1;
                k += 1;
            }
            k += 1;
            loop {
                if k >= c.len() {
                    break;
                }
                if c[k] == '"' && (1..=hashes).all(|h| at(k + h) == '#') {
                    k += 1 + hashes;
                    break;
                }
                k += 1;
            }
            i = k;
            out.push_str("\"\"");
        } else if c[i] == '"' {
            i += 1;
            while i < c.len() && c[i] != '"' {
                i += if c[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if c[i] == '\'' {
            // A character literal ('x', '\n', '\u{..}') or a lifetime ('a).
            if at(i + 1) == '\\' {
                let mut k = i + 2;
                while k < c.len() && c[k] != '\'' {
                    k += 1;
                }
                i = k + 1;
                out.push_str("' '");
            } else if at(i + 2) == '\'' {
                i += 3;
                out.push_str("' '");
            } else {
                out.push('\'');
                i += 1;
            }
        } else {
            out.push(c[i]);
            i += 1;
        }
    }
    out
}

fn prev_is_ident(c: &[char], i: usize) -> bool {
    i > 0 && (c[i - 1].is_alphanumeric() || c[i - 1] == '_')
}

/// Identifiers and punctuation (`::` as one token).
fn tokens(src: &str) -> Vec<String> {
    let c: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        if c[i].is_whitespace() {
            i += 1;
        } else if c[i].is_alphanumeric() || c[i] == '_' {
            let s = i;
            while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                i += 1;
            }
            out.push(c[s..i].iter().collect());
        } else if c[i] == ':' && c.get(i + 1) == Some(&':') {
            out.push("::".into());
            i += 2;
        } else {
            out.push(c[i].to_string());
            i += 1;
        }
    }
    out
}

/// The paths of one use tree starting at `t[*i]`, each as its segments (`self` in a group
/// kept as a segment; `as` aliases dropped); `*i` ends after the tree.
fn use_tree(t: &[String], i: &mut usize, prefix: &[String], out: &mut Vec<Vec<String>>) {
    let mut path = prefix.to_vec();
    loop {
        match t.get(*i).map(String::as_str) {
            Some("::") => *i += 1,
            Some("{") => {
                *i += 1;
                loop {
                    match t.get(*i).map(String::as_str) {
                        Some("}") => {
                            *i += 1;
                            return;
                        }
                        Some(",") => *i += 1,
                        None => return,
                        _ => use_tree(t, i, &path, out),
                    }
                }
            }
            Some("*") => {
                *i += 1;
                out.push(path);
                return;
            }
            Some("as") => {
                *i += 2;
                out.push(path);
                return;
            }
            Some(s) if s.chars().all(|c| c.is_alphanumeric() || c == '_') => {
                path.push(s.to_string());
                *i += 1;
            }
            _ => {
                out.push(path);
                return;
            }
        }
    }
}

/// Every `use` path of a file, and every path written inline from `crate::`, `super::` or
/// `self::`, with the module it appears in (the file's module plus the inline `mod` blocks
/// around it).
fn uses_of(file: &str, src: &str) -> Vec<(Vec<String>, Vec<String>)> {
    let t = tokens(&strip(src));
    let base = module_of(file);
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut out = Vec::new();
    let mut i = 0;
    while i < t.len() {
        match t[i].as_str() {
            "{" => {
                depth += 1;
                i += 1;
            }
            "}" => {
                depth = depth.saturating_sub(1);
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
                i += 1;
            }
            "mod" if t.get(i + 2).map(String::as_str) == Some("{") => {
                inline.push((t[i + 1].clone(), depth));
                depth += 1;
                i += 3;
            }
            "use" if i == 0 || !matches!(t[i - 1].as_str(), "::" | "." | "#") => {
                i += 1;
                let mut paths = Vec::new();
                use_tree(&t, &mut i, &[], &mut paths);
                let mut module = base.clone();
                module.extend(inline.iter().map(|(m, _)| m.clone()));
                out.extend(paths.into_iter().map(|p| (module.clone(), p)));
            }
            // A path written inline (`crate::chassis::X` in an expression or a type) is a
            // dependency too, though no `use` names it.
            "crate" | "super" | "self"
                if t.get(i + 1).map(String::as_str) == Some("::")
                    && (i == 0 || t[i - 1] != "::") =>
            {
                let mut path = vec![t[i].clone()];
                i += 1;
                while t.get(i).map(String::as_str) == Some("::")
                    && t.get(i + 1)
                        .is_some_and(|s| s.chars().all(|c| c.is_alphanumeric() || c == '_'))
                {
                    path.push(t[i + 1].clone());
                    i += 2;
                }
                let mut module = base.clone();
                module.extend(inline.iter().map(|(m, _)| m.clone()));
                out.push((module, path));
            }
            _ => i += 1,
        }
    }
    out
}

/// The absolute module path a use path starts from, or None for another crate (std, serde).
fn absolute(module: &[String], path: &[String], files: &BTreeSet<File>) -> Option<Vec<String>> {
    let mut cur: Vec<String> = module.to_vec();
    let mut rest = path;
    match rest.first().map(String::as_str) {
        Some("crate") => {
            cur.clear();
            rest = &rest[1..];
        }
        Some("super") | Some("self") => {
            while let Some(s) = rest.first().map(String::as_str) {
                match s {
                    "super" => {
                        cur.pop();
                    }
                    "self" => {}
                    _ => break,
                }
                rest = &rest[1..];
            }
        }
        Some(first) => {
            // A relative path into a child module of a file (`use child::Item;` in a parent).
            let mut child = cur.clone();
            child.push(first.to_string());
            file_of(&child, files)?;
        }
        None => return None,
    }
    cur.extend(rest.iter().filter(|s| *s != "self").cloned());
    Some(cur)
}

/// The file graph: every file with the files it imports (self-edges left out).
fn graph(sources: &BTreeMap<File, String>) -> BTreeMap<File, BTreeSet<File>> {
    let files: BTreeSet<File> = sources.keys().cloned().collect();
    let mut g: BTreeMap<File, BTreeSet<File>> = BTreeMap::new();
    for (file, src) in sources {
        let targets = g.entry(file.clone()).or_default();
        for (module, path) in uses_of(file, src) {
            let Some(abs) = absolute(&module, &path, &files) else {
                continue;
            };
            let target = (0..=abs.len())
                .rev()
                .find_map(|n| file_of(&abs[..n], &files));
            if let Some(target) = target.filter(|t| t != file) {
                targets.insert(target);
            }
        }
    }
    g
}

/// Every cycle of the graph, one per strongly connected component, each as a closed walk
/// `a -> b -> ... -> a` (Tarjan's algorithm, then a path inside each component).
fn cycles(g: &BTreeMap<File, BTreeSet<File>>) -> Vec<Vec<File>> {
    struct Tarjan<'a> {
        g: &'a BTreeMap<File, BTreeSet<File>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on: BTreeSet<&'a str>,
        sccs: Vec<Vec<&'a str>>,
    }
    impl<'a> Tarjan<'a> {
        fn visit(&mut self, v: &'a str) {
            let n = self.index.len();
            self.index.insert(v, n);
            self.low.insert(v, n);
            self.stack.push(v);
            self.on.insert(v);
            for w in self.g.get(v).into_iter().flatten() {
                let w = w.as_str();
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let l = self.low[v].min(self.low[w]);
                    self.low.insert(v, l);
                } else if self.on.contains(w) {
                    let l = self.low[v].min(self.index[w]);
                    self.low.insert(v, l);
                }
            }
            if self.low[v] == self.index[v] {
                let mut scc = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on.remove(w);
                    scc.push(w);
                    if w == v {
                        break;
                    }
                }
                if scc.len() > 1 {
                    self.sccs.push(scc);
                }
            }
        }
    }
    let mut t = Tarjan {
        g,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        sccs: Vec::new(),
    };
    for v in g.keys() {
        if !t.index.contains_key(v.as_str()) {
            t.visit(v);
        }
    }
    t.sccs
        .into_iter()
        .map(|scc| {
            let set: BTreeSet<&str> = scc.iter().copied().collect();
            let start = *set.iter().next().expect("a component is not empty");
            // Breadth-first from `start` inside the component back to `start`.
            let mut prev: BTreeMap<&str, &str> = BTreeMap::new();
            let mut queue = std::collections::VecDeque::from([start]);
            let mut last = start;
            'search: while let Some(v) = queue.pop_front() {
                for w in g[v].iter().map(String::as_str).filter(|w| set.contains(w)) {
                    if w == start {
                        last = v;
                        break 'search;
                    }
                    if !prev.contains_key(w) {
                        prev.insert(w, v);
                        queue.push_back(w);
                    }
                }
            }
            let mut walk = vec![start.to_string()];
            let mut v = last;
            while v != start {
                walk.push(v.to_string());
                v = prev[v];
            }
            walk.push(start.to_string());
            walk.reverse();
            walk
        })
        .collect()
}

/// The layer of a file (its index in [`LAYERS`]), if it belongs to a lower layer.
fn layer_of(file: &str) -> Option<usize> {
    let top = module_of(file).into_iter().next()?;
    LAYERS.iter().position(|l| *l == top)
}

/// Imports of lower-layer files that break the layering, as "file -> target (why)".
fn layer_violations(g: &BTreeMap<File, BTreeSet<File>>) -> Vec<String> {
    let mut bad = Vec::new();
    for (file, targets) in g {
        let Some(l) = layer_of(file) else { continue };
        for t in targets {
            match layer_of(t) {
                Some(m) if m <= l => {}
                Some(m) => bad.push(format!(
                    "{file} -> {t} (layer {} imports layer {}, which is above it)",
                    LAYERS[l], LAYERS[m]
                )),
                None => bad.push(format!(
                    "{file} -> {t} (layer {} imports a module that is not a lower layer)",
                    LAYERS[l]
                )),
            }
        }
    }
    bad
}

fn read_src(dir: &Path, root: &Path, out: &mut BTreeMap<File, String>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for p in entries {
        let rel = p
            .strip_prefix(root)
            .expect("below src/")
            .to_string_lossy()
            .replace('\\', "/");
        if p.is_dir() {
            if rel != "bin" {
                read_src(&p, root, out);
            }
        } else if rel.ends_with(".rs") {
            let text = std::fs::read_to_string(&p)
                .unwrap_or_else(|e| panic!("reading {}: {e}", p.display()));
            out.insert(rel, text);
        }
    }
}

fn fmt_cycles(c: &[Vec<File>]) -> String {
    c.iter()
        .map(|w| format!("  {}", w.join(" -> ")))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn src_has_no_import_cycles_and_lower_layers_import_nothing_above_them() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut sources = BTreeMap::new();
    read_src(&root, &root, &mut sources);
    assert!(
        sources.contains_key("lib.rs") && sources.contains_key("hypervisor/mod.rs"),
        "expected src/lib.rs and src/hypervisor/mod.rs among {:?}",
        sources.keys().collect::<Vec<_>>()
    );
    let g = graph(&sources);
    let edges: usize = g.values().map(BTreeSet::len).sum();
    let found = cycles(&g);
    assert!(
        found.is_empty(),
        "{} import cycle(s) among the files of src/:\n{}",
        found.len(),
        fmt_cycles(&found)
    );
    let bad = layer_violations(&g);
    assert!(
        bad.is_empty(),
        "lower layers (lowest first: {}) import modules above them:\n  {}",
        LAYERS.join(", "),
        bad.join("\n  ")
    );
    // The lower layers really are there and really import each other (the rule is not vacuous).
    assert!(
        g.get("trace.rs")
            .is_some_and(|t| t.contains("scheduler/mod.rs")),
        "expected src/trace.rs -> src/scheduler/mod.rs; trace.rs imports {:?}",
        g.get("trace.rs")
    );
    println!(
        "module graph of src/: {} files, {edges} edges, no cycles",
        g.len()
    );
}

fn synthetic(files: &[(&str, &str)]) -> BTreeMap<File, String> {
    files
        .iter()
        .map(|(f, s)| (f.to_string(), s.to_string()))
        .collect()
}

#[test]
fn a_cycle_in_a_synthetic_graph_is_found_and_named_whole() {
    let src = synthetic(&[
        ("lib.rs", "pub mod a; pub mod b; pub mod c; pub mod d;"),
        ("a.rs", "use crate::b::Thing;"),
        ("b/mod.rs", "mod inner;\npub use inner::Other;"),
        ("b/inner.rs", "use crate::c::{self, X};"),
        ("c.rs", "pub(crate) use super::a::Y;"),
        ("d.rs", "use crate::a; use std::fmt;"),
    ]);
    let g = graph(&src);
    assert_eq!(
        g["b/mod.rs"].iter().collect::<Vec<_>>(),
        ["b/inner.rs"],
        "relative `pub use inner::Other` in b/mod.rs"
    );
    let found = cycles(&g);
    assert_eq!(
        found,
        vec![vec![
            "a.rs".to_string(),
            "b/mod.rs".into(),
            "b/inner.rs".into(),
            "c.rs".into(),
            "a.rs".into()
        ]],
        "graph {g:?}"
    );
    assert_eq!(
        fmt_cycles(&found),
        "  a.rs -> b/mod.rs -> b/inner.rs -> c.rs -> a.rs"
    );
    // Without the closing edge there is none.
    let mut acyclic = src.clone();
    acyclic.insert("c.rs".into(), "use std::fmt;".into());
    assert!(cycles(&graph(&acyclic)).is_empty());
}

#[test]
fn multi_line_grouped_uses_inline_modules_and_literals_are_parsed() {
    let src = synthetic(&[
        ("lib.rs", "pub mod x; pub mod y; pub mod z; pub mod w;"),
        (
            "x.rs",
            r##"
            // use crate::w; (a comment)
            /* use crate::w; /* nested */ */
            const S: &str = "use crate::w; {";
            const R: &str = r#"use crate::w; }"#;
            const C: char = '{';
            fn f<'a>(s: &'a str) -> &'a str { s }
            fn g() -> u32 { crate::w::LIMIT + self::f("").len() as u32 }
            pub use crate::{
                y::{self, Inner as _},
                z::{
                    deep::Thing,
                    *,
                },
            };
            #[cfg(test)]
            mod tests {
                use super::*;
                use super::super::w::Item;
                mod deeper {
                    use super::super::f;
                }
            }
            "##,
        ),
        ("y.rs", ""),
        ("z/mod.rs", "pub mod deep;"),
        ("z/deep.rs", ""),
        ("w.rs", ""),
    ]);
    let uses = uses_of("x.rs", &src["x.rs"]);
    let paths: Vec<String> = uses
        .iter()
        .map(|(m, p)| format!("{}: {}", m.join("::"), p.join("::")))
        .collect();
    assert_eq!(
        paths,
        [
            "x: crate::w::LIMIT",
            "x: self::f",
            "x: crate::y::self",
            "x: crate::y::Inner",
            "x: crate::z::deep::Thing",
            "x: crate::z",
            "x::tests: super",
            "x::tests: super::super::w::Item",
            "x::tests::deeper: super::super::f",
        ],
        "use paths of x.rs"
    );
    let g = graph(&src);
    assert_eq!(
        g["x.rs"].iter().collect::<Vec<_>>(),
        ["w.rs", "y.rs", "z/deep.rs", "z/mod.rs"],
        "edges of x.rs (no self-edge from its tests module; none from comments or strings)"
    );
}

#[test]
fn layering_names_an_import_from_a_lower_layer_upwards() {
    let src = synthetic(&[
        ("lib.rs", ""),
        ("error.rs", "use crate::vm::VmState;"),
        ("vm.rs", "use crate::error::Result;"),
        (
            "trace.rs",
            "use crate::scheduler::Ms; use crate::hypervisor::H;",
        ),
        ("scheduler/mod.rs", ""),
        ("hypervisor/mod.rs", "use crate::trace::Trace;"),
    ]);
    let bad = layer_violations(&graph(&src));
    assert_eq!(
        bad,
        [
            "error.rs -> vm.rs (layer error imports layer vm, which is above it)",
            "trace.rs -> hypervisor/mod.rs (layer trace imports a module that is not a lower layer)",
        ]
    );
}
