import AtriumCore
import Testing

/// Invariants over ``StandardObjects/all``: names, relations both ways, identifiers, options and column names.
@Suite struct StandardObjectsTests {
    /// The plural names of CLIENT-ROUTES.md (twentycrm-api-client 1.18.1), one route family each.
    static let clientPlurals: Set<String> = [
        "attachments", "blocklists", "calendarChannelEventAssociations", "calendarChannels", "calendarEventParticipants",
        "calendarEvents", "companies", "connectedAccounts", "dashboards", "favoriteFolders", "favorites",
        "messageChannelMessageAssociations", "messageChannels", "messageFolders", "messageParticipants", "messageThreads",
        "messages", "noteTargets", "notes", "opportunities", "people", "taskTargets", "tasks", "timelineActivities",
        "workflowAutomatedTriggers", "workflowRuns", "workflowVersions", "workflows", "workspaceMembers",
    ]

    let objects = StandardObjects.all

    func object(_ name: String) -> ObjectDefinition? { objects.first { $0.nameSingular == name } }

    @Test func namesAreUnique() {
        #expect(Set(objects.map(\.nameSingular)).count == objects.count)
        #expect(Set(objects.map(\.namePlural)).count == objects.count)
        #expect(Set(objects.map(\.nameSingular)).isDisjoint(with: objects.map(\.namePlural)))
    }

    @Test func pluralsMatchTheOfficialClientRoutes() {
        #expect(Set(objects.map(\.namePlural)) == Self.clientPlurals)
    }

    @Test func fieldNamesAreUniquePerObject() {
        for object in objects {
            let names = object.allFields.map(\.name)
            #expect(Set(names).count == names.count, "duplicate field in \(object.nameSingular)")
        }
    }

    @Test func everyRelationHasItsInverse() {
        for object in objects {
            for field in object.allFields where field.type.isRelation {
                let sides = field.type == .morphRelation ? field.morphTargets : [field.relation].compactMap { $0 }
                #expect(!sides.isEmpty, "\(object.nameSingular).\(field.name) describes no relation")
                for side in sides {
                    let label = "\(object.nameSingular).\(field.name) → \(side.targetObject).\(side.inverseField)"
                    guard let target = self.object(side.targetObject) else {
                        Issue.record("unknown target: \(label)")
                        continue
                    }
                    guard let inverse = target.field(named: side.inverseField) else {
                        Issue.record("missing inverse: \(label)")
                        continue
                    }
                    #expect(inverse.morphTargets.isEmpty || inverse.type == .morphRelation)
                    switch side.type {
                    case .manyToOne:
                        #expect(side.onDelete != nil, "\(label) has no onDelete")
                        #expect(inverse.type == .relation, "\(label): inverse is not a RELATION")
                        #expect(inverse.relation?.type == .oneToMany, "\(label): inverse is not one-to-many")
                        #expect(inverse.relation?.targetObject == object.nameSingular, "\(label): inverse targets another object")
                        #expect(inverse.relation?.inverseField == field.name, "\(label): inverse points at another field")
                    case .oneToMany:
                        #expect(side.onDelete == nil, "\(label): onDelete on the one-to-many side")
                        let back = inverse.type == .morphRelation
                            ? inverse.morphTargets.first { $0.targetObject == object.nameSingular }
                            : inverse.relation
                        #expect(back?.type == .manyToOne, "\(label): inverse is not many-to-one")
                        #expect(back?.targetObject == object.nameSingular, "\(label): inverse targets another object")
                        #expect(back?.inverseField == field.name, "\(label): inverse points at another field")
                    }
                }
            }
        }
    }

    @Test func morphTargetsAreDistinct() {
        for object in objects {
            for field in object.fields where field.type == .morphRelation {
                let targets = field.morphTargets.map(\.targetObject)
                #expect(Set(targets).count == targets.count, "\(object.nameSingular).\(field.name)")
                #expect(field.morphTargets.allSatisfy { $0.type == .manyToOne })
            }
        }
    }

    @Test func identifierFieldsExist() {
        for object in objects {
            #expect(object.field(named: object.labelIdentifierField) != nil, "\(object.nameSingular) label identifier")
            if let image = object.imageIdentifierField {
                #expect(object.field(named: image) != nil, "\(object.nameSingular) image identifier")
            }
        }
    }

