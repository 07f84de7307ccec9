import AtriumCore
import Foundation
import Hummingbird

/// A console form post: its `application/x-www-form-urlencoded` fields (repeated names kept in order).
struct ConsoleForm: Sendable {
    private let pairs: [(name: String, value: String)]

    /// The largest form body the console reads (a CSV upload goes through the records API instead).
    static let maximumBytes = 1 << 20

    init(pairs: [(name: String, value: String)]) {
        self.pairs = pairs
    }

    /// Reads the body of `request`.
    /// - Throws: ``AtriumError`` `badRequest` for a body over ``maximumBytes``.
    static func read(_ request: Request) async throws -> ConsoleForm {
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: maximumBytes)
        } catch {
            throw AtriumError(.badRequest, "The form is too large")
        }
        let text = String(buffer: body)
        return ConsoleForm(pairs: text.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            guard let equals = pair.firstIndex(of: "=") else { return (QueryString.decode(pair), "") }
            return (QueryString.decode(pair[..<equals]), QueryString.decode(pair[pair.index(after: equals)...]))
        })
    }

    /// The first value of `name`.
    subscript(name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// Every value of `name`, in order.
    func all(_ name: String) -> [String] {
        pairs.filter { $0.name == name }.map(\.value)
    }

    /// The value of `name` with surrounding white space removed; nil when absent or blank.
    func trimmed(_ name: String) -> String? {
        guard let value = self[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }
}
