//! Health checks, networking modes, service ports and deployment groups.

use serde_json::json;

use super::*;
use crate::render::*;

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
