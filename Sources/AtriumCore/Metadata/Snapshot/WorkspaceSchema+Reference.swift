import Foundation

/// The form of a ``WorkspaceSchema`` kept in the shared cache: the workspace's ids, with each object's shape named by
/// its digest instead of spelled out. Shapes are stored once for all workspaces (``CacheKey/metadataObjectShape(_:)``),
/// so a standard workspace costs Redis about 10 KB, and a process that already holds the shapes decodes only ids.
///
/// Layout (little-endian): `AWS1`, version (Int64), workspace id (16), schema name (UInt16 length + UTF-8), object
/// count (UInt32), then per object: shape digest (32), object id (16), field count (UInt32) + field ids (16 each),
/// option count (UInt32) + option ids (16 each).
extension WorkspaceSchema {
    static let referenceMagic: [UInt8] = Array("AWS1".utf8)

    /// What decoding a reference form gave.
    enum ReferenceDecoding {
        case schema(WorkspaceSchema)
        /// These shapes are not held in this process: fetch their records, intern them, decode again.
        case missingShapes([ShapeDigest])
    }

    /// The reference form, as stored in the shared cache.
    public func referenceEncoded() -> [UInt8] {
        var out = Self.referenceMagic
        out.reserveCapacity(64 + ids.ids.count * 16 + shape.objectCount * 40)
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { out += $0 } }
        func append(_ id: UUID) { withUnsafeBytes(of: id.uuid) { out += $0 } }
        append(Int64(metadataVersion))
        append(workspaceID)
        let name = Array(databaseSchema.utf8)
        append(UInt16(name.count))
        out += name
        append(UInt32(shape.objectCount))
        let optionBase = shape.objectCount + shape.fieldCount
        for (index, object) in shape.content.objects.enumerated() {
            for word in object.value.digest.words { append(word) }
            append(ids[index])
            let fields = shape.fieldStart[index]..<shape.fieldStart[index + 1]
            append(UInt32(fields.count))
            for field in fields { append(ids[shape.objectCount + field]) }
            let options = shape.optionStart[fields.lowerBound]..<shape.optionStart[fields.upperBound]
            append(UInt32(options.count))
            for option in options { append(ids[optionBase + option]) }
        }
        return out
    }

    /// The distinct object shapes of this snapshot, with the records other processes need to decode its reference form.
    var objectShapeRecords: [(digest: ShapeDigest, record: [UInt8])] {
        shape.content.objects.map { ($0.value.digest, $0.value.record) }
    }

    /// Decodes a reference form with the shapes this process holds.
    /// - Throws: ``AtriumError`` `.internalError` for malformed bytes.
    static func decodeReference(_ bytes: [UInt8]) throws -> ReferenceDecoding {
        var reader = ByteReader(bytes: bytes)
        guard Array(try reader.bytes(4)) == referenceMagic else { throw ByteReader.malformed }
        let version = Int(try reader.integer(Int64.self))
        let workspace = try reader.uuid()
        let name = String(decoding: try reader.bytes(Int(try reader.integer(UInt16.self))), as: UTF8.self)
        let objectCount = Int(try reader.integer(UInt32.self))
        var objects: [Shared<ObjectShape>] = []
        var missing: [ShapeDigest] = []
        var objectIDs = ContiguousArray<UUID>()
        var fieldIDs = ContiguousArray<UUID>()
        var optionIDs = ContiguousArray<UUID>()
        for _ in 0..<objectCount {
            let digest = ShapeDigest(words: try (0..<4).map { _ in try reader.integer(UInt64.self) })
            objectIDs.append(try reader.uuid())
            for _ in 0..<Int(try reader.integer(UInt32.self)) { fieldIDs.append(try reader.uuid()) }
            for _ in 0..<Int(try reader.integer(UInt32.self)) { optionIDs.append(try reader.uuid()) }
            if let shape = ObjectShape.find(digest) { objects.append(Shared(shape)) } else { missing.append(digest) }
        }
        guard missing.isEmpty else { return .missingShapes(missing) }
        let shape = SchemaShape.interned(SchemaShape.Content(objects: objects))
        guard shape.fieldCount == fieldIDs.count, shape.optionCount == optionIDs.count else { throw ByteReader.malformed }
        var ids = objectIDs
        ids += fieldIDs
        ids += optionIDs
        return .schema(WorkspaceSchema(workspaceID: workspace, metadataVersion: version, databaseSchema: name, shape: shape,
                                       ids: IDTable(ids, searchable: objectIDs.count + fieldIDs.count)))
    }
}

/// Reads the reference form.
private struct ByteReader {
    static let malformed = AtriumError(.internalError, "Malformed metadata snapshot in the shared cache")
    let bytes: [UInt8]
    var offset = 0

    mutating func bytes(_ count: Int) throws -> ArraySlice<UInt8> {
        guard count >= 0, offset + count <= bytes.count else { throw Self.malformed }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    mutating func integer<T: FixedWidthInteger>(_: T.Type) throws -> T {
        let slice = try bytes(MemoryLayout<T>.size)
        return T(littleEndian: slice.withUnsafeBytes { $0.loadUnaligned(as: T.self) })
    }

    mutating func uuid() throws -> UUID {
        let slice = try bytes(16)
        return slice.withUnsafeBytes { UUID(uuid: $0.loadUnaligned(as: uuid_t.self)) }
    }
}
