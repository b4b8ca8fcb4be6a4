//! The printed tables: every cell, then pam_mfa against the two anchors.

use crate::cells::Cells;
use crate::protocol::Kind;
use crate::stacks::{MODULES, Module};

pub fn print_cells(cells: &Cells, levels: &[usize]) {
    println!();
    println!(
        "{:>7}  {:<11} {:<6} {:>6} {:>6} {:>6} {:>9} {:>9} {:>9} {:>9}",
        "drivers",
        "module",
        "code",
        "count",
        "ok",
        "fail",
        "median ms",
        "p99 ms",
        "max ms",
        "logins/s"
    );
    for &level in levels {
        for module in MODULES {
            for kind in [Kind::Right, Kind::Wrong] {
                let Some(c) = cells.get(module, level, kind) else {
                    continue;
                };
                let ok = c.successes();
                println!(
                    "{:>7}  {:<11} {:<6} {:>6} {:>6} {:>6} {:>9.3} {:>9.3} {:>9.3} {:>9.1}",
                    level,
                    module.label(),
                    kind.word(),
                    c.nanos.len(),
                    ok,
                    c.nanos.len() - ok,
                    c.median_ms(),
                    c.p99_ms(),
                    c.max_ms(),
                    c.per_second()
                );
            }
        }
    }
}

pub fn print_ratios(cells: &Cells, levels: &[usize]) {
    println!();
    println!("pam_mfa against the anchors (same run):");
    println!(
        "{:>7}  {:<6} {:>14} {:>18} {:>16} {:>16}",
        "drivers", "code", "median/GA", "median-permit ms", "logins/s vs GA", "vs permit"
    );
    let median =
        |m: Module, l: usize, k: Kind| cells.get(m, l, k).map_or(f64::NAN, |c| c.median_ms());
    for &level in levels {
        for kind in [Kind::Right, Kind::Wrong] {
            let ours = median(Module::Mfa, level, kind);
            let tput = cells.throughput(Module::Mfa, level);
            println!(
                "{:>7}  {:<6} {:>13.2}x {:>18.3} {:>15.2}x {:>15.2}x",
                level,
                kind.word(),
                ours / median(Module::GaStrict, level, kind),
                ours - median(Module::Permit, level, kind),
                tput / cells.throughput(Module::GaStrict, level),
                tput / cells.throughput(Module::Permit, level),
            );
        }
    }
    println!("(logins/s: right and wrong codes together, per level)");
    for module in MODULES {
        println!(
            "threads {} left in a driver after a login: {}",
            module.label(),
            cells.new_threads(module)
        );
    }
}

/// Results other than the expected code; false when a right code failed or a wrong one got in.
pub fn check_correctness(cells: &Cells) -> bool {
    let mut correct = true;
    for c in &cells.0 {
        let unexpected = c.unexpected();
        if unexpected.is_empty() {
            continue;
        }
        correct = false;
        println!(
            "UNEXPECTED {} {} code on {} driver(s): {}",
            c.module.label(),
            c.kind.word(),
            c.level,
            unexpected.join(", ")
        );
    }
    if correct {
        println!(
            "correctness: every right code got in and no wrong one did (pam_permit lets all in)"
        );
    }
    correct
}
