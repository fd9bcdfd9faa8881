//! Step 6: a catalog change made through one instance is served by the others within a
//! second.

use std::time::{Duration, Instant};

use serde_json::json;

use crate::{get_ok, send, setup::Instance, Rig};

pub(crate) fn a_catalog_change_on_one_instance_is_served_by_the_others_within_a_second(
    rig: &Rig,
    runtime: &tokio::runtime::Runtime,
) {
    let code = "INST-001";
    let client = &rig.client;
    let (a, b, c) = (rig.cluster.a(), rig.cluster.b(), rig.cluster.c());
    let page = |at: &Instance| at.api(&format!("/courses/{code}?lang=es"));
    runtime.block_on(async {
        // B and C hold the catalog in memory, confirmed a moment ago.
        let old = get_ok(client, page(b), None).await["title"].clone();
        assert_eq!(old, get_ok(client, page(c), None).await["title"]);
        let title = "Pensiones para tres servidores, revisado";
        let changed = send(
            client
                .put(a.api(&format!("/courses/{code}/translations/es")))
                .bearer_auth(&rig.admin_token)
                .json(&json!({
                    "title": title,
                    "summary": "Tres servidores, una base de datos.",
                    "description_md": "Prueba.",
                    "learning_outcomes": ["Ninguno"],
                })),
        )
        .await;
        assert_eq!(changed.status, 200, "change on A: {}", changed.body);
        assert_eq!(changed.body["title"], title);
        let answered = Instant::now();

        let seen = |at: &'static str, url: String, list: String| {
            let client = client.clone();
            async move {
                loop {
                    let shown = get_ok(&client, url.clone(), None).await;
                    if shown["title"] == title {
                        let listed = get_ok(&client, list.clone(), None).await;
                        let cards = listed["items"].as_array().expect("items");
                        assert!(
                            cards.iter().any(|card| card["title"] == title),
                            "{at}: the list finds the new title once the page shows it"
                        );
                        return answered.elapsed();
                    }
                    assert!(
                        answered.elapsed() < Duration::from_secs(5),
                        "{at} still serves {}",
                        shown["title"]
                    );
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            }
        };
        let search = |at: &Instance| at.api("/courses?q=revisado&lang=es");
        let (on_b, on_c) =
            tokio::join!(seen("B", page(b), search(b)), seen("C", page(c), search(c)));
        println!(
            "instances [catalog] a title changed on A was served by B after {} ms and by C \
             after {} ms",
            on_b.as_millis(),
            on_c.as_millis()
        );
        for (at, elapsed) in [("B", on_b), ("C", on_c)] {
            assert!(
                elapsed <= Duration::from_secs(1),
                "{at} served the change after {elapsed:?}"
            );
        }
    });
}
