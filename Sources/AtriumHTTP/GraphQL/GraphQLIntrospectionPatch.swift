import GraphQL
import OrderedCollections
import Synchronization

/// Works around a GraphQLSwift 4.3.0 gap: `__InputValue.isDeprecated` (asked by current introspection queries:
/// graphql-core's, so Python `gql`, and GraphiQL's) has no resolver, and the default one cannot read it from
/// `GraphQLArgumentDefinition`/`InputObjectFieldDefinition`, so introspection failed with "Cannot return null for
/// non-nullable field". The field gets a resolver reading `deprecationReason`, once per process.
enum GraphQLIntrospectionPatch {
    private static let applied = Mutex(false)

    static func apply(to schema: GraphQLSchema) throws {
        try applied.withLock { applied in
            guard !applied, let inputValue = schema.getType(name: "__InputValue") as? GraphQLObjectType else { return }
            var fields = try inputValue.fields()
            fields["isDeprecated"] = GraphQLField(type: GraphQLNonNull(GraphQLBoolean)) { source, _, _, _ in
                switch source {
                case let argument as GraphQLArgumentDefinition: argument.deprecationReason != nil
                case let field as InputObjectFieldDefinition: field.deprecationReason != nil
                default: false
                }
            }
            let patched = fields
            inputValue.fields = { patched }
            applied = true
        }
    }
}
