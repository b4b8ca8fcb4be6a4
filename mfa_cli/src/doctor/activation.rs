//! Would D-Bus really start mfad? The packaged activation file
//! (`/usr/share/dbus-1/system-services/org.mfa.Mfad1.service`) has `Exec=/bin/false` and
//! `SystemdService=`: the bus hands the start to systemd, and without systemd (containers,
//! sysvinit) nothing starts mfad, although the bus lists the name as activatable.

use std::path::{Path, PathBuf};

use super::under;

/// Where the system bus looks for activation files, in its order.
const SERVICE_DIRS: &[&str] = &[
    "/usr/local/share/dbus-1/system-services",
    "/usr/share/dbus-1/system-services",
    "/lib/dbus-1/system-services",
];

/// What starting the name by bus activation would do.
#[derive(Debug, PartialEq, Eq)]
pub enum Activation {
    /// It would start mfad (or we cannot tell otherwise).
    Starts,
    /// The file's `Exec=` only fails and systemd is not there to take over.
    Dead { file: PathBuf },
}

/// Judges the activation file of `name` under `root`; `systemd`: does systemd run this host.
pub fn judge(root: &Path, name: &str, systemd: bool) -> Activation {
    let file_name = format!("{name}.service");
    let found = SERVICE_DIRS.iter().find_map(|dir| {
        let path = under(root, Path::new(dir)).join(&file_name);
        let text = std::fs::read_to_string(&path).ok()?;
        Some((Path::new(dir).join(&file_name), text))
    });
    let Some((file, text)) = found else {
        return Activation::Starts;
    };
    judge_text(&text, systemd).unwrap_or(Activation::Dead { file })
}

/// `None` when the file cannot start anything here.
fn judge_text(text: &str, systemd: bool) -> Option<Activation> {
    let value = |key: &str| {
        text.lines()
            .filter_map(|l| l.trim().strip_prefix(key)?.trim_start().strip_prefix('='))
            .map(str::trim)
            .next_back()
    };
    if systemd && value("SystemdService").is_some_and(|v| !v.is_empty()) {
        return Some(Activation::Starts);
    }
    let program = value("Exec").and_then(|e| e.split_whitespace().next());
    match program {
        None => None,
        Some(p) if p == "false" || p.ends_with("/false") => None,
        Some(_) => Some(Activation::Starts),
    }
}

/// Is systemd the init of this host (`sd_booted()`)?
pub fn systemd_runs() -> bool {
    Path::new("/run/systemd/system").is_dir()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PACKAGED: &str = "[D-BUS Service]\nName=org.mfa.Mfad1\nExec=/bin/false\nUser=root\n\
                            SystemdService=dbus-org.mfa.Mfad1.service\n";

    #[test]
    fn the_packaged_file_starts_mfad_only_through_systemd() {
        assert_eq!(judge_text(PACKAGED, true), Some(Activation::Starts));
        assert_eq!(judge_text(PACKAGED, false), None);
    }

    #[test]
    fn a_real_exec_starts_mfad_without_systemd() {
        let text = "[D-BUS Service]\nName=org.mfa.Mfad1\nExec=/usr/sbin/mfad --config /etc/mfa/mfad.toml\n";
        assert_eq!(judge_text(text, false), Some(Activation::Starts));
    }

    #[test]
    fn a_file_under_root_is_found_and_named_as_on_the_host() {
        let root = std::env::temp_dir().join(format!("mfa-doctor-act-{}", std::process::id()));
        let dir = root.join("usr/share/dbus-1/system-services");
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::fs::write(dir.join("org.mfa.Mfad1.service"), PACKAGED).expect("write");
        assert_eq!(
            judge(&root, "org.mfa.Mfad1", false),
            Activation::Dead {
                file: "/usr/share/dbus-1/system-services/org.mfa.Mfad1.service".into()
            }
        );
        assert_eq!(judge(&root, "org.mfa.Mfad1", true), Activation::Starts);
        assert_eq!(judge(&root, "org.other", false), Activation::Starts);
        let _ = std::fs::remove_dir_all(&root);
    }
}
