import HummingbirdBcrypt
import NIOPosix

/// bcrypt hashing and verification off the Swift concurrency pool and the event loops: each call takes tens of
/// milliseconds of CPU at cost 10, which would stall every request sharing the thread (two threads on two cores).
/// The work runs on NIO's blocking-work thread pool instead.
enum PasswordHashing {
    /// Twenty's and Atrium's bcrypt cost.
    static let cost: UInt8 = 10

    /// The bcrypt hash of `password`.
    static func hash(_ password: String) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// Whether `password` matches the bcrypt `hash`.
    static func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }
}
