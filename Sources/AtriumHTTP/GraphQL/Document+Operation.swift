import GraphQL

extension Document {
    /// The operation a request runs: the one named `name`, or the only one when no name is given (GraphQL's rule).
    func operation(named name: String?) -> OperationDefinition? {
        let operations = definitions.compactMap { $0 as? OperationDefinition }
        if let name { return operations.first { $0.name?.value == name } }
        return operations.count == 1 ? operations.first : nil
    }

    /// The document's fragment definitions by name.
    var fragments: [String: FragmentDefinition] {
        var result: [String: FragmentDefinition] = [:]
        for case let fragment as FragmentDefinition in definitions { result[fragment.name.value] = fragment }
        return result
    }
}
