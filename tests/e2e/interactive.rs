//! The interactive terminal behaviour through the real binary in a real
//! pseudo-terminal (tmux): on a 401 the login asks for a user name and a
//! hidden password and uses the token for this run only; a refused or
//! skipped login exits 11; without a terminal nobody is asked; and
//! `app remove` asks for confirmation unless `--yes`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::json;

use crate::support::cmd::{TestHome, dcos_toml, run};
use crate::support::marathon_sim::{MarathonSim, Recorded, SimConfig};
use crate::support::tmux::{Finished, Pty};

/// The token the cluster accepts.
const GOOD_TOKEN: &str = "good";
/// The token in `~/.dcos` that the cluster refuses.
const EXPIRED_TOKEN: &str = "expired-acs-token";
const USER: &str = "alice";
const PASSWORD: &str = "s3cret";
const LOGIN_PATH: &str = "/acs/api/v1/auth/login";
const APPS_PATH: &str = "/service/marathon/v2/apps";

fn sim() -> MarathonSim {
    let sim = MarathonSim::start(SimConfig {
        token: Some(GOOD_TOKEN.into()),
        users: vec![(USER.into(), PASSWORD.into())],
        time_scale: 0.1,
        ..SimConfig::default()
    });
    sim.create_app(json!({"id": "/listed", "cmd": "sleep 1000", "instances": 0}));
    sim
}

fn home_with_token(sim: &MarathonSim, token: &str) -> TestHome {
    let home = TestHome::new();
    home.cluster("c1", &dcos_toml(&sim.dcos_url(), Some(token), "sim"), true);
    home
}

fn home_dir(home: &TestHome) -> PathBuf {
    home.dcos_dir()
        .parent()
        .expect("~/.dcos has a parent")
        .to_path_buf()
}

/// Every file under `dir` with its content.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let content = std::fs::read(&path).expect("read file");
                files.insert(path, content);
            }
        }
    }
    files
}

fn position(requests: &[Recorded], what: impl Fn(&Recorded) -> bool) -> Option<usize> {
    requests.iter().position(what)
}

fn is_login(r: &Recorded) -> bool {
    r.method == "POST" && r.path == LOGIN_PATH
}

/// A cluster that refuses the token stored in `~/.dcos`, and that HOME.
struct Expired {
    sim: MarathonSim,
    home: TestHome,
}

impl Expired {
    fn new() -> Self {
        let sim = sim();
        let home = home_with_token(&sim, EXPIRED_TOKEN);
        Self { sim, home }
    }

    /// Runs `dcos-lb ARGS` on a terminal, logs in with `password` and waits
    /// for the end; the terminal must echo again afterwards.
    fn run_with_login(&self, args: &[&str], stdout_to: Option<&Path>, password: &str) -> Finished {
        let pty = Pty::run(&home_dir(&self.home), args, stdout_to);
        log_in(&pty, USER, password);
        let finished = pty.finished();
        assert!(
            finished.echoes,
            "echo is off after the password prompt:\n{}",
            finished.screen
        );
        assert!(
            !finished.screen.contains(password),
            "password on screen:\n{}",
            finished.screen
        );
        finished
    }
}

/// Types the user name, waits until echo is off, then types the password.
fn log_in(pty: &Pty, user: &str, password: &str) {
    let screen = pty.wait_for("Username:");
    assert!(
        screen.contains("Authentication required"),
        "no explanation before the prompt:\n{screen}"
    );
    pty.type_line(user);
    pty.wait_for("Password:");
    pty.wait_for_hidden_input();
    pty.type_line(password);
}

