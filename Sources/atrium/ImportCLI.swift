import ArgumentParser
import AtriumCore
import Foundation

/// `atrium import --workspace ID --object PLURAL FILE`: imports a CSV file into a workspace's records from the command
/// line, in this process (the same importer as `POST /rest/<plural>/import`: columns, upsert, checks and events), in
/// one transaction. Prints the report as JSON; exits 1 when the file is refused or, with `--atomic`, a row is.
struct ImportCLI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a CSV file into a workspace's records (as POST /rest/<plural>/import does)."
    )

    @Option(name: .long, help: "The workspace id.")
    var workspace: String

    @Option(name: .long, help: "The object's plural name (companies, people, a custom object's).")
    var object: String

    @Flag(name: .customLong("dry-run"), help: "Check every row and report; write nothing.")
    var dryRun = false

    @Flag(name: .long, help: "Write nothing when any row is refused.")
    var atomic = false

    @Flag(name: .customLong("no-upsert"), help: "Refuse rows that match an existing record instead of updating it.")
    var noUpsert = false

    @Argument(help: "The CSV file.")
    var file: String

    func run() async throws {
        guard let workspaceID = UUID(text: workspace) else { CommandEnvironment.fail("--workspace must be a UUID") }
        guard let bytes = FileManager.default.contents(atPath: file) else { CommandEnvironment.fail("cannot read \(file)") }
        let environment = try CommandEnvironment.load(label: "atrium.import")
        let options = CSVImportOptions(dryRun: dryRun, atomic: atomic, upsert: !noUpsert)
        let plural = object
        let report = try await environment.reportingDomainErrors {
            try await environment.withDatabase { database in
                let logger = environment.logger
                let schema = try await WorkspaceSchemaCache(database: database, store: nil, logger: logger).schema(for: workspaceID, logger: logger)
                guard let object = schema.object(namePlural: plural), object.isActive else {
                    throw AtriumError(.badRequest, "workspace \(workspaceID.lowercased) has no object '\(plural)'")
                }
                let scope = RecordScope(object, in: schema, access: .unrestricted, actor: RecordActor(source: "IMPORT", name: "Command line"),
                                        logger: logger)
                var importer = CSVImporter(database: database, recordsEvents: environment.configuration.eventsEnabled)
                importer.syncRowLimit = Int.max  // in this process, in one transaction
                return try await importer.run(Array(bytes), options: options, in: scope)
            }
        }
        print(String(decoding: try report.json(), as: UTF8.self))
        if report.status == "FAILED" { throw ExitCode.failure }
    }
}
