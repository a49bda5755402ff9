//! The `dcos-lb` binary: everything is in the library.

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(dcos_lb::run(
        std::env::args_os().collect(),
        dcos_lb::env::Env::from_process(),
    ))
}

/// mimalloc puts render's large buffers on 2 MiB pages: about 275 page faults
/// instead of 24 000 for 10 000 apps, which took the whole render from 0.17 s
/// to 0.10 s (`cargo bench --bench render`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