#[test]
#[cfg_attr(missing_tmux, ignore = "needs tmux: apt-get install -y tmux")]
fn a_401_on_a_terminal_logs_in_with_a_hidden_password_for_this_run_only() {
    let expired = Expired::new();
    let Expired { sim, home } = &expired;
    let before = tree(&home.dcos_dir());
    let end = expired.run_with_login(&["app", "list"], None, PASSWORD);
    assert_eq!(end.code, 0, "{}", end.screen);
    assert!(
        end.screen.contains("/listed"),
        "no app table:\n{}",
        end.screen
    );
    assert!(
        end.screen.contains(&format!("Username: {USER}")),
        "the user name is echoed:\n{}",
        end.screen
    );

    // The new token lives in memory only: ~/.dcos is byte for byte the same.
    assert_eq!(tree(&home.dcos_dir()), before);

    // 401 with the old token, one login as alice, the same request again with the new token.
    let requests = sim.requests();
    let login = position(&requests, is_login).expect("a login request");
    assert_eq!(requests.iter().filter(|r| is_login(r)).count(), 1);
    let old_token = format!("token={EXPIRED_TOKEN}");
    assert!(
        requests[..login]
            .iter()
            .any(|r| r.path == APPS_PATH && r.authorization.as_deref() == Some(&old_token)),
        "{requests:?}"
    );
    let body: serde_json::Value = serde_json::from_str(&requests[login].body).expect("login JSON");
    assert_eq!(body, json!({"uid": USER, "password": PASSWORD}));
    let after = &requests[login + 1..];
    assert_eq!(after.first().map(|r| r.path.as_str()), Some(APPS_PATH));
    let new_token = format!("token={GOOD_TOKEN}-1");
    assert!(
        after
            .iter()
            .all(|r| r.authorization.as_deref() == Some(new_token.as_str())),
        "{after:?}"
    );

    // The next run starts with the stored (expired) token again.
    sim.clear_requests();
    let r = run(home.cmd(&["app", "list"]));
    assert_eq!(r.code, 11, "{}", r.stderr);
    assert_eq!(sim.requests()[0].authorization, Some(old_token));
}

#[test]
#[cfg_attr(missing_tmux, ignore = "needs tmux: apt-get install -y tmux")]
fn prompts_go_to_the_terminal_and_results_to_redirected_stdout() {
    let expired = Expired::new();
    let out = home_dir(&expired.home).join("apps.json");
    let end = expired.run_with_login(&["app", "list", "--json"], Some(&out), PASSWORD);
    assert_eq!(end.code, 0, "{}", end.screen);
    let stdout = std::fs::read_to_string(&out).expect("redirected stdout");
    let apps: serde_json::Value = serde_json::from_str(&stdout).expect("stdout is only JSON");
    assert_eq!(apps[0]["id"], "/listed");
    assert!(
        !end.screen.contains("\"/listed\""),
        "result on the terminal:\n{}",
        end.screen
    );
}

/// The prompt writes as the run does: `-q` drops the explanation, never
/// the questions.
#[test]
#[cfg_attr(missing_tmux, ignore = "needs tmux: apt-get install -y tmux")]
fn a_quiet_run_still_asks_but_does_not_explain() {
    let expired = Expired::new();
    let pty = Pty::run(&home_dir(&expired.home), &["-q", "app", "list"], None);
    let screen = pty.wait_for("Username:");
    assert!(
        !screen.contains("Authentication required"),
        "-q printed the explanation:\n{screen}"
    );
    pty.type_line(USER);
    pty.wait_for("Password:");
    pty.wait_for_hidden_input();
    pty.type_line(PASSWORD);
    let end = pty.finished();
    assert_eq!(end.code, 0, "{}", end.screen);
    assert!(end.screen.contains("/listed"), "{}", end.screen);
}

#[test]
#[cfg_attr(missing_tmux, ignore = "needs tmux: apt-get install -y tmux")]
fn a_wrong_password_is_a_clear_auth_error() {
    let expired = Expired::new();
    let end = expired.run_with_login(&["app", "list"], None, "wrong-guess");
    end.assert_error(
        11,
        "Error: login as 'alice' failed (HTTP 401): The login credentials are invalid.",
    );
    let requests = expired.sim.requests();
    let login = position(&requests, is_login).expect("a login request");
    assert_eq!(
        login + 1,
        requests.len(),
        "one login, nothing after it: {requests:?}"
    );
    assert_eq!(requests.iter().filter(|r| is_login(r)).count(), 1);
}

#[test]
#[cfg_attr(missing_tmux, ignore = "needs tmux: apt-get install -y tmux")]
fn an_empty_user_name_or_ctrl_d_skips_the_login() {
    let expired = Expired::new();
    for key in ["Enter", "C-d"] {
        let pty = Pty::run(&home_dir(&expired.home), &["app", "list"], None);
        pty.wait_for("Username:");
        pty.press(key);
        let end = pty.finished();
        end.assert_error(
            11,
            "Error: authentication failed, please run `dcos auth login`",
        );
        assert!(!end.screen.contains("Password:"), "{}", end.screen);
    }
    assert!(position(&expired.sim.requests(), is_login).is_none());
}

