import AtriumCore
import Foundation
import Synchronization

/// Upgrade progress on stderr: each instance step, and per workspace segment n of N with rate and time left.
final class StderrUpgradeProgress: UpgradeObserver, Sendable {
    private let segmentStart = Mutex<ContinuousClock.Instant>(.now)
    private let lastPrint = Mutex<ContinuousClock.Instant>(.now)

    func instanceStepStarted(_ name: String, kind: UpgradeStepKind) {
        write("upgrade: \(kind.rawValue) instance command \(name)")
    }

    func segmentStarted(steps: [String], workspaces: Int) {
        segmentStart.withLock { $0 = .now }
        write("upgrade: \(steps.count) workspace command(s) on \(workspaces) workspace(s): \(steps.joined(separator: ", "))")
    }

    func workspaceFinished(done: Int, total: Int, failed: Int) {
        let now = ContinuousClock.now
        let due = lastPrint.withLock { last in
            guard done == total || last.duration(to: now) > .seconds(1) else { return false }
            last = now
            return true
        }
        guard due else { return }
        let elapsed = max(segmentStart.withLock { $0 }.duration(to: now).seconds, 0.001)
        let rate = Double(done) / elapsed
        let left = rate > 0 ? Double(total - done) / rate : 0
        write(String(format: "upgrade: %d/%d workspaces, %d failed, %.0f/s, %.1fs left", done, total, failed, rate, left))
    }

    private func write(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
