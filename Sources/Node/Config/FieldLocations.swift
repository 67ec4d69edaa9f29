import TOML

/// Where each validated field was written, so cross-field rules (checked on the model, whatever
/// the file format) can still name the file, line, column and the key as the operator wrote it.
struct FieldLocations {
    private var entries: [String: (key: String, position: TOMLPosition)] = [:]

    /// Records that the model field `field` came from `reader`'s `key`.
    mutating func record(_ field: String, _ reader: TableReader, _ key: String) {
        entries[field] = (reader.keyPath(key), reader.position(key))
    }

    func key(_ field: String) -> String { entries[field]?.key ?? field }

    func position(_ field: String) -> TOMLPosition? { entries[field]?.position }
}
