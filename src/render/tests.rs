//! Unit tests of the whole render: labels, template overrides, networking
//! modes, deployment groups and every error path. Pure: no I/O.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use serde_json::{Value, json};

use super::*;

fn hosts() -> BTreeMap<String, Ipv4Addr> {
    [("agent1", [10, 0, 0, 1]), ("agent2", [10, 0, 0, 2])]
        .into_iter()
        .map(|(h, ip)| (h.to_string(), Ipv4Addr::from(ip)))
        .collect()
}

fn all_groups() -> RenderOptions {
    RenderOptions {
        groups: vec!["*".into()],
        ..RenderOptions::default()
    }
}

/// A host-networking app with one task per host on `agentN:3100N`.
fn host_app(id: &str, labels: Value, ports: &[i64]) -> Value {
    json!({
        "id": id,
        "labels": labels,
        "instances": 1,
        "portDefinitions": ports.iter().map(|p| json!({"port": p})).collect::<Vec<_>>(),
        "tasks": [{"id": format!("{id}.t1"), "host": "agent1", "ports": [31001, 31002]}],
    })
}

fn render_with(
    apps: Vec<Value>,
    opts: &RenderOptions,
    templates: &Templates,
) -> Result<Rendered, RenderError> {
    let doc = json!({ "apps": apps });
    let apps = Apps::from_value(&doc)?;
    render(&apps, opts, templates, &hosts())
}

fn cfg(apps: Vec<Value>) -> String {
    render_with(apps, &all_groups(), &Templates::default())
        .expect("render")
        .haproxy_cfg
}

fn err(apps: Vec<Value>) -> RenderError {
    render_with(apps, &all_groups(), &Templates::default()).expect_err("must fail")
}

