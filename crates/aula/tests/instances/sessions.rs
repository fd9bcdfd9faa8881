//! Step 5: a refresh token rotates once across the instances, and its reuse ends the
//! session family.

use aula_identity::Role;
use serde_json::json;

use crate::{
    get_ok, send,
    setup::{add_account, Instance},
    Rig, PASSWORD,
};

pub(crate) fn a_refresh_token_rotates_once_across_instances_and_its_reuse_ends_the_family(
    rig: &Rig,
    runtime: &tokio::runtime::Runtime,
    secret: &str,
) {
    let email = "rotation@instances.test";
    add_account(&mut rig.conn(), secret, email, Role::Student);
    let client = &rig.client;
    let (a, b, c) = (rig.cluster.a(), rig.cluster.b(), rig.cluster.c());
    runtime.block_on(async {
        let refresh = |at: &Instance, token: &str| {
            send(
                client
                    .post(at.api("/auth/refresh"))
                    .json(&json!({ "refresh_token": token })),
            )
        };
        let signed_in = send(
            client
                .post(a.api("/auth/login"))
                .json(&json!({ "email": email, "password": PASSWORD })),
        )
        .await;
        assert_eq!(signed_in.status, 200, "sign-in on A: {}", signed_in.body);
        let first = signed_in.body["refresh_token"].as_str().unwrap().to_owned();
        let access = signed_in.body["access_token"].as_str().unwrap().to_owned();
        // A's access token is good on B and C: they sign with the same secret.
        for at in [b, c] {
            let me = get_ok(client, at.api("/me"), Some(&access)).await;
            assert_eq!(me["email"], email, "instance {}", at.name);
        }

        let rotated = refresh(b, &first).await;
        assert_eq!(rotated.status, 200, "refresh on B: {}", rotated.body);
        let second = rotated.body["refresh_token"].as_str().unwrap().to_owned();
        assert_ne!(second, first, "a new refresh token");
        assert!(
            rotated.body["access_token"].is_string(),
            "a new access token"
        );

        let reused = refresh(c, &first).await;
        assert_eq!(
            (reused.status, &reused.body["code"]),
            (401, &json!("refresh_token_reused")),
            "the used token is refused on C"
        );
        // The rule: a token presented twice was stolen, so its whole family is revoked;
        // the rightful holder's newer token no longer works anywhere either.
        let after = refresh(a, &second).await;
        assert_eq!(
            (after.status, &after.body["code"]),
            (401, &json!("invalid_refresh_token")),
            "the family is revoked: the token B gave is refused on A"
        );
        println!(
            "instances [refresh] signed in on A, refreshed on B, reuse refused on C \
             ({}), the family's newer token then refused on A",
            reused.body["code"]
        );
    });
}
