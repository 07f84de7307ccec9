import AtriumCore
import Foundation
import GraphQL
import NIOCore
import Synchronization

/// The records GraphQL schema of each workspace, built from its metadata snapshot.
///
/// A schema depends only on names, types, labels and options, never on ids, so it is kept per metadata *shape*
/// (``WorkspaceSchema/shapeIdentity``): every workspace with the standard objects shares one schema, and a workspace
/// whose metadata changed (a new `metadataVersion` with a new shape) gets its schema built on its next request, without
/// a restart. Bounded: past `capacity` distinct shapes the least recently used schema is dropped.
final class GraphQLSchemaCache: Sendable {
    /// A built schema and the builder its lazily resolved types refer to (weakly).
    final class Entry: Sendable {
        let schema: GraphQLSchema
        nonisolated(unsafe) let builder: GraphQLSchemaBuilder  // read-only once built; holds the snapshot, so the shape
        /// Answers to introspection-only requests, by request text: they depend on the schema alone, and GraphQLSwift
        /// takes seconds and hundreds of megabytes to answer a full introspection query of a large schema.
        private let introspection = Mutex<[String: ByteBuffer]>([:])
        static let introspectionCapacity = 8

        func introspectionAnswer(for key: String) -> ByteBuffer? { introspection.withLock { $0[key] } }

        func keepIntrospectionAnswer(_ body: ByteBuffer, for key: String) {
            introspection.withLock { answers in
                if answers.count >= Self.introspectionCapacity { answers.removeAll() }
                answers[key] = body
            }
        }

        init(schema: GraphQLSchema, builder: GraphQLSchemaBuilder) {
            self.schema = schema
            self.builder = builder
        }
    }

    private struct State {
        var entries: [ObjectIdentifier: (entry: Entry, used: UInt64)] = [:]
        var clock: UInt64 = 0
    }

    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int = 64) {
        self.capacity = capacity
    }

    /// Schemas held (distinct shapes).
    var count: Int { state.withLock { $0.entries.count } }

    /// The schema of `workspace` at its snapshot's version, built if needed.
    /// Keep the entry for as long as the schema is used: its input types read their fields from the builder.
    func schema(for workspace: WorkspaceSchema) throws -> Entry {
        let cached: Entry? = state.withLock { state in
            guard let found = state.entries[workspace.shapeIdentity] else { return nil }
            state.clock += 1
            state.entries[workspace.shapeIdentity]?.used = state.clock
            return found.entry
        }
        if let cached { return cached }
        let builder = GraphQLSchemaBuilder(workspace: workspace, resolve: GraphQLRequestState.resolve)
        let schema = try builder.build()
        let entry = Entry(schema: schema, builder: builder)
        state.withLock { state in
            state.clock += 1
            state.entries[workspace.shapeIdentity] = (entry, state.clock)
            if state.entries.count > capacity, let oldest = state.entries.min(by: { $0.value.used < $1.value.used })?.key {
                state.entries[oldest] = nil
            }
        }
        return entry
    }
}
