//! `dcos lb render`: the HAProxy config marathon-lb would generate, byte for
//! byte, from the live cluster or an apps file; optionally checked by
//! `haproxy -c` or diffed against what each marathon-lb instance runs.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::net::{Ipv4Addr, SocketAddr, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::Context as _;
use clap::Args;
use serde_json::json;

use crate::cli::context::Context;
use crate::cli::exit::{CliError, ExitCode};
use crate::cli::lb_args::LbArgs;
use crate::marathon::client::AppQuery;
use crate::output::Ui;
use crate::render::{self, Apps, Date, RenderOptions, Rendered, Resolver, Templates, validate};

const EXAMPLES: &str = "\
Examples:
  dcos lb render --group external                      what marathon-lb loads now
  dcos lb render --apps apps.json --group '*' -o out/  offline, every group, into out/haproxy.cfg
  dcos lb render --group external --haproxy-map --validate
  dcos lb render --group external --diff -l http://10.0.4.5:9090";

/// Render marathon-lb's haproxy.cfg (and map files) for the current apps.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct RenderArgs {
    /// A `GET /v2/apps?embed=apps.tasks` body to render instead of the live
    /// cluster's apps (`-` reads stdin).
    #[arg(long, value_name = "FILE|-")]
    pub apps: Option<PathBuf>,
    /// marathon-lb group to render (repeatable; `*` renders every app).
    #[arg(long = "group", value_name = "GROUP", required = true)]
    pub groups: Vec<String>,
    /// Route vhosts and app ids through map files, as marathon-lb's flag.
    #[arg(long)]
    pub haproxy_map: bool,
    /// Leave out the :80 and :443 frontends and vhost ACLs.
    #[arg(long)]
    pub dont_bind_http_https: bool,
    /// Certificates of the :443 frontend, comma-separated.
    #[arg(long, value_name = "PATHS", default_value = "/etc/ssl/cert.pem")]
    pub ssl_certs: String,
    /// TLS passthrough on :443 with one TLS frontend per vhost.
    #[arg(long)]
    pub group_https_by_vhost: bool,
    /// Only render services whose HAPROXY_{n}_ENABLED is true.
    #[arg(long)]
    pub strict_mode: bool,
    /// Leave out tasks Marathon does not report healthy.
    #[arg(long)]
    pub health_check: bool,
    /// Where marathon-lb's config lives on the LB (map file paths follow it).
    #[arg(long, value_name = "PATH", default_value = "/etc/haproxy/haproxy.cfg")]
    pub haproxy_config: String,
    /// Low end of auto-assigned service ports for IP-per-task apps.
    #[arg(long, value_name = "PORT", default_value_t = 10050)]
    pub min_serv_port_ip_per_task: u16,
    /// High end of auto-assigned service ports for IP-per-task apps.
    #[arg(long, value_name = "PORT", default_value_t = 10100)]
    pub max_serv_port_ip_per_task: u16,
    /// Directory of template overrides (files named `HAPROXY_<NAME>`).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// JSON object of host name → IPv4 address; when given, only these
    /// names (and IPv4 literals) resolve. Default: the system resolver.
    #[arg(long, value_name = "FILE")]
    pub hosts: Option<PathBuf>,
    /// Write haproxy.cfg (and the map files) into DIR instead of stdout.
    #[arg(short = 'o', long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Check the result with `haproxy -c` (with stand-in certs, maps and Lua).
    #[arg(long)]
    pub validate: bool,
    /// Print a unified diff against the config each marathon-lb instance runs.
    #[arg(long)]
    pub diff: bool,
    /// Where the marathon-lb instances are, for --diff.
    #[command(flatten)]
    pub lb: LbArgs,
    /// Print the files as a JSON object instead of the config text.
    #[arg(long)]
    pub json: bool,
}

/// Runs `dcos lb render`.
pub fn cmd_render(ui: &mut Ui, ctx: &Context, args: &RenderArgs) -> anyhow::Result<ExitCode> {
    let opts = options(ctx, args);
    opts.check()
        .map_err(|e| CliError::new(ExitCode::Usage, e.to_string()))?;
    let templates = templates(ctx, args.templates.as_deref())?;
    let resolver = resolver(args.hosts.as_deref())?;
    let input = read_apps(ctx, args.apps.as_deref())?;
    // Rendering needs a small part of the body: copy that out, then write
    // the config into the body's buffer instead of a new one.
    let apps = parse_apps(&input, args.apps.as_deref())?.into_owned();
    let buffer = input.into_buffer();
    let rendered = render::render_into(&apps, &opts, &templates, resolver.as_ref(), buffer)?;

    if let Some(dir) = &args.output {
        write_files(dir, &rendered)?;
        ui.status("Wrote", &format!("{}", dir.join("haproxy.cfg").display()));
    } else if args.json {
        ui.result_json(&json!({
            "haproxy.cfg": rendered.haproxy_cfg,
            "domain2backend.map": rendered.domain2backend_map,
            "app2backend.map": rendered.app2backend_map,
        }))?;
    } else if !args.diff {
        ui.result_raw(rendered.haproxy_cfg.as_bytes())?;
    }

    let mut code = ExitCode::Success;
    if args.validate && !validate_config(ui, &rendered.haproxy_cfg)? {
        code = ExitCode::Failure;
    }
    if args.diff && !diff_against_lbs(ui, ctx, args, &rendered.haproxy_cfg)? {
        code = ExitCode::Failure;
    }
    Ok(code)
}

