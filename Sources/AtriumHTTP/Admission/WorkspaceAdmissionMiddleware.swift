import AtriumCore
import Foundation
import Hummingbird

/// Runs at most `WORKSPACE_MAX_CONCURRENT_REQUESTS` API requests of one workspace at once; the others wait their turn,
/// first come first served, for at most ``waitLimit`` (`PG_POOL_ACQUIRE_TIMEOUT_MS`), then are answered 503 with
/// `Retry-After` in their API's shape (the error middlewares render the ``AtriumError``).
///
/// The pool's per-workspace share bounds the database connections one tenant holds; this bounds everything else a
/// request costs the process: the cores and the concurrency runtime's queue. Without it, 32 clients of one workspace
/// sending its most expensive requests kept every other workspace's requests (and `/livez`) waiting for seconds
/// (`bench/noisy-neighbor`). Requests with no workspace (sign-in) are not counted.
struct WorkspaceAdmissionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let gate: KeyedSemaphore<UUID>
    let waitLimit: Duration

    static let busyMessage = "Too many requests of this workspace are running; retry shortly"

    init(limit: Int, waitLimit: Duration) {
        self.gate = KeyedSemaphore(limit: limit)
        self.waitLimit = waitLimit
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let workspace = context.workspaceID else { return try await next(request, context) }
        do {
            try await gate.acquire(workspace, within: waitLimit)
        } catch is TimeoutError {
            throw AtriumError(.unavailable, Self.busyMessage)
        }
        defer { gate.release(workspace) }
        return try await next(request, context)
    }
}
