@testable import AtriumHTTP
import Testing

/// The query string as form encoding reads it, as Twenty's server does.
@Suite struct QueryStringTests {
    @Test func plusIsASpaceAndEscapesAreBytes() {
        let query = QueryString("filter=name%5Beq%5D%3AAcme+Inc&order%5Fby=name&plus=A%2BB&utf8=caf%C3%A9&flag&limit=")
        #expect(query["filter"] == "name[eq]:Acme Inc")
        #expect(query["order_by"] == "name")
        #expect(query["plus"] == "A+B")
        #expect(query["utf8"] == "café")
        #expect(query["flag"] == "" && query["limit"] == "")
        #expect(query["missing"] == nil)
    }

    @Test func theFirstValueOfARepeatedNameWins() {
        #expect(QueryString("limit=1&limit=2")["limit"] == "1")
        #expect(QueryString(nil)["limit"] == nil && QueryString("")["limit"] == nil)
    }

    @Test func malformedEscapesAreKeptAsSent() {
        #expect(QueryString("a=100%&b=%zz&c=%C3")["a"] == "100%")
        #expect(QueryString("b=%zz")["b"] == "%zz")
        #expect(QueryString("c=%C3")["c"] == "%C3")  // not UTF-8 once decoded
    }
}
