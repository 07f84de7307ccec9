import AtriumCore
import Foundation
import Testing

/// Numbers from input become `Int`s or a 400, never a trap.
struct WholeNumberTests {
    @Test(arguments: [1e300, -1e300, .infinity, -.infinity, .nan, 1.5, 2_147_483_648, -2_147_483_649, 9.3e18])
    func refusesWhatIsNotAWholeInt32(_ number: Double) {
        #expect(WholeNumber.exact(number, in: WholeNumber.int32) == nil)
        #expect(throws: AtriumError.self) { try WholeNumber.required(.number(number), "position", in: WholeNumber.int32) }
    }

    @Test func takesWholeNumbersWithinTheRange() throws {
        #expect(WholeNumber.exact(-0.0, in: WholeNumber.int32) == 0)
        #expect(WholeNumber.exact(2_147_483_647, in: WholeNumber.int32) == 2_147_483_647)
        #expect(WholeNumber.exact(-2_147_483_648, in: WholeNumber.int32) == -2_147_483_648)
        #expect(WholeNumber.exact(9_007_199_254_740_991, in: WholeNumber.exactInDouble) == 9_007_199_254_740_991)
        #expect(WholeNumber.exact(9_007_199_254_740_992, in: WholeNumber.exactInDouble) == nil)
        #expect(try WholeNumber.optional(nil, "x", in: 0...1) == nil)
        #expect(try WholeNumber.optional(.null, "x", in: 0...1) == nil)
        #expect(try WholeNumber.required(3, "x", in: 0...5) == 3)
    }

    @Test func theErrorIsAValidationFailureNamingTheValueAndRange() {
        let error = #expect(throws: AtriumError.self) { try WholeNumber.required("7", "settings.decimals", in: 0...100) }
        #expect(error?.code == .validationFailed)
        #expect(error?.message == "settings.decimals must be a whole number from 0 to 100")
    }

    @Test func numberFieldsAcceptWhatTheirDataTypeHolds() {
        let float = NumberDataType(settings: nil)
        #expect(float == .float)
        #expect(float.problem(with: 1e300) == nil)
        #expect(float.problem(with: 0.5) == nil)
        #expect(float.problem(with: .infinity) != nil)
        #expect(float.problem(with: .nan) != nil)
        let int = NumberDataType(settings: ["dataType": "int", "decimals": 0])
        #expect(int == .int)
        #expect(int.problem(with: 2_147_483_647) == nil)
        #expect(int.problem(with: 2_147_483_648) != nil)
        #expect(int.problem(with: 1e300) != nil)
        #expect(int.problem(with: 1.5) != nil)
        let bigint = NumberDataType(settings: ["dataType": "bigint"])
        #expect(bigint.problem(with: 9_007_199_254_740_991) == nil)
        #expect(bigint.problem(with: 1e300) != nil)
        #expect(NumberDataType(settings: ["dataType": "decimal"]) == .float)
    }
}
