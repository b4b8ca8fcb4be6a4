//! The house's shape, checked: no dependency cycle between the workspace's crates, and none
//! between the daemon's top-level modules (`mfad/src/<top>`). A module depends on another when
//! its non-test code names `crate::<other>` (directly, in a `use crate::{…}` group, or through a
//! `pub use` alias in `lib.rs`). See docs/architecture.md.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

type Graph = BTreeMap<String, BTreeSet<String>>;

fn is_test_file(relative: &Path) -> bool {
    let name = relative.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name == "tests.rs"
        || name.ends_with("_tests.rs")
        || relative.components().any(|c| c.as_os_str() == "tests")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The text without comments and without a trailing `#[cfg(test)] mod tests { … }`.
fn non_test_code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests {") {
        Some(i) => &text[..i],
        None => text,
    };
    text.lines()
        .map(|line| line.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every `crate::<name>` a piece of code names, including the members of `crate::{a, b::c}`.
fn crate_references(code: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = group.split('}').next().unwrap_or("");
            for member in group.split(',') {
                names.insert(leading_ident(member.trim()));
            }
        } else {
            names.insert(leading_ident(rest));
        }
    }
    names.remove("");
    names
}

fn leading_ident(text: &str) -> String {
    text.chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

/// `pub use <top>::…::{a, b};` lines of `lib.rs`: the names `a`, `b` stand for module `<top>`.
fn aliases(lib_rs: &str, tops: &BTreeSet<String>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for line in lib_rs.lines() {
        let Some(path) = line.trim().strip_prefix("pub use ") else {
            continue;
        };
        let top = leading_ident(path);
        if !tops.contains(&top) {
            continue;
        }
        let tail = path.trim_end_matches(';');
        let members = match tail.rfind('{') {
            Some(i) => tail[i + 1..].trim_end_matches('}').to_string(),
            None => tail.rsplit("::").next().unwrap_or("").to_string(),
        };
        for member in members.split(',') {
            let name = leading_ident(member.trim());
            if !name.is_empty() {
                out.insert(name, top.clone());
            }
        }
    }
    out
}

/// The daemon's top-level module graph, from its non-test sources.
fn mfad_module_graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let top_of = |path: &Path| -> String {
        let relative = path.strip_prefix(&src).unwrap_or(path);
        let first = relative.components().next().map(|c| c.as_os_str());
        let first = first.and_then(|c| c.to_str()).unwrap_or("");
        first.trim_end_matches(".rs").to_string()
    };
    let roots = ["lib", "main"];
    let tops: BTreeSet<String> = files
        .iter()
        .map(|f| top_of(f))
        .filter(|t| !roots.contains(&t.as_str()))
        .collect();
    let lib_rs = fs::read_to_string(src.join("lib.rs")).unwrap_or_default();
    let aliases = aliases(&lib_rs, &tops);
    let mut graph: Graph = tops.iter().map(|t| (t.clone(), BTreeSet::new())).collect();
    for file in &files {
        let from = top_of(file);
        let relative = file.strip_prefix(&src).unwrap_or(file);
        if roots.contains(&from.as_str()) || is_test_file(relative) {
            continue;
        }
        let text = fs::read_to_string(file).unwrap_or_default();
        for name in crate_references(&non_test_code(&text)) {
            let to = aliases.get(&name).cloned().unwrap_or(name);
            if to != from && tops.contains(&to) {
                graph.entry(from.clone()).or_default().insert(to);
            }
        }
    }
    graph
}

/// The workspace crates' dependencies on each other (`[dependencies]`, `[dev-dependencies]`,
/// `[build-dependencies]`), by package name.
fn crate_graph() -> Graph {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let root = fs::read_to_string(workspace.join("Cargo.toml")).unwrap_or_default();
    let members: Vec<String> = root
        .lines()
        .find_map(|l| l.trim().strip_prefix("members = ["))
        .unwrap_or("")
        .trim_end_matches(']')
        .split(',')
        .map(|m| m.trim().trim_matches('"').to_string())
        .filter(|m| !m.is_empty())
        .collect();
    let mut names = BTreeMap::new();
    let mut manifests = BTreeMap::new();
    for member in &members {
        let manifest = fs::read_to_string(workspace.join(member).join("Cargo.toml"));
        let manifest = manifest.unwrap_or_default();
        let name = manifest
            .lines()
            .find_map(|l| l.trim().strip_prefix("name = "))
            .unwrap_or("")
            .trim_matches('"')
            .to_string();
        names.insert(name.clone(), member.clone());
        manifests.insert(name, manifest);
    }
    let mut graph = Graph::new();
    for (name, manifest) in &manifests {
        let mut in_deps = false;
        let deps = graph.entry(name.clone()).or_default();
        for line in manifest.lines().map(str::trim) {
            if line.starts_with('[') {
                in_deps = line.ends_with("dependencies]");
                continue;
            }
            let dep = leading_ident(line);
            if in_deps && names.contains_key(&dep) && &dep != name {
                deps.insert(dep);
            }
        }
    }
    graph
}