fn options(ctx: &Context, args: &RenderArgs) -> RenderOptions {
    RenderOptions {
        groups: args.groups.clone(),
        haproxy_map: args.haproxy_map,
        bind_http_https: !args.dont_bind_http_https,
        ssl_certs: RenderOptions::ssl_certs_from_arg(&args.ssl_certs),
        group_https_by_vhost: args.group_https_by_vhost,
        strict_mode: args.strict_mode,
        health_check: args.health_check,
        haproxy_config_path: args.haproxy_config.clone(),
        min_serv_port_ip_per_task: args.min_serv_port_ip_per_task,
        max_serv_port_ip_per_task: args.max_serv_port_ip_per_task,
        framework_name: ctx.env().get("FRAMEWORK_NAME").map(str::to_string),
        today: today_utc(),
    }
}

/// Today's date in UTC, the clock of marathon-lb's container (its image
/// sets no time zone), for the deployment dates dateutil completes from it.
fn today_utc() -> Option<Date> {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).ok()?.as_secs();
    Date::from_unix_days(i64::try_from(secs / 86_400).ok()?)
}

fn templates(ctx: &Context, dir: Option<&Path>) -> anyhow::Result<Templates> {
    let mut files = BTreeMap::new();
    if let Some(dir) = dir {
        anyhow::ensure!(
            dir.is_dir(),
            "--templates {}: not a directory",
            dir.display()
        );
        for name in Templates::names() {
            let path = dir.join(&name);
            if path.is_file() {
                files.insert(name, fs_err::read_to_string(&path)?);
            }
        }
    }
    let env: BTreeMap<String, String> = ctx
        .env()
        .with_prefix("HAPROXY_")
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Ok(Templates::new(&files, &env))
}

/// Resolves names like `socket.gethostbyname` on the LB node: the first IPv4 address.
struct SystemResolver;

impl Resolver for SystemResolver {
    fn resolve(&self, host: &str) -> Option<Ipv4Addr> {
        (host, 0)
            .to_socket_addrs()
            .ok()?
            .find_map(|addr| match addr {
                SocketAddr::V4(v4) => Some(*v4.ip()),
                SocketAddr::V6(_) => None,
            })
    }
}

fn resolver(hosts: Option<&Path>) -> anyhow::Result<Box<dyn Resolver>> {
    let Some(path) = hosts else {
        return Ok(Box::new(SystemResolver));
    };
    let text = fs_err::read_to_string(path)?;
    let table: BTreeMap<String, String> = serde_json::from_str(&text).map_err(|e| {
        CliError::new(
            ExitCode::InvalidInput,
            format!(
                "--hosts {}: expected a JSON object of name → IPv4 address: {e}",
                path.display()
            ),
        )
    })?;
    let mut resolved = HashMap::with_capacity(table.len());
    for (name, ip) in table {
        let ip: Ipv4Addr = ip.parse().map_err(|_| {
            CliError::new(
                ExitCode::InvalidInput,
                format!(
                    "--hosts {}: {name:?} maps to {ip:?}, which is not an IPv4 address",
                    path.display()
                ),
            )
        })?;
        resolved.insert(name, ip);
    }
    Ok(Box::new(resolved))
}

/// The apps document as read: file bytes, or Marathon's parsed body.
enum AppsInput {
    Bytes(Vec<u8>),
    Marathon(serde_json::Value),
}

impl AppsInput {
    /// The body's allocation, emptied (none for Marathon's parsed body).
    fn into_buffer(self) -> String {
        match self {
            AppsInput::Bytes(mut bytes) => {
                bytes.clear();
                String::from_utf8(bytes).unwrap_or_default()
            }
            AppsInput::Marathon(_) => String::new(),
        }
    }
}

