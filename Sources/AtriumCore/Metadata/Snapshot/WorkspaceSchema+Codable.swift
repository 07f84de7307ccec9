import Foundation

// MARK: - From and to the wire form

extension WorkspaceSchema {
    /// Builds a snapshot from its serialized form, interning every shape.
    /// - Throws: ``AtriumError`` `.internalError` for a field type Atrium does not know.
    init(wire: WorkspaceSchemaWire) throws {
        // Names of every object and field by id, to name relation targets and identifier fields.
        var objectNames: [UUID: String] = [:]
        var fieldNames: [UUID: (object: String, field: String)] = [:]
        for object in wire.o {
            objectNames[object.i] = object.ns
            for field in object.f ?? [] { fieldNames[field.i] = (object.ns, field.n) }
        }
        let objects = wire.o.sorted { $0.ns < $1.ns }
        var objectShapes: [Shared<ObjectShape>] = []
        var objectIDs = ContiguousArray<UUID>()
        var fieldIDs = ContiguousArray<UUID>()
        var optionIDs = ContiguousArray<UUID>()
        objectShapes.reserveCapacity(objects.count)
        for object in objects {
            let fields = (object.f ?? []).sorted { $0.n < $1.n }
            var fieldShapes: [Shared<FieldShape>] = []
            fieldShapes.reserveCapacity(fields.count)
            for field in fields {
                guard let type = FieldType(rawValue: field.y) else {
                    throw AtriumError(.internalError, "Field \(object.ns).\(field.n) has the unknown type \(field.y)")
                }
                let target = field.rf.flatMap { fieldNames[$0] }
                fieldShapes.append(Shared(FieldShape.interned(FieldShape.Content(
                    name: field.n, label: field.l, type: type, description: field.d, icon: field.ic, defaultValue: field.dv,
                    options: field.op?.map { OptionShape(value: $0.value, label: $0.label, position: $0.position, color: $0.color) },
                    settings: field.st, flags: FieldFlags(rawValue: field.b),
                    relationTargetObject: field.ro.flatMap { objectNames[$0] } ?? target?.object,
                    relationTargetField: target?.field, morphID: field.m
                ))))
                fieldIDs.append(field.i)
                for option in field.op ?? [] { optionIDs.append(option.id ?? Field.noID) }
            }
            objectShapes.append(Shared(ObjectShape.interned(ObjectShape.Content(
                nameSingular: object.ns, namePlural: object.np, labelSingular: object.ls, labelPlural: object.lp,
                description: object.d, icon: object.ic, targetTableName: object.t, flags: ObjectFlags(rawValue: object.b),
                duplicateCriteria: object.dc, shortcut: object.sc,
                labelIdentifierField: object.li.flatMap { fieldNames[$0] }.flatMap { $0.object == object.ns ? $0.field : nil },
                imageIdentifierField: object.ii.flatMap { fieldNames[$0] }.flatMap { $0.object == object.ns ? $0.field : nil },
                fields: fieldShapes
            ))))
            objectIDs.append(object.i)
        }
        let shape = SchemaShape.interned(SchemaShape.Content(objects: objectShapes))
        var ids = ContiguousArray<UUID>()
        ids.reserveCapacity(objectIDs.count + fieldIDs.count + optionIDs.count)
        ids += objectIDs
        ids += fieldIDs
        ids += optionIDs
        self.init(workspaceID: wire.w, metadataVersion: wire.v, databaseSchema: wire.s, shape: shape,
                  ids: IDTable(ids, searchable: objectIDs.count + fieldIDs.count))
    }