/// Strongly connected components with more than one member (Tarjan).
fn cycles(graph: &Graph) -> Vec<BTreeSet<String>> {
    struct State<'a> {
        graph: &'a Graph,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        found: Vec<BTreeSet<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a str) {
        let i = s.index.len();
        s.index.insert(v, i);
        s.low.insert(v, i);
        s.stack.push(v);
        s.on_stack.insert(v);
        for w in s.graph.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !s.index.contains_key(w) {
                visit(s, w);
                let low = s.low[v].min(s.low[w]);
                s.low.insert(v, low);
            } else if s.on_stack.contains(w) {
                let low = s.low[v].min(s.index[w]);
                s.low.insert(v, low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = BTreeSet::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.insert(w.to_string());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                s.found.push(component);
            }
        }
    }
    let mut state = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for v in graph.keys() {
        if !state.index.contains_key(v.as_str()) {
            visit(&mut state, v);
        }
    }
    state.found
}

fn edges_within(graph: &Graph, component: &BTreeSet<String>) -> String {
    let mut out = String::new();
    for from in component {
        for to in graph[from].iter().filter(|t| component.contains(*t)) {
            out.push_str(&format!("\n  {from} -> {to}"));
        }
    }
    out
}

#[test]
fn the_workspace_crates_depend_on_each_other_without_a_cycle() {
    let graph = crate_graph();
    assert!(graph.len() >= 5, "found the workspace crates: {graph:?}");
    assert!(cycles(&graph).is_empty(), "crate cycle: {graph:?}");
}

#[test]
fn the_daemon_and_the_module_never_link_each_other_and_the_protocol_depends_on_nothing() {
    let graph = crate_graph();
    assert!(graph["mfa_proto"].is_empty(), "{graph:?}");
    assert_eq!(graph["pam_mfa"], BTreeSet::from(["mfa_proto".to_string()]));
    assert!(!graph["mfad"].contains("pam_mfa") && !graph["mfad"].contains("mfa_cli"));
    assert!(
        !graph["mfa_cli"].contains("mfad"),
        "the CLI links no daemon code"
    );
}

#[test]
fn the_daemons_top_level_modules_have_no_cycle() {
    let graph = mfad_module_graph();
    assert!(
        graph.contains_key("store") && graph.contains_key("methods"),
        "found the modules: {:?}",
        graph.keys()
    );
    let found: Vec<String> = cycles(&graph)
        .iter()
        .map(|component| format!("{component:?}{}", edges_within(&graph, component)))
        .collect();
    assert!(found.is_empty(), "module cycles:\n{}", found.join("\n"));
}

/// The login core's layers, top down: the engine asks the methods through the registry, the
/// methods work with the login context, and sessions and texts sit below all three.
#[test]
fn the_methods_name_no_engine_and_the_login_context_no_method() {
    let graph = mfad_module_graph();
    for (low, above) in [
        ("methods", ["auth", "enroll"].as_slice()),
        ("login_context", &["auth", "enroll", "methods"]),
        ("sessions", &["auth", "enroll", "methods", "login_context"]),
        ("texts", &["auth", "enroll", "methods", "login_context"]),
    ] {
        let reach = reachable(&graph, low);
        let up: Vec<&&str> = above.iter().filter(|m| reach.contains(**m)).collect();
        assert!(up.is_empty(), "{low} reaches {up:?}");
    }
}

#[test]
fn the_store_the_clock_and_the_delivery_primitives_depend_on_no_method_nor_the_engine() {
    let graph = mfad_module_graph();
    for low in [
        "store", "clock", "audit", "budgets", "limits", "gateways", "phone",
    ] {
        let reach = reachable(&graph, low);
        assert!(
            !reach.contains("methods") && !reach.contains("auth"),
            "{low} reaches {reach:?}"
        );
    }
}

fn reachable(graph: &Graph, from: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![from.to_string()];
    while let Some(v) = todo.pop() {
        for w in graph.get(&v).into_iter().flatten() {
            if seen.insert(w.clone()) {
                todo.push(w.clone());
            }
        }
    }
    seen
}

#[test]
fn the_cycle_search_finds_a_planted_cycle_and_reads_grouped_imports() {
    let graph: Graph = [
        ("a", vec!["b"]),
        ("b", vec!["c"]),
        ("c", vec!["a"]),
        ("d", vec!["a"]),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.into_iter().map(String::from).collect()))
    .collect();
    let found = cycles(&graph);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0], BTreeSet::from(["a", "b", "c"].map(String::from)));
    let refs = crate_references("use crate::{store::UserRecord, clock};\nlet x = crate::audit::y;");
    assert_eq!(
        refs,
        BTreeSet::from(["audit", "clock", "store"].map(String::from))
    );
    let text = "use crate::a;\n// crate::b\n#[cfg(test)]\nmod tests {\n use crate::c;\n}\n";
    assert_eq!(crate_references(&non_test_code(text)).len(), 1);
}
