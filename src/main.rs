//! The `dcos-lb` binary: everything is in the library.

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(dcos_lb::run(
        std::env::args_os().collect(),
        dcos_lb::env::Env::from_process(),
    ))
}

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
