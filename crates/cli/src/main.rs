//! The `spelab` binary: parses the command line and hands over to `spelab_cli`.
//!
//! The binary's global allocator is mimalloc: it keeps freed memory in per-thread pages for the next
//! allocation instead of returning it to the system after every large free, as glibc's malloc does for
//! blocks above its mmap threshold. Reading instrument files allocates a few large column vectors per
//! file; with glibc each of them is a fresh mapping whose every page is faulted in again (about 8 us
//! per 4 KiB page on a virtual machine), which made `spelab read` on a 253k-row `.ndax` 2-3x slower.
//! The library crates keep the system allocator (the choice belongs to the program that links them).

use clap::Parser;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let cli = spelab_cli::args::Cli::parse();
    std::process::ExitCode::from(spelab_cli::main_with(cli))
}
