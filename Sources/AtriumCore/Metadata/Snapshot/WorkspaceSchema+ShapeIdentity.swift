extension WorkspaceSchema {
    /// Identifies what this snapshot says without its ids: snapshots of workspaces with the same objects, fields,
    /// names, labels and options share one interned shape, so they have the same identity. Whatever is derived only
    /// from names and types (an API schema) can be built once per identity and shared between those workspaces.
    ///
    /// The identity is stable while a snapshot with this shape is alive (hold one with what you derive).
    public var shapeIdentity: ObjectIdentifier { ObjectIdentifier(shape) }
}
