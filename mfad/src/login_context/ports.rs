//! How a method reaches the outside world (a text sender, a call placer, a push sender):
//! plugged in once at start-up and found by its type, so the login context holds no field per
//! method. A method whose port is missing is not offered.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};

#[derive(Default)]
pub struct Ports {
    by_type: RwLock<HashMap<TypeId, Box<dyn Any + Send + Sync>>>,
}

impl Ports {
    /// Plug in `port`; the first one plugged in for a type stays.
    pub fn plug<T: ?Sized + Send + Sync + 'static>(&self, port: Arc<T>) {
        let mut map = self.by_type.write().unwrap_or_else(PoisonError::into_inner);
        map.entry(TypeId::of::<Arc<T>>()).or_insert(Box::new(port));
    }

    pub fn get<T: ?Sized + Send + Sync + 'static>(&self) -> Option<Arc<T>> {
        let map = self.by_type.read().unwrap_or_else(PoisonError::into_inner);
        map.get(&TypeId::of::<Arc<T>>())?
            .downcast_ref::<Arc<T>>()
            .cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    trait Greeter: Send + Sync {
        fn hello(&self) -> &'static str;
    }
    struct English;
    impl Greeter for English {
        fn hello(&self) -> &'static str {
            "hello"
        }
    }

    #[test]
    fn a_plugged_port_is_found_by_its_type_and_the_first_one_stays() {
        let ports = Ports::default();
        assert!(ports.get::<dyn Greeter>().is_none());
        ports.plug::<dyn Greeter>(Arc::new(English));
        ports.plug::<dyn Greeter>(Arc::new(English));
        assert_eq!(ports.get::<dyn Greeter>().map(|g| g.hello()), Some("hello"));
        assert!(ports.get::<String>().is_none());
    }
}
