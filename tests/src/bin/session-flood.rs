//! `session-flood`: one local user trying to fill mfad's session table.
//!
//! ```sh
//! session-flood ADDRESS USER CONNECTIONS STARTS_PER_CONNECTION
//! ```
//!
//! Opens CONNECTIONS connections to the bus at ADDRESS and calls `Auth.Start(USER, "xlock")`
//! STARTS_PER_CONNECTION times on each, prints `accepted=N refused=M` and then holds every
//! connection (so its sessions stay open) until its standard input closes. Run it as the
//! flooding uid (`setpriv`); the caller's identity comes from the bus.

use std::io::Read;
use std::process::ExitCode;

const DESTINATION: &str = "org.mfa.Mfad1";
const PATH: &str = "/org/mfa/Mfad1";
const INTERFACE: &str = "org.mfa.Mfad1.Auth";

struct Plan {
    address: String,
    user: String,
    connections: usize,
    starts: usize,
}

fn plan() -> Result<Plan, String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [address, user, connections, starts] = args.as_slice() else {
        return Err("usage: session-flood ADDRESS USER CONNECTIONS STARTS_PER_CONNECTION".into());
    };
    let number = |s: &str| s.parse::<usize>().map_err(|e| format!("{s}: {e}"));
    Ok(Plan {
        address: address.clone(),
        user: user.clone(),
        connections: number(connections)?,
        starts: number(starts)?,
    })
}

async fn flood(plan: &Plan) -> Result<(Vec<zbus::Connection>, usize, usize), String> {
    let (mut held, mut accepted, mut refused) = (Vec::new(), 0, 0);
    for _ in 0..plan.connections {
        let conn = zbus::connection::Builder::address(plan.address.as_str())
            .build()
            .await
            .map_err(|e| format!("cannot connect: {e}"))?;
        for _ in 0..plan.starts {
            let body = (plan.user.as_str(), "xlock", "", "");
            let reply = conn
                .call_method(Some(DESTINATION), PATH, Some(INTERFACE), "Start", &body)
                .await;
            match reply {
                Ok(_) => accepted += 1,
                Err(_) => refused += 1,
            }
        }
        held.push(conn);
    }
    Ok((held, accepted, refused))
}

fn main() -> ExitCode {
    let plan = match plan() {
        Ok(plan) => plan,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("no runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = runtime.block_on(flood(&plan));
    let (held, accepted, refused) = match outcome {
        Ok(counts) => counts,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    println!("accepted={accepted} refused={refused}");
    // Keep the sessions open until the caller is done with them.
    let mut sink = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut sink);
    drop(held);
    ExitCode::SUCCESS
}
