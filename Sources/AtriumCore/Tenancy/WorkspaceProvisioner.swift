import Foundation
import Logging
import PostgresNIO

/// Creates workspaces: the `core.workspace` row, the schema with every standard table, the metadata rows, the standard
/// roles (Admin and Member, Member the default), the first member (as Admin), and the upgrade stamp — in one
/// transaction, so a failure leaves nothing behind.
///
/// The schema is a pre-built spare renamed into place when one of the current definitions is available
/// (``SpareSchemaPool``), else built by running the DDL in the same transaction.
///
/// ```swift
/// let created = try await WorkspaceProvisioner(database: database, objects: StandardObjects.all, upgradeSteps: registry.workspaceStepNames)
///     .create(WorkspaceCreation(displayName: "Acme"), logger: logger)
/// ```
public struct WorkspaceProvisioner: Sendable {
    let database: Database
    let objects: [ObjectDefinition]
    let upgradeSteps: [String]
    /// The DDL fingerprint of `objects`, to claim a matching pre-built schema (see ``SpareSchemaPool``).
    let fingerprint: String

    /// - Parameters:
    ///   - objects: The object definitions every new workspace starts with.
    ///   - upgradeSteps: The workspace upgrade steps a new workspace counts as done (it is created in the latest shape).
    public init(database: Database, objects: [ObjectDefinition], upgradeSteps: [String]) throws {
        self.database = database
        self.objects = objects
        self.upgradeSteps = upgradeSteps
        self.fingerprint = try SpareSchemaPool(database: database, objects: objects).fingerprint
    }

    /// Creates a workspace.
    /// - Throws: `AtriumError` `.conflict` when the subdomain is taken, `.validationFailed` for a bad subdomain or email.
    public func create(_ request: WorkspaceCreation, logger: Logger) async throws -> CreatedWorkspace {
        let id = UUID()
        let schema = try SQLIdentifier(WorkspaceSchemaName.of(id))
        let subdomain = try request.subdomain.map(Self.validatedSubdomain) ?? Self.generatedSubdomain(from: request.displayName)
        let fingerprint = fingerprint
        let objects = objects
        let rows = try MetadataRows(objects)
        var admin: AdminAccount?
        if let given = request.admin {
            let hash: String? = if let password = given.password { try await PasswordHashing.hash(password) } else { nil }
            admin = try AdminAccount(email: Self.validatedEmail(given.email), passwordHash: hash, firstName: given.firstName, lastName: given.lastName)
        }
        let adminAccount = admin
        do {
            // Workspace DDL runs under the DDL bound, not the request bound.
            return try await database.withTransaction(logger: logger, statementTimeout: database.settings.ddlStatementTimeout) { connection in
                try await connection.query("""
                    INSERT INTO core."workspace" ("id", "displayName", "subdomain", "databaseSchema", "activationStatus")
                    VALUES (\(id), \(request.displayName), \(subdomain), \(schema.name), 'ONGOING_CREATION')
                    """, logger: logger)
                if let spare = try await SpareSchemaPool.claim(fingerprint: fingerprint, on: connection, logger: logger) {
                    try await connection.query("ALTER SCHEMA \(spare) RENAME TO \(schema)", logger: logger)
                } else {
                    let ddl = try WorkspaceDDL(schema: schema, objects: objects).createWorkspace(objects)
                    try await connection.query(PostgresQuery(unsafeSQL: Self.batch(ddl)), logger: logger)
                }
                try await rows.insert(workspace: id, on: connection, logger: logger)
                let adminRole = try await StandardRoles.create(workspace: id, on: connection, logger: logger)
                // Twenty's standard views (All Companies, Opportunities by stage, …): one statement.
                try await connection.query("SELECT core.atrium_seed_standard_views(\(id))", logger: logger)
                // ACTIVE once it has a default role (constraint onboarded_workspace_requires_default_role).
                try await connection.query("""
                    UPDATE core."workspace" SET "activationStatus" = 'ACTIVE' WHERE "id" = \(id)
                    """, logger: logger)
                var memberID: UUID?
                var userID: UUID?
                if let admin = adminAccount {
                    (userID, memberID) = try await Self.addMember(admin, workspace: id, schema: schema, role: adminRole,
                                                                  on: connection, logger: logger)
                }
                try await UpgradeLedger.stampNewWorkspace(id, steps: upgradeSteps, on: connection, logger: logger)
                return CreatedWorkspace(id: id, displayName: request.displayName, subdomain: subdomain, databaseSchema: schema.name,
                                        adminUserID: userID, adminWorkspaceMemberID: memberID)
            }
        } catch let error as PostgresTransactionError {
            if case .uniqueViolation = DatabaseFailure(error) {
                throw AtriumError(.conflict, "The subdomain \(subdomain) is already taken", underlying: error)
            }
            throw error
        }
    }

