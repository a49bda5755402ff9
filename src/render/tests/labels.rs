//! Labels, template overrides, group filtering and the errors that name
//! the app, label or template at fault.

use serde_json::json;

use super::*;
use crate::render::*;

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
