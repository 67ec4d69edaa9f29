import Foundation
import Wire

/// What a configuration refers to outside itself: key files, token files, environment
/// variables. Injected, so tests need no real files and check-config reads the real ones.
struct ConfigFiles: Sendable {
    var read: @Sendable (String) -> String?
    var environment: [String: String]

    /// The real file system and process environment; relative paths are taken from `directory`
    /// (the configuration file's), so a config means the same wherever the agent starts.
    static func system(relativeTo directory: String) -> ConfigFiles {
        ConfigFiles(read: { path in
            try? String(contentsOfFile: resolve(path, relativeTo: directory), encoding: .utf8)
        }, environment: ProcessInfo.processInfo.environment)
    }

    /// `path` as the configuration in `directory` means it: absolute as written, relative from there.
    static func resolve(_ path: String, relativeTo directory: String) -> String {
        path.hasPrefix("/") || directory.isEmpty ? path : (directory as NSString).appendingPathComponent(path)
    }

    func isReadable(_ path: String) -> Bool { read(path) != nil }

    /// An inline base64 key; the placeholder check-config prints for one is refused with why.
    func key(base64: String, table: TableReader, key: String) -> VantageConfig.ClusterKey? {
        if Redaction.isRedacted(base64) {
            table.error(key, Redaction.explanation)
            return nil
        }
        do {
            return VantageConfig.ClusterKey(try SecretKey(base64: base64), from: .inline)
        } catch {
            table.error(key, "not a cluster key: \(error)")
            return nil
        }
    }

    func key(file path: String, table: TableReader, key: String) -> VantageConfig.ClusterKey? {
        guard let text = read(path) else {
            table.error(key, "cannot read key file '\(path)'")
            return nil
        }
        do {
            return VantageConfig.ClusterKey(try SecretKey(base64: text), from: .file(path))
        } catch {
            table.error(key, "key file '\(path)' does not hold a cluster key: \(error)")
            return nil
        }
    }
}
