import Foundation
import HTTP
import IO

/// `vantage status [--address HOST:PORT] [--config PATH] [--token-file PATH] [--json]`: asks a
/// running agent's status server and prints its members, leader and lease, endpoints (local
/// view, votes, decision, in DNS) and the last DNS changes as aligned tables, or the JSON as
/// served. Exit 1 when the agent cannot be reached, naming the address tried.
public enum StatusCommand: Command {
    public static let name = "status"
    public static let summary = "show a running agent's members, leader, endpoints and DNS changes"
    public static let usage = """
        usage: vantage status [--address HOST:PORT] [--config PATH] [--token-file PATH] [--json]

          --address HOST:PORT   the agent's status_address (default 127.0.0.1:9946, or the config's)
          --config PATH         read status_address and status_token_file from this configuration
          --token-file PATH     the bearer token, when the agent requires one
          --json                print the agent's JSON as served
        """

    struct Invocation: Equatable {
        var address: String?
        var configPath: String?
        var tokenFile: String?
        var json = false
    }

    static func parse(_ arguments: [String]) throws(UsageError) -> Invocation {
        var cursor = ArgumentCursor(arguments, shortNames: [:])
        var invocation = Invocation()
        while let item = cursor.next() {
            switch item {
            case .positional(let argument): throw ArgumentCursor.unexpected(argument)
            case .option(let name, let attached):
                switch name {
                case "address": invocation.address = try cursor.value(for: name, attached: attached)
                case "config": invocation.configPath = try cursor.value(for: name, attached: attached)
                case "token-file": invocation.tokenFile = try cursor.value(for: name, attached: attached)
                case "json":
                    guard attached == nil else { throw ArgumentCursor.flagWithValue(name) }
                    invocation.json = true
                default: throw ArgumentCursor.unknown(name)
                }
            }
        }
        if let address = invocation.address, SocketAddress(address) == nil {
            throw UsageError("--address takes HOST:PORT with a numeric host (127.0.0.1:9946), not '\(address)'")
        }
        return invocation
    }

    public static func run(_ arguments: [String]) async throws -> Int32 {
        let invocation = try parse(arguments)
        var address = invocation.address ?? "127.0.0.1:9946"
        var tokenPath = invocation.tokenFile
        if let configPath = invocation.configPath {
            do {
                let config = try ConfigLoader.load(path: configPath).config
                if invocation.address == nil { address = config.cluster.statusAddress.description }
                if tokenPath == nil, let file = config.cluster.statusTokenFile {
                    tokenPath = ConfigFiles.resolve(file, relativeTo: (configPath as NSString).deletingLastPathComponent)
                }
            } catch {
                VantageCLI.writeError(error.description)
                return 1
            }
        }
        var headers: [HTTPHeader] = []
        if let tokenPath {
            guard let token = try? String(contentsOfFile: tokenPath, encoding: .utf8) else {
                VantageCLI.writeError("cannot read the token file '\(tokenPath)'")
                return 1
            }
            headers.append(HTTPHeader("Authorization", "Bearer \(token.trimmingCharacters(in: .whitespacesAndNewlines))"))
        }
        let url = "http://\(address)/status"
        let response: HTTPResponse
        switch await HTTPClient.shared.send(HTTPRequest(url: url, headers: headers, timeout: .seconds(3))) {
        case .success(let answer): response = answer
        case .failure(let failure):
            VantageCLI.writeError("cannot reach the agent at \(url): \(failure)")
            return 1
        }
        guard response.status == 200 else {
            let hint = response.status == 401 ? " (give --token-file, or --config to read status_token_file)" : ""
            VantageCLI.writeError("\(url) answered \(response.status)\(hint): \(String(decoding: response.body.prefix(200), as: UTF8.self))")
            return 1
        }
        if invocation.json {
            print(String(decoding: response.body, as: UTF8.self), terminator: "")
            return 0
        }
        guard let report = try? StatusReport.decoder.decode(StatusReport.self, from: Data(response.body)) else {
            VantageCLI.writeError("\(url) did not answer with an agent's status (is it a vantage status_address?)")
            return 1
        }
        print(render(report))
        return 0
    }

    /// The report as text: a summary line, then members, endpoints and recent DNS changes.
    static func render(_ report: StatusReport) -> String {
        func seconds(_ value: Double) -> String { value < 10 ? String(format: "%.1fs", value) : "\(Int(value))s" }
        let lease = report.leaseRemainingSeconds.map { ", lease \(seconds($0)) left" } ?? ""
        let leader = report.role == "leader" ? "leading term \(report.term)\(lease)"
            : "\(report.role) in term \(report.term), leader \(report.leader ?? "unknown")"
        var out = ["node \(report.node) of cluster \(report.cluster): \(leader)\(report.dryRun ? " (dry run)" : "")", "", "members"]
        var members = TextTable(["NAME", "ADDRESS", "STATE", "INCARNATION"])
        for member in report.members { members.add([member.name, member.address, member.state, "\(member.incarnation)"]) }
        out.append(members.rendered())
        out += ["", "endpoints"]
        var endpoints = TextTable(["ADDRESS", "LOCAL VIEW", "VOTES", "DECISION", "IN DNS"])
        for endpoint in report.endpoints {
            let local = endpoint.view.map { "\($0.state) for \(seconds($0.ageSeconds))" } ?? "no check"
            let votes = endpoint.votes.map { "\($0.voter) \($0.state)\($0.fresh ? "" : " (stale)")" }.joined(separator: ", ")
            let inDNS = endpoint.dnsNames.map { $0.isEmpty ? "no" : $0.joined(separator: ",") } ?? "(leader knows)"
            endpoints.add([endpoint.address, local, votes.isEmpty ? "-" : votes, endpoint.decision, inDNS])
        }
        out.append(endpoints.rendered())
        if let dns = report.dns {
            out += ["", "DNS: \(dns.hostnames.joined(separator: ", ")) from pool \(dns.pool.joined(separator: ", "))"
                + (dns.pending.map { "; in flight: \($0)" } ?? "")]
            if dns.recentChanges.isEmpty {
                out.append("  no DNS changes since this agent started")
            } else {
                var changes = TextTable(["TIME", "NODE", "TERM", "RESULT", "CALL"])
                let formatter = Date.ISO8601FormatStyle()
                for change in dns.recentChanges {
                    changes.add([change.time.formatted(formatter), change.node, "\(change.term)", change.result, change.call])
                }
                out.append(changes.rendered())
            }
        }
        if !report.datagramsDropped.isEmpty {
            out += ["", "datagrams dropped: " + report.datagramsDropped.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")]
        }
        return out.joined(separator: "\n")
    }
}
