//! The bash completion file the dcos CLI sources for a plugin
//! (`env/completion/bash/*.sh`), generated from the clap command tree so it
//! never drifts from the real flags. Pure: no I/O.
//!
//! The dcos CLI's own completion script (dcos-cli
//! `pkg/cmd/completion/completion.sh`) provides `cur`, `words`, `cword`, `c`
//! and `last_command`, plus the helpers `__dcos_default_command_parse`,
//! `__dcos_handle_compreply` and `__dcos_handle_subcommand`. It calls
//! `_dcos_lb` for `dcos lb …`, which calls `_dcos_lb_<sub>` and so on
//! (`-` in a command name becomes `_`). Flags that take a value are offered
//! as `--flag=` so the shell adds no space after them.

use std::fmt::Write as _;

use clap::Command;

/// The dcos command the plugin registers (`[[commands]] name` in plugin.toml).
pub const DCOS_COMMAND: &str = "lb";

/// Flags of the plugin protocol that are answered before clap sees the
/// arguments (`dcos-lb lb --info`, used by `dcos plugin` for descriptions).
const PROTOCOL_FLAGS: &[&str] = &["--info"];

/// The complete completion file for `dcos lb`, from the (unbuilt) clap tree.
pub fn dcos_bash_completion(cmd: &Command) -> String {
    let mut cmd = cmd.clone();
    cmd.build();
    let mut out = String::from(
        "# shellcheck shell=bash\n\
         # Completion of `dcos lb` for the DC/OS CLI 1.x, sourced by `dcos <TAB>` from\n\
         # <plugin env>/completion/bash/. GENERATED from dcos-lb's clap definition; do not edit.\n\
         # Refresh with: cargo run --locked -- completions --write completions/\n",
    );
    write_functions(
        &mut out,
        &format!("_dcos_{DCOS_COMMAND}"),
        &cmd,
        PROTOCOL_FLAGS,
    );
    out
}

/// The subcommands a user can type: not hidden, and not clap's generated `help`.
fn visible_subcommands(cmd: &Command) -> impl Iterator<Item = &Command> {
    cmd.get_subcommands()
        .filter(|sub| !sub.is_hide_set() && sub.get_name() != "help")
}

/// Long flags of `cmd` as the protocol lists them (`--flag=` when the flag
/// takes a value), sorted, plus `extra`.
fn long_flags(cmd: &Command, extra: &[&str]) -> Vec<String> {
    let mut flags: Vec<String> = cmd
        .get_arguments()
        .filter(|arg| !arg.is_positional() && !arg.is_hide_set())
        .flat_map(|arg| {
            let suffix = if arg.get_action().takes_values() {
                "="
            } else {
                ""
            };
            arg.get_long_and_visible_aliases()
                .unwrap_or_default()
                .into_iter()
                .map(move |long| format!("--{long}{suffix}"))
        })
        .chain(extra.iter().map(|flag| (*flag).to_string()))
        .collect();
    flags.sort();
    flags.dedup();
    flags
}

/// The shell function name for a subcommand name under `parent`.
fn function_name(parent: &str, name: &str) -> String {
    format!("{parent}_{}", name.replace('-', "_"))
}

/// Writes the function for `cmd` (named `name`), then those of its
/// subcommands and of their visible aliases.
fn write_functions(out: &mut String, name: &str, cmd: &Command, extra_flags: &[&str]) {
    let flags = long_flags(cmd, extra_flags);
    let subcommands: Vec<&Command> = visible_subcommands(cmd).collect();
    if subcommands.is_empty() {
        write_leaf(out, name, &flags);
        return;
    }
    let mut words: Vec<&str> = subcommands
        .iter()
        .flat_map(|sub| std::iter::once(sub.get_name()).chain(sub.get_visible_aliases()))
        .collect();
    words.sort_unstable();
    write_group(out, name, &flags, &words);
    for sub in subcommands {
        let sub_name = function_name(name, sub.get_name());
        write_functions(out, &sub_name, sub, &[]);
        for alias in sub.get_visible_aliases() {
            write_alias(out, &function_name(name, alias), &sub_name);
        }
    }
}

