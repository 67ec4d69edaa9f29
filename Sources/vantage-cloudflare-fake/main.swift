import CloudflareFake
import Foundation
import IO

/// `vantage-cloudflare-fake [--listen 127.0.0.1:8787] [--zone example.com]... [--token T]...
/// [--key EMAIL:KEY]... [--spec openapi.json] [--no-batch]`: the Cloudflare fake as a process,
/// for the demo and manual runs. Without `--spec` it serves unvalidated.
let usage = "usage: vantage-cloudflare-fake [--listen ADDRESS:PORT] [--zone NAME]... [--token TOKEN]... [--key EMAIL:KEY]... [--spec PATH] [--no-batch]"
var arguments = CommandLine.arguments.dropFirst()
var listen = SocketAddress("127.0.0.1:8787")!
var settings = CloudflareFake.Settings(zones: [], tokens: [], globalKeys: [:])

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("vantage-cloudflare-fake: \(message)\n\(usage)\n".utf8))
    exit(2)
}

while let argument = arguments.popFirst() {
    switch argument {
    case "--no-batch":
        settings.batchSupported = false
    case "--listen", "--zone", "--token", "--key", "--spec":
        guard let value = arguments.popFirst() else { fail("\(argument) needs a value") }
        switch argument {
        case "--listen":
            guard let address = SocketAddress(value) else { fail("'\(value)' is not an address:port") }
            listen = address
        case "--zone": settings.zones.append(value)
        case "--token": settings.tokens.insert(value)
        case "--spec": settings.specificationPath = value
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
    let baseURL = try await fake.listen(on: listen)
    let mode = settings.specificationPath == nil ? "unvalidated" : "validating against the OpenAPI description"
    // Unbuffered, so a script waiting for this line sees it at once.
    FileHandle.standardOutput.write(Data("vantage-cloudflare-fake: serving \(baseURL) (zones \(settings.zones.joined(separator: ", ")); \(mode))\n".utf8))
    while true { try await Task.sleep(for: .seconds(3_600)) }
} catch {
    fail("\(error)")
}
