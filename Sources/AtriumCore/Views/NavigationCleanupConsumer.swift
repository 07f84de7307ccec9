import Foundation
import Logging

/// The `navigation` consumer: removes the sidebar items of records deleted or destroyed, as Twenty's
/// `NavigationMenuItemDeletionJob` does. Deleting is idempotent, so an event delivered twice does no harm.
public struct NavigationCleanupConsumer: EventConsumer {
    public let name = "navigation"
    let menu: NavigationMenu

    public init(database: Database) {
        self.menu = NavigationMenu(database: database)
    }

    public func handle(_ event: RecordEvent, logger: Logger) async throws {
        try await handle(batch: [event], logger: logger)
    }

    public func handle(batch events: [RecordEvent], logger: Logger) async throws {
        var gone: [UUID: [UUID]] = [:]
        for event in events where event.action == .deleted || event.action == .destroyed {
            gone[event.workspaceId, default: []].append(event.recordId)
        }
        for (workspace, records) in gone {
            try await menu.removeItems(of: records, workspace: workspace, logger: logger)
        }
    }
}
