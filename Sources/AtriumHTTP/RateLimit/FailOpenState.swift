import Logging
import Synchronization

/// Whether checks backed by Redis are failing open, so that an outage is logged once as a warning when it starts and
/// once when it ends, not once per request (at hundreds of requests a second the log would drown in the outage).
final class FailOpenState: Sendable {
    /// What is being admitted without its check, as the log lines say it: "rate limit checks", "login throttle checks".
    let checks: String
    private let failing = Atomic<Bool>(false)

    init(checks: String) {
        self.checks = checks
    }

    /// A check failed and its request is admitted: a warning if this starts an outage, else a debug line.
    func failed(_ error: any Error, logger: Logger) {
        if failing.exchange(true, ordering: .relaxed) {
            logger.debug("\(checks) failing; admitting the request", metadata: ["error": "\(error)"])
        } else {
            logger.warning("\(checks) failing; admitting requests until Redis answers", metadata: ["error": "\(error)"])
        }
    }

    /// A check was answered: a notice if this ends an outage.
    func answered(logger: Logger) {
        if failing.load(ordering: .relaxed), failing.exchange(false, ordering: .relaxed) {
            logger.notice("\(checks) enforced again: Redis answers")
        }
    }
}