    /// The statements as one round trip: a DO block whose body runs them in order.
    public static func batch(_ statements: [String]) -> String {
        "DO $atrium_ddl$ BEGIN\n" + statements.map { $0 + ";" }.joined(separator: "\n") + "\nEND $atrium_ddl$"
    }

    /// Finds or creates the user, links it to the workspace with `role` (the workspace's default role when nil), and
    /// adds its workspaceMember record.
    static func addMember(
        _ admin: AdminAccount, workspace: UUID, schema: SQLIdentifier, role: UUID? = nil, on connection: PostgresConnection, logger: Logger
    ) async throws -> (UUID, UUID) {
        var userID: UUID?
        for try await existing in try await connection.query("""
            SELECT "id" FROM core."user" WHERE lower("email") = lower(\(admin.email)) AND "deletedAt" IS NULL
            """, logger: logger).decode(UUID.self) {
            userID = existing
        }
        if userID == nil {
            let newID = UUID()
            try await connection.query("""
                INSERT INTO core."user" ("id", "email", "firstName", "lastName", "passwordHash")
                VALUES (\(newID), \(admin.email.lowercased()), \(admin.firstName), \(admin.lastName), \(admin.passwordHash))
                """, logger: logger)
            userID = newID
        }
        let user = userID!
        try await connection.query("""
            WITH membership AS (
                INSERT INTO core."userWorkspace" ("userId", "workspaceId") VALUES (\(user), \(workspace)) RETURNING "id"
            )
            INSERT INTO core."roleTargets" ("workspaceId", "roleId", "userWorkspaceId")
            SELECT w."id", COALESCE(\(role)::uuid, w."defaultRoleId"), membership."id"
            FROM membership, core."workspace" w WHERE w."id" = \(workspace)
            """, logger: logger)
        let memberID = UUID()
        let table = try SQLIdentifier("workspaceMember")
        try await connection.query("""
            INSERT INTO \(schema).\(table) ("id", "nameFirstName", "nameLastName", "userEmail", "userId")
            VALUES (\(memberID), \(admin.firstName), \(admin.lastName), \(admin.email.lowercased()), \(user))
            """, logger: logger)
        return (user, memberID)
    }

    // MARK: - Validation

    static func validatedSubdomain(_ text: String) throws -> String {
        let value = text.lowercased()
        let allowed = value.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
        guard (3...63).contains(value.count), allowed, !value.hasPrefix("-"), !value.hasSuffix("-") else {
            throw AtriumError(.validationFailed, "A subdomain has 3 to 63 lower-case letters, digits and inner hyphens (got \"\(text)\")")
        }
        return value
    }

    static func generatedSubdomain(from name: String) -> String {
        var slug = ""
        for scalar in name.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                slug.unicodeScalars.append(scalar)
            } else if !slug.isEmpty, !slug.hasSuffix("-") {
                slug += "-"
            }
        }
        slug = String(slug.trimmingCharacters(in: CharacterSet(charactersIn: "-")).prefix(40))
        let suffix = String(UUID().lowercased.prefix(6))
        return slug.isEmpty ? "workspace-\(suffix)" : "\(slug)-\(suffix)"
    }

    static func validatedEmail(_ text: String) throws -> String {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !text.contains(" "), text.count <= 254 else {
            throw AtriumError(.validationFailed, "\"\(text)\" is not a valid email address")
        }
        return text
    }
}

/// What to create.
public struct WorkspaceCreation: Sendable {
    /// The first member.
    public struct Admin: Sendable {
        public var email: String
        public var password: String?
        public var firstName: String
        public var lastName: String

        public init(email: String, password: String?, firstName: String = "", lastName: String = "") {
            self.email = email
            self.password = password
            self.firstName = firstName
            self.lastName = lastName
        }
    }

    public var displayName: String
    /// Lower-case letters, digits and hyphens; generated from the name when nil.
    public var subdomain: String?
    public var admin: Admin?

    public init(displayName: String, subdomain: String? = nil, admin: Admin? = nil) {
        self.displayName = displayName
        self.subdomain = subdomain
        self.admin = admin
    }
}

/// A workspace just created.
public struct CreatedWorkspace: Sendable, Codable, Equatable {
    public let id: UUID
    public let displayName: String
    public let subdomain: String
    public let databaseSchema: String
    public let adminUserID: UUID?
    public let adminWorkspaceMemberID: UUID?
}

/// A validated first member, password already hashed.
struct AdminAccount: Sendable {
    let email: String
    let passwordHash: String?
    let firstName: String
    let lastName: String
}
