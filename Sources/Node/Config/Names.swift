import IO
/// Syntax rules for the names and addresses a configuration holds.
enum Names {
    /// Node and cluster names: 1–64 of `A–Z a–z 0–9 . _ -` (they travel in every envelope).
    static func isNodeName(_ name: String) -> Bool {
        (1...64).contains(name.utf8.count) && name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "." || $0 == "_" || $0 == "-"
        }
    }

    /// A DNS host name (RFC 1123): dot-separated labels of 1–63 letters, digits and inner hyphens.
    static func isHostname(_ name: String) -> Bool {
        let trimmed = name.hasSuffix(".") ? String(name.dropLast()) : name
        guard (1...253).contains(trimmed.utf8.count) else { return false }
        return trimmed.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            (1...63).contains(label.utf8.count) && label.first != "-" && label.last != "-"
                && label.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
        }
    }

    /// A numeric IPv4 or IPv6 address.
    static func isIPAddress(_ text: String) -> Bool { SocketAddress.parseIP(text) != nil }

    /// An `http://` or `https://` URL with a host.
    static func isWebURL(_ text: String) -> Bool {
        for scheme in ["https://", "http://"] where text.hasPrefix(scheme) {
            return !text.dropFirst(scheme.count).prefix { $0 != "/" }.isEmpty
        }
        return false
    }
}
