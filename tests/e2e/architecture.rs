//! Guards the architecture: the modules that style.md declares pure (the
//! deploy state machine, the parsers, render) must not reach for the network,
//! the file system, the process environment, the clock or sleep; and nothing
//! outside `env.rs` and `main.rs` reads the process environment.

use std::path::{Path, PathBuf};

const PURE: &[&str] = &[
    "src/jq.rs",
    "src/output/table.rs",
    "src/marathon/types.rs",
    "src/marathon/events.rs",
    "src/marathon/labels.rs",
    "src/marathon/app_id.rs",
    "src/marathon/health.rs",
    "src/lb/stats.rs",
    "src/deploy/machine.rs",
    "src/deploy/plan.rs",
    "src/deploy/drain.rs",
    "src/deploy/merge.rs",
    "src/deploy/group.rs",
    "src/deploy/event.rs",
    "src/deploy/metric.rs",
    "src/deploy/analysis.rs",
    "src/deploy/rollout.rs",
];

const IMPURE_RENDER_FILES: &[&str] = &["validate.rs", "tests.rs"];

const FORBIDDEN: &[&str] = &[
    "reqwest",
    "std::fs",
    "fs_err",
    "std::env",
    "std::net::TcpStream",
    "Instant::now",
    "SystemTime::now",
    "thread::sleep",
    "std::process",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn pure_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = PURE.iter().map(|f| root().join(f)).collect();
    render_files(&root().join("src/render"), &mut files);
    files
}

/// Every file under `dir` (render and its children) but the impure ones.
fn render_files(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            // Tests may use anything; the code they test is checked.
            if path.file_name().is_some_and(|n| n != "tests") {
                render_files(&path, files);
            }
            continue;
        }
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        if !IMPURE_RENDER_FILES.contains(&name.as_str()) {
            files.push(path);
        }
    }
}

/// The code of a file without its `#[cfg(test)]` module, where tests may use
/// anything.
fn code_without_tests(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    match text.find("#[cfg(test)]") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

#[test]
fn pure_modules_do_no_io() {
    let mut violations = Vec::new();
    for path in pure_files() {
        let code = code_without_tests(&path);
        for word in FORBIDDEN {
            if code.contains(word) {
                violations.push(format!(
                    "{} uses {word}",
                    path.strip_prefix(root()).expect("in repo").display()
                ));
            }
        }
    }
    assert!(
        violations.is_empty(),
        "pure modules must not do I/O:\n{}",
        violations.join("\n")
    );
}

#[test]
fn only_env_rs_reads_the_process_environment() {
    let mut violations = Vec::new();
    let mut stack = vec![root().join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path
                .strip_prefix(root())
                .expect("in repo")
                .to_string_lossy()
                .into_owned();
            if rel == "src/env.rs" || rel == "src/main.rs" {
                continue;
            }
            let code = code_without_tests(&path);
            if code.contains("std::env::var") || code.contains("env::vars") {
                violations.push(rel);
            }
        }
    }
    assert!(
        violations.is_empty(),
        "read the environment through env::Env instead:\n{}",
        violations.join("\n")
    );
}

/// A module of the library: its path from the crate root and its file.
struct Module {
    path: Vec<String>,
    ast: syn::File,
}

/// Whether an item is compiled only for tests.
fn test_only(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.parse_args::<syn::Meta>()
                .is_ok_and(|m| m.path().is_ident("test"))
    })
}

/// A `#[path = "…"]` attribute's value.
fn path_attr(attrs: &[syn::Attribute]) -> Option<String> {
    attrs.iter().find_map(|a| match &a.meta {
        syn::Meta::NameValue(nv) if nv.path.is_ident("path") => match &nv.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()),
            _ => None,
        },
        _ => None,
    })
}

/// The library's module tree, from `src/lib.rs` through its `mod` items
/// (test-only modules left out: tests may import anything).
fn modules() -> Vec<Module> {
    let mut out = Vec::new();
    let mut queue = vec![(Vec::new(), root().join("src/lib.rs"))];
    while let Some((path, file)) = queue.pop() {
        let text =
            std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let ast = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let owns_dir = path.is_empty() || file.file_name().is_some_and(|n| n == "mod.rs");
        let dir = if owns_dir {
            file.parent().expect("dir").to_path_buf()
        } else {
            file.with_extension("")
        };
        for item in &ast.items {
            let syn::Item::Mod(m) = item else { continue };
            if test_only(&m.attrs) || m.content.is_some() {
                continue;
            }
            let name = m.ident.to_string();
            let child = match path_attr(&m.attrs) {
                Some(p) => file.parent().expect("dir").join(p),
                None if dir.join(format!("{name}.rs")).exists() => dir.join(format!("{name}.rs")),
                None => dir.join(&name).join("mod.rs"),
            };
            let mut child_path = path.clone();
            child_path.push(name);
            queue.push((child_path, child));
        }
        out.push(Module { path, ast });
    }
    out
}

