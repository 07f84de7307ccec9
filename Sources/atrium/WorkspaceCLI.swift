import ArgumentParser
import AtriumCore
import Foundation
import Logging

/// `atrium workspace …`: create, list and manage workspaces.
struct WorkspaceCLI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workspace",
        abstract: "Create, list, suspend, activate and delete workspaces.",
        subcommands: [Create.self, List.self, Suspend.self, Activate.self, Delete.self, PrepareSpares.self, Invite.self]
    )

    /// `atrium workspace create`.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a workspace with every standard object.")

        @Option(help: "The workspace's display name.") var name: String
        @Option(help: "Lower-case letters, digits and hyphens (generated from the name when omitted).") var subdomain: String?
        @Option(name: .customLong("admin-email"), help: "Email of the first member (created when new).") var adminEmail: String?
        @Option(name: .customLong("admin-password"), help: "Password of the first member, when it is a new user.") var adminPassword: String?
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            if adminPassword != nil, adminEmail == nil { throw ValidationError("--admin-password needs --admin-email") }
        }

        func run() async throws {
            let environment = try CommandEnvironment.load(label: "atrium.workspace")
            let registry = try UpgradeRegistry.shipped()
            let request = WorkspaceCreation(
                displayName: name, subdomain: subdomain,
                admin: adminEmail.map { WorkspaceCreation.Admin(email: $0, password: adminPassword) }
            )
            let spares = environment.configuration.workspaceSpareSchemas
            let created = try await environment.withDatabase { database in
                let created = try await environment.reportingDomainErrors {
                    try await WorkspaceProvisioner(database: database, objects: StandardObjects.all, upgradeSteps: registry.workspaceStepNames)
                        .create(request, logger: environment.logger)
                }
                // Keep spares ready for the next creation (the server does the same in the background).
                try await SpareSchemaPool(database: database, objects: StandardObjects.all).replenish(target: spares, logger: environment.logger)
                return created
            }
            if json {
                try printJSON(CreatedOutput(created))
            } else {
                print("created workspace \(created.id.lowercased) (\(created.displayName), subdomain \(created.subdomain), schema \(created.databaseSchema))")
            }
        }
    }

    /// `atrium workspace list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List workspaces.")
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let environment = try CommandEnvironment.load(label: "atrium.workspace")
            let workspaces = try await environment.withDatabase { database in
                try await WorkspaceAdministration(database: database).list(logger: environment.logger)
            }
            if json { return try printJSON(workspaces.map(ListedOutput.init)) }
            for workspace in workspaces {
                let deleted = workspace.deletedAt == nil ? "" : "  (deleted)"
                print("\(workspace.id.lowercased)  \(workspace.activationStatus)  \(workspace.subdomain)  \(workspace.displayName ?? "")\(deleted)")
            }
        }
    }

    /// `atrium workspace suspend ID`.
    struct Suspend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Suspend a workspace: its API access stops, its data stays.")
        @Argument(help: "The workspace id.") var id: String

        func run() async throws {
            let workspace = try await WorkspaceCLI.administer(id) { try await $0.suspend($1, logger: $2) }
            print("suspended \(workspace.lowercased)")
        }
    }

    /// `atrium workspace activate ID`.
    struct Activate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Activate a suspended or inactive workspace.")
        @Argument(help: "The workspace id.") var id: String

        func run() async throws {
            let workspace = try await WorkspaceCLI.administer(id) { try await $0.activate($1, logger: $2) }
            print("activated \(workspace.lowercased)")
        }
    }

    /// `atrium workspace delete ID [--hard]`.
    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a workspace (soft by default; --hard drops its schema and metadata).")
        @Argument(help: "The workspace id.") var id: String
        @Flag(help: "Drop the schema, metadata, memberships, keys and upgrade history.") var hard = false

        func run() async throws {
            let hard = hard
            let workspace = try await WorkspaceCLI.administer(id) { try await $0.delete($1, hard: hard, logger: $2) }
            print(hard ? "deleted \(workspace.lowercased) and its data" : "deleted \(workspace.lowercased) (soft: data kept)")
        }
    }

    /// `atrium workspace prepare-spares [--count N]`.
    struct PrepareSpares: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "prepare-spares",
            abstract: "Build pre-built empty workspace schemas so creations take milliseconds (and drop outdated ones)."
        )
        @Option(help: "Spares to keep (default: WORKSPACE_SPARE_SCHEMAS).") var count: Int?

        func run() async throws {
            let environment = try CommandEnvironment.load(label: "atrium.workspace")
            let target = count ?? environment.configuration.workspaceSpareSchemas
            let built = try await environment.withDatabase { database in
                try await SpareSchemaPool(database: database, objects: StandardObjects.all).replenish(target: target, logger: environment.logger)
            }
            print("built \(built) spare schema(s); \(target) kept ready")
        }
    }

    /// Parses the id and runs `operation` with the administration API, reporting domain errors in one line. The
    /// change is announced to every running server (``CommandEnvironment/withDatabaseAndAnnouncements(_:)``).
    /// - Returns: The workspace id.
    @discardableResult
    static func administer(
        _ text: String,
        _ operation: @Sendable @escaping (WorkspaceAdministration, UUID, Logger) async throws -> Void
    ) async throws -> UUID {
        guard let id = UUID(text: text) else { throw ValidationError("the workspace id must be a UUID (got \"\(text)\")") }
        let environment = try CommandEnvironment.load(label: "atrium.workspace")
        try await environment.withDatabaseAndAnnouncements { database, store in
            try await environment.reportingDomainErrors {
                try await operation(WorkspaceAdministration(database: database, announcements: store), id, environment.logger)
            }
        }
        return id
    }
}

/// Prints `value` as pretty JSON with ISO-8601 dates (give it ids as lower-case strings: Foundation writes a `UUID` upper-case).
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}
