extension ObjectDefinition {
    /// Twenty's `favoriteFolder`: a named group of favorites in the left menu.
    public static let favoriteFolder = ObjectDefinition(
        nameSingular: "favoriteFolder", namePlural: "favoriteFolders", labelSingular: "Favorite Folder", labelPlural: "Favorite Folders",
        description: "A Folder of favorites", icon: "IconFolder", isSystem: true,
        labelIdentifierField: "name",
        systemFields: [],
        fields: [
            FieldDefinition("position", .number, label: "Position", description: "Favorite folder position", icon: "IconList",
                            isNullable: false, defaultValue: 0),
            FieldDefinition("name", .text, label: "Name", description: "Name of the favorite folder", icon: "IconText",
                            isNullable: false, defaultValue: "''"),
            .oneToMany("favorites", label: "Favorites", target: "favorite", inverse: "favoriteFolder",
                       description: "Favorites in this folder", icon: "IconHeart"),
        ]
    )
}