/// Every `crate::`, `super::` and `self::` path a module's non-test code
/// names, in `use` items and in code, made absolute.
struct Names<'m> {
    module: &'m [String],
    /// The module's own child modules, which its paths may name bare.
    children: Vec<String>,
    found: Vec<Vec<String>>,
}

impl Names<'_> {
    fn absolute(&self, segments: &[String]) -> Option<Vec<String>> {
        let mut out = self.module.to_vec();
        let mut rest = segments;
        match rest.first().map(String::as_str) {
            Some("crate") => {
                out.clear();
                rest = &rest[1..];
            }
            Some("self") => rest = &rest[1..],
            Some("super") => {
                while rest.first().map(String::as_str) == Some("super") {
                    out.pop();
                    rest = &rest[1..];
                }
            }
            Some(first) if self.children.iter().any(|c| c == first) => {}
            _ => return None,
        }
        out.extend(rest.iter().cloned());
        Some(out)
    }

    fn add(&mut self, segments: Vec<String>) {
        if let Some(path) = self.absolute(&segments) {
            self.found.push(path);
        }
    }

    fn use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.use_tree(prefix, &p.tree);
                prefix.pop();
            }
            syn::UseTree::Name(n) => {
                let mut full = prefix.clone();
                if n.ident != "self" {
                    full.push(n.ident.to_string());
                }
                self.add(full);
            }
            syn::UseTree::Rename(r) => {
                let mut full = prefix.clone();
                full.push(r.ident.to_string());
                self.add(full);
            }
            syn::UseTree::Glob(_) => self.add(prefix.clone()),
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    self.use_tree(prefix, t);
                }
            }
        }
    }
}

impl<'ast> syn::visit::Visit<'ast> for Names<'_> {
    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        if !test_only(&m.attrs) {
            syn::visit::visit_item_mod(self, m);
        }
    }

    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        if !test_only(&f.attrs) {
            syn::visit::visit_item_fn(self, f);
        }
    }

    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        if !test_only(&u.attrs) {
            self.use_tree(&mut Vec::new(), &u.tree);
        }
    }

    /// `pub(crate)` and `pub(super)` name no item.
    fn visit_visibility(&mut self, _: &'ast syn::Visibility) {}

    fn visit_path(&mut self, p: &'ast syn::Path) {
        let segments: Vec<String> = p.segments.iter().map(|s| s.ident.to_string()).collect();
        self.add(segments);
        syn::visit::visit_path(self, p);
    }
}

/// The import graph: for each module, the modules whose items it names (a
/// name re-exported by `pub use` counts as its defining module's).
fn import_graph(modules: &[Module]) -> Vec<(String, String)> {
    use syn::visit::Visit as _;
    let known: Vec<&[String]> = modules.iter().map(|m| m.path.as_slice()).collect();
    let owner = |path: &[String]| -> Vec<String> {
        (0..=path.len())
            .rev()
            .map(|n| &path[..n])
            .find(|p| known.contains(p))
            .unwrap_or(&[])
            .to_vec()
    };
    let children = |parent: &[String]| -> Vec<String> {
        known
            .iter()
            .filter(|p| p.len() == parent.len() + 1 && p.starts_with(parent))
            .map(|p| p[parent.len()].clone())
            .collect()
    };
    // Re-exports: (module, name) → the absolute path it stands for.
    let mut reexports = std::collections::BTreeMap::new();
    for m in modules {
        for item in &m.ast.items {
            if let syn::Item::Use(u) = item
                && matches!(u.vis, syn::Visibility::Public(_))
            {
                let mut names = Names {
                    module: &m.path,
                    children: children(&m.path),
                    found: Vec::new(),
                };
                names.use_tree(&mut Vec::new(), &u.tree);
                for path in names.found {
                    if let Some(last) = path.last() {
                        let mut key = m.path.clone();
                        key.push(last.clone());
                        reexports.insert(key, path);
                    }
                }
            }
        }
    }
    let name = |p: &[String]| {
        if p.is_empty() {
            "crate".to_string()
        } else {
            p.join("::")
        }
    };
    let mut edges = std::collections::BTreeSet::new();
    for m in modules {
        let mut names = Names {
            module: &m.path,
            children: children(&m.path),
            found: Vec::new(),
        };
        names.visit_file(&m.ast);
        for mut path in names.found {
            for _ in 0..8 {
                let module = owner(&path);
                let mut key = module.clone();
                match path.get(module.len()) {
                    Some(item) => key.push(item.clone()),
                    None => break,
                }
                match reexports.get(&key) {
                    Some(target) if *target != path => path = target.clone(),
                    _ => break,
                }
            }
            let target = owner(&path);
            // A module naming itself, or naming a child module (its `mod`
            // item, not an item of it), imports nothing.
            let names_a_child = target.len() == m.path.len() + 1
                && target.starts_with(&m.path)
                && path.len() == target.len();
            if target != m.path && !names_a_child {
                edges.insert((name(&m.path), name(&target)));
            }
        }
    }
    edges.into_iter().collect()
}

