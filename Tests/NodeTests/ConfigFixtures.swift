import Foundation
@testable import Node
import Wire

/// The key every key file of `testFiles` holds.
let testKey = SecretKey.generate()

/// Files and environment for configs under test: any `.key` or `.old` file holds `testKey`, any
/// `.token` file a token; the Cloudflare variables goavail used are set.
let testFiles = ConfigFiles(read: { path in
    path.hasSuffix(".key") || path.hasSuffix(".old") ? testKey.base64EncodedString : (path.hasSuffix(".token") ? "token" : nil)
}, environment: ["CLOUDFLARE_API_TOKEN": "t", "CF_API_EMAIL": "ops@example.com", "CF_API_KEY": "k"])

/// Loads `text` as if read from `file`.
func load(_ text: String, file: String = "vantage.toml", goavail: GoavailOptions = GoavailOptions(),
          files: ConfigFiles = testFiles) throws(ConfigErrors) -> ConfigLoader.Loaded {
    try ConfigLoader.load(text: text, file: file, files: files, goavail: goavail)
}

/// One fenced code block of README.md: its info string (```` ```toml goavail.toml ```` gives
/// `toml goavail.toml`) and its text.
struct ReadmeBlock {
    let info: String
    let text: String
}

/// Every fenced block of README.md whose info string starts with `language`.
func readmeBlocks(_ language: String) throws -> [ReadmeBlock] {
    let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("README.md")
    let parts = try String(contentsOf: readme, encoding: .utf8).components(separatedBy: "```")
    // Odd parts are inside fences: an info line, then the block.
    return stride(from: 1, to: parts.count, by: 2).compactMap { index in
        let block = parts[index]
        guard let newline = block.firstIndex(of: "\n") else { return nil }
        let info = String(block[..<newline])
        guard info == language || info.hasPrefix(language + " ") else { return nil }
        return ReadmeBlock(info: info, text: String(block[block.index(after: newline)...]))
    }
}

/// A fresh directory under the temporary directory.
func temporaryDirectory() throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vantage-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
}
