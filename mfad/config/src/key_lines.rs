//! The line a key sits on, for problems found after parsing (a gateway's secret file, read at
//! start-up), so they carry a line like every other config problem.

use toml::de::{DeTable, DeValue};

use super::problems::line_of;

/// 1-based line of the key at `path` (table names, then the key), if the text has it.
pub fn line_of_key(text: &str, path: &[&str]) -> Option<usize> {
    let doc = DeTable::parse(text).ok()?;
    let (last, tables) = path.split_last()?;
    let mut table = doc.get_ref();
    for name in tables {
        let (_, value) = table.get_key_value(*name)?;
        match value.get_ref() {
            DeValue::Table(t) => table = t,
            _ => return None,
        }
    }
    let (key, _) = table.get_key_value(*last)?;
    Some(line_of(text, key.span().start))
}

#[cfg(test)]
mod tests {
    use super::line_of_key;

    #[test]
    fn finds_a_key_inside_a_nested_table() {
        let text = "[daemon]\nlanguage = \"en\"\n\n[gateways.tw]\nkind = \"twilio\"\nauth_token_file = \"/x\"\n";
        assert_eq!(
            line_of_key(text, &["gateways", "tw", "auth_token_file"]),
            Some(6)
        );
        assert_eq!(line_of_key(text, &["gateways", "tw", "nope"]), None);
    }
}
