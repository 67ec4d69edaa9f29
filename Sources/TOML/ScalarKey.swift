/// A table key compared by its exact Unicode scalars.
///
/// Swift's `String` equality is canonical equivalence (`"\u{E9}" == "e\u{301}"`), but TOML keys
/// are equal only when their scalars are (toml.io v1.0.0 "Keys": a key is a sequence of
/// characters, no normalization), so tables index their keys with this instead of `String`.
struct ScalarKey: Hashable {
    let text: String

    init(_ text: String) { self.text = text }

    static func == (lhs: ScalarKey, rhs: ScalarKey) -> Bool { lhs.text.utf8.elementsEqual(rhs.text.utf8) }

    func hash(into hasher: inout Hasher) {
        hasher.combine(text.utf8.count)
        for byte in text.utf8 { hasher.combine(byte) }
    }
}
