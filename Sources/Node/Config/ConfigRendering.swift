import Foundation

/// The effective configuration as vantage.toml text, every default filled in, for `vantage
/// check-config` (and as the migration target for a goavail.toml). It checks again as it is
/// printed: key and token files and environment variables stay references, and only a secret
/// written inline becomes `Redaction.marker`, which check-config refuses with an explanation.
extension VantageConfig {
    public var rendered: String {
        var lines = ["[cluster]"]
        func quoted(_ text: String) -> String {
            "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r") + "\""
        }
        func list(_ items: [String]) -> String { "[" + items.map(quoted).joined(separator: ", ") + "]" }
        lines += [
            "name = \(quoted(cluster.name))",
            "node = \(quoted(cluster.node))",
            "bind = \(quoted(cluster.bind.description))",
            "advertise = \(quoted(cluster.advertise.description))",
            "peers = \(list(cluster.peers.map { "\($0.name)@\($0.address)" }))",
            "min_peers_agree = \(cluster.minPeersAgree)",
        ]
        switch cluster.encryption {
        case .sealed(let primary, let older):
            switch primary.source {
            case .file(let path): lines.append("crypto_key_file = \(quoted(path))")
            case .inline: lines.append("crypto_key = \(quoted(Redaction.marker))")
            case .goavail:
                lines.append("crypto_key = \(quoted(Redaction.marker))  # derived from goavail's crypto_key; use crypto_key_file with a `vantage keygen` key")
            }
            let olderFiles = older.compactMap { if case .file(let path) = $0.source { path } else { nil } }
            let olderInline = older.count - olderFiles.count
            if olderInline > 0 { lines.append("older_crypto_keys = \(list(Array(repeating: Redaction.marker, count: olderInline)))") }
            if !olderFiles.isEmpty { lines.append("older_crypto_key_files = \(list(olderFiles))") }
        case .insecure:
            lines.append("insecure_no_encryption = true")
        }
        lines += [
            "data_dir = \(quoted(cluster.dataDirectory))",
            "status_address = \(quoted(cluster.statusAddress.description))",
        ]
        if let tokenFile = cluster.statusTokenFile { lines.append("status_token_file = \(quoted(tokenFile))") }
        lines += [
            "vote_interval = \(quoted(DurationText.format(cluster.voteInterval)))",
            "vote_ttl = \(quoted(DurationText.format(cluster.voteTTL)))",
            "reconcile_interval = \(quoted(DurationText.format(cluster.reconcileInterval)))",
        ]
        for check in checks {
            lines += ["", "[[check]]", "name = \(quoted(check.name))", "type = \(quoted(check.kind.rawValue))",
                      "address = \(quoted(check.address))"]
            if let port = check.port { lines.append("port = \(port)") }
            lines += ["interval = \(quoted(DurationText.format(check.interval)))",
                      "timeout = \(quoted(DurationText.format(check.timeout)))", "rise = \(check.rise)", "fall = \(check.fall)"]
            if let send = check.send { lines.append("send = \(quoted(send))") }
            if let expect = check.expect { lines.append("expect = \(quoted(expect))") }
            if let http = check.http {
                lines += ["method = \(quoted(http.method))", "path = \(quoted(http.path))"]
                if let host = http.host { lines.append("host = \(quoted(host))") }
                let statuses = http.expectedStatus.map { $0.count == 1 ? "\($0.lowerBound)" : quoted("\($0.lowerBound)-\($0.upperBound)") }
                lines.append("expected_status = [\(statuses.joined(separator: ", "))]")
                if let body = http.bodyContains { lines.append("body_contains = \(quoted(body))") }
                lines += ["tls = \(http.tls)", "tls_verify = \(http.tlsVerify)"]
                if let caFile = http.caFile { lines.append("ca_file = \(quoted(caFile))") }
            }
        }
        if let dns {
            lines += ["", "[dns]", "provider = \(quoted(dns.provider))", "zone = \(quoted(dns.zone))",
                      "hostnames = \(list(dns.hostnames))", "addresses = \(list(dns.addresses))",
                      "proxied = \(dns.proxied)", "ttl = \(dns.ttl)"]
            switch dns.credentials {
            case .tokenEnvironment(let name): lines.append("api_token_env = \(quoted(name))")
            case .tokenFile(let path): lines.append("api_token_file = \(quoted(path))")
            case .globalKeyEnvironment(let email, let key):
                lines += ["api_email_env = \(quoted(email))", "api_key_env = \(quoted(key))"]
            }
            lines.append("api_base_url = \(quoted(dns.apiBaseURL))")
        }
        if let url = notify.webhookURL { lines += ["", "[notify]", "webhook_url = \(quoted(Self.redactingCredentials(url)))"] }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A URL with any `user:password@` part and query string hidden (webhook URLs carry tokens).
    static func redactingCredentials(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        var rest = String(url[schemeEnd.upperBound...])
        if let at = rest.firstIndex(of: "@"), !rest[..<at].contains("/") { rest = Redaction.marker + "@" + rest[rest.index(after: at)...] }
        let host = rest.prefix { $0 != "/" }
        let hasSecretPath = rest.count > host.count + 1
        return String(url[..<schemeEnd.upperBound]) + host + (hasSecretPath ? "/" + Redaction.marker : "")
    }
}