    /// The serialized form.
    var wire: WorkspaceSchemaWire {
        WorkspaceSchemaWire(w: workspaceID, v: metadataVersion, s: databaseSchema, o: objects.map { object in
            let content = object.content
            return WorkspaceSchemaWire.Object(
                i: object.id, ns: content.nameSingular, np: content.namePlural, ls: content.labelSingular, lp: content.labelPlural,
                d: content.description, ic: content.icon, t: content.targetTableName, b: content.flags.rawValue,
                dc: content.duplicateCriteria, sc: content.shortcut,
                li: object.labelIdentifierField?.id, ii: object.imageIdentifierField?.id,
                f: object.fields.map { field in
                    let content = field.content
                    return WorkspaceSchemaWire.Field(
                        i: field.id, n: content.name, y: content.type.rawValue, l: content.label, dv: content.defaultValue,
                        d: content.description, ic: content.icon,
                        op: field.options?.map { .init(id: $0.id, value: $0.value, label: $0.label, position: $0.position, color: $0.color) },
                        st: content.settings, b: content.flags.rawValue,
                        rf: field.relationTargetField?.id, ro: field.relationTargetObject?.id, m: content.morphID
                    )
                }
            )
        })
    }
}

// MARK: - Codable

extension WorkspaceSchema: Codable {
    /// Decodes the compact form written by ``encode(to:)`` (short keys, flags as bits), interning shapes.
    public init(from decoder: any Decoder) throws {
        try self.init(wire: WorkspaceSchemaWire(from: decoder))
    }

    /// Encodes the compact form.
    public func encode(to encoder: any Encoder) throws {
        try wire.encode(to: encoder)
    }

    /// The snapshot as the JSON bytes stored in the shared cache.
    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys  // equal snapshots, equal bytes
        return Array(try encoder.encode(self))
    }

    /// Decodes bytes written by ``encoded()``.
    public init(encoded bytes: [UInt8]) throws {
        self = try JSONDecoder().decode(WorkspaceSchema.self, from: Data(bytes))
    }
}

// MARK: - From definitions

extension WorkspaceSchema {
    /// The snapshot a workspace created with `definitions` has: fresh ids, as ``WorkspaceProvisioner`` assigns them.
    ///
    /// For benchmarks and tests that need many workspaces' snapshots without their schemas.
    /// - Throws: ``FieldDefinitionError`` for a relation to a missing object or field.
    public init(
        definitions: [ObjectDefinition], workspaceID: UUID = UUID(), metadataVersion: Int = 1, databaseSchema: String? = nil
    ) throws {
        let rows = try MetadataRows(definitions)
        var fieldsByObject: [UUID: [WorkspaceSchemaWire.Field]] = [:]
        for field in rows.fields {
            var flags: FieldFlags = [.isActive]
            if field.isCustom { flags.insert(.isCustom) }
            if field.isSystem { flags.insert(.isSystem) }
            if field.isUIReadOnly { flags.insert(.isUIReadOnly) }
            if field.isNullable { flags.insert(.isNullable) }
            if field.isUnique { flags.insert(.isUnique) }
            fieldsByObject[field.objectMetadataId, default: []].append(WorkspaceSchemaWire.Field(
                i: field.id, n: field.name, y: field.type, l: field.label, dv: field.defaultValue, d: field.description, ic: field.icon,
                op: field.options?.map { .init(id: $0.id, value: $0.value, label: $0.label, position: $0.position, color: $0.color) },
                st: field.settings, b: flags.rawValue, rf: field.relationTargetFieldMetadataId, ro: field.relationTargetObjectMetadataId,
                m: nil
            ))
        }
        let objects = rows.objects.map { object in
            var flags: ObjectFlags = [.isActive]
            if object.isCustom { flags.insert(.isCustom) }
            if object.isSystem { flags.insert(.isSystem) }
            if object.isAuditLogged { flags.insert(.isAuditLogged) }
            if object.isSearchable { flags.insert(.isSearchable) }
            return WorkspaceSchemaWire.Object(
                i: object.id, ns: object.nameSingular, np: object.namePlural, ls: object.labelSingular, lp: object.labelPlural,
                d: object.description, ic: object.icon, t: object.targetTableName, b: flags.rawValue, dc: object.duplicateCriteria,
                sc: nil, li: object.labelIdentifierFieldMetadataId, ii: object.imageIdentifierFieldMetadataId,
                f: fieldsByObject[object.id] ?? []
            )
        }
        try self.init(wire: WorkspaceSchemaWire(
            w: workspaceID, v: metadataVersion, s: databaseSchema ?? WorkspaceSchemaName.of(workspaceID), o: objects
        ))
    }
}
