/// The tables of a document while it is parsed, with how each was defined, which is what the
/// redefinition rules of toml.io v1.0.0 ("Table", "Array of Tables", "Inline Table") depend on.
final class TableNode {
    /// How a table came to exist.
    enum Origin {
        /// Named on the way to a deeper `[a.b.c]` header; a later `[a]` may still define it.
        case implicit
        /// Defined by its own `[header]` (or as an element of `[[header]]`).
        case header
        /// Created by a dotted key (`a.b = 1`); no header may define it afterwards.
        case dottedKey
    }

    enum Entry {
        case value(TOMLValue)
        case table(TableNode)
        /// An array of tables from `[[header]]`, which later headers may extend.
        case tables([TableNode])
    }

    var origin: Origin
    let position: TOMLPosition
    private(set) var keys: [String] = []
    private(set) var entries: [ScalarKey: Entry] = [:]
    private(set) var positions: [ScalarKey: TOMLPosition] = [:]

    init(origin: Origin, position: TOMLPosition) {
        self.origin = origin
        self.position = position
    }

    subscript(key: String) -> Entry? { entries[ScalarKey(key)] }

    func set(_ key: String, _ entry: Entry, at position: TOMLPosition) {
        if entries.updateValue(entry, forKey: ScalarKey(key)) == nil {
            keys.append(key)
            positions[ScalarKey(key)] = position
        }
    }

    /// Where `key` was first defined.
    func position(of key: String) -> TOMLPosition? { positions[ScalarKey(key)] }

    /// The finished value.
    var value: TOMLTable {
        var table = TOMLTable(position: position)
        for key in keys {
            let position = positions[ScalarKey(key)]!
            switch entries[ScalarKey(key)]! {
            case .value(let value): table.set(key, value, at: position)
            case .table(let node): table.set(key, .table(node.value), at: position)
            case .tables(let nodes): table.set(key, .array(nodes.map { .table($0.value) }), at: position)
            }
        }
        return table
    }
}