fn env(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The text after the default HEAD (which is long and tested elsewhere).
fn body(cfg: &str) -> &str {
    let head = Templates::default();
    &cfg[head.get(super::defaults::Tpl::Head).text().len()..]
}

#[test]
fn plain_tcp_app() {
    let out = cfg(vec![host_app("/web", json!({}), &[10000])]);
    assert!(
        body(&out).contains(
            "\nfrontend web_10000\n  bind *:10000\n  mode tcp\n  use_backend web_10000\n"
        )
    );
    assert!(out.contains("\nbackend web_10000\n  balance roundrobin\n  mode tcp\n  server agent1_10_0_0_1_31001 10.0.0.1:31001 id "));
    assert!(!out.contains("app__web"), "tcp services get no app-id ACL");
}

#[test]
fn vhost_labels_make_http_with_acls_and_appid() {
    let out = cfg(vec![host_app(
        "/g/web",
        json!({"HAPROXY_0_VHOST": "Web.Example.COM", "HAPROXY_0_BALANCE": "leastconn"}),
        &[10000],
    )]);
    assert!(out.contains("  acl host_web_example_com_g_web hdr(host) -i web.example.com\n"));
    assert!(out.contains("  use_backend g_web_10000 if host_web_example_com_g_web\n"));
    assert!(out.contains("  acl app__g_web hdr(x-marathon-app-id) -i /g/web\n"));
    assert!(out.contains(
        "\nbackend g_web_10000\n  balance leastconn\n  mode http\n  option forwardfor\n"
    ));
}

#[test]
fn every_simple_label() {
    let labels = json!({
        "HAPROXY_0_VHOST": "a.com",
        "HAPROXY_0_MODE": "HTTP",
        "HAPROXY_0_BIND_ADDR": "127.0.0.1",
        "HAPROXY_0_BIND_OPTIONS": "process 1",
        "HAPROXY_0_SSL_CERT": "/c.pem",
        "HAPROXY_0_PORT": " +8_0 ",
        "HAPROXY_0_STICKY": "yes",
        "HAPROXY_0_USE_HSTS": "T",
        "HAPROXY_0_REDIRECT_TO_HTTPS": "true",
        "HAPROXY_0_HTTP_BACKEND_PROXYPASS_PATH": "/proxy",
        "HAPROXY_0_HTTP_BACKEND_REVPROXY_PATH": "/rev",
        "HAPROXY_0_HTTP_BACKEND_REDIR": "/redir",
        "HAPROXY_0_BACKEND_NETWORK_ALLOWED_ACL": "10.0.0.0/8  192.168.0.0/16",
        "HAPROXY_0_AUTH": "realm:user:pw",
    });
    let out = cfg(vec![host_app("/web", labels, &[10000])]);
    assert!(out.contains("\nuserlist user_web_80\n  user user password pw\n"));
    assert!(out.contains(
        "\nfrontend web_80\n  bind 127.0.0.1:80 ssl crt /c.pem process 1\n  mode http\n"
    ));
    assert!(out.contains("  redirect scheme https code 301 if !{ ssl_fc } host_a_com_web\n"));
    assert!(out.contains("  rspadd  Strict-Transport-Security:\\ max-age=15768000\n"));
    assert!(out.contains("  http-request set-header Host a.com\n  reqirep  \"^([^ :]*)\\ /proxy/?(.*)\" \"\\1\\ /\\2\"\n"));
    assert!(out.contains("Location:   /rev"));
    assert!(out.contains("  redirect code 301 location /redir if is_domain is_root\n"));
    assert!(out.contains(
        "  acl network_allowed src 10.0.0.0/8\n  acl network_allowed src 192.168.0.0/16\n  http-request allow if network_allowed\n  http-request deny\n"
    ));
    assert!(out.contains("  cookie mesosphere_server_id insert indirect nocache\n"));
    assert!(out.contains(" check cookie "));
    assert!(
        out.contains(
            "  http-request auth realm \"realm\" if { ssl_fc_sni a.com } !auth_a_com_web\n"
        )
    );
    assert!(
        !out.contains("http-request auth realm \"realm\" if host_"),
        "redirect: no auth on http"
    );
}

#[test]
fn tcp_network_acl_and_unknown_mode() {
    let labels = json!({"HAPROXY_0_BACKEND_NETWORK_ALLOWED_ACL": "10.0.0.0/8", "HAPROXY_1_BACKEND_NETWORK_ALLOWED_ACL": "10.0.0.0/8", "HAPROXY_1_MODE": "health"});
    let out = cfg(vec![host_app("/db", labels, &[10000, 10001])]);
    assert!(out.contains(
        "  acl network_allowed src 10.0.0.0/8\n  tcp-request content accept if network_allowed\n  tcp-request content reject\n"
    ));
    assert_eq!(
        out.matches("10.0.0.0/8").count(),
        1,
        "the unknown mode gets no ACL"
    );
    assert!(out.contains("  mode health\n"));
}

#[test]
fn path_sets_weight_and_orders_vhost_blocks() {
    let a = host_app("/a", json!({"HAPROXY_0_VHOST": "x.com"}), &[10000]);
    let b = host_app(
        "/b",
        json!({"HAPROXY_0_VHOST": "x.com", "HAPROXY_0_PATH": "/api"}),
        &[10001],
    );
    let c = host_app(
        "/c",
        json!({"HAPROXY_0_VHOST": "x.com", "HAPROXY_0_BACKEND_WEIGHT": "5", "HAPROXY_0_PATH": "/c"}),
        &[10002],
    );
    let out = cfg(vec![a, b, c]);
    let pos = |s: &str| out.find(s).unwrap_or_else(|| panic!("{s} missing"));
    // weight 5 (c) before 1 (b, from PATH) before 0 (a).
    assert!(pos("use_backend c_10002") < pos("use_backend b_10001"));
    assert!(pos("use_backend b_10001") < pos("use_backend a_10000"));
}

#[test]
fn group_filtering_and_strict_mode() {
    let ext = host_app("/ext", json!({"HAPROXY_GROUP": "external"}), &[10000]);
    let int = host_app(
        "/int",
        json!({"HAPROXY_GROUP": "internal,x", "HAPROXY_0_GROUP": "external"}),
        &[10001],
    );
    let none = host_app("/none", json!({}), &[10002]);
    let opts = RenderOptions {
        groups: vec!["external".into()],
        ..RenderOptions::default()
    };
    let out = render_with(
        vec![ext.clone(), int, none.clone()],
        &opts,
        &Templates::default(),
    )
    .expect("render")
    .haproxy_cfg;
    assert!(out.contains("backend ext_10000") && out.contains("backend int_10001"));
    assert!(!out.contains("none_10002"));
    let strict = RenderOptions {
        strict_mode: true,
        ..all_groups()
    };
    let on = host_app("/on", json!({"HAPROXY_0_ENABLED": "y"}), &[10003]);
    let out = render_with(vec![ext, on], &strict, &Templates::default())
        .expect("render")
        .haproxy_cfg;
    assert!(out.contains("backend on_10003") && !out.contains("ext_10000"));
    let no_groups = RenderOptions::default();
    assert!(matches!(
        render_with(vec![none], &no_groups, &Templates::default()),
        Err(RenderError::NoGroups { .. })
    ));
}

#[test]
fn template_overrides_env_file_label() {
    let files = env(&[(
        "HAPROXY_BACKEND_HEAD",
        "\nbackend {backend} # from file\n  mode {mode}\n",
    )]);
    let t = Templates::new(
        &files,
        &env(&[("HAPROXY_FRONTEND_HEAD", "\\nfrontend {backend} # env\\n")]),
    );
    let app = host_app(
        "/web",
        json!({"HAPROXY_1_BACKEND_HEAD": "\r\nbackend {backend} # label\r\n"}),
        &[10000, 10001],
    );
    let out = render_with(vec![app], &all_groups(), &t)
        .expect("render")
        .haproxy_cfg;
    assert!(out.contains("\nfrontend web_10000 # env\n"));
    assert!(out.contains("\nbackend web_10000 # from file\n  mode tcp\n"));
    assert!(out.contains("\nbackend web_10001 # label\n"));
}

#[test]
fn map_templates_follow_the_non_map_label() {
    let opts = RenderOptions {
        haproxy_map: true,
        ..all_groups()
    };
    let app = host_app(
        "/web",
        json!({
            "HAPROXY_0_VHOST": "a.com",
            "HAPROXY_0_HTTP_FRONTEND_ACL": "  # http map {haproxy_dir}\n",
            "HAPROXY_0_MAP_HTTPS_FRONTEND_ACL": "ignored {nothing}\n",
        }),
        &[10000],
    );
    let out = render_with(vec![app], &opts, &Templates::default()).expect("render");
    assert!(out.haproxy_cfg.contains("  # http map /etc/haproxy\n"));
    assert!(
        out.haproxy_cfg
            .contains("map(/etc/haproxy/domain2backend.map)]\n")
    );
    assert_eq!(out.domain2backend_map.as_deref(), Some("a.com web_10000\n"));
    assert_eq!(out.app2backend_map.as_deref(), Some("/web web_10000\n"));
}

#[test]
fn template_errors_name_the_template() {
    let app = host_app(
        "/web",
        json!({"HAPROXY_0_FRONTEND_HEAD": "{nope}"}),
        &[10000],
    );
    match err(vec![app]) {
        RenderError::Template {
            template,
            context,
            message,
        } => {
            assert_eq!(template, "HAPROXY_0_FRONTEND_HEAD");
            assert!(context.contains("/web"));
            assert!(message.contains("nope"));
        }
        other => panic!("{other:?}"),
    }
    let t = Templates::new(
        &BTreeMap::new(),
        &env(&[("HAPROXY_HTTPS_FRONTEND_HEAD", "{sslCerts")]),
    );
    assert!(matches!(
        render_with(vec![], &all_groups(), &t),
        Err(RenderError::Template { .. })
    ));
    let t = Templates::new(
        &BTreeMap::new(),
        &env(&[("HAPROXY_HEAD", "global\n  daemon\n")]),
    );
    assert_eq!(
        render_with(vec![], &all_groups(), &t),
        Err(RenderError::Head)
    );
}

#[test]
fn label_errors_name_app_and_label() {
    for (label, value) in [
        ("HAPROXY_0_AUTH", "realm:user"),
        ("HAPROXY_0_PORT", "80x"),
        ("HAPROXY_0_BACKEND_WEIGHT", "1.5"),
        ("HAPROXY_0_BACKEND_HEALTHCHECK_PORT_INDEX", ""),
    ] {
        match err(vec![host_app("/web", json!({ label: value }), &[10000])]) {
            RenderError::BadLabel { app, label: l, .. } => {
                assert_eq!((app.as_str(), l.as_str()), ("/web", label));
            }
            other => panic!("{label}: {other:?}"),
        }
    }
}

#[test]
fn required_fields() {
    let mut no_labels = host_app("/a", json!({}), &[1]);
    no_labels.as_object_mut().map(|o| o.remove("labels"));
    assert!(
        matches!(err(vec![no_labels]), RenderError::MissingField { field, .. } if field == "labels")
    );
    let mut no_tasks = host_app("/a", json!({}), &[1]);
    no_tasks.as_object_mut().map(|o| o.remove("tasks"));
    assert!(
        matches!(err(vec![no_tasks]), RenderError::MissingField { field, .. } if field == "tasks")
    );
    let no_host =
        json!({"id": "/a", "labels": {}, "ports": [1], "tasks": [{"id": "t", "ports": [2]}]});
    assert!(
        matches!(err(vec![no_host]), RenderError::MissingField { field, .. } if field == "tasks[].host")
    );
    let no_id = json!({"labels": {}, "tasks": []});
    assert!(matches!(err(vec![no_id]), RenderError::MissingField { field, .. } if field == "id"));
    assert!(matches!(Apps::from_slice(b"{"), Err(RenderError::Json(_))));
    assert!(matches!(
        render(
            &Apps::from_slice(b"{}").expect("parse"),
            &all_groups(),
            &Templates::default(),
            &hosts()
        ),
        Err(RenderError::Json(_))
    ));
}

/// marathon-lb reads `body['apps']`: a list of apps, or a list holding the
/// apps list, is refused, and the message says what was expected.
#[test]
fn only_an_apps_object_is_a_body() {
    let app = r#"{"id": "/a", "labels": {"HAPROXY_GROUP": "external"}, "tasks": []}"#;
    for (body, found) in [
        (format!("[{app}]"), "sequence"),
        (format!("[[{app}]]"), "sequence"),
        ("\"apps\"".to_string(), "string \"apps\""),
    ] {
        let Err(RenderError::Json(message)) = Apps::from_slice(body.as_bytes()) else {
            panic!("{body} was accepted");
        };
        assert!(
            message.starts_with(&format!(
                "invalid type: {found}, expected a Marathon /v2/apps body, an object {{\"apps\": [...]}}"
            )),
            "{message}"
        );
    }
    let twice = format!(r#"{{"apps": [], "apps": [{app}], "other": 1}}"#);
    let apps = Apps::from_slice(twice.as_bytes()).expect("parse");
    assert_eq!(apps.list().expect("apps").len(), 1);
    let value: serde_json::Value = serde_json::from_str(&format!("[{app}]")).expect("json");
    assert!(
        matches!(Apps::from_value(&value), Err(RenderError::Json(m)) if m.starts_with("invalid type: sequence"))
    );
}

#[test]
fn health_checks_http_tcp_command_and_port_index() {
    let mut app = host_app(
        "/web",
        json!({"HAPROXY_1_BACKEND_HEALTHCHECK_PORT_INDEX": "0"}),
        &[10000, 10001],
    );
    app["healthChecks"] = json!([{
        "protocol": "HTTP", "path": "/health", "portIndex": 0, "timeoutSeconds": 10,
        "intervalSeconds": 2.0, "gracePeriodSeconds": 15, "maxConsecutiveFailures": 3
    }]);
    let out = cfg(vec![app.clone()]);
    assert!(out.contains("\nbackend web_10000\n  balance roundrobin\n  mode http\n"));
    assert!(out.contains("  option  httpchk GET /health\n  timeout check 10s\n"));
    assert!(out.contains("10.0.0.1:31001 id") && out.contains(" check inter 2.0s fall 4\n"));
    // Port 1 borrows check 0 and its server checks go to port 0's servers.
    assert!(out.contains(" check inter 2.0s fall 4 port 31001\n"));
    app["healthChecks"][0]["protocol"] = json!("TCP");
    let out = cfg(vec![app.clone()]);
    assert!(
        !out.contains("httpchk")
            && out.contains("\nbackend web_10000\n  balance roundrobin\n  mode tcp\n")
    );
    assert!(
        out.contains(" check inter 2.0s fall 4\n")
            && out.contains(" check inter 2.0s fall 4 port 31001\n")
    );
    app["healthChecks"][0]["protocol"] = json!("COMMAND");
    app["labels"] = json!({"HAPROXY_0_VHOST": "a.com"});
    let out = cfg(vec![app.clone()]);
    assert!(out.contains("  option  httpchk GET /health\n"));
    app["healthChecks"][0]
        .as_object_mut()
        .map(|o| o.remove("timeoutSeconds"));
    assert!(
        matches!(err(vec![app.clone()]), RenderError::MissingField { field, .. } if field == "healthChecks[].timeoutSeconds")
    );
    app["healthChecks"][0]
        .as_object_mut()
        .map(|o| o.remove("protocol"));
    assert!(
        matches!(err(vec![app]), RenderError::MissingField { field, .. } if field == "healthChecks[].protocol")
    );
}

#[test]
fn health_check_port_index_out_of_range() {
    let mut app = host_app(
        "/web",
        json!({"HAPROXY_0_BACKEND_HEALTHCHECK_PORT_INDEX": "2"}),
        &[10000, 10001],
    );
    app["healthChecks"] = json!([{"protocol": "TCP", "port": 9, "timeoutSeconds": 1,
        "intervalSeconds": 1, "gracePeriodSeconds": 1, "maxConsecutiveFailures": 1}]);
    assert!(matches!(
        err(vec![app.clone()]),
        RenderError::HealthCheckPortIndex { index: 2, .. }
    ));
    app["labels"] = json!({"HAPROXY_0_BACKEND_HEALTHCHECK_PORT_INDEX": "3"});
    let out = cfg(vec![app]);
    assert!(out.contains("10.0.0.1:31001 id") && out.contains("fall 2 port 31001\n"));
}

#[test]
fn health_check_option_filters_tasks() {
    let mut app = host_app("/web", json!({}), &[10000]);
    app["healthChecks"] = json!([{"protocol": "TCP", "portIndex": 0, "timeoutSeconds": 1,
        "intervalSeconds": 1, "gracePeriodSeconds": 1, "maxConsecutiveFailures": 1}]);
    app["tasks"] = json!([
        {"id": "a", "host": "agent1", "ports": [1], "healthCheckResults": [{"alive": true}]},
        {"id": "b", "host": "agent1", "ports": [2], "healthCheckResults": [{"alive": false}]},
        {"id": "c", "host": "agent1", "ports": [3]},
        {"id": "d", "host": "agent1", "ports": [4], "state": "TASK_STAGING"},
        {"id": "e", "host": "agent1", "ports": [5], "state": "TASK_UNREACHABLE"},
        {"id": "f", "host": "unknown-host", "ports": [6]},
        {"id": "g", "host": "", "ports": [7]},
    ]);
    let opts = RenderOptions {
        health_check: true,
        ..all_groups()
    };
    let doc = json!({"apps": [app.clone()]});
    let apps = Apps::from_value(&doc).expect("apps");
    let checked = render(&apps, &opts, &Templates::default(), &hosts())
        .expect("render")
        .haproxy_cfg;
    assert!(checked.contains(":1 id") && !checked.contains(":2 id") && !checked.contains(":3 id"));
    assert!(!checked.contains(":5 id"), "no health result: left out");
    let plain = cfg(vec![app]);
    for p in [1, 2, 3, 5] {
        assert!(plain.contains(&format!(":{p} id")), "{p}");
    }
    for p in [4, 6, 7] {
        assert!(!plain.contains(&format!(":{p} id")), "{p}");
    }
}

#[test]
fn bridge_port_mappings_docker_and_marathon15() {
    let docker = json!({
        "id": "/b1", "labels": {},
        "container": {"docker": {"network": "BRIDGE", "portMappings": [{"containerPort": 80, "servicePort": 10010}]}},
        "tasks": [{"id": "t", "host": "agent2", "ports": [31500]}]
    });
    let m15 = json!({
        "id": "/b2", "labels": {},
        "container": {"portMappings": [{"containerPort": 8080, "servicePort": 10011}]},
        "networks": [{"mode": "container/bridge"}],
        "tasks": [{"id": "t", "host": "agent2", "ports": [31600]}]
    });
    let out = cfg(vec![docker, m15]);
    assert!(out.contains("bind *:10010") && out.contains("10.0.0.2:31500"));
    assert!(out.contains("bind *:10011") && out.contains("10.0.0.2:31600"));
}

#[test]
fn ip_per_task_with_and_without_service_ports() {
    let with_ports = json!({
        "id": "/ipt", "labels": {},
        "ipAddress": {"discovery": {"ports": [{"number": "8080", "name": "http"}]}},
        "container": {"docker": {"portMappings": [{"containerPort": 8080, "servicePort": 10020}]}},
        "tasks": [{"id": "t", "host": "agent1", "ipAddresses": [{"ipAddress": "172.17.0.5"}]}]
    });
    let out = cfg(vec![with_ports]);
    assert!(
        out.contains("bind *:10020")
            && out.contains("server agent1_172_17_0_5_8080 172.17.0.5:8080")
    );
    let auto = json!({
        "id": "/auto", "labels": {},
        "networks": [{"mode": "container", "name": "dcos"}],
        "container": {"portMappings": [{"containerPort": 80}, {"containerPort": 81}]},
        "tasks": [{"id": "t", "host": "agent1", "ipAddresses": [{"ipAddress": "9.0.0.1"}]},
                  {"id": "u", "host": "agent1", "ipAddresses": []}]
    });
    let out = cfg(vec![auto.clone()]);
    let binds: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("  bind *:100"))
        .collect();
    assert_eq!(binds.len(), 2, "{binds:?}");
    assert!(out.contains("9.0.0.1:80") && out.contains("9.0.0.1:81"));
    // Same input, same ports; disabled auto-assignment renders nothing.
    assert_eq!(cfg(vec![auto.clone()]), out);
    let off = RenderOptions {
        min_serv_port_ip_per_task: 0,
        max_serv_port_ip_per_task: 0,
        ..all_groups()
    };
    let none = render_with(vec![auto.clone()], &off, &Templates::default()).expect("render");
    assert!(!none.haproxy_cfg.contains("9.0.0.1"));
    // A range of one port serves the first task port only.
    let one = RenderOptions {
        min_serv_port_ip_per_task: 10050,
        max_serv_port_ip_per_task: 10050,
        ..all_groups()
    };
    let out = render_with(vec![auto], &one, &Templates::default())
        .expect("render")
        .haproxy_cfg;
    assert!(
        out.contains("bind *:10050") && out.contains("9.0.0.1:80") && !out.contains("9.0.0.1:81")
    );
}

#[test]
fn host_task_without_ports_uses_service_ports() {
    let app = json!({"id": "/h", "labels": {}, "portDefinitions": [{"port": 10030}, {"name": "noport"}],
        "ports": [1, 2], "tasks": [{"id": "t", "host": "10.1.1.1"}]});
    let out = cfg(vec![app]);
    assert!(out.contains("bind *:10030") && out.contains("server 10_1_1_1_10030 10.1.1.1:10030"));
}

#[test]
fn framework_name_is_skipped() {
    let opts = RenderOptions {
        framework_name: Some("marathon-lb".into()),
        ..all_groups()
    };
    let out = render_with(
        vec![
            host_app("/marathon-lb", json!({}), &[9090]),
            host_app("/x", json!({}), &[10000]),
        ],
        &opts,
        &Templates::default(),
    )
    .expect("render")
    .haproxy_cfg;
    assert!(!out.contains("marathon-lb_9090") && out.contains("x_10000"));
}

fn zdd_app(id: &str, started: &str, tasks: Value, instances: i64, extra_labels: Value) -> Value {
    let mut labels = json!({
        "HAPROXY_DEPLOYMENT_GROUP": "nginx",
        "HAPROXY_DEPLOYMENT_STARTED_AT": started,
        "HAPROXY_0_PORT": "10000",
    });
    for (k, v) in extra_labels.as_object().into_iter().flatten() {
        labels[k] = v.clone();
    }
    json!({"id": id, "labels": labels, "instances": instances, "portDefinitions": [{"port": 10001}],
           "versionInfo": {"lastScalingAt": started}, "tasks": tasks})
}

#[test]
fn deployment_group_merge_drains_old_tasks() {
    let old = zdd_app(
        "/nginx-blue",
        "2016-02-01T10:00:00",
        json!([{"id": "b2", "host": "agent1", "ports": [2]}, {"id": "b1", "host": "agent1", "ports": [1]},
               {"id": "b3", "host": "agent1", "ports": [3]}]),
        3,
        json!({}),
    );
    let new = zdd_app(
        "/nginx-green",
        "2016-02-01T11:00:00",
        json!([{"id": "g1", "host": "agent2", "ports": [7]}]),
        1,
        json!({"HAPROXY_DEPLOYMENT_NEW_INSTANCES": "0", "HAPROXY_DEPLOYMENT_TARGET_INSTANCES": "3"}),
    );
    let out = cfg(vec![new, old]);
    assert!(out.contains("\nbackend nginx_10000\n"));
    // healthy_new=1, old.instances=3, target=3: one old task (b1, lowest id) drains.
    let line = |port: i64| {
        out.lines()
            .find(|l| l.contains(&format!(":{port} id")))
            .unwrap_or_else(|| panic!("{port}"))
            .to_string()
    };
    assert!(line(1).ends_with(" disabled"));
    assert!(
        !line(2).ends_with(" disabled")
            && !line(3).ends_with(" disabled")
            && !line(7).ends_with(" disabled")
    );
}

#[test]
fn deployment_group_errors() {
    let tasks = json!([{"id": "a", "host": "agent1", "ports": [1]}]);
    let naive = zdd_app(
        "/x-blue",
        "2016-02-01T10:00:00",
        tasks.clone(),
        1,
        json!({}),
    );
    let aware = zdd_app(
        "/x-green",
        "2016-02-01T10:00:00Z",
        tasks.clone(),
        1,
        json!({}),
    );
    assert!(matches!(
        err(vec![naive.clone(), aware]),
        RenderError::BadField { .. }
    ));
    let no_target = zdd_app(
        "/x-green",
        "2016-02-01T11:00:00",
        tasks.clone(),
        1,
        json!({"HAPROXY_DEPLOYMENT_NEW_INSTANCES": "1"}),
    );
    assert!(
        matches!(err(vec![naive.clone(), no_target]), RenderError::MissingField { field, .. } if field.contains("TARGET_INSTANCES"))
    );
    let bad_date = zdd_app("/x-green", "soon", tasks.clone(), 1, json!({}));
    assert!(matches!(
        err(vec![naive.clone(), bad_date]),
        RenderError::BadLabel { .. }
    ));
    let empty = zdd_app(
        "/x",
        "2016-02-01T10:00:00",
        tasks,
        1,
        json!({"HAPROXY_DEPLOYMENT_GROUP": ""}),
    );
    assert!(matches!(err(vec![empty]), RenderError::BadLabel { .. }));
}

#[test]
fn group_https_by_vhost_collects_certs_and_options() {
    let opts = RenderOptions {
        group_https_by_vhost: true,
        ssl_certs: vec!["/default.pem".into()],
        ..all_groups()
    };
    let a = host_app(
        "/a",
        json!({"HAPROXY_0_VHOST": "a.com,b.com", "HAPROXY_0_SSL_CERT": "/a.pem", "HAPROXY_0_BIND_OPTIONS": "alpn h2"}),
        &[10000],
    );
    let c = host_app("/c", json!({"HAPROXY_0_VHOST": "c.com"}), &[10001]);
    let out = render_with(vec![a, c], &opts, &Templates::default())
        .expect("render")
        .haproxy_cfg;
    assert!(out.contains("  use_backend a_com if { req_ssl_sni -i a.com }\n"));
    assert!(out.contains(
        "\nfrontend b_com\n  mode http\n  bind abns@b_com accept-proxy ssl crt /a.pem alpn h2\n"
    ));
    assert!(out.contains(
        "\nfrontend c_com\n  mode http\n  bind abns@c_com accept-proxy ssl crt /default.pem\n"
    ));
}

#[test]
fn dont_bind_http_https_keeps_app_id_frontend() {
    let opts = RenderOptions {
        bind_http_https: false,
        haproxy_map: true,
        ..all_groups()
    };
    let app = host_app("/web", json!({"HAPROXY_0_VHOST": "a.com"}), &[10000]);
    let out = render_with(vec![app], &opts, &Templates::default()).expect("render");
    assert!(!out.haproxy_cfg.contains("frontend marathon_http_in"));
    assert!(out.haproxy_cfg.contains("frontend marathon_http_appid_in"));
    assert_eq!(out.domain2backend_map.as_deref(), Some(""));
    assert_eq!(out.app2backend_map.as_deref(), Some("/web web_10000\n"));
}

#[test]
fn null_members_count_as_absent() {
    let app = json!({"id": "/n", "labels": {"HAPROXY_0_VHOST": null}, "ipAddress": null,
        "portDefinitions": null, "ports": [null, 10040], "healthChecks": null,
        "tasks": [{"id": "t", "host": "agent1", "ports": [1, 2], "state": null}]});
    let out = cfg(vec![app]);
    assert!(
        out.contains("bind *:10040")
            && out.contains("10.0.0.1:2 id")
            && !out.contains("mode http\n  use")
    );
}

/// Python's `int()` has no size limit, and marathon-lb uses the values as
/// they are: `str(int(' 0099999999999999999999 '))` names the backend and
/// the bind, and `sorted()` by (app id, service port) puts it after 10001.
#[test]
fn port_label_beyond_64_bits() {
    let app = host_app(
        "/web",
        json!({"HAPROXY_0_PORT": " 0099999999999999999999 "}),
        &[10000, 10001],
    );
    let out = cfg(vec![app]);
    let pos = |s: &str| out.find(s).unwrap_or_else(|| panic!("{s} missing"));
    assert!(out.contains(
        "\nfrontend web_99999999999999999999\n  bind *:99999999999999999999\n  mode tcp\n"
    ));
    assert!(pos("\nfrontend web_10001\n") < pos("\nfrontend web_99999999999999999999\n"));
    assert!(pos("\nbackend web_10001\n") < pos("\nbackend web_99999999999999999999\n"));
    let templates = Templates::new(
        &BTreeMap::new(),
        &env(&[(
            "HAPROXY_FRONTEND_HEAD",
            "\nfrontend {backend}\n  # {servicePort:,} {servicePort:#x}\n",
        )]),
    );
    let app = host_app(
        "/web",
        json!({"HAPROXY_0_PORT": "-100000000000000000000"}),
        &[10000],
    );
    let out = render_with(vec![app], &all_groups(), &templates)
        .expect("render")
        .haproxy_cfg;
    // '{p:,}'.format(p=-10**20) and '{p:#x}'.format(p=-10**20).
    assert!(out.contains(
        "\nfrontend web_-100000000000000000000\n  # -100,000,000,000,000,000,000 -0x56bc75e2d63100000\n"
    ));
}

/// `http_frontend_list.sort(key=weight, reverse=True)` over ints of any
/// size: 10**20 before 5 before 1 (PATH) before -10**20; the sort is
/// stable, so equal weights keep their order.
#[test]
fn backend_weight_beyond_64_bits_orders_vhost_blocks() {
    let app = |id: &str, port: i64, weight: &str| {
        host_app(
            id,
            json!({"HAPROXY_0_VHOST": "x.com", "HAPROXY_0_PATH": id, "HAPROXY_0_BACKEND_WEIGHT": weight}),
            &[port],
        )
    };
    let out = cfg(vec![
        app("/a", 10000, "-100000000000000000000"),
        app("/b", 10001, "100000000000000000000"),
        app("/c", 10002, "5"),
        app("/d", 10003, "0"),
        app("/e", 10004, "99999999999999999999"),
    ]);
    let pos = |s: &str| out.find(s).unwrap_or_else(|| panic!("{s} missing"));
    let order = ["b_10001", "e_10004", "c_10002", "d_10003", "a_10000"];
    for w in order.windows(2) {
        assert!(
            pos(&format!("use_backend {} if", w[0])) < pos(&format!("use_backend {} if", w[1])),
            "{w:?}"
        );
    }
}

/// `get_backend_port`: `abs(k) > len(apps)` for k = ±10**20, so the
/// server's own port, as for any index past the app's services; no
/// `portIndex` equals it, so no check is borrowed either.
#[test]
fn health_check_port_index_beyond_64_bits() {
    for k in ["100000000000000000000", "-100000000000000000000"] {
        let mut app = host_app(
            "/web",
            json!({"HAPROXY_0_BACKEND_HEALTHCHECK_PORT_INDEX": k}),
            &[10000, 10001],
        );
        app["healthChecks"] = json!([{"protocol": "TCP", "port": 9, "timeoutSeconds": 1,
            "intervalSeconds": 1, "gracePeriodSeconds": 1, "maxConsecutiveFailures": 1}]);
        let out = cfg(vec![app.clone()]);
        assert!(
            out.contains("10.0.0.1:31001 id") && out.contains("fall 2 port 31001\n"),
            "{k}"
        );
        app["healthChecks"][0] = json!({"protocol": "HTTP", "portIndex": 1, "timeoutSeconds": 1,
            "intervalSeconds": 1, "gracePeriodSeconds": 1, "maxConsecutiveFailures": 1});
        let out = cfg(vec![app]);
        assert!(
            !out.contains("\nbackend web_10000\n  balance roundrobin\n  mode http\n"),
            "{k}"
        );
    }
}

/// drain = min(len(old tasks), healthy_new, max(0, healthy_new +
/// old.instances - target)): with target = 10**20 nothing drains, with
/// target = -10**20 one old task (healthy_new = 1) does.
#[test]
fn target_instances_beyond_64_bits() {
    for (target, drained) in [
        ("100000000000000000000", false),
        ("-100000000000000000000", true),
    ] {
        let old = zdd_app(
            "/nginx-blue",
            "2016-02-01T10:00:00",
            json!([{"id": "b1", "host": "agent1", "ports": [1]}, {"id": "b2", "host": "agent1", "ports": [2]}]),
            2,
            json!({}),
        );
        let new = zdd_app(
            "/nginx-green",
            "2016-02-01T11:00:00",
            json!([{"id": "g1", "host": "agent2", "ports": [7]}]),
            1,
            json!({"HAPROXY_DEPLOYMENT_NEW_INSTANCES": "0", "HAPROXY_DEPLOYMENT_TARGET_INSTANCES": target}),
        );
        let out = cfg(vec![old, new]);
        let disabled = out.lines().filter(|l| l.ends_with(" disabled")).count();
        assert_eq!(disabled, usize::from(drained), "{target}");
    }
}

/// `RenderOptions::today` is dateutil's clock: `10:00` alone is today at
/// 10:00, newer than any 2016 date, so the 2016 app is the old one and
/// drains; without a date the render refuses the label.
#[test]
fn deployment_dates_completed_from_today() {
    let tasks = |id: &str, port: i64| json!([{"id": id, "host": "agent1", "ports": [port]}]);
    let old = zdd_app("/x-blue", "Feb 1 2016 10:00", tasks("b1", 1), 1, json!({}));
    let new = zdd_app("/x-green", "10:00", tasks("g1", 2), 1, json!({}));
    let opts = RenderOptions {
        today: Date::new(2026, 12, 2),
        ..all_groups()
    };
    let out = render_with(vec![new.clone(), old.clone()], &opts, &Templates::default())
        .expect("render")
        .haproxy_cfg;
    let disabled: Vec<&str> = out.lines().filter(|l| l.ends_with(" disabled")).collect();
    assert!(
        disabled.len() == 1 && disabled[0].contains(":1 id"),
        "{disabled:?}"
    );
    assert!(matches!(
        err(vec![new, old]),
        RenderError::BadLabel { label, .. } if label == "HAPROXY_DEPLOYMENT_STARTED_AT"
    ));
}