fn read_apps(ctx: &Context, file: Option<&Path>) -> anyhow::Result<AppsInput> {
    Ok(match file {
        Some(path) if path == Path::new("-") => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .context("reading the apps JSON from stdin")?;
            AppsInput::Bytes(bytes)
        }
        Some(path) => AppsInput::Bytes(
            fs_err::read(path)
                .map_err(|e| CliError::new(ExitCode::InvalidInput, format!("--apps: {e}")))?,
        ),
        None => AppsInput::Marathon(
            ctx.marathon()?
                .list_apps_raw(&AppQuery {
                    embed_tasks: true,
                    ..AppQuery::default()
                })
                .context("reading apps from Marathon")?,
        ),
    })
}

fn parse_apps<'a>(input: &'a AppsInput, file: Option<&Path>) -> anyhow::Result<Apps<'a>> {
    let parsed = match input {
        AppsInput::Bytes(bytes) => Apps::from_slice(bytes),
        AppsInput::Marathon(body) => Apps::from_value(body),
    };
    // A body without `apps` is bad input too, found here rather than as a
    // render failure that does not name the file.
    let parsed = parsed.and_then(|apps| match apps.list().err() {
        None => Ok(apps),
        Some(missing) => Err(missing),
    });
    parsed.map_err(|e| {
        let source = file.map_or_else(
            || "Marathon's /v2/apps".to_string(),
            |p| p.display().to_string(),
        );
        CliError::new(ExitCode::InvalidInput, format!("{source}: {e}")).into()
    })
}

fn write_files(dir: &Path, rendered: &Rendered) -> anyhow::Result<()> {
    fs_err::create_dir_all(dir)?;
    fs_err::write(dir.join("haproxy.cfg"), &rendered.haproxy_cfg)?;
    for (name, content) in [
        ("domain2backend.map", &rendered.domain2backend_map),
        ("app2backend.map", &rendered.app2backend_map),
    ] {
        if let Some(content) = content {
            fs_err::write(dir.join(name), content)?;
        }
    }
    Ok(())
}

/// Runs `haproxy -c` on the config with stand-in files; reports the verdict
/// on stderr and returns whether HAProxy accepted it.
fn validate_config(ui: &mut Ui, cfg: &str) -> anyhow::Result<bool> {
    let haproxy = validate::haproxy_binary().ok_or_else(|| {
        CliError::new(
            ExitCode::Failure,
            "--validate needs haproxy, which is not installed",
        )
        .hint("install it, e.g. `apt-get install -y haproxy`")
    })?;
    let dir = tempfile::tempdir().context("creating a temporary directory for haproxy -c")?;
    let prepared = validate::prepare_standins(cfg, dir.path())
        .context("writing stand-in files for haproxy -c")?;
    let path = dir.path().join("haproxy.cfg");
    fs_err::write(&path, prepared)?;
    let out = Command::new(&haproxy)
        .arg("-c")
        .arg("-f")
        .arg(&path)
        .output()
        .with_context(|| format!("running {}", haproxy.display()))?;
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if out.status.success() {
        ui.status("Valid", "haproxy -c accepts the configuration");
        return Ok(true);
    }
    for line in log
        .lines()
        .filter(|l| l.contains("[ALERT]") || l.contains("[WARNING]"))
    {
        ui.info(line.trim());
    }
    let removed = validate::removed_directives(cfg);
    if removed.is_empty() {
        ui.warn("haproxy -c rejects the configuration (see its messages above)");
    } else {
        for (line, directive) in removed {
            ui.warn(&format!(
                "line {line}: {}",
                validate::removal_reason(directive)
            ));
        }
    }
    Ok(false)
}

/// Prints a unified diff per marathon-lb instance; returns whether all matched.
fn diff_against_lbs(
    ui: &mut Ui,
    ctx: &Context,
    args: &RenderArgs,
    rendered: &str,
) -> anyhow::Result<bool> {
    let urls = args.lb.instances(ctx)?;
    let http = ctx.lb_http()?;
    let mut all_same = true;
    for base in urls {
        let url = format!("{}/_haproxy_getconfig", base.trim_end_matches('/'));
        let running = http
            .get(&url)
            .send()
            .and_then(reqwest::blocking::Response::error_for_status)
            .and_then(reqwest::blocking::Response::text)
            .map_err(|e| {
                CliError::new(
                    ExitCode::MarathonLb,
                    format!("cannot read the running config from {url}: {e}"),
                )
            })?;
        if running == rendered {
            ui.status("Same", &format!("{base} runs exactly this configuration"));
            continue;
        }
        all_same = false;
        let diff = similar::TextDiff::from_lines(running.as_str(), rendered);
        let text = diff
            .unified_diff()
            .context_radius(3)
            .header(&format!("{base} (running)"), "dcos lb render")
            .to_string();
        ui.result_text(&text)?;
    }
    Ok(all_same)
}
