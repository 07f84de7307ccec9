import AtriumCore
import PostgresNIO
import Testing

@Suite struct PostgresSettingsTests {
    @Test func parsesEveryPart() throws {
        let settings = try PostgresSettings(url: "postgresql://crm%40user:p%3Ass@db.internal:6543/atrium_prod?sslmode=verify-full", maximumConnections: 8)
        #expect(settings.host == "db.internal")
        #expect(settings.port == 6543)
        #expect(settings.username == "crm@user")
        #expect(settings.password == "p:ss")
        #expect(settings.database == "atrium_prod")
        #expect(settings.sslMode == .verifyFull)
        #expect(settings.clientConfiguration.options.maximumConnections == 8)
    }

    @Test func defaultsToPort5432AndPreferredTLS() throws {
        let settings = try PostgresSettings(url: "postgres://atrium@localhost/atrium", maximumConnections: 1)
        #expect(settings.port == 5432)
        #expect(settings.password == nil)
        #expect(settings.sslMode == .prefer)
    }

    @Test(arguments: [
        "mysql://u:p@h/db", "postgres://u:p@/db", "postgres://h:5432/db", "postgres://u:p@h:5432", "not a url",
    ])
    func rejectsMalformedURLs(url: String) {
        #expect(throws: ConfigurationError.self) { try PostgresSettings(url: url, maximumConnections: 1) }
    }

    @Test func rejectsUnknownSSLModeAndNeverEchoesThePassword() {
        do {
            _ = try PostgresSettings(url: "postgres://u:secret@h/db?sslmode=maybe", maximumConnections: 1)
            Issue.record("accepted sslmode=maybe")
        } catch {
            #expect(error.variable == "PG_DATABASE_URL")
            #expect(error.description.contains("sslmode"))
            #expect(!error.description.contains("secret"))
        }
        do {
            _ = try PostgresSettings(url: "postgres://u:secret@/db", maximumConnections: 1)
        } catch {
            #expect(!error.description.contains("secret"))
        }
    }
}
