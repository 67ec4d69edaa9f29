import IO
/// The rules that involve several fields, checked in one place on the model, whichever file
/// format it came from; each error points at the key the operator wrote. They run only on a
/// model whose every part was read, so a broken part is reported once, not again as the
/// consequences it has for the rest.
enum ConfigValidation {
    static func check(_ config: VantageConfig, locations: FieldLocations, log: DiagnosticLog) {
        func error(_ field: String, _ message: String) {
            log.error(locations.key(field), message, at: locations.position(field))
        }
        let cluster = config.cluster

        // The voter set: unique names, this node not among its peers, distinct addresses.
        var names: Set<String> = [cluster.node]
        for peer in cluster.peers where !names.insert(peer.name).inserted {
            error("cluster.peers", peer.name == cluster.node
                  ? "'\(peer.name)' is this node's own name; list only the other agents"
                  : "node name '\(peer.name)' appears twice")
        }
        var addresses: Set<SocketAddress> = [cluster.advertise]
        for peer in cluster.peers where !addresses.insert(peer.address).inserted {
            error("cluster.peers", "address \(peer.address) is used twice")
        }
        // A quorum of observers must be possible: the observer plus min_peers_agree peers.
        if cluster.minPeersAgree > cluster.agentCount - 1 {
            error("cluster.min_peers_agree", "is \(cluster.minPeersAgree) but there are only \(cluster.agentCount - 1) peers; at most \(cluster.agentCount - 1)")
        }
        // A view must be re-sent before it stops counting, or a quiet agent's vote would lapse.
        if cluster.voteInterval <= .zero || cluster.voteInterval >= cluster.voteTTL {
            error("cluster.vote_interval", "\(DurationText.format(cluster.voteInterval)) must be positive and shorter than vote_ttl (\(DurationText.format(cluster.voteTTL)))")
        }

        var checkNames: Set<String> = []
        for (offset, check) in config.checks.enumerated() {
            let index = "check[\(offset + 1)]"
            if check.timeout >= check.interval {
                error("\(index).timeout", "the timeout (\(DurationText.format(check.timeout))) must be shorter than the interval (\(DurationText.format(check.interval)))")
            }
            if !checkNames.insert(check.name).inserted { error("\(index).name", "check name '\(check.name)' is used twice") }
        }

        if let dns = config.dns {
            let zone = dns.zone.lowercased()
            for name in dns.hostnames {
                let lower = name.lowercased()
                if lower != zone, !lower.hasSuffix("." + zone) { error("dns.hostnames", "'\(name)' is not inside the zone \(dns.zone)") }
            }
            // Every pool address is observed, or nobody could ever vote it out (or back in).
            let checked = Set(config.checks.map { canonical($0.address) })
            for address in dns.addresses where !checked.contains(canonical(address)) {
                error("dns.addresses", "\(address) is in the pool but no [[check]] watches it")
            }
        }
    }

    private static func canonical(_ address: String) -> [UInt8] { SocketAddress.parseIP(address) ?? Array(address.utf8) }
}
