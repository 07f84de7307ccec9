import AtriumCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Gives every request an id and writes one log line when it ends.
///
/// The id is the client's `X-Request-Id` when it sent a sane one, else a new UUID-shaped id (``RequestIDGenerator``); it is echoed in the
/// response's `X-Request-Id` and attached to every log line of the request as `request_id`.
/// The closing line carries method, path, status, duration in milliseconds and the workspace when known.
public struct RequestLoggingMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext

    public init() {}

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        var context = context
        context.requestID = Self.requestID(from: request)
        context.logger[metadataKey: "hb.request.id"] = nil
        context.logger[metadataKey: "request_id"] = .string(context.requestID)
        do {
            var response = try await next(request, context)
            response.headers[.xRequestID] = context.requestID
            log(request, status: response.status.code, since: start, context: context)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            log(request, status: status, since: start, context: context)
            throw error
        }
    }

    private func log(_ request: Request, status: Int, since start: ContinuousClock.Instant, context: Context) {
        // The metadata is an autoclosure: built only when the level is enabled.
        context.logger.info("request", metadata: Self.metadata(request, status: status, since: start, context: context))
    }

    private static func metadata(_ request: Request, status: Int, since start: ContinuousClock.Instant, context: Context) -> Logger.Metadata {
        let milliseconds = start.duration(to: .now).milliseconds
        var metadata: Logger.Metadata = [
            "method": .string(request.method.rawValue),
            "path": .string(request.uri.path),
            "status": .stringConvertible(status),
            "duration_ms": .string(String(format: "%.2f", milliseconds)),
        ]
        if let workspace = context.workspaceID {
            metadata["workspace"] = .string(workspace.lowercased)
        }
        return metadata
    }

    /// The client's request id when it is 1–128 printable ASCII characters, else a new one.
    static func requestID(from request: Request) -> String {
        if let given = request.headers[.xRequestID], (1...128).contains(given.utf8.count),
           given.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) {
            return given
        }
        return RequestIDGenerator.shared.next()
    }
}

extension HTTPField.Name {
    /// `X-Request-Id`, the request correlation header.
    static let xRequestID = HTTPField.Name("X-Request-Id")!
}
