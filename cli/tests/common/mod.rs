//! What every end-to-end test of the `warta` binary needs: run it with some
//! standard input, read its output, and a scratch directory.
#![allow(dead_code)] // each test binary uses its own part of this

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::Value;

/// One finished run of the binary.
pub struct Run {
    pub code: i32,
    pub stdout: Vec<u8>,
    pub stderr: String,
}

impl Run {
    /// Standard output as JSON Lines.
    pub fn lines(&self) -> Vec<Value> {
        self.stdout
            .split(|&b| b == b'\n')
            .filter(|line| !line.is_empty())
            .map(|line| serde_json::from_slice(line).expect("output line is JSON"))
            .collect()
    }

    /// Standard output as text.
    pub fn text(&self) -> String {
        String::from_utf8(self.stdout.clone()).expect("output is UTF-8")
    }

    /// Asserts that the run failed with status 1, wrote nothing to standard
    /// output, and said `message` exactly once (a cause is never printed
    /// twice).
    #[track_caller]
    pub fn assert_fails_with(&self, message: &str) {
        assert_eq!(self.code, 1, "{}", self.stderr);
        let stdout = String::from_utf8_lossy(&self.stdout);
        assert!(stdout.is_empty(), "output before the error: {stdout}");
        assert_eq!(
            self.stderr.matches(message).count(),
            1,
            "{message:?} once in: {}",
            self.stderr
        );
    }
}

/// Runs `warta ARGS` with `stdin` written to its standard input.
pub fn warta(args: &[&str], stdin: &[u8]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_warta"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("warta starts");
    let mut child_stdin = child.stdin.take().expect("stdin is piped");
    let input = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        // The child may stop reading early (a fatal error); that is its business.
        let _ = child_stdin.write_all(&input);
    });
    let output = child.wait_with_output().expect("warta runs");
    writer.join().expect("stdin writer");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: output.stdout,
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// An empty scratch directory of this test process, named after `name`.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("warta-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}
