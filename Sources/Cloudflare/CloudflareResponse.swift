import FoundationEssentials
import HTTP

/// Turns one HTTP answer into an envelope or a named `CloudflareError`; never traps, whatever
/// the bytes (fuzzed with 20,000 inputs).
public enum CloudflareResponse {
    /// The envelope of a successful answer (2xx, `success: true`, `result` of type `Result`).
    public static func decode<Result: Decodable & Sendable>(_ response: HTTPResponse, as _: Result.Type) -> Swift.Result<CloudflareEnvelope<Result>, CloudflareError> {
        let status = response.status
        if (300..<400).contains(status) {
            return .failure(.redirected(status: status, location: response.headers.value(of: "Location")))
        }
        let retryAfter = response.headers.value(of: "Retry-After").flatMap { Int($0) }.map { Duration.seconds(max(0, $0)) }
        guard JSONValue.nests(response.body) else { return .failure(.notJSON(status: status)) }
        let decoder = JSONDecoder()
        let data = Data(response.body)
        guard let envelope = try? decoder.decode(CloudflareEnvelope<Result>.self, from: data) else {
            if let head = try? decoder.decode(CloudflareEnvelope<JSONValue>.self, from: data) {
                // An envelope whose result has another shape: a failure carries its codes.
                if !head.success || !(200..<300).contains(status) {
                    return .failure(.api(status: status, errors: head.errors, retryAfter: retryAfter))
                }
                return .failure(.notAnEnvelope(status: status))
            }
            if (try? decoder.decode(JSONValue.self, from: data)) != nil { return .failure(.notAnEnvelope(status: status)) }
            let start = response.body.first { ![9, 10, 13, 32].contains($0) }
            return .failure(start == UInt8(ascii: "<") ? .htmlPage(status: status) : .notJSON(status: status))
        }
        guard envelope.success, (200..<300).contains(status) else {
            return .failure(.api(status: status, errors: envelope.errors, retryAfter: retryAfter))
        }
        return .success(envelope)
    }
}
