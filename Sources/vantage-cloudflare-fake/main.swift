import CloudflareFake
import Foundation
import IO

/// `vantage-cloudflare-fake [--listen 127.0.0.1:8787] [--zone example.com]... [--token T]...
/// [--key EMAIL:KEY]... [--record NAME=IP]... [--spec openapi.json] [--no-batch] [--log-requests]`:
/// the Cloudflare fake as a process, for the demo, end-to-end tests and manual runs. Without
/// `--spec` it serves unvalidated; `--log-requests` prints one line per request answered.
let usage = "usage: vantage-cloudflare-fake [--listen ADDRESS:PORT] [--zone NAME]... [--token TOKEN]... [--key EMAIL:KEY]... [--record NAME=IP]... [--spec PATH] [--no-batch] [--log-requests]"
var arguments = CommandLine.arguments.dropFirst()
var listen = SocketAddress("127.0.0.1:8787")!
var settings = CloudflareFake.Settings(zones: [], tokens: [], globalKeys: [:])
var seeded: [(name: String, content: String)] = []

/// Writes one line to standard output unbuffered, so a process reading it sees it at once.
@Sendable func emit(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("vantage-cloudflare-fake: \(message)\n\(usage)\n".utf8))
    exit(2)
}

while let argument = arguments.popFirst() {
    switch argument {
    case "--no-batch":
        settings.batchSupported = false
    case "--log-requests":
        settings.onRequest = { emit($0.description) }
    case "--listen", "--zone", "--token", "--key", "--spec", "--record":
        guard let value = arguments.popFirst() else { fail("\(argument) needs a value") }
        switch argument {
        case "--listen":
            guard let address = SocketAddress(value) else { fail("'\(value)' is not an address:port") }
            listen = address
        case "--zone": settings.zones.append(value)
        case "--token": settings.tokens.insert(value)
        case "--spec": settings.specificationPath = value
        case "--record":
            let parts = value.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, SocketAddress.parseIP(parts[1]) != nil else { fail("--record takes NAME=IP") }
            seeded.append((parts[0].lowercased(), parts[1]))
        default:
            guard let colon = value.firstIndex(of: ":") else { fail("--key takes EMAIL:KEY") }
            settings.globalKeys[String(value[..<colon])] = String(value[value.index(after: colon)...])
        }
    default:
        fail("unknown argument '\(argument)'")
    }
}
if settings.zones.isEmpty { settings.zones = ["example.com"] }
if settings.tokens.isEmpty, settings.globalKeys.isEmpty { settings.tokens = ["test-token"] }

do {
    let fake = try CloudflareFake(settings: settings)
    for record in seeded {
        guard let zone = settings.zones.first(where: { record.name == $0 || record.name.hasSuffix("." + $0) }) else {
            fail("--record \(record.name) is in none of the zones \(settings.zones.joined(separator: ", "))")
        }
        let type = record.content.contains(":") ? "AAAA" : "A"
        await fake.insert(zone: zone, name: record.name, type: type, content: record.content, ttl: 60)
    }
    let baseURL = try await fake.listen(on: listen)
    let mode = settings.specificationPath == nil ? "unvalidated" : "validating against the OpenAPI description"
    // Unbuffered, so a script waiting for this line sees it at once.
    emit("vantage-cloudflare-fake: serving \(baseURL) (zones \(settings.zones.joined(separator: ", ")); \(mode))")
    while true { try await Task.sleep(for: .seconds(3_600)) }
} catch {
    fail("\(error)")
}
