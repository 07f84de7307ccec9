import AtriumCore
import GraphQL
import OrderedCollections

// MARK: - Relation connect inputs

extension GraphQLSchemaBuilder {
    /// The composite properties a record can be found by when connecting to it (Twenty's `isIncludedInUniqueConstraint`).
    static let uniqueProperties: [FieldType: [String]] = [
        .links: ["primaryLinkUrl"], .emails: ["primaryEmail"], .phones: ["primaryPhoneNumber"],
    ]

    /// `CompanyRelationInput {connect: {where: CompanyWhereUniqueInput}, disconnect: Boolean}`, the input a create or
    /// update gives a many-to-one relation field (`company`) beside its `companyId`.
    func relationInput(_ target: WorkspaceSchema.Object) throws -> GraphQLInputObjectType {
        let name = Self.typeName(target)
        if let existing = relationInputs[target.nameSingular] { return existing }
        var whereFields: InputObjectFieldMap = ["id": InputObjectField(type: GraphQLScalars.uuid, description: "Connect by Id")]
        for field in target.fields where field.isActive && field.isUnique {
            switch field.storage {
            case .scalar(let column):
                whereFields[field.name] = InputObjectField(type: try inputType(field, column), description: "Connect by \(field.label)")
            case .composite:
                guard let properties = Self.uniqueProperties[field.type], !properties.isEmpty else { continue }
                var propertyFields = InputObjectFieldMap()
                for property in properties { propertyFields[property] = InputObjectField(type: GraphQLString, description: "Connect by \(property)") }
                let input = try GraphQLInputObjectType(name: name + Self.pascalCase(field.name) + "WhereInput", fields: propertyFields)
                whereFields[field.name] = InputObjectField(type: input, description: "Connect by \(field.label)")
            default:
                continue
            }
        }
        let whereUnique = try GraphQLInputObjectType(name: name + "WhereUniqueInput", fields: whereFields)
        let connect = try GraphQLInputObjectType(name: name + "ConnectInput", fields: [
            "where": InputObjectField(type: GraphQLNonNull(whereUnique), description: "Find a \(target.nameSingular) record based on its unique fields"),
        ])
        let input = try GraphQLInputObjectType(name: name + "RelationInput", fields: [
            "connect": InputObjectField(type: connect, description: "Connect to a \(target.nameSingular) record"),
            "disconnect": InputObjectField(type: GraphQLBoolean, description: "Disconnect from a \(target.nameSingular) record"),
        ])
        relationInputs[target.nameSingular] = input
        return input
    }
}
