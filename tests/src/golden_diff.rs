//! A small line diff for golden transcript failures (longest common subsequence; the files are
//! a few dozen lines).

/// `golden` against `now`: common lines indented by two spaces, lines only in `golden` with
/// `- `, lines only in `now` with `+ `.
pub fn line_diff(golden: &str, now: &str) -> String {
    let a: Vec<&str> = golden.lines().collect();
    let b: Vec<&str> = now.lines().collect();
    // common[i][j] = length of the longest common subsequence of a[i..] and b[j..].
    let mut common = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            common[i][j] = if a[i] == b[j] {
                common[i + 1][j + 1] + 1
            } else {
                common[i + 1][j].max(common[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, String::new());
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push_str(&format!("  {}\n", a[i]));
            (i, j) = (i + 1, j + 1);
        } else if i < a.len() && (j == b.len() || common[i + 1][j] >= common[i][j + 1]) {
            out.push_str(&format!("- {}\n", a[i]));
            i += 1;
        } else {
            out.push_str(&format!("+ {}\n", b[j]));
            j += 1;
        }
    }
    if golden.ends_with('\n') != now.ends_with('\n') {
        out.push_str("(the files differ in their final newline)\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_line_shows_as_removed_then_added_between_common_lines() {
        let diff = line_diff("a\nb\nc\n", "a\nB\nc\n");
        assert_eq!(diff, "  a\n- b\n+ B\n  c\n");
    }

    #[test]
    fn equal_texts_show_only_common_lines() {
        assert_eq!(line_diff("x\ny\n", "x\ny\n"), "  x\n  y\n");
    }
}
