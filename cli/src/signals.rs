//! Standard output that is never left with half a line: a closed standard
//! output is refused up front, and an interrupt (Ctrl-C, SIGINT) ends the
//! run between two lines.

use std::io::{self, BufWriter, Stdout};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{LazyLock, Mutex, MutexGuard, PoisonError};

/// Exit status after an interrupt: 128 + SIGINT, as shells report it.
pub const EXIT_INTERRUPTED: i32 = 130;

/// Standard output for whole lines. A writer holds the lock for one line
/// at a time (its `write_all` and any flush), so the interrupt handler,
/// which takes the lock before it flushes and exits, always ends the
/// output at the end of a line.
static STDOUT: LazyLock<Mutex<BufWriter<Stdout>>> =
    LazyLock::new(|| Mutex::new(BufWriter::with_capacity(1 << 16, io::stdout())));

/// Set once an interrupt came: the handler is about to flush and exit.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// The shared standard output; hold the guard for one line at a time.
/// After an interrupt, no writer gets it again: the calling thread waits
/// for the handler to end the process, so no line is started (and the
/// handler is not kept waiting by a writer that takes the lock again and
/// again).
pub fn stdout() -> MutexGuard<'static, BufWriter<Stdout>> {
    loop {
        wait_if_interrupted();
        let guard = STDOUT.lock().unwrap_or_else(PoisonError::into_inner);
        if !INTERRUPTED.load(Ordering::SeqCst) {
            return guard;
        }
    }
}

/// After an interrupt, waits for the handler to end the process (with
/// status 130); returns at once otherwise. Call before returning from
/// `main`, so that an interrupt taken during the last write ends the run
/// with the interrupt's status, not 0.
pub fn wait_if_interrupted() {
    while INTERRUPTED.load(Ordering::SeqCst) {
        std::thread::park();
    }
}

/// Fails when standard output was closed at start (`warta classify >&-`):
/// Rust's runtime then puts `/dev/null` in its place, and records would be
/// reported as written that never were.
pub fn check_stdout_open() -> anyhow::Result<()> {
    #[cfg(target_os = "linux")]
    if STDOUT_CLOSED_AT_START.load(std::sync::atomic::Ordering::Relaxed) {
        anyhow::bail!("writing output: standard output is closed");
    }
    Ok(())
}

/// Whether descriptor 1 was closed when the process started, seen before
/// Rust's runtime reopens closed standard descriptors on `/dev/null`.
#[cfg(target_os = "linux")]
static STDOUT_CLOSED_AT_START: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// Runs from `.init_array`, before `main` and before the runtime's set-up.
#[cfg(target_os = "linux")]
extern "C" fn note_closed_stdout() {
    // SAFETY: F_GETFD on a descriptor number only queries its flags.
    if unsafe { libc::fcntl(1, libc::F_GETFD) } == -1 {
        STDOUT_CLOSED_AT_START.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

#[cfg(target_os = "linux")]
#[used]
// SAFETY: a plain function pointer with the signature `.init_array`
// entries may have (arguments are optional).
#[unsafe(link_section = ".init_array")]
static NOTE_CLOSED_STDOUT: extern "C" fn() = note_closed_stdout;

/// Routes SIGINT to a thread of its own, which waits for the line being
/// written, flushes the complete lines and exits with status 130. A second
/// SIGINT ends the process at once. Call before any other thread starts,
/// so that every thread inherits the blocked signal.
pub fn handle_interrupt() {
    #[cfg(unix)]
    {
        // SAFETY: the sigset is initialized by sigemptyset before use, and
        // the calls only change this thread's signal mask.
        let set = unsafe {
            let mut set = std::mem::zeroed::<libc::sigset_t>();
            libc::sigemptyset(&mut set);
            libc::sigaddset(&mut set, libc::SIGINT);
            if libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut()) != 0 {
                return;
            }
            set
        };
        let spawned = std::thread::Builder::new()
            .name("warta-signals".to_owned())
            .spawn(move || {
                let mut signal = 0;
                // SAFETY: `set` is a valid sigset and `signal` a valid out pointer.
                if unsafe { libc::sigwait(&set, &mut signal) } != 0 {
                    return;
                }
                // From now on a second SIGINT, delivered to this thread
                // (the only one not blocking it), kills the process.
                // SAFETY: as above.
                unsafe { libc::pthread_sigmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut()) };
                INTERRUPTED.store(true, Ordering::SeqCst);
                let mut out = STDOUT.lock().unwrap_or_else(PoisonError::into_inner);
                let _ = io::Write::flush(&mut *out);
                std::process::exit(EXIT_INTERRUPTED);
            });
        if spawned.is_err() {
            // No handler: let SIGINT kill the process as usual.
            // SAFETY: as above.
            unsafe { libc::pthread_sigmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut()) };
        }
    }
}
