import PostgresNIO

/// The rows of one statement, read in full while its connection was leased.
///
/// ``Database`` reads every row before it hands the connection back, so no row stream outlives the bounds that guard
/// the connection (see ``Database/query(_:logger:)``). Iterate it like postgres-nio's row sequence; its
/// `decode(_:)` comes from postgres-nio's extension on every sequence of rows:
/// ```swift
/// for try await (id, name) in try await database.query(sql, logger: logger).decode((UUID, String).self) { … }
/// ```
public struct DatabaseRows: AsyncSequence, Sendable {
    public typealias Element = PostgresRow

    /// The rows, in the order PostgreSQL sent them.
    public let rows: [PostgresRow]

    init(_ rows: [PostgresRow]) { self.rows = rows }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: rows.makeIterator()) }

    /// Walks the rows already read.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: IndexingIterator<[PostgresRow]>
        public mutating func next() async throws -> PostgresRow? { base.next() }
    }
}
