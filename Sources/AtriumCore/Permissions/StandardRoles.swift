import Foundation
import Logging
import PostgresNIO

/// The standard roles every workspace has: Admin (every permission, not editable) and Member (every record, no
/// settings; the default role of new members). Their definition lives in one SQL function,
/// `core."atrium_create_standard_roles"` (migration `create-role-tables`), shared by workspace creation and the
/// back-fill of older workspaces.
enum StandardRoles {
    /// Creates the standard roles of `workspace` and makes Member its default role.
    /// - Returns: The Admin role's id.
    static func create(workspace: UUID, on connection: PostgresConnection, logger: Logger) async throws -> UUID {
        for try await id in try await connection.query("""
            SELECT core."atrium_create_standard_roles"(\(workspace))
            """, logger: logger).decode(UUID.self) {
            return id
        }
        throw AtriumError(.internalError, "The standard roles were not created")
    }
}
