import Testing

extension Tag {
    /// Tests that need the real PostgreSQL and Redis that `./scripts/test` starts.
    @Tag public static var integration: Self
    /// Tests that assert latencies (a bound, a recovery time). `./scripts/test` runs their suites after the parallel
    /// run, on their own, so that the rest of the suite competing for the machine's cores does not decide them. It
    /// finds them by this tag on the suite's `@Suite(.tags(…))` line.
    @Tag public static var timing: Self
}