    @Test func searchFieldsExistAndOnlySearchableObjectsHaveThem() {
        for object in objects {
            for name in object.searchFields {
                let field = object.field(named: name)
                #expect(field != nil, "\(object.nameSingular).\(name) is not a field")
                #expect(field?.type.isRelation == false, "\(object.nameSingular).\(name) is a relation")
            }
            #expect(object.systemFields.contains(.searchVector) == !object.searchFields.isEmpty, "\(object.nameSingular) searchVector")
        }
    }

    @Test func selectOptionsAreWellFormed() {
        for object in objects {
            for field in object.allFields where field.type == .select || field.type == .multiSelect {
                let label = "\(object.nameSingular).\(field.name)"
                let options = field.options ?? []
                #expect(!options.isEmpty, "\(label) has no options")
                #expect(Set(options.map(\.value)).count == options.count, "\(label) repeats a value")
                #expect(Set(options.map(\.position)).count == options.count, "\(label) repeats a position")
                let allowed = Set(options.map { "'\($0.value)'" })
                switch field.defaultValue {
                case nil, .null?: break
                case .string(let value)?: #expect(allowed.contains(value), "\(label) default \(value)")
                case .array(let values)?:
                    for case .string(let value) in values { #expect(allowed.contains(value), "\(label) default \(value)") }
                default: Issue.record("\(label) has a malformed default")
                }
            }
        }
    }

    @Test func columnNamesAreUniquePerObject() {
        for object in objects {
            let columns = Self.columns(of: object)
            #expect(Set(columns).count == columns.count, "\(object.nameSingular): \(columns.sorted())")
        }
    }

    @Test func duplicateCriteriaNameColumns() {
        for object in objects {
            let columns = Set(Self.columns(of: object))
            for name in object.duplicateCriteria.joined() {
                #expect(columns.contains(name), "\(object.nameSingular) duplicate criterion \(name)")
            }
        }
    }

    @Test func theOfficialClientEnumsAreTheOptions() {
        let stage = object("opportunity")?.field(named: "stage")
        #expect(stage?.options?.map(\.value) == ["NEW", "SCREENING", "MEETING", "PROPOSAL", "CUSTOMER"])
        #expect(stage?.defaultValue == "'NEW'")
        let status = object("task")?.field(named: "status")
        #expect(status?.options?.map(\.value) == ["TODO", "IN_PROGRESS", "DONE"])
    }

    @Test func wireShapesTheClientExpects() throws {
        let person = try #require(object("person"))
        #expect(Self.columns(of: person).contains("companyId"))
        #expect(person.field(named: "company")?.relation?.onDelete == .setNull)
        let noteTarget = try #require(object("noteTarget"))
        #expect(Set(Self.columns(of: noteTarget)).isSuperset(of: ["noteId", "targetPersonId", "targetCompanyId", "targetOpportunityId"]))
        #expect(noteTarget.field(named: "note")?.relation?.onDelete == .cascade)
        let member = try #require(object("workspaceMember"))
        #expect(member.field(named: "userId")?.type == .uuid)
        #expect(object("favorite")?.field(named: "position")?.type == .number)
        #expect(object("favorite")?.systemFields.contains(.position) == false)
        #expect(object("attachment")?.systemFields == [.createdBy, .updatedBy])
    }

    /// The columns an object's fields produce: composites per property, many-to-one as `<name>Id`,
    /// morph relations as `<name><Target>Id`, one-to-many none.
    static func columns(of object: ObjectDefinition) -> [String] {
        object.allFields.flatMap { field -> [String] in
            if let composite = CompositeType.of(field.type) {
                return composite.properties.map { CompositeType.columnName(field: field.name, property: $0.name) }
            }
            switch field.type {
            case .relation:
                return field.relation?.type == .manyToOne ? [field.name + "Id"] : []
            case .morphRelation:
                return field.morphTargets.map { field.name + $0.targetObject.prefix(1).uppercased() + $0.targetObject.dropFirst() + "Id" }
            default:
                return [field.name]
            }
        }
    }
}
