import AtriumCore
import Foundation
import GraphQL
import Synchronization

/// The records GraphQL schema of each workspace, built from its metadata snapshot and kept per
/// (workspace, `metadataVersion`): a metadata change bumps the version, so the next request builds the new schema
/// without a restart. Bounded: past `capacity` workspaces the least recently used schema is dropped.
final class GraphQLSchemaCache: Sendable {
    /// A built schema and the builder its lazily resolved types refer to (weakly).
    final class Entry: Sendable {
        let schema: GraphQLSchema
        nonisolated(unsafe) let builder: GraphQLSchemaBuilder  // read-only once built
        let version: Int

        init(schema: GraphQLSchema, builder: GraphQLSchemaBuilder, version: Int) {
            self.schema = schema
            self.builder = builder
            self.version = version
        }
    }

    private struct State {
        var entries: [UUID: (entry: Entry, used: UInt64)] = [:]
        var clock: UInt64 = 0
    }

    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int = 512) {
        self.capacity = capacity
    }

    /// Schemas held.
    var count: Int { state.withLock { $0.entries.count } }

    /// The schema of `workspace` at its snapshot's version, built if needed.
    /// Keep the entry for as long as the schema is used: its input types read their fields from the builder.
    func schema(for workspace: WorkspaceSchema) throws -> Entry {
        let cached: Entry? = state.withLock { state in
            guard let found = state.entries[workspace.workspaceID], found.entry.version == workspace.metadataVersion else { return nil }
            state.clock += 1
            state.entries[workspace.workspaceID]?.used = state.clock
            return found.entry
        }
        if let cached { return cached }
        let builder = GraphQLSchemaBuilder(workspace: workspace, resolve: GraphQLRequestState.resolve)
        let schema = try builder.build()
        let entry = Entry(schema: schema, builder: builder, version: workspace.metadataVersion)
        state.withLock { state in
            state.clock += 1
            state.entries[workspace.workspaceID] = (entry, state.clock)
            if state.entries.count > capacity, let oldest = state.entries.min(by: { $0.value.used < $1.value.used })?.key {
                state.entries[oldest] = nil
            }
        }
        return entry
    }
}
