extension MetadataChanges {
    /// Checks the numbers a field's settings carry, as Twenty's settings validation does: a NUMBER field's `dataType`
    /// (`float`, `int`, `bigint`), `decimals` (a whole number, 0 to 100) and `type` (`number`, `percentage`,
    /// `shortNumber`); a TEXT field's `displayedMaxRows` (0 to 100); a LINKS, EMAILS, PHONES or ARRAY field's
    /// `maxNumberOfValues` (at least 1). A NUMBER field's numeric default must suit its `dataType`.
    /// - Throws: ``AtriumError`` `.validationFailed` naming the setting.
    static func checkSettings(_ settings: JSONValue?, defaultValue: JSONValue?, type: FieldType) throws {
        if type == .number, case .number(let number)? = defaultValue,
           let problem = NumberDataType(settings: settings).problem(with: number)
        {
            throw AtriumError(.validationFailed, "Invalid default value: \(problem)")
        }
        guard let settings, settings != .null else { return }
        guard case .object(let values) = settings else {
            if [.number, .text, .links, .emails, .phones, .array].contains(type) {
                throw AtriumError(.validationFailed, "settings must be an object")
            }
            return
        }
        switch type {
        case .number:
            try oneOf(values["dataType"], "settings.dataType", NumberDataType.allCases.map(\.rawValue))
            _ = try WholeNumber.optional(values["decimals"], "settings.decimals", in: 0...100)
            try oneOf(values["type"], "settings.type", ["number", "percentage", "shortNumber"])
        case .text:
            _ = try WholeNumber.optional(values["displayedMaxRows"], "settings.displayedMaxRows", in: 0...100)
        case .links, .emails, .phones, .array:
            _ = try WholeNumber.optional(values["maxNumberOfValues"], "settings.maxNumberOfValues", in: 1...Int(Int32.max))
        default:
            break
        }
    }

    /// Checks that `value`, when given, is one of `allowed`.
    private static func oneOf(_ value: JSONValue?, _ name: String, _ allowed: [String]) throws {
        guard let value, value != .null else { return }
        guard case .string(let text) = value, allowed.contains(text) else {
            throw AtriumError(.validationFailed, "\(name) must be one of \(allowed.joined(separator: ", "))")
        }
    }
}
