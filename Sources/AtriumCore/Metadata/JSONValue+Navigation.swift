/// Navigation in decoded JSON: a missing key, an index out of range or a value of another type gives nil.
extension JSONValue {
    public subscript(_ key: String) -> JSONValue? {
        if case .object(let values) = self { return values[key] }
        return nil
    }

    public subscript(_ index: Int) -> JSONValue? {
        if case .array(let values) = self, values.indices.contains(index) { return values[index] }
        return nil
    }

    public var string: String? { if case .string(let value) = self { value } else { nil } }
    public var number: Double? { if case .number(let value) = self { value } else { nil } }
    public var bool: Bool? { if case .bool(let value) = self { value } else { nil } }
    public var array: [JSONValue]? { if case .array(let values) = self { values } else { nil } }
    public var keys: Set<String> { if case .object(let values) = self { Set(values.keys) } else { [] } }
}
