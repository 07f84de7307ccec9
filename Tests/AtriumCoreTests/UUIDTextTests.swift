import AtriumCore
import Foundation
import Testing

struct UUIDTextTests {
    @Test func parsesAndPrintsLikeFoundationInEitherCase() throws {
        for _ in 0..<1_000 {
            let uuid = UUID()
            #expect(UUID(text: uuid.uuidString) == uuid)
            #expect(UUID(text: uuid.uuidString.lowercased()) == uuid)
            #expect(UUID(text: uuid.uuidString.lowercased()[...]) == uuid)
            #expect(uuid.lowercased == uuid.uuidString.lowercased())
        }
        #expect(UUID(text: "00000000-0000-0000-0000-000000000000") == UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)))
        #expect(UUID(text: "FFFFFFFF-ffff-FFFF-ffff-FFFFFFFFFFFF")?.lowercased == "ffffffff-ffff-ffff-ffff-ffffffffffff")
    }

    @Test(arguments: [
        "", "not a uuid", "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f", "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f00",
        "0f1e2d3c4b5a-6978-8796-a5b4c3d2e1f00", "0f1e2d3c-4b5a-6978-8796_a5b4c3d2e1f0", "0f1e2d3g-4b5a-6978-8796-a5b4c3d2e1f0",
        "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1fé",
    ])
    func refusesAnythingButThe36CharacterForm(text: String) {
        #expect(UUID(text: text) == nil)
        #expect(UUID(uuidString: text) == nil, "Foundation agrees")
    }

    @Test func isStricterThanFoundationAboutSpaces() {
        // Foundation's sscanf("%2hhx") skips a leading space inside a group; an id with a space in it is not an id.
        #expect(UUID(text: " f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0") == nil)
        #expect(UUID(text: "0f1e2d3c- b5a-6978-8796-a5b4c3d2e1f0") == nil)
    }
}
