import Cloudflare

/// A validator for the JSON Schema keywords Cloudflare's OpenAPI description uses: `$ref`
/// (document-internal), `allOf`, `anyOf`, `oneOf`, `type`, `nullable`, `properties`, `required`,
/// `enum`, `minimum`, `maximum`, `minLength`, `maxLength`, `items`, and `readOnly` (a read-only
/// property in a request is a violation, OpenAPI 3.0 §4.7.25). Other keywords are ignored.
struct SchemaValidator: Sendable {
    let document: JSONValue
    /// `#/components/schemas/…` resolved once: every `$ref` of the description points there.
    private let schemas: [String: JSONValue]

    init(document: JSONValue) {
        self.document = document
        var schemas: [String: JSONValue] = [:]
        if case .object(let named)? = document["components"]?["schemas"] {
            for (name, schema) in named { schemas["#/components/schemas/\(name)"] = schema }
        }
        self.schemas = schemas
    }

    /// Why `value` does not satisfy `schema` (empty when it does), each naming where.
    func violations(of value: JSONValue, against schema: JSONValue, at location: String, inRequest: Bool = true, depth: Int = 0) -> [String] {
        guard depth < 64 else { return ["\(location): schema nesting too deep"] }
        guard case .object(let keywords) = schema else { return [] }
        if case .string(let reference)? = keywords["$ref"] {
            guard let target = resolve(reference) else { return ["\(location): unresolvable $ref \(reference)"] }
            return violations(of: value, against: target, at: location, inRequest: inRequest, depth: depth + 1)
        }
        if value == .null {
            if keywords["nullable"] == .bool(true) { return [] }
            if keywords["type"] != nil { return ["\(location): null is not allowed"] }
        }
        var found: [String] = []
        if case .bool(true)? = keywords["readOnly"], inRequest { found.append("\(location): read-only, not to be sent") }
        if case .string(let type)? = keywords["type"], !Self.matches(value, type: type) {
            return found + ["\(location): expected \(type), found \(Self.kind(of: value))"]
        }
        if case .array(let allowed)? = keywords["enum"], !allowed.contains(value) {
            found.append("\(location): \(Self.render(value)) is not one of \(allowed.map(Self.render).joined(separator: ", "))")
        }
        if case .number(let number) = value {
            if case .number(let minimum)? = keywords["minimum"], number < minimum { found.append("\(location): \(number) is below the minimum \(minimum)") }
            if case .number(let maximum)? = keywords["maximum"], number > maximum { found.append("\(location): \(number) is above the maximum \(maximum)") }
        }
        if case .string(let text) = value {
            if case .number(let maximum)? = keywords["maxLength"], Double(text.count) > maximum { found.append("\(location): longer than \(Int(maximum)) characters") }
            if case .number(let minimum)? = keywords["minLength"], Double(text.count) < minimum { found.append("\(location): shorter than \(Int(minimum)) characters") }
        }
        if case .object(let members) = value {
            if case .array(let required)? = keywords["required"] {
                for case .string(let name) in required where members[name] == nil { found.append("\(location).\(name): required") }
            }
            if case .object(let properties)? = keywords["properties"] {
                for (name, member) in members.sorted(by: { $0.key < $1.key }) {
                    if let property = properties[name] {
                        found += violations(of: member, against: property, at: "\(location).\(name)", inRequest: inRequest, depth: depth + 1)
                    }
                }
            }
        }
        if case .array(let elements) = value, let items = keywords["items"] {
            for (index, element) in elements.enumerated() {
                found += violations(of: element, against: items, at: "\(location)[\(index)]", inRequest: inRequest, depth: depth + 1)
            }
        }
        if case .array(let parts)? = keywords["allOf"] {
            for part in parts { found += violations(of: value, against: part, at: location, inRequest: inRequest, depth: depth + 1) }
        }
        if case .array(let options)? = keywords["anyOf"],
           !options.contains(where: { violations(of: value, against: $0, at: location, inRequest: inRequest, depth: depth + 1).isEmpty }) {
            found.append("\(location): matches none of anyOf")
        }
        if case .array(let options)? = keywords["oneOf"] {
            let matching = options.filter { violations(of: value, against: $0, at: location, inRequest: inRequest, depth: depth + 1).isEmpty }.count
            if matching != 1 { found.append("\(location): matches \(matching) of oneOf, not exactly one") }
        }
        return found
    }

    /// The schema at a document-internal reference (`#/components/schemas/…`).
    func resolve(_ reference: String) -> JSONValue? {
        if let schema = schemas[reference] { return schema }
        guard reference.hasPrefix("#/") else { return nil }
        var node: JSONValue? = document
        for part in reference.dropFirst(2).split(separator: "/") {
            node = node?[String(part).replacingEscapes()]
        }
        return node
    }

    static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("number", .number): return true
        case ("integer", .number(let number)): return number.rounded() == number
        default: return false
        }
    }

    static func kind(of value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    static func render(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): return "\"\(text)\""
        case .number(let number): return number.rounded() == number && abs(number) < 1e15 ? String(Int(number)) : String(number)
        case .bool(let flag): return String(flag)
        case .null: return "null"
        case .array, .object: return kind(of: value)
        }
    }
}

extension String {
    /// A JSON-pointer token with `~1` and `~0` unescaped (RFC 6901 §4).
    fileprivate func replacingEscapes() -> String {
        var result = ""
        var iterator = makeIterator()
        while let character = iterator.next() {
            if character == "~", let next = iterator.next() {
                result.append(next == "1" ? "/" : next == "0" ? "~" : next)
            } else {
                result.append(character)
            }
        }
        return result
    }
}
