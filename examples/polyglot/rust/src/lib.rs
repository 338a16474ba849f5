// Empty: the example exists for its Cargo.lock.
