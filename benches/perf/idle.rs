//! Idle CPU of the real binary: in a tmux pane, against a sandbox without traffic, after it
//! settled; CPU from `/proc/<pid>/stat`, terminal output from `tmux pipe-pane`.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

const SOCKET: &str = "switchboard-bench";
const KEY: &str = "sk_bench_idle";

fn tmux(args: &[&str]) -> Option<String> {
    let out = Command::new("tmux")
        .arg("-L")
        .arg(SOCKET)
        .args(args)
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_or(18_787, |a| a.port())
}

/// Clock ticks (user + system) a process has used.
fn cpu_ticks(pid: &str) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

struct Cleanup(Child, std::path::PathBuf);

impl Drop for Cleanup {
    fn drop(&mut self) {
        let _ = tmux(&["kill-server"]);
        let _ = self.0.kill();
        let _ = self.0.wait();
        let _ = std::fs::remove_dir_all(&self.1);
    }
}

/// Starts the sandbox (no traffic) and the app in tmux; returns the app's pid.
async fn launch(exe: &str, dir: &std::path::Path) -> Result<(Cleanup, String), String> {
    let port = free_port().to_string();
    let server = Command::new(exe)
        .args([
            "sandbox",
            "--port",
            &port,
            "--traffic-ms",
            "0",
            "--key",
            KEY,
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start the sandbox: {e}"))?;
    let cleanup = Cleanup(server, dir.to_path_buf());
    tokio::time::sleep(Duration::from_millis(800)).await;
    let command = format!(
        "SWITCHBOARD_DATA_DIR={} AGENTPHONE_API_KEY={KEY} {exe} --config /dev/null --base-url http://127.0.0.1:{port}",
        dir.display()
    );
    let _ = tmux(&["kill-server"]);
    let size = ["-x", "120", "-y", "40"];
    tmux(
        &[
            &["new-session", "-d", "-s", "idle"][..],
            &size,
            &[command.as_str()],
        ]
        .concat(),
    )
    .ok_or("tmux could not start a session")?;
    // Let it load and settle before measuring.
    tokio::time::sleep(Duration::from_secs(5)).await;
    let pid = tmux(&["display-message", "-p", "-t", "idle", "#{pane_pid}"]).ok_or("no pane")?;
    Ok((cleanup, pid.trim().to_owned()))
}

pub async fn run() {
    println!("\n## Idle CPU (the real binary in tmux, no traffic)");
    if Command::new("tmux").arg("-V").output().is_err() {
        println!("  skipped: tmux is not installed");
        return;
    }
    let dir = std::env::temp_dir().join(format!("switchboard-bench-idle-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let (_cleanup, pid) = match launch(env!("CARGO_BIN_EXE_switchboard"), &dir).await {
        Ok(launched) => launched,
        Err(why) => {
            println!("  skipped: {why}");
            return;
        }
    };
    let log = dir.join("output.bin");
    let _ = tmux(&[
        "pipe-pane",
        "-t",
        "idle",
        "-o",
        &format!("cat >> {}", log.display()),
    ]);
    let ticks_per_second = 100.0; // USER_HZ on Linux
    let window = Duration::from_secs(20);
    let before = cpu_ticks(&pid);
    tokio::time::sleep(window).await;
    let after = cpu_ticks(&pid);
    let written = std::fs::read(&log).unwrap_or_default();
    if std::env::var_os("BENCH_VERBOSE").is_some() {
        println!("    written: {:?}", String::from_utf8_lossy(&written));
    }
    let (Some(before), Some(after)) = (before, after) else {
        println!("  skipped: cannot read /proc/{pid}/stat");
        return;
    };
    let percent = (after - before) as f64 / ticks_per_second / window.as_secs_f64() * 100.0;
    let verdict = if percent < 1.0 { "met" } else { "MISSED" };
    println!(
        "  {:.0} s idle: {percent:.2}% of one core, {} bytes written to the terminal (target well under 1%, no redraw: {verdict})",
        window.as_secs_f64(),
        written.len()
    );
}
