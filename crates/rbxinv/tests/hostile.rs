//! `rbxinv` against servers that misbehave on purpose (loopback only): text meant to take over the terminal,
//! redirects, plain http to a host that is not this machine; and secrets on a command line that clap rejects.

mod common;

use common::{run_rbxinv, text};
use roblox_inventory_mock::hostile::{HostileServer, Hostility};

const SECRET: &str = "sekrit-value-7f3a";

/// What a terminal would obey: ESC, BEL, the one-byte CSI.
fn assert_inert(output: &str) {
    for control in ['\u{1b}', '\u{7}', '\u{9b}'] {
        assert!(
            !output.contains(control),
            "{control:?} reached the terminal: {output:?}"
        );
    }
}

#[test]
fn escape_sequences_from_the_server_are_shown_not_obeyed() {
    let name = r"\u001b]0;pwned\u0007Hat\u001b[2J\u009b31m";
    let page = HostileServer::start(Hostility::fixed(
        200,
        &[("content-type", "application/json")],
        &format!(
            r#"{{"previousPageCursor":null,"nextPageCursor":null,"data":[{{"assetId":1,"assetName":"{name}"}}]}}"#
        ),
    ))
    .unwrap();
    let output = run_rbxinv(&[
        "--legacy-url",
        &page.url(),
        "--format",
        "table",
        "by-type",
        "1",
        "Hat",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let table = text(&output.stdout);
    assert_inert(&table);
    assert!(
        table.contains(r"\u{1b}]0;pwned\u{7}Hat\u{1b}[2J\u{9b}31m"),
        "{table}"
    );

    let refusal = HostileServer::start(Hostility::fixed(
        403,
        &[("content-type", "application/json")],
        r#"{"errors":[{"code":4,"message":"\u001b[2J\u001b]0;pwned\u0007gone"}]}"#,
    ))
    .unwrap();
    let output = run_rbxinv(&["--legacy-url", &refusal.url(), "by-type", "1", "Hat"]);
    assert_eq!(output.status.code(), Some(1));
    let message = text(&output.stderr);
    assert_inert(&message);
    assert!(
        message.contains(r"\u{1b}[2J\u{1b}]0;pwned\u{7}gone"),
        "{message}"
    );
    assert_eq!(message.lines().count(), 1, "{message}");
}

#[test]
fn a_redirect_fails_in_one_line_and_nothing_reaches_the_other_host() {
    let elsewhere = HostileServer::start(Hostility::fixed(200, &[], "{}")).unwrap();
    let location = format!("{}/collect", elsewhere.url());
    let redirecting = HostileServer::start(Hostility::Redirect {
        status: 302,
        location: location.clone(),
    })
    .unwrap();
    let url = redirecting.url();
    let output = run_rbxinv(&[
        "--cloud-url",
        &url,
        "--legacy-url",
        &url,
        "--api-key",
        SECRET,
        "--cookie",
        SECRET,
        "items",
        "1",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let message = text(&output.stderr);
    assert!(
        message.contains("302") && message.contains(&location),
        "{message}"
    );
    assert!(!message.contains(SECRET), "{message}");
    assert_eq!(redirecting.requests().len(), 1);
    assert!(
        elsewhere.requests().is_empty(),
        "{:?}",
        elsewhere.requests()
    );
}

#[test]
fn credentials_over_plain_http_to_another_host_need_allow_insecure_http() {
    // 0.0.0.0 is not local by the rule, yet Linux routes it to this machine: nothing can leave it.
    let output = run_rbxinv(&[
        "--cloud-url",
        "http://0.0.0.0:9",
        "--api-key",
        SECRET,
        "items",
        "1",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let message = text(&output.stderr);
    for expected in [
        "--cloud-url",
        "http://0.0.0.0:9",
        "API key",
        "--allow-insecure-http",
    ] {
        assert!(message.contains(expected), "{expected:?} not in {message}");
    }
    assert!(!message.contains(SECRET), "{message}");

    let output = run_rbxinv(&[
        "--legacy-url",
        "http://0.0.0.0:9",
        "--cookie",
        SECRET,
        "by-type",
        "1",
        "Hat",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("--legacy-url"),
        "{}",
        text(&output.stderr)
    );

    // Opted in, the request is sent (and finds nothing listening: a network error, exit 1).
    let output = run_rbxinv(&[
        "--cloud-url",
        "http://0.0.0.0:9",
        "--api-key",
        SECRET,
        "--allow-insecure-http",
        "items",
        "1",
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    assert!(
        text(&output.stderr).contains("Connection refused"),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn the_emulator_refuses_to_listen_beyond_loopback_unless_asked() {
    let output = run_rbxinv(&["mock", "--addr", "0.0.0.0:0"]);
    assert_eq!(output.status.code(), Some(2));
    let message = text(&output.stderr);
    assert!(message.contains("--allow-non-loopback"), "{message}");
    assert!(
        output.stdout.is_empty(),
        "it did not start: {}",
        text(&output.stdout)
    );
}

#[test]
fn rejected_command_lines_never_echo_a_secret() {
    for args in [
        // A secret that starts with a dash is a value, not a flag.
        &["--api-key", "-sekrit-value-7f3a", "items", "not-a-number"][..],
        &["--cookie", SECRET, "--cookie", SECRET, "items", "1"],
        &[
            "--oauth-token=sekrit-value-7f3a",
            "--api-key=sekrit-value-7f3a",
            "items",
            "--bogus",
        ],
        &[
            "--api-key",
            SECRET,
            "--api-key-file",
            "/nonexistent",
            "items",
            "1",
        ],
        &["items", "1", "--cookie", SECRET, "unexpected-extra"],
    ] {
        let output = run_rbxinv(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let message = text(&output.stderr);
        assert!(!message.is_empty(), "{args:?}");
        assert!(!message.contains("sekrit"), "{args:?}: {message}");
    }
}
