import Crypto
import Foundation

// The workspace-independent parts of metadata ("shapes"): everything but ids. Each distinct shape exists once per
// process (see ``InternTable``), so workspaces with the standard objects share one ``SchemaShape`` and a workspace
// with one custom field shares every other object and field with the rest.

/// A SELECT/MULTI_SELECT option without its id.
struct OptionShape: Hashable, Sendable, Codable {
    var value: String
    var label: String
    var position: Int?
    var color: String?
}

/// A field without its ids; relation targets are named (`nameSingular`, field name), not identified.
final class FieldShape: Sendable {
    struct Content: Hashable, Sendable, Codable {
        var name: String
        var label: String
        var type: FieldType
        var description: String?
        var icon: String?
        var defaultValue: JSONValue?
        var options: [OptionShape]?
        var settings: JSONValue?
        var flags: FieldFlags
        var relationTargetObject: String?
        var relationTargetField: String?
        var morphID: UUID?
    }

    let content: Content

    private init(_ content: Content) { self.content = content }

    private static let table = InternTable<Content, FieldShape> { $0.content }

    /// The shared instance for `content`.
    static func interned(_ content: Content) -> FieldShape { table.intern(content, make: FieldShape.init) }
}

/// An object without its ids, with its fields ordered by name.
final class ObjectShape: Sendable {
    struct Content: Hashable, Sendable, Codable {
        var nameSingular: String
        var namePlural: String
        var labelSingular: String
        var labelPlural: String
        var description: String?
        var icon: String?
        var targetTableName: String
        var flags: ObjectFlags
        var duplicateCriteria: [[String]]?
        var shortcut: String?
        var labelIdentifierField: String?
        var imageIdentifierField: String?
        var fields: [Shared<FieldShape>]
    }

    let content: Content
    /// Field positions by name.
    let fieldIndex: [String: Int]
    /// SHA-256 of ``record``: names this shape across processes (see ``WorkspaceSchema/referenceEncoded()``).
    let digest: ShapeDigest
    /// The content as JSON with sorted keys.
    let record: [UInt8]

    private init(_ content: Content) {
        self.content = content
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        self.record = (try? Array(encoder.encode(content))) ?? []
        self.digest = ShapeDigest(SHA256.hash(data: record))
        var index: [String: Int] = [:]
        for (position, field) in content.fields.enumerated() { index[field.value.content.name] = position }
        self.fieldIndex = index
    }

    private static let table = InternTable<Content, ObjectShape> { $0.content }
    private static let byDigest = InternTable<ShapeDigest, ObjectShape> { $0.digest }

    /// The shared instance for `content`.
    static func interned(_ content: Content) -> ObjectShape {
        let shape = table.intern(content, make: ObjectShape.init)
        _ = byDigest.intern(shape.digest) { _ in shape }
        return shape
    }

    /// The shape whose ``digest`` is `digest`, if this process holds it.
    static func find(_ digest: ShapeDigest) -> ObjectShape? { byDigest.find(digest) }

    /// Decodes a ``record`` (from another process) and interns it.
    static func interned(record: [UInt8]) throws -> ObjectShape {
        interned(try JSONDecoder().decode(Content.self, from: Data(record)))
    }
}

/// A SHA-256 digest naming an ``ObjectShape``.
struct ShapeDigest: Hashable, Sendable {
    let high: (UInt64, UInt64)
    let low: (UInt64, UInt64)

    init<D: Digest>(_ digest: D) {
        var words: [UInt64] = [0, 0, 0, 0]
        digest.withUnsafeBytes { bytes in
            for index in 0..<32 { words[index / 8] = words[index / 8] << 8 | UInt64(bytes[index]) }
        }
        (high, low) = ((words[0], words[1]), (words[2], words[3]))
    }

    init(words: [UInt64]) {
        (high, low) = ((words[0], words[1]), (words[2], words[3]))
    }

    var words: [UInt64] { [high.0, high.1, low.0, low.1] }
    var hex: String { words.map { String($0, radix: 16).leftPadded(to: 16) }.joined() }

    static func == (a: Self, b: Self) -> Bool { a.words == b.words }
    func hash(into hasher: inout Hasher) { hasher.combine(high.0); hasher.combine(high.1); hasher.combine(low.0); hasher.combine(low.1) }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String { String(repeating: "0", count: max(0, length - count)) + self }
}

