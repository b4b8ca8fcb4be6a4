//! What every [`UserStore`](super::UserStore) backend must do, as tests any backend runs:
//! `user_store_contract!(make)` in the backend's tests, where `make(tag)` returns a fresh, empty
//! store behind `Arc<dyn UserStore>` (one per tag). The file backend runs them in
//! `files/user_store_tests.rs`; PostgreSQL in `tests/tests/postgres_store.rs` (it needs a
//! server), which is why the macro is exported.

#[doc(hidden)]
#[macro_export]
macro_rules! user_store_contract {
    ($make:path) => {
        use $crate::store::{Missing, StoreError, UserRecord};

        #[tokio::test]
        async fn an_update_creates_a_missing_record_only_when_asked() {
            let store = $make("create");
            let refused = store
                .update(
                    "alice",
                    Missing::Refuse,
                    |r: &mut UserRecord| -> Result<(), ()> {
                        r.language = Some("nl".into());
                        Ok(())
                    },
                )
                .await;
            assert!(matches!(refused, Err(StoreError::NoRecord)));
            assert_eq!(store.get("alice").await.unwrap(), None);
            let created = store
                .update("alice", Missing::Create, |r| -> Result<(), ()> {
                    r.language = Some("nl".into());
                    Ok(())
                })
                .await;
            assert!(matches!(created, Ok(Ok(()))));
            let saved = store.get("alice").await.unwrap().unwrap();
            assert_eq!(saved.language.as_deref(), Some("nl"));
            assert_eq!(store.users().await.unwrap(), vec!["alice".to_string()]);
        }

        #[tokio::test]
        async fn a_change_that_says_no_saves_nothing() {
            let store = $make("refuse");
            let answer = store
                .update("bob", Missing::Create, |r| -> Result<(), &str> {
                    r.language = Some("nl".into());
                    Err("no")
                })
                .await;
            assert!(matches!(answer, Ok(Err("no"))));
            assert_eq!(store.get("bob").await.unwrap(), None);
        }

        #[tokio::test]
        async fn a_dropped_transaction_saves_nothing_and_frees_the_user() {
            let store = $make("drop");
            {
                let txn = store.begin("carol").await.unwrap();
                assert!(txn.record.is_none());
            }
            // Not held any more: a second transaction on the same user gets in.
            let txn = store.begin("carol").await.unwrap();
            txn.commit(UserRecord::new()).await.unwrap();
            assert!(store.get("carol").await.unwrap().is_some());
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn concurrent_updates_of_one_user_are_applied_one_at_a_time() {
            let store = $make("serial");
            let mut tasks = Vec::new();
            for _ in 0..20 {
                let store = store.clone();
                tasks.push(tokio::spawn(async move {
                    store
                        .update("dave", Missing::Create, |r| -> Result<(), ()> {
                            r.failures.consecutive += 1;
                            Ok(())
                        })
                        .await
                }));
            }
            for task in tasks {
                assert!(matches!(task.await.unwrap(), Ok(Ok(()))));
            }
            let saved = store.get("dave").await.unwrap().unwrap();
            assert_eq!(saved.failures.consecutive, 20, "no update was lost");
        }

        #[tokio::test]
        async fn a_removed_record_is_gone_and_removing_it_again_says_so() {
            let store = $make("remove");
            store
                .update("erin", Missing::Create, |_| -> Result<(), ()> { Ok(()) })
                .await
                .unwrap()
                .unwrap();
            assert!(store.remove("erin").await.unwrap());
            assert!(!store.remove("erin").await.unwrap());
            assert_eq!(store.get("erin").await.unwrap(), None);
        }

        #[tokio::test]
        async fn a_marker_keeps_the_time_it_was_first_seen() {
            let store = $make("marker");
            assert_eq!(store.marker("grace", 100).await.unwrap(), 100);
            assert_eq!(store.marker("grace", 200).await.unwrap(), 100);
        }

        #[tokio::test]
        async fn an_invalid_name_is_refused_not_read() {
            let store = $make("names");
            assert!(matches!(
                store.get("../etc/passwd").await,
                Err(StoreError::InvalidName)
            ));
        }
    };
}

#[allow(unused_imports)]
pub(crate) use user_store_contract;
