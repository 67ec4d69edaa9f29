/// goavail's `-t/--type` and `-p/--dns-provider`, read the same way by every command that loads a
/// config (`check-config` now; `monitor`, with goavail's other flags, in `MonitorArguments`).
enum GoavailFlags {
    /// The single-letter aliases goavail gave them.
    static let shortNames: [Character: String] = ["t": "type", "p": "dns-provider"]

    /// Reads option `name` into `options` when it is one of these flags; false for any other.
    static func read(_ name: String, attached: String?, from cursor: inout ArgumentCursor,
                     into options: inout GoavailOptions) throws(UsageError) -> Bool {
        switch name {
        // Typed locals: assigned straight to the optional fields, `Value` would be inferred optional.
        case "type":
            let type: GoavailOptions.CheckType = try cursor.value(for: name, attached: attached, expected: "ip (ICMP, goavail's default) or tcp") {
                GoavailOptions.CheckType(rawValue: $0)
            }
            options.checkType = type
        case "dns-provider":
            let provider: GoavailOptions.Provider = try cursor.value(for: name, attached: attached, expected: "cloudflare or route53") {
                GoavailOptions.Provider(rawValue: $0)
            }
            options.provider = provider
        default: return false
        }
        return true
    }
}