/// A whole workspace's metadata without ids, objects ordered by `nameSingular`, with every lookup table precomputed.
///
/// Ids of a workspace live in one flat array laid out by this shape: objects, then fields (object by object), then
/// options (field by field).
final class SchemaShape: Sendable {
    struct Content: Hashable, Sendable {
        var objects: [Shared<ObjectShape>]
    }

    let content: Content
    let objectsBySingular: [String: Int]
    let objectsByPlural: [String: Int]
    /// The global index of each object's first field; one more entry than objects.
    let fieldStart: [Int]
    /// The option-id offset of each global field; one more entry than fields.
    let optionStart: [Int]
    /// Per global field: the relation target's object index and global field index, or -1.
    let relationTargetObject: [Int32]
    let relationTargetField: [Int32]
    /// The object index of each global field.
    let objectOfField: [Int32]
    /// Per MORPH_RELATION global field: the objects it may point at (those with a one-to-many inverse naming it).
    let morphTargets: [Int32: [Int32]]

    var objectCount: Int { content.objects.count }
    var fieldCount: Int { fieldStart[fieldStart.count - 1] }
    var optionCount: Int { optionStart[optionStart.count - 1] }
    /// Ids a workspace of this shape has: objects, fields and options.
    var idCount: Int { objectCount + fieldCount + optionCount }

    private init(_ content: Content) {
        self.content = content
        var byName: [String: Int] = [:]
        var byPlural: [String: Int] = [:]
        var fieldStart = [0]
        var optionStart = [0]
        var objectOfField: [Int32] = []
        for (index, object) in content.objects.enumerated() {
            byName[object.value.content.nameSingular] = index
            byPlural[object.value.content.namePlural] = index
            fieldStart.append(fieldStart[index] + object.value.content.fields.count)
            for field in object.value.content.fields {
                optionStart.append(optionStart[optionStart.count - 1] + (field.value.content.options?.count ?? 0))
                objectOfField.append(Int32(index))
            }
        }
        var targetObject: [Int32] = []
        var targetField: [Int32] = []
        for object in content.objects {
            for field in object.value.content.fields {
                let shape = field.value.content
                guard let objectName = shape.relationTargetObject, let target = byName[objectName] else {
                    targetObject.append(-1)
                    targetField.append(-1)
                    continue
                }
                targetObject.append(Int32(target))
                let local = shape.relationTargetField.flatMap { content.objects[target].value.fieldIndex[$0] }
                targetField.append(local.map { Int32(fieldStart[target] + $0) } ?? -1)
            }
        }
        var morphTargets: [Int32: [Int32]] = [:]
        for (index, object) in content.objects.enumerated() {
            for (local, field) in object.value.content.fields.enumerated() {
                let target = targetField[fieldStart[index] + local]
                guard target >= 0, field.value.content.type == .relation else { continue }
                let objectIndex = objectOfField[Int(target)]
                let targetObject = content.objects[Int(objectIndex)].value.content
                let targetLocal = Int(target) - fieldStart[Int(objectIndex)]
                guard targetObject.fields[targetLocal].value.content.type == .morphRelation else { continue }
                morphTargets[target, default: []].append(Int32(index))
            }
        }
        self.morphTargets = morphTargets
        self.objectsBySingular = byName
        self.objectsByPlural = byPlural
        self.fieldStart = fieldStart
        self.optionStart = optionStart
        self.relationTargetObject = targetObject
        self.relationTargetField = targetField
        self.objectOfField = objectOfField
    }

    private static let table = InternTable<Content, SchemaShape> { $0.content }

    /// The shared instance for `content`.
    static func interned(_ content: Content) -> SchemaShape { table.intern(content, make: SchemaShape.init) }

    /// Distinct shapes alive in the process (for tests and benchmarks).
    static var liveCount: Int { table.liveCount }
}

/// A reference to an interned instance, compared and hashed by identity (interned values are equal iff identical).
struct Shared<Value: AnyObject & Sendable>: Hashable, Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
    static func == (lhs: Self, rhs: Self) -> Bool { lhs.value === rhs.value }
    func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(value)) }
}

extension Shared: Codable where Value == FieldShape {
    init(from decoder: any Decoder) throws { self.init(FieldShape.interned(try FieldShape.Content(from: decoder))) }
    func encode(to encoder: any Encoder) throws { try value.content.encode(to: encoder) }
}