/// Circles of the graph (strongly connected sets of more than one module).
fn circles(edges: &[(String, String)]) -> Vec<Vec<String>> {
    let nodes: std::collections::BTreeSet<&String> =
        edges.iter().flat_map(|(a, b)| [a, b]).collect();
    let reaches = |from: &String| {
        let mut seen = std::collections::BTreeSet::new();
        let mut stack = vec![from];
        while let Some(n) = stack.pop() {
            for (a, b) in edges {
                if a == n && seen.insert(b) {
                    stack.push(b);
                }
            }
        }
        seen
    };
    let reach: std::collections::BTreeMap<&String, _> =
        nodes.iter().map(|n| (*n, reaches(n))).collect();
    let mut out: Vec<Vec<String>> = Vec::new();
    for n in &nodes {
        let mut set: Vec<String> = nodes
            .iter()
            .filter(|m| reach[*n].contains(**m) && reach[**m].contains(*n))
            .map(|m| (*m).clone())
            .collect();
        set.sort();
        if set.len() > 1 && !out.contains(&set) {
            out.push(set);
        }
    }
    out
}

#[test]
fn the_import_graph_has_no_circle_and_only_the_cli_knows_the_cli() {
    let modules = modules();
    assert!(
        modules.iter().any(|m| m.path == ["deploy", "machine"])
            && modules.iter().any(|m| m.path == ["cli", "exit"]),
        "the module tree was not read: {:?}",
        modules
            .iter()
            .map(|m| m.path.join("::"))
            .collect::<Vec<_>>()
    );
    let edges = import_graph(&modules);
    assert!(
        edges
            .iter()
            .any(|(a, b)| a == "cli::deploy" && b == "deploy::machine"),
        "the import graph was not read: {edges:?}"
    );
    let below_cli: Vec<String> = edges
        .iter()
        .filter(|(a, b)| a != "crate" && !a.starts_with("cli") && b.starts_with("cli"))
        .map(|(a, b)| format!("{a} -> {b}"))
        .collect();
    assert!(
        below_cli.is_empty(),
        "modules below the CLI must not import from it (exit codes live in cli::exit):\n{}",
        below_cli.join("\n")
    );
    // A folder's `mod.rs` is its face: it declares and calls its children,
    // which use the types it defines. That loop is Rust's module shape, not
    // a tangle, so circles are looked for between the top-level modules,
    // and between the files of one folder other than its face.
    let top = |m: &str| m.split("::").next().unwrap_or(m).to_string();
    let top_edges: Vec<(String, String)> = edges
        .iter()
        .map(|(a, b)| (top(a), top(b)))
        .filter(|(a, b)| a != b)
        .collect();
    let parent = |m: &str| m.rsplit_once("::").map(|(p, _)| p.to_string());
    let file_edges: Vec<(String, String)> = edges
        .iter()
        .filter(|(a, b)| parent(a).is_some() && parent(a) == parent(b))
        .cloned()
        .collect();
    let mut found = circles(&top_edges);
    found.extend(circles(&file_edges));
    assert!(
        found.is_empty(),
        "modules that import each other in a loop:\n{}",
        found
            .iter()
            .map(|c| c.join(" <-> "))
            .collect::<Vec<_>>()
            .join("\n")
    );
}
