/// Whether a statement only reads or changes data, which decides how its success is confirmed (see
/// ``Database/firstText(_:effect:logger:)``).
public enum StatementEffect: Sendable {
    /// It only reads: its rows are its answer.
    case reads
    /// It inserts, updates or deletes: it succeeds once PostgreSQL confirmed its commit.
    case writes
}
