import Testing

extension Tag {
    /// Tests that need the real PostgreSQL and Redis that `./scripts/test` starts.
    @Tag public static var integration: Self
}
