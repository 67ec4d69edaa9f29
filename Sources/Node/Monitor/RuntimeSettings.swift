import Cloudflare
import Failover
import Foundation
import HTTP
import Membership
import Wire

/// How a validated configuration becomes what the runtime runs: the failover core's settings,
/// the cluster's datagram protection and the DNS provider. One place, so the monitor's start
/// and a reload build them the same way.
extension VantageConfig {
    /// The voter set: this agent and every configured peer, never the membership view
    /// (DESIGN.md "Single writer").
    public var voters: [String] { ([cluster.node] + cluster.peers.map(\.name)).sorted() }

    /// What the leader manages at the provider; nil without a `[dns]` section.
    public var dnsTarget: DNSTarget? {
        dns.map { DNSTarget(hostnames: $0.hostnames, pool: $0.addresses, proxied: $0.proxied, ttl: $0.ttl) }
    }

    /// The failover core's settings; a check's id is its configured name.
    public func failoverSettings(dryRun: Bool, providerSupportsBatch: Bool = true) -> FailoverSettings {
        FailoverSettings(
            myself: cluster.node, voters: voters,
            checks: checks.map { LocalViews.Check(id: $0.name, address: $0.address.lowercased(), rise: $0.rise, fall: $0.fall) },
            minPeersAgree: cluster.minPeersAgree, voteInterval: cluster.voteInterval, voteTTL: cluster.voteTTL,
            reconcileInterval: cluster.reconcileInterval, dns: dnsTarget, providerSupportsBatch: providerSupportsBatch,
            dryRun: dryRun)
    }

    /// How the cluster's datagrams are protected: sealed under the keyring of `crypto_key`
    /// (primary) and the older keys, or plaintext when the config says so explicitly.
    public func clusterSecurity() throws(Keyring.Error) -> ClusterSecurity {
        switch cluster.encryption {
        case .sealed(let primary, let older): .sealed(try Keyring(primary: primary.key, older: older.map(\.key)))
        case .insecure: .plaintext
        }
    }

    /// This agent as a member (its advertised address) and the peers it joins through.
    var membershipIdentity: (myself: MemberID, seeds: [MemberID]) {
        (MemberID(name: cluster.node, address: cluster.advertise.description),
         cluster.peers.map { MemberID(name: $0.name, address: $0.address.description) })
    }
}

/// Why the agent cannot start (or a reload cannot take effect); the message names the file,
/// address or variable involved and never a secret's value.
public struct MonitorSetupError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}

extension VantageConfig.DNS {
    /// The Cloudflare client's settings, with the credentials read now (token files relative to
    /// the config file's directory, trailing whitespace dropped).
    func cloudflareSettings(configDirectory: String, node: String) throws(MonitorSetupError) -> CloudflareSettings {
        let credentials: CloudflareCredentials
        let environment = ProcessInfo.processInfo.environment
        switch self.credentials {
        case .tokenEnvironment(let variable):
            guard let token = environment[variable], !token.isEmpty else {
                throw MonitorSetupError("[dns] api_token_env: environment variable \(variable) is not set")
            }
            credentials = .token(token.trimmingCharacters(in: .whitespacesAndNewlines))
        case .tokenFile(let path):
            guard let text = ConfigFiles.system(relativeTo: configDirectory).read(path) else {
                throw MonitorSetupError("[dns] api_token_file: cannot read '\(path)'")
            }
            let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty else { throw MonitorSetupError("[dns] api_token_file: '\(path)' is empty") }
            credentials = .token(token)
        case .globalKeyEnvironment(let emailVariable, let keyVariable):
            guard let email = environment[emailVariable], let key = environment[keyVariable] else {
                throw MonitorSetupError("[dns]: environment variables \(emailVariable) and \(keyVariable) must both be set")
            }
            credentials = .globalKey(email: email, key: key)
        }
        return CloudflareSettings(baseURL: apiBaseURL, zoneName: zone, credentials: credentials,
                                  userAgent: "vantage (node \(node))")
    }
}
