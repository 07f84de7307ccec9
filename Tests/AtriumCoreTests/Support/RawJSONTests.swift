import AtriumCore
import Foundation
import Testing

/// The raw member scan that lets the worker pass record images on untouched.
@Suite struct RawJSONTests {
    @Test func membersComeBackAsTheirRawText() throws {
        let text = #"{ "id" : "a\"b", "n": -1.5e3, "ok":true, "none" :null, "o": {"x": [1, {"y": "}]"}], "z": "\\"}, "a": [] }"#
        let members = try RawJSON.members(of: Array(text.utf8))
        #expect(Set(members.keys) == ["id", "n", "ok", "none", "o", "a"])
        #expect(members["id"] == #""a\"b""#)
        #expect(try RawJSON.string(try #require(members["id"])) == "a\"b")
        #expect(members["n"] == "-1.5e3")
        #expect(members["ok"] == "true")
        #expect(members["none"] == "null")
        #expect(members["o"] == #"{"x": [1, {"y": "}]"}], "z": "\\"}"#)
        #expect(members["a"] == "[]")
        #expect(try RawJSON.members(of: Array("{}".utf8)).isEmpty)
    }

    @Test func whatIsNotAnObjectIsRefused() {
        for bad in ["", "[]", "{", #"{"a"}"#, #"{"a": }"#, #"{"a": "x}"#, #"{"a": {"b": 1}"#, #"{"a": 1 "b": 2}"#, "{a: 1}"] {
            #expect(throws: RawJSON.Malformed.self, "\(bad)") { try RawJSON.members(of: Array(bad.utf8)) }
        }
    }

    @Test func quotedStringsRoundTripThroughJSONDecoder() throws {
        for value in ["plain", "quote \" and \\ slash / end", "line\nbreak\ttab\u{01}", "ünïcødé 🚀", ""] {
            let quoted = RawJSON.quoted(value)
            #expect(try JSONDecoder().decode(String.self, from: Data(quoted.utf8)) == value)
            #expect(try RawJSON.string(Substring(quoted)) == value)
        }
        #expect(RawJSON.quoted("a/b") == #""a/b""#)
    }

    @Test func anEventKeepsItsPropertiesRaw() throws {
        let id = "0193a000-0000-7000-8000-000000000001"
        let json = #"{"id": "\#(id)", "workspaceId": "\#(id)", "name": "company.updated", "objectMetadataId": "\#(id)", "recordId": "\#(id)", "userId": null, "workspaceMemberId": "\#(id)", "apiKeyId": null, "properties": {"after" : {"name" : "Acme", "employees" : 3}, "updatedFields": ["employees"]}, "createdAt": "2026-12-07T15:19:33.345Z"}"#
        let event = try RecordEvent(json: Array(json.utf8))
        #expect(event.id.lowercased == id)
        #expect(event.userId == nil)
        #expect(event.workspaceMemberId?.lowercased == id)
        #expect(event.action == .updated)
        #expect(event.property("after") == #"{"name" : "Acme", "employees" : 3}"#)
        #expect(event.property("before") == nil)
        #expect(event.properties["after"]?["employees"] == 3)
        #expect(throws: (any Error).self) { try RecordEvent(json: Array(#"{"id": "x"}"#.utf8)) }
    }
}
