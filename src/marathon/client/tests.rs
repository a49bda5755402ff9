//! Tests of the client: printed URLs and details, logins and retries
//! against a local fake Marathon, decoding.

mod urls {
    use super::super::errors::format_details;
    use super::super::*;
    use serde_json::json;

    #[test]
    fn details_are_listed_per_path() {
        let body = json!({"message": "Object is not valid", "details": [
            {"path": "/upgradeStrategy/minimumHealthCapacity", "errors": ["is greater than 1"]},
            {"path": "/id", "errors": ["must not be empty", "bad"]}
        ]});
        assert_eq!(
            format_details(&body),
            "\n  /upgradeStrategy/minimumHealthCapacity: is greater than 1\n  /id: must not be empty; bad"
        );
        assert_eq!(format_details(&json!({})), "");
    }

    #[test]
    fn printed_urls_carry_no_credentials() {
        let url =
            Url::parse("https://user:pw@dcos.example/service/marathon/v2/apps?x=1").expect("url");
        assert_eq!(
            display_url(&url),
            "https://dcos.example/service/marathon/v2/apps"
        );
    }
}

mod against_a_fake {
    use super::super::*;
    use crate::dcos::auth::{CredentialPrompt, Relogin, Secret};

    struct Alice;
    impl CredentialPrompt for Alice {
        fn ask(&self) -> Option<(String, Secret)> {
            Some(("alice".to_string(), Secret::new("pw")))
        }
    }

    /// One request the fake saw: method, path, Authorization header, body.
    type Seen = (String, String, Option<String>, String);

    /// Serves `answers` in order and records what it saw.
    fn fake(answers: Vec<(u16, &'static str)>) -> (Url, thread::JoinHandle<Vec<Seen>>) {
        let server = tiny_http::Server::http("127.0.0.1:0").expect("bind");
        let port = server.server_addr().to_ip().expect("ip").port();
        let handle = thread::spawn(move || {
            let mut seen = Vec::new();
            for (status, body) in answers {
                let mut request = server.recv().expect("request");
                let mut text = String::new();
                let _ = request.as_reader().read_to_string(&mut text);
                let auth = request
                    .headers()
                    .iter()
                    .find(|h| h.field.equiv("Authorization"))
                    .map(|h| h.value.to_string());
                seen.push((
                    request.method().to_string(),
                    request.url().to_string(),
                    auth,
                    text,
                ));
                let response = tiny_http::Response::from_string(body)
                    .with_status_code(status)
                    .with_header(
                        "Content-Type: application/json"
                            .parse::<tiny_http::Header>()
                            .expect("header"),
                    );
                request.respond(response).expect("respond");
            }
            seen
        });
        (
            Url::parse(&format!("http://127.0.0.1:{port}/")).expect("url"),
            handle,
        )
    }

    #[test]
    fn a_401_leads_to_one_interactive_login_and_a_retry_with_the_new_token() {
        let (cluster, server) = fake(vec![
            (401, r#"{"message":"Invalid username or password."}"#),
            (200, r#"{"token":"fresh-token"}"#),
            (200, r#"{"version":"1.10.0","name":"marathon"}"#),
        ]);
        let auth = Arc::new(ClusterAuth::new(
            Some(&cluster),
            Some(Secret::new("stale-token")),
            Some(Relogin::Interactive(Box::new(Alice))),
            None,
        ));
        let http = Client::new();
        let client = MarathonClient::new(
            cluster.join("service/marathon/").expect("url"),
            http.clone(),
            http,
            auth,
            Duration::from_secs(5),
        );
        assert_eq!(client.info().expect("info").version, "1.10.0");
        let seen = server.join().expect("server");
        assert_eq!(seen[0].2.as_deref(), Some("token=stale-token"));
        assert_eq!(seen[1].0, "POST");
        assert_eq!(seen[1].1, "/acs/api/v1/auth/login");
        assert_eq!(
            serde_json::from_str::<Value>(&seen[1].3).expect("json"),
            serde_json::json!({"uid": "alice", "password": "pw"})
        );
        assert_eq!(seen[2].1, "/service/marathon/v2/info");
        assert_eq!(seen[2].2.as_deref(), Some("token=fresh-token"));
    }

    #[test]
    fn a_second_401_is_an_auth_error_without_asking_again() {
        let (cluster, server) = fake(vec![
            (401, "{}"),
            (200, r#"{"token":"also-bad"}"#),
            (401, "{}"),
            (401, "{}"),
        ]);
        let auth = Arc::new(ClusterAuth::new(
            Some(&cluster),
            None,
            Some(Relogin::Interactive(Box::new(Alice))),
            None,
        ));
        let http = Client::new();
        let client = MarathonClient::new(
            cluster.clone(),
            http.clone(),
            http,
            auth,
            Duration::from_secs(5),
        );
        assert!(matches!(client.info(), Err(MarathonError::Unauthorized)));
        assert!(matches!(
            client.deployments(),
            Err(MarathonError::Unauthorized)
        ));
        let seen = server.join().expect("server");
        let logins = seen.iter().filter(|s| s.1.contains("auth/login")).count();
        assert_eq!(logins, 1, "{seen:?}");
    }

    /// An app Marathon sends that does not decode is Marathon's error (exit
    /// 6 where it reaches the CLI), whichever command read it.
    #[test]
    fn an_app_that_does_not_decode_is_a_decode_error_naming_the_url() {
        let (marathon, server) = fake(vec![
            (200, r#"{"app":{"id":"/web","instances":"three"}}"#),
            (200, r#"{"app":{"id":"/web","instances":2,"extra":[1]}}"#),
        ]);
        let http = Client::new();
        let auth = Arc::new(ClusterAuth::new(None, None, None, None));
        let client =
            MarathonClient::new(marathon, http.clone(), http, auth, Duration::from_secs(5));
        match client.app_with_raw("/web") {
            Err(MarathonError::Decode { url, .. }) => {
                assert!(url.ends_with("/v2/apps/web"), "{url}");
            }
            other => panic!("{other:?}"),
        }
        let (app, raw) = client.app_with_raw("/web").expect("decodes");
        assert_eq!(app.instances, 2);
        assert_eq!(
            raw["extra"],
            serde_json::json!([1]),
            "the raw app keeps every field"
        );
        server.join().expect("server");
    }
}
