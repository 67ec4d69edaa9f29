/// What a SIGHUP reload does with a new, valid configuration: checks, DNS, notify, the vote and
/// reconcile intervals and the status token apply at once; identity, the voter set, the keys, the
/// addresses and the vote rule need a restart (every agent must count by the same rule and know
/// the same voters), so they are named and kept as they run.
struct ReloadPlan: Sendable {
    /// What runs after the reload: the new file's live settings over the running restart-only ones.
    let effective: VantageConfig
    /// Restart-only keys the new file changes (not applied), as written in the file.
    let needsRestart: [String]
    /// Live parts that change.
    let changes: Set<Part>

    enum Part: String, Sendable, CaseIterable, Comparable {
        case checks, dns, notify, voteInterval = "vote_interval", reconcileInterval = "reconcile_interval",
             statusToken = "status_token_file"

        static func < (a: Part, b: Part) -> Bool { a.rawValue < b.rawValue }
    }

    init(running: VantageConfig, loaded: VantageConfig) {
        let old = running.cluster, new = loaded.cluster
        var restart: [String] = []
        func compare<Value: Equatable>(_ key: String, _ a: Value, _ b: Value) { if a != b { restart.append("cluster.\(key)") } }
        compare("name", old.name, new.name)
        compare("node", old.node, new.node)
        compare("bind", old.bind, new.bind)
        compare("advertise", old.advertise, new.advertise)
        compare("peers", old.peers, new.peers)
        compare("min_peers_agree", old.minPeersAgree, new.minPeersAgree)
        compare("crypto_key", old.encryption, new.encryption)
        compare("data_dir", old.dataDirectory, new.dataDirectory)
        compare("status_address", old.statusAddress, new.statusAddress)
        compare("vote_ttl", old.voteTTL, new.voteTTL)
        needsRestart = restart

        var effective = loaded
        effective.cluster = old
        effective.cluster.voteInterval = new.voteInterval
        effective.cluster.reconcileInterval = new.reconcileInterval
        effective.cluster.statusTokenFile = new.statusTokenFile
        // vote_interval must stay shorter than the running vote_ttl.
        if effective.cluster.voteInterval >= old.voteTTL { effective.cluster.voteInterval = old.voteInterval }
        self.effective = effective

        var changes: Set<Part> = []
        if running.checks != loaded.checks { changes.insert(.checks) }
        if running.dns != loaded.dns { changes.insert(.dns) }
        if running.notify != loaded.notify { changes.insert(.notify) }
        if old.voteInterval != effective.cluster.voteInterval { changes.insert(.voteInterval) }
        if old.reconcileInterval != new.reconcileInterval { changes.insert(.reconcileInterval) }
        if old.statusTokenFile != new.statusTokenFile { changes.insert(.statusToken) }
        self.changes = changes
    }
}
