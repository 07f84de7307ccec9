import AtriumCore
import Foundation
import Testing

/// Per-key slots: independent keys, first come first served, and a bounded wait that never leaks a slot.
@Suite struct KeyedSemaphoreTests {
    @Test func aWaitPastItsBoundFailsAndLeavesTheSlotsAsTheyWere() async throws {
        let semaphore = KeyedSemaphore<UUID>(limit: 1)
        let busy = UUID()
        try await semaphore.acquire(busy)
        let started = ContinuousClock.now
        await #expect(throws: TimeoutError.self) { try await semaphore.acquire(busy, within: .milliseconds(100)) }
        #expect(started.duration(to: .now) < .seconds(5))
        // Another key is not held up.
        try await semaphore.acquire(UUID(), within: .milliseconds(100))
        // The timed-out waiter took nothing: once the holder releases, the next caller gets the slot at once.
        semaphore.release(busy)
        try await semaphore.acquire(busy, within: .milliseconds(100))
        semaphore.release(busy)
    }

    @Test func aReleasedSlotGoesToTheWaiter() async throws {
        let semaphore = KeyedSemaphore<String>(limit: 1)
        try await semaphore.acquire("w")
        let waiter = Task { try await semaphore.acquire("w", within: .seconds(30)) }
        try await Task.sleep(for: .milliseconds(50))
        semaphore.release("w")
        try await waiter.value
        // The slot is the waiter's now: a third caller times out.
        await #expect(throws: TimeoutError.self) { try await semaphore.acquire("w", within: .milliseconds(50)) }
        semaphore.release("w")
    }

    @Test func aCancelledWaiterTakesNothing() async throws {
        let semaphore = KeyedSemaphore<String>(limit: 1)
        try await semaphore.acquire("w")
        let waiter = Task { try await semaphore.acquire("w") }
        try await Task.sleep(for: .milliseconds(50))
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        semaphore.release("w")
        try await semaphore.acquire("w", within: .milliseconds(100))
    }

    /// Bounded waits share one sweeper: each ends at its own bound (not before), a longer one keeps waiting and gets
    /// the slot, and a wait that starts after the sweeper stopped is still bounded.
    @Test func boundedWaitsEndEachAtItsOwnBound() async throws {
        let semaphore = KeyedSemaphore<String>(limit: 1)
        try await semaphore.acquire("w")
        let started = ContinuousClock.now
        let short = Task { try await semaphore.acquire("w", within: .milliseconds(60)) }
        let long = Task { try await semaphore.acquire("w", within: .seconds(30)) }
        try await Task.sleep(for: .milliseconds(20))  // queued in this order: first come, first served
        let unbounded = Task { try await semaphore.acquire("w") }
        await #expect(throws: TimeoutError.self) { try await short.value }
        #expect(started.duration(to: .now) >= .milliseconds(60))
        semaphore.release("w")
        try await long.value
        semaphore.release("w")
        try await unbounded.value
        // The sweeper stopped with no bounded waiter left; a new bounded wait starts it again.
        try await Task.sleep(for: .milliseconds(50))
        await #expect(throws: TimeoutError.self) { try await semaphore.acquire("w", within: .milliseconds(30)) }
        semaphore.release("w")
        try await semaphore.acquire("w", within: .milliseconds(100))
    }
}
