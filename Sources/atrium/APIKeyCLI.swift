import ArgumentParser
import AtriumCore
import Foundation

/// `atrium api-key create|revoke|list`: manage a workspace's API keys.
struct APIKeyCLI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api-key",
        abstract: "Create, revoke and list API keys.",
        subcommands: [APIKeyCreateCLI.self, APIKeyRevokeCLI.self, APIKeyListCLI.self]
    )
}

/// `atrium api-key create --workspace ID --name NAME [--expires-in DAYS] [--json]`.
struct APIKeyCreateCLI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create an API key and print its token (shown once; keep it secret)."
    )

    @Option(name: .long, help: "The workspace id.")
    var workspace: String

    @Option(name: .long, help: "A name for the key.")
    var name: String

    @Option(name: .customLong("expires-in"), help: "Lifetime in days, 1 to 365250 (default: 100 years, as Twenty).")
    var expiresInDays: Int?

    @Option(name: .customLong("role-id"), help: "The key's role (one of the workspace's roles); default: Admin.")
    var roleID: String?

    @Flag(name: .long, help: "Print JSON: {id, name, workspaceId, expiresAt, token}.")
    var json = false

    func run() async throws {
        let workspaceID = APIKeyCommands.uuid(workspace, option: "--workspace")
        let role = roleID.map { APIKeyCommands.uuid($0, option: "--role-id") }
        if let expiresInDays, !(1...APIKeyCommands.maximumDays).contains(expiresInDays) {
            CommandEnvironment.fail("--expires-in must be from 1 to \(APIKeyCommands.maximumDays) days")
        }
        let lifetime = expiresInDays.map { Duration.seconds(Int64($0) * 86_400) }
        let name = self.name
        let environment = try CommandEnvironment.load(label: "atrium.api-key")
        let created = try await APIKeyCommands.run(environment) { apiKeys in
            try await apiKeys.create(workspaceID: workspaceID, name: name, expiresIn: lifetime, roleID: role, logger: environment.logger)
        }
        if json {
            print(try APIKeyCommands.json(CreatedOutput(created)))
        } else {
            let key = created.key
            print("created API key \(key.id.lowercased) \"\(key.name)\" in workspace "
                + "\(key.workspaceID.lowercased), expires \(APIKeyCommands.date(key.expiresAt))")
            print(created.token)
        }
    }

    /// The JSON of a created key, in this field order.
    struct CreatedOutput: Encodable {
        let id: String, name: String, workspaceId: String, expiresAt: String, token: String

        init(_ created: CreatedAPIKey) {
            id = created.key.id.lowercased
            name = created.key.name
            workspaceId = created.key.workspaceID.lowercased
            expiresAt = APIKeyCommands.date(created.key.expiresAt)
            token = created.token
        }
    }
}

/// `atrium api-key revoke ID [--workspace ID]`.
struct APIKeyRevokeCLI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke an API key: its tokens stop working at once on every running server (announced through Redis)."
    )

    @Argument(help: "The API key id.")
    var id: String

    @Option(name: .long, help: "Only revoke the key if it belongs to this workspace.")
    var workspace: String?

    func run() async throws {
        let keyID = APIKeyCommands.uuid(id, option: "ID")
        let workspaceID = workspace.map { APIKeyCommands.uuid($0, option: "--workspace") }
        let environment = try CommandEnvironment.load(label: "atrium.api-key")
        let key = try await APIKeyCommands.run(environment, announcing: true) { apiKeys in
            try await apiKeys.revoke(id: keyID, workspaceID: workspaceID, logger: environment.logger)
        }
        print("revoked API key \(key.id.lowercased) \"\(key.name)\" at \(APIKeyCommands.date(key.revokedAt ?? Date()))")
    }
}

/// `atrium api-key list --workspace ID [--json]`.
struct APIKeyListCLI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List a workspace's API keys (revoked and expired ones included; tokens are not shown)."
    )

    @Option(name: .long, help: "The workspace id.")
    var workspace: String

    @Flag(name: .long, help: "Print a JSON array of {id, name, workspaceId, expiresAt, revokedAt, createdAt, status}.")
    var json = false

    func run() async throws {
        let workspaceID = APIKeyCommands.uuid(workspace, option: "--workspace")
        let environment = try CommandEnvironment.load(label: "atrium.api-key")
        let keys = try await APIKeyCommands.run(environment) { apiKeys in
            try await apiKeys.list(workspaceID: workspaceID, logger: environment.logger)
        }
        let now = Date()
        let rows = keys.map { ListedOutput($0, now: now) }
        if json {
            print(try APIKeyCommands.json(rows))
            return
        }
        for row in rows {
            print("\(row.id)  \(row.status.padding(toLength: 7, withPad: " ", startingAt: 0))  expires \(row.expiresAt)  \(row.name)")
        }
        if rows.isEmpty { print("no API keys in workspace \(workspaceID.lowercased)") }
    }

    /// One listed key.
    struct ListedOutput: Encodable {
        let id: String, name: String, workspaceId: String, expiresAt: String, revokedAt: String?, createdAt: String
        /// `active`, `revoked` or `expired`.
        let status: String

        init(_ key: APIKey, now: Date) {
            id = key.id.lowercased
            name = key.name
            workspaceId = key.workspaceID.lowercased
            expiresAt = APIKeyCommands.date(key.expiresAt)
            revokedAt = key.revokedAt.map(APIKeyCommands.date)
            createdAt = APIKeyCommands.date(key.createdAt)
            status = key.revokedAt != nil ? "revoked" : (key.expiresAt <= now ? "expired" : "active")
        }
    }
}

/// Shared plumbing of the `api-key` subcommands.
enum APIKeyCommands {
    /// The longest `--expires-in`: 1,000 years (days × 86,400 seconds must not overflow, and the expiry must be a date
    /// PostgreSQL stores).
    static let maximumDays = 365_250

    /// Runs `body` with an ``APIKeyManager`` on a running pool; a domain error is one line on stderr and exit 1.
    /// - Parameter announcing: Give the manager the shared store, so a revocation reaches every running server at once.
    static func run<Result: Sendable>(
        _ environment: CommandEnvironment,
        announcing: Bool = false,
        _ body: @Sendable (APIKeyManager) async throws -> Result
    ) async throws -> Result {
        let secrets = TokenSecrets(appSecret: environment.configuration.appSecret)
        do {
            guard announcing else {
                return try await environment.withDatabase { database in try await body(APIKeyManager(database: database, secrets: secrets)) }
            }
            return try await environment.withDatabaseAndAnnouncements { database, store in
                try await body(APIKeyManager(database: database, secrets: secrets, sharedStore: store))
            }
        } catch let error as AtriumError {
            CommandEnvironment.fail(error.message)
        }
    }

    /// `text` as a UUID, or one line on stderr and exit 1.
    static func uuid(_ text: String, option: String) -> UUID {
        guard let id = UUID(text: text) else { CommandEnvironment.fail("\(option) must be a UUID (got \"\(text)\")") }
        return id
    }

    /// ISO 8601 in UTC with milliseconds, as Twenty's API renders dates.
    static func date(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    /// One line of JSON.
    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
