import Foundation
import Node
import Wire

/// Parse + validate a vantage.toml with 1,000 endpoints (1,000 `[[check]]` tables and a
/// 1,000-address pool), through the same `ConfigLoader` `check-config` and the agent use.
var configSuite: BenchmarkSuite {
    BenchmarkSuite(name: "config", run: runConfigBenchmarks)
}

private func runConfigBenchmarks() throws -> [Figure] {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vantage-config-bench-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try SecretKey.generate().base64EncodedString.write(to: directory.appendingPathComponent("cluster.key"), atomically: true, encoding: .utf8)
    let addresses = (0..<1_000).map { "10.\($0 / 250).\($0 % 250).1" }
    var text = """
        [cluster]
        node = "fra-1"
        peers = ["iad-1@198.51.100.7:7946", "sin-1@192.0.2.44:7946"]
        crypto_key_file = "cluster.key"

        """
    for (index, address) in addresses.enumerated() {
        text += "\n[[check]]\nname = \"endpoint-\(index)\"\ntype = \"\(index % 2 == 0 ? "tcp" : "http")\"\naddress = \"\(address)\"\nport = 443\ninterval = \"1s\"\ntimeout = \"800ms\"\nrise = 2\nfall = 3\n"
    }
    text += "\n[dns]\nzone = \"example.com\"\nhostnames = [\"www.example.com\"]\naddresses = [\(addresses.map { "\"\($0)\"" }.joined(separator: ", "))]\napi_token_file = \"cluster.key\"\n"
    let path = directory.appendingPathComponent("vantage.toml").path
    try text.write(toFile: path, atomically: true, encoding: .utf8)

    var samples: [Double] = []
    for _ in 0..<15 {
        samples.append(try measureSeconds { _ = try ConfigLoader.load(path: path) })
    }
    samples.sort()
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
    return [
        Figure(name: "parse + validate, 1,000 endpoints (\(lines) lines): median", value: samples[samples.count / 2] * 1_000, unit: "ms"),
        Figure(name: "parse + validate, 1,000 endpoints: fastest of 15", value: samples[0] * 1_000, unit: "ms"),
    ]
}
