@testable import AtriumCore
import Synchronization
import Testing

/// An operation's holdings (its workspace share, its count as a held connection) are given back once, when the
/// operation ends or its caller is answered at a bound, and whatever it takes afterwards is given back at once: an
/// operation that never ends cannot keep them.
@Suite struct OperationHoldingsTests {
    @Test func everythingTakenIsGivenBackOnceInReverseOrder() {
        let order = Mutex<[String]>([])
        let holdings = OperationHoldings()
        #expect(holdings.took { order.withLock { $0.append("share") } })
        #expect(holdings.took { order.withLock { $0.append("connection") } })
        holdings.giveBack()
        holdings.giveBack()
        #expect(order.withLock { $0 } == ["connection", "share"])
    }

    @Test func somethingTakenAfterTheCallerWasAnsweredIsGivenBackAtOnce() {
        let released = Atomic<Int>(0)
        let holdings = OperationHoldings()
        holdings.giveBack()  // the caller was answered at its lease bound
        // The abandoned operation gets its share late: it must not keep it.
        #expect(!holdings.took { released.add(1, ordering: .relaxed) })
        #expect(released.load(ordering: .relaxed) == 1)
        holdings.giveBack()  // the operation ends, much later
        #expect(released.load(ordering: .relaxed) == 1)
    }
}