#[test]
fn without_a_terminal_a_401_is_the_error_alone_and_nobody_is_asked() {
    let expired = Expired::new();
    let r = run(expired.home.cmd(&["app", "list"]));
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            11,
            "",
            "Error: authentication failed, please run `dcos auth login`\n"
        )
    );
    assert!(position(&expired.sim.requests(), is_login).is_none());
}

fn deletes(sim: &MarathonSim) -> Vec<Recorded> {
    sim.write_requests()
        .into_iter()
        .filter(|r| r.method == "DELETE")
        .collect()
}

fn deleted_paths(sim: &MarathonSim) -> Vec<String> {
    deletes(sim).into_iter().map(|r| r.path).collect()
}

#[test]
#[cfg_attr(missing_tmux, ignore = "needs tmux: apt-get install -y tmux")]
fn app_remove_asks_on_a_terminal_unless_yes() {
    let sim = sim();
    for id in ["/x", "/y"] {
        sim.create_app(json!({"id": id, "cmd": "sleep 1000", "instances": 0}));
    }
    let home = home_with_token(&sim, GOOD_TOKEN);
    let question = "Are you sure you want to remove app '/x'? [y/n]";

    // "n", or Ctrl-D (no answer), changes nothing.
    for answer in ["n", "C-d"] {
        let pty = Pty::run(&home_dir(&home), &["app", "remove", "/x"], None);
        pty.wait_for(question);
        sim.assert_nothing_written();
        if answer == "n" {
            pty.type_line(answer);
        } else {
            pty.press(answer);
        }
        let end = pty.finished();
        end.assert_error(1, "Error: cancelled: nothing was changed");
        sim.assert_nothing_written();
        assert!(sim.app("/x").is_some());
    }

    let pty = Pty::run(&home_dir(&home), &["app", "remove", "x"], None);
    pty.wait_for(question);
    pty.type_line("y");
    let end = pty.finished();
    assert_eq!(end.code, 0, "{}", end.screen);
    assert!(end.screen.contains("Created deployment"), "{}", end.screen);
    assert_eq!(deleted_paths(&sim), [format!("{APPS_PATH}/x")]);

    let pty = Pty::run(&home_dir(&home), &["app", "remove", "/y", "--yes"], None);
    let end = pty.finished();
    assert_eq!(end.code, 0, "{}", end.screen);
    assert!(
        !end.screen.contains("Are you sure"),
        "asked despite --yes:\n{}",
        end.screen
    );
    assert_eq!(
        deleted_paths(&sim),
        [format!("{APPS_PATH}/x"), format!("{APPS_PATH}/y")]
    );
}

#[test]
#[cfg_attr(missing_tmux, ignore = "needs tmux: apt-get install -y tmux")]
fn login_then_confirmation_in_one_run_deletes_with_the_new_token() {
    let expired = Expired::new();
    let pty = Pty::run(
        &home_dir(&expired.home),
        &["app", "remove", "/listed"],
        None,
    );
    log_in(&pty, USER, PASSWORD);
    pty.wait_for("Are you sure you want to remove app '/listed'? [y/n]");
    assert!(pty.echoes(), "echo is back on for the confirmation");
    pty.type_line("y");
    let end = pty.finished();
    assert_eq!(end.code, 0, "{}", end.screen);
    assert!(end.echoes, "echo is off at the end:\n{}", end.screen);
    assert!(
        !end.screen.contains(PASSWORD),
        "password on screen:\n{}",
        end.screen
    );
    let deleted = deletes(&expired.sim);
    assert_eq!(deleted.len(), 1, "{deleted:?}");
    assert_eq!(deleted[0].path, format!("{APPS_PATH}/listed"));
    assert_eq!(
        deleted[0].authorization.as_deref(),
        Some(format!("token={GOOD_TOKEN}-1").as_str())
    );
}

#[test]
#[cfg_attr(missing_tmux, ignore = "needs tmux: apt-get install -y tmux")]
fn ctrl_c_at_the_password_prompt_restores_the_terminal() {
    let expired = Expired::new();
    let pty = Pty::run(&home_dir(&expired.home), &["app", "list"], None);
    pty.wait_for("Username:");
    pty.type_line(USER);
    pty.wait_for("Password:");
    pty.wait_for_hidden_input();
    pty.press("C-c");
    let Finished {
        code,
        screen,
        echoes,
    } = pty.finished();
    assert_eq!(code, 130, "{screen}");
    assert!(echoes, "echo is still off after Ctrl-C:\n{screen}");
    assert!(position(&expired.sim.requests(), is_login).is_none());
}
