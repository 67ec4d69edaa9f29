import Cloudflare
import FoundationEssentials
import HTTP

/// The published OpenAPI description, read once: finds the operation a request targets and
/// lists everything about the request the description rejects (path and query parameters, the
/// security requirements, the JSON body). Query parameters the operation does not declare are
/// rejected too, so a misspelt filter cannot pass silently.
struct OpenAPIDocument: Sendable {
    private struct Operation: Sendable {
        let method: HTTPMethod
        let template: [Substring]
        let definition: JSONValue
    }

    private let validator: SchemaValidator
    private let operations: [Operation]
    private let securitySchemes: [String: JSONValue]

    /// Reads the description at `path`.
    init(contentsOf path: String) throws {
        let document = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        validator = SchemaValidator(document: document)
        var operations: [Operation] = []
        if case .object(let paths)? = document["paths"] {
            for (template, item) in paths {
                guard case .object(let methods) = item else { continue }
                for (name, definition) in methods {
                    guard let method = HTTPMethod(rawValue: name.uppercased()) else { continue }
                    operations.append(Operation(method: method, template: template.split(separator: "/"), definition: definition))
                }
            }
        }
        self.operations = operations
        if case .object(let schemes)? = document["components"]?["securitySchemes"] { securitySchemes = schemes } else { securitySchemes = [:] }
    }

    /// Whether the description has an operation for `method` on `path` (relative to the API base).
    func describes(_ method: HTTPMethod, path: String) -> Bool { operation(method, path: path) != nil }

    /// Everything the description rejects about the request (empty: valid). `path` is relative
    /// to the API base (`/zones/…`).
    func violations(of request: HTTPServerRequest, path: String) -> [String] {
        guard let (operation, pathValues) = operation(request.method, path: path) else { return ["no operation \(request.method.rawValue) \(path)"] }
        var found: [String] = []
        var declared: Set<String> = []
        if case .array(let parameters)? = operation.definition["parameters"] {
            for parameter in parameters {
                guard case .string(let name)? = parameter["name"], case .string(let place)? = parameter["in"] else { continue }
                let schema = parameter["schema"] ?? .object([:])
                let required = parameter["required"] == .bool(true)
                let raw: String?
                switch place {
                case "path": raw = pathValues[name]
                case "query": declared.insert(name); raw = request.queryValue(name)
                case "header": raw = request.headers.value(of: name)
                default: continue
                }
                guard let raw else {
                    if required { found.append("\(place) parameter \(name): required") }
                    continue
                }
                found += validator.violations(of: typed(raw, for: schema), against: schema, at: "\(place) parameter \(name)")
            }
        }
        for (name, _) in request.query where !declared.contains(name) { found.append("query parameter \(name): not declared by the operation") }
        if !satisfiesSecurity(operation.definition["security"], request.headers) { found.append("security: no accepted credentials (API token or e-mail and key)") }
        if case .object(let content)? = operation.definition["requestBody"]?["content"], let schema = content["application/json"]?["schema"] {
            if request.body.isEmpty {
                if operation.definition["requestBody"]?["required"] == .bool(true) { found.append("body: required") }
            } else if JSONValue.nests(request.body), let body = try? JSONDecoder().decode(JSONValue.self, from: Data(request.body)) {
                found += validator.violations(of: body, against: schema, at: "body")
            } else {
                found.append("body: not JSON")
            }
        } else if !request.body.isEmpty, operation.definition["requestBody"] == nil {
            found.append("body: the operation takes none")
        }
        return found
    }

    private func operation(_ method: HTTPMethod, path: String) -> (Operation, [String: String])? {
        let parts = path.split(separator: "/")
        for operation in operations where operation.method == method && operation.template.count == parts.count {
            var values: [String: String] = [:]
            var matched = true
            for (pattern, part) in zip(operation.template, parts) {
                if pattern.hasPrefix("{"), pattern.hasSuffix("}") {
                    values[String(pattern.dropFirst().dropLast())] = String(part)
                } else if pattern != part {
                    matched = false
                    break
                }
            }
            if matched { return (operation, values) }
        }
        return nil
    }

    /// A query or path value as the JSON type its schema names (`"2"` for a number is 2).
    private func typed(_ raw: String, for schema: JSONValue) -> JSONValue {
        var schema = schema
        for _ in 0..<8 {
            guard case .string(let reference)? = schema["$ref"], let target = validator.resolve(reference) else { break }
            schema = target
        }
        switch schema["type"] {
        case .string("number")?, .string("integer")?: return Double(raw).map(JSONValue.number) ?? .string(raw)
        case .string("boolean")?: return raw == "true" ? .bool(true) : raw == "false" ? .bool(false) : .string(raw)
        default: return .string(raw)
        }
    }

    /// Whether one of the alternatives of `security` is met: every scheme it names present.
    private func satisfiesSecurity(_ security: JSONValue?, _ headers: [HTTPHeader]) -> Bool {
        guard case .array(let alternatives)? = security, !alternatives.isEmpty else { return true }
        return alternatives.contains { alternative in
            guard case .object(let schemes) = alternative else { return false }
            return schemes.keys.allSatisfy { name in
                guard let scheme = securitySchemes[name] else { return false }
                switch (scheme["type"], scheme["in"], scheme["name"]) {
                case (.string("apiKey")?, .string("header")?, .string(let header)?):
                    return !(headers.value(of: header) ?? "").isEmpty
                case (.string("http")?, _, _):
                    return headers.value(of: "Authorization")?.hasPrefix("Bearer ") == true
                default:
                    return false
                }
            }
        }
    }
}
