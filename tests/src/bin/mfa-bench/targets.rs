//! The targets, each printed as met / not met with the distance to its limit. Nothing
//! here fails the run: on a shared VM the numbers inform, they do not gate.

use std::collections::BTreeMap;

use crate::cells::Cells;
use crate::protocol::Kind;
use crate::stacks::Module;

/// `value` must stay at or under `limit` (or at or above it, for `at_least`).
pub struct Target {
    pub name: String,
    pub value: f64,
    pub limit: f64,
    pub unit: &'static str,
    pub at_least: bool,
}

impl Target {
    pub fn new(name: impl Into<String>, value: f64, limit: f64, unit: &'static str) -> Target {
        Target {
            name: name.into(),
            value,
            limit,
            unit,
            at_least: false,
        }
    }

    /// A floor instead of a ceiling (throughput).
    pub fn at_least(name: impl Into<String>, value: f64, floor: f64, unit: &'static str) -> Target {
        Target {
            at_least: true,
            ..Target::new(name, value, floor, unit)
        }
    }

    pub fn met(&self) -> bool {
        if self.at_least {
            self.value >= self.limit
        } else {
            self.value <= self.limit
        }
    }

    pub fn line(&self) -> String {
        let verdict = if self.value.is_nan() {
            "n/a    "
        } else if self.met() {
            "met    "
        } else {
            "NOT MET"
        };
        format!(
            "{verdict} {:<56} {:>8.3}{u} ({} {:.3}{u}, distance {:+.3}{u})",
            self.name,
            self.value,
            if self.at_least { "floor" } else { "limit" },
            self.limit,
            self.value - self.limit,
            u = self.unit
        )
    }
}

fn median(cells: &Cells, module: Module, level: usize, kind: Kind) -> f64 {
    cells
        .get(module, level, kind)
        .map_or(f64::NAN, |c| c.median_ms())
}

/// The latency, throughput and thread targets that one run can judge by itself.
pub fn from_cells(cells: &Cells, levels: &[usize]) -> Vec<Target> {
    let mut out = Vec::new();
    for &level in levels {
        for kind in [Kind::Right, Kind::Wrong] {
            let ours = median(cells, Module::Mfa, level, kind);
            let ga = median(cells, Module::GaStrict, level, kind);
            let permit = median(cells, Module::Permit, level, kind);
            let what = format!("{level} driver(s), {} code", kind.word());
            out.push(Target::new(
                format!("median / GA-strict's median, {what}"),
                ours / ga,
                0.8,
                "x",
            ));
            out.push(Target::new(
                format!("median - pam_permit's median, {what}"),
                ours - permit,
                0.3,
                "ms",
            ));
            let p99 = cells
                .get(Module::Mfa, level, kind)
                .map_or(f64::NAN, |c| c.p99_ms());
            out.push(Target::new(
                format!("p99 / our median, {what}"),
                p99 / ours,
                2.0,
                "x",
            ));
        }
        out.push(Target::new(
            format!("wrong-code median / right-code median, {level} driver(s)"),
            median(cells, Module::Mfa, level, Kind::Wrong)
                / median(cells, Module::Mfa, level, Kind::Right),
            1.0,
            "x",
        ));
        if level >= 2 {
            out.push(Target::at_least(
                format!("logins/s / GA-strict's logins/s, {level} drivers"),
                cells.throughput(Module::Mfa, level) / cells.throughput(Module::GaStrict, level),
                1.25,
                "x",
            ));
        }
    }
    out.push(Target::new(
        "threads pam_mfa.so left in a driver process",
        cells.new_threads(Module::Mfa) as f64,
        0.0,
        "",
    ));
    out
}

/// The figures another run is compared with (`--save` / `--baseline`), `key value` per line.
pub fn summary(cells: &Cells, levels: &[usize]) -> BTreeMap<String, f64> {
    let mut out = BTreeMap::new();
    for &level in levels {
        for kind in [Kind::Right, Kind::Wrong] {
            if let Some(c) = cells.get(Module::Mfa, level, kind) {
                let key = format!("mfa.{level}.{}", kind.word());
                out.insert(format!("{key}.median_ms"), c.median_ms());
                out.insert(format!("{key}.p99_ms"), c.p99_ms());
            }
        }
        out.insert(
            format!("mfa.{level}.logins_per_s"),
            cells.throughput(Module::Mfa, level),
        );
    }
    out
}

pub fn render_summary(figures: &BTreeMap<String, f64>) -> String {
    figures
        .iter()
        .map(|(k, v)| format!("{k} {v:.4}\n"))
        .collect()
}

pub fn parse_summary(text: &str) -> BTreeMap<String, f64> {
    text.lines()
        .filter_map(|l| {
            let (k, v) = l.split_once(' ')?;
            Some((k.to_string(), v.trim().parse().ok()?))
        })
        .collect()
}

/// "10,000 users change none of these by more than 10 %": each shared figure's change.
pub fn against_baseline(
    now: &BTreeMap<String, f64>,
    baseline: &BTreeMap<String, f64>,
) -> Vec<Target> {
    now.iter()
        .filter_map(|(key, &value)| {
            let before = *baseline.get(key)?;
            // Throughput may rise freely; latency may fall freely.
            let worse = if key.ends_with("logins_per_s") {
                before / value - 1.0
            } else {
                value / before - 1.0
            };
            Some(Target::new(
                format!("{key}: worse than the baseline run by"),
                worse * 100.0,
                10.0,
                "%",
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_target_reports_its_distance_and_whether_it_is_met() {
        let t = Target::new("median ratio", 0.9, 0.8, "x");
        assert!(!t.met());
        assert!(t.line().starts_with("NOT MET"));
        assert!(t.line().contains("+0.100x"));
        assert!(Target::new("threads", 0.0, 0.0, "").met());
        let floor = Target::at_least("throughput ratio", 1.1, 1.25, "x");
        assert!(!floor.met());
        assert!(floor.line().contains("floor 1.250x"));
    }

    #[test]
    fn the_summary_round_trips_and_compares_throughput_the_right_way_round() {
        let mut now = BTreeMap::new();
        now.insert("mfa.2.logins_per_s".to_string(), 800.0);
        now.insert("mfa.1.right.median_ms".to_string(), 2.2);
        let base = parse_summary(&render_summary(&BTreeMap::from([
            ("mfa.2.logins_per_s".to_string(), 1000.0),
            ("mfa.1.right.median_ms".to_string(), 2.0),
        ])));
        let targets = against_baseline(&now, &base);
        let pct: Vec<f64> = targets.iter().map(|t| t.value.round()).collect();
        assert_eq!(pct, vec![10.0, 25.0]);
        assert!(!targets[1].met());
    }
}
