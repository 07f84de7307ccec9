import AtriumCore
@testable import AtriumHTTP
import Foundation
import Hummingbird
import Logging
import NIOEmbedded
import Testing

/// One workspace runs at most its limit of requests at once; the next waits its bound, then gets a 503-coded error;
/// other workspaces, and requests of no workspace, are not held up.
@Suite struct WorkspaceAdmissionTests {
    static func context(_ workspace: UUID?) -> AppRequestContext {
        var context = AppRequestContext(source: .init(channel: EmbeddedChannel(), logger: Logger(label: "test")))
        context.workspaceID = workspace
        return context
    }

    static let request = Request(head: .init(method: .get, scheme: "http", authority: "localhost", path: "/rest/companies"), body: .init(buffer: .init()))

    @Test func aWorkspaceAtItsLimitWaitsThenIsRefusedWhileOthersPass() async throws {
        let admission = WorkspaceAdmissionMiddleware(limit: 1, waitLimit: .milliseconds(200))
        let busy = UUID()
        let (released, release) = AsyncStream.makeStream(of: Void.self)
        let (entered, enteredContinuation) = AsyncStream.makeStream(of: Void.self)
        let holder = Task {
            try await admission.handle(Self.request, context: Self.context(busy)) { _, _ in
                enteredContinuation.yield()
                for await _ in released { break }
                return Response(status: .ok)
            }
        }
        for await _ in entered { break }

        let started = ContinuousClock.now
        await #expect { try await admission.handle(Self.request, context: Self.context(busy)) { _, _ in Response(status: .ok) } } throws: { error in
            (error as? AtriumError)?.code == .unavailable
        }
        #expect(started.duration(to: .now) >= .milliseconds(150))
        // Another workspace and a request of no workspace pass at once.
        for other in [UUID(), nil] as [UUID?] {
            let response = try await admission.handle(Self.request, context: Self.context(other)) { _, _ in Response(status: .ok) }
            #expect(response.status == .ok)
        }
        release.yield()
        #expect(try await holder.value.status == .ok)
        // The slot is free again.
        let after = try await admission.handle(Self.request, context: Self.context(busy)) { _, _ in Response(status: .ok) }
        #expect(after.status == .ok)
    }
}
