//! Flags for `pam_authenticate` / `pam_acct_mgmt`.

pub const PAM_SILENT: i32 = 0x8000;
pub const PAM_DISALLOW_NULL_AUTHTOK: i32 = 0x0001;
