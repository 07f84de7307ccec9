import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

extension AtriumProcess {
    /// The request's exchange with a child server, given up after `limit`. FoundationNetworking's `URLSession` has been
    /// seen waiting past its own timeouts on a loaded CI machine, which hung the whole test run; the wait here does not
    /// depend on it answering cancellation.
    static func fetch(_ request: URLRequest, within limit: Duration = .seconds(30)) async throws -> (Data, URLResponse) {
        var request = request
        request.timeoutInterval = 20
        let exchange = request
        return try await withCheckedThrowingContinuation { continuation in
            let answer = FirstAnswer(continuation)
            let fetching = Task {
                do { answer.resume(with: .success(try await URLSession.shared.data(for: exchange))) } catch { answer.resume(with: .failure(error)) }
            }
            Task {
                try? await Task.sleep(for: limit)
                fetching.cancel()
                answer.resume(with: .failure(FetchTimedOut(url: exchange.url?.absoluteString ?? "", limit: limit)))
            }
        }
    }

    /// `GET url`, bounded like ``fetch(_:within:)``.
    static func fetch(_ url: URL, within limit: Duration = .seconds(30)) async throws -> (Data, URLResponse) {
        try await fetch(URLRequest(url: url), within: limit)
    }

    struct FetchTimedOut: Error, CustomStringConvertible {
        let url: String
        let limit: Duration
        var description: String { "no answer from \(url) within \(limit)" }
    }

    /// Resumes a continuation once, with whichever answer comes first.
    private final class FirstAnswer: Sendable {
        private let continuation: Mutex<CheckedContinuation<(Data, URLResponse), any Error>?>
        init(_ continuation: CheckedContinuation<(Data, URLResponse), any Error>) { self.continuation = Mutex(continuation) }
        func resume(with result: Result<(Data, URLResponse), any Error>) {
            continuation.withLock { pending in
                pending?.resume(with: result)
                pending = nil
            }
        }
    }
}