fn write_array(out: &mut String, var: &str, items: &[impl AsRef<str>]) {
    let _ = writeln!(out, "    local {var}=(");
    for item in items {
        let _ = writeln!(out, "        \"{}\"", item.as_ref());
    }
    out.push_str("    )\n");
}

/// A command with subcommands: complete flags or subcommand names until a
/// subcommand is typed, then hand over to its function.
fn write_group(out: &mut String, name: &str, flags: &[String], subcommands: &[&str]) {
    let _ = writeln!(out, "\n{name}() {{");
    out.push_str(
        "    local i=\"\" command=\"\"\n\
         \n    if ! __dcos_default_command_parse; then\n        return\n    fi\n\n",
    );
    write_array(out, "flags", flags);
    write_array(out, "commands", subcommands);
    out.push_str(
        "\n    if [ -z \"$command\" ]; then\n\
         \x20       case \"$cur\" in\n\
         \x20           --*=*) ;;\n\
         \x20           --*) __dcos_handle_compreply \"${flags[@]}\" ;;\n\
         \x20           *) __dcos_handle_compreply \"${commands[@]}\" ;;\n\
         \x20       esac\n\
         \x20       return\n\
         \x20   fi\n\
         \n    __dcos_handle_subcommand\n}\n",
    );
}

/// A command without subcommands: its positional arguments do not stop flag
/// completion, `--help`/`-h` anywhere before the cursor does.
fn write_leaf(out: &mut String, name: &str, flags: &[String]) {
    let _ = writeln!(out, "\n{name}() {{");
    out.push_str(
        "    local i=\"\" command=\"\"\n\
         \n    while [ \"$c\" -lt \"$cword\" ]; do\n\
         \x20       if ! __dcos_default_command_parse; then\n\
         \x20           return\n\
         \x20       fi\n\
         \x20   done\n\n",
    );
    write_array(out, "flags", flags);
    out.push_str(
        "\n    case \"$cur\" in\n\
         \x20       --*=*) ;;\n\
         \x20       --*) __dcos_handle_compreply \"${flags[@]}\" ;;\n\
         \x20   esac\n}\n",
    );
}

/// A visible alias: continue as the aliased command, under its name.
fn write_alias(out: &mut String, name: &str, target: &str) {
    let _ = writeln!(
        out,
        "\n{name}() {{\n    last_command={target}\n    {target}\n}}"
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{Arg, ArgAction};

    fn sample() -> Command {
        Command::new("tool")
            .version("1.0")
            .arg(
                Arg::new("verbose")
                    .short('v')
                    .long("verbose")
                    .action(ArgAction::Count),
            )
            .subcommand(
                Command::new("deploy")
                    .arg(Arg::new("max-wait").long("max-wait"))
                    .arg(Arg::new("force").long("force").action(ArgAction::SetTrue))
                    .arg(Arg::new("secret").long("secret").hide(true))
                    .arg(Arg::new("file")),
            )
            .subcommand(
                Command::new("app").subcommand(Command::new("list-all").visible_alias("ls")),
            )
            .subcommand(Command::new("internal").hide(true))
    }

    #[test]
    fn value_flags_end_with_equals_and_hidden_ones_are_left_out() {
        let mut cmd = sample();
        cmd.build();
        let deploy = cmd.find_subcommand("deploy").expect("deploy");
        assert_eq!(
            long_flags(deploy, &[]),
            ["--force", "--help", "--max-wait="]
        );
        assert_eq!(
            long_flags(&cmd, PROTOCOL_FLAGS),
            ["--help", "--info", "--verbose", "--version"]
        );
    }

    #[test]
    fn functions_follow_the_command_path_with_dashes_as_underscores() {
        let script = dcos_bash_completion(&sample());
        for function in [
            "_dcos_lb() {",
            "_dcos_lb_deploy() {",
            "_dcos_lb_app() {",
            "_dcos_lb_app_list_all() {",
            "_dcos_lb_app_ls() {\n    last_command=_dcos_lb_app_list_all\n",
        ] {
            assert!(
                script.contains(function),
                "missing {function:?} in\n{script}"
            );
        }
        assert!(!script.contains("internal"), "{script}");
        assert!(!script.contains("_dcos_lb_help"), "{script}");
        assert!(
            script.contains("        \"list-all\"\n        \"ls\"\n"),
            "{script}"
        );
    }
}
