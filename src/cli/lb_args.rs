//! `-l/--marathon-lb` and `--lb-app`: how every command that talks to
//! marathon-lb (deploy, split, status, render --diff) finds its instances.

use anyhow::Context as _;
use clap::Args;

use crate::cli::context::Context;
use crate::lb::discover;

/// Where the marathon-lb instances are.
#[derive(Debug, Clone, Args)]
pub struct LbArgs {
    /// marathon-lb URL, e.g. `http://marathon-lb.marathon.mesos:9090`; every
    /// IPv4 address of its host is one instance, as zdd.py (repeatable).
    #[arg(short = 'l', long = "marathon-lb", value_name = "URL", value_parser = lb_url)]
    pub marathon_lb: Vec<String>,
    /// The marathon-lb app whose tasks (port 9090) are the instances, when
    /// neither -l nor `lb.marathon_lb_url` is set; works from a laptop.
    #[arg(long, default_value = "/marathon-lb", value_name = "APP")]
    pub lb_app: String,
}

/// `-l` takes an http(s) URL: anything else is a usage error before any
/// request, not "no marathon-lb instance found".
fn lb_url(text: &str) -> Result<String, String> {
    match url::Url::parse(text.trim()) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => {
            Ok(text.trim().to_string())
        }
        Ok(url) => Err(format!(
            "{text:?} is not an http(s) URL with a host (scheme {:?}); for example http://marathon-lb.marathon.mesos:9090",
            url.scheme()
        )),
        Err(e) => Err(format!(
            "{text:?} is not a URL ({e}); for example http://marathon-lb.marathon.mesos:9090"
        )),
    }
}

impl LbArgs {
    /// The instances' base URLs: `-l` (one per IPv4 address of each host),
    /// else the `lb.marathon_lb_url` setting (same expansion), else the
    /// tasks of `--lb-app` in Marathon.
    pub fn instances(&self, ctx: &Context) -> anyhow::Result<Vec<String>> {
        // The setting needs the cluster's config: read it only when -l is absent.
        let setting = if self.marathon_lb.is_empty() {
            ctx.lb_setting("marathon_lb_url")
        } else {
            None
        };
        match discover::source(&self.marathon_lb, setting.as_deref(), &self.lb_app) {
            discover::Source::Urls(given) => {
                let mut urls = Vec::new();
                for url in &given {
                    urls.extend(discover::from_url(url)?);
                }
                Ok(urls)
            }
            discover::Source::App(id) => {
                let finding = || {
                    format!(
                        "finding the marathon-lb instances as the tasks of {id} (or pass -l URL)"
                    )
                };
                let app = ctx
                    .marathon()
                    .with_context(finding)?
                    .app(id)
                    .with_context(finding)?;
                Ok(discover::from_app(&app)?)
            }
        }
    }
}
