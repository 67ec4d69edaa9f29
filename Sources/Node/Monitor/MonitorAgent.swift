import Cloudflare
import Failover
import Foundation
import HTTP
import IO
import Membership
import Probe
import Raft
import SansIO
import Synchronization
import Wire

/// `vantage monitor` while it runs: the configuration's checks feed the failover core through
/// one ordered stream, the cores run in one `AgentRuntime` over the sealed UDP port, the leader's
/// DNS calls go to the Cloudflare client, and the status server, metrics, log and alerts show
/// what happens. The shell only carries out directives; every rule lives in the cores.
final class MonitorAgent: Sendable {
    /// The parts a reload may replace.
    private struct Live {
        var config: VantageConfig
        var scheduler: CheckScheduler
        var provider: CloudflareClient?
    }

    /// `Live` behind a lock, shared with the status server's handlers.
    private final class LiveParts: Sendable {
        private let state: Mutex<Live>
        init(_ live: Live) { state = Mutex(live) }
        func withLock<Result: Sendable>(_ body: (inout Live) -> Result) -> Result { state.withLock { body(&$0) } }
    }

    private let configPath: String
    private let configDirectory: String
    private let goavail: GoavailOptions
    private let dryRun: Bool
    private let logger: Logger
    private let metrics: AgentMetrics
    private let events: AgentEvents
    private let alerts: WebhookAlerts
    private let data: DataDirectory
    private let transport: ClusterTransport
    private let runtime: AgentRuntime
    private let status: StatusServer
    private let results: AsyncStream<(check: String, result: CheckResult)>.Continuation
    private let live: LiveParts
    private let clock = MonotonicClock()

    /// Opens the data directory, binds the cluster port and the status server, and starts every
    /// part; a failure names what could not be opened.
    init(config: VantageConfig, configPath: String, goavail: GoavailOptions, dryRun: Bool, logger: Logger) throws(MonitorSetupError) {
        self.configPath = configPath
        let configDirectory = (configPath as NSString).deletingLastPathComponent
        self.configDirectory = configDirectory
        self.goavail = goavail
        self.dryRun = dryRun
        self.logger = logger
        let cluster = config.cluster
        let metrics = AgentMetrics()
        self.metrics = metrics
        alerts = WebhookAlerts(url: config.notify.webhookURL)
        let alerts = alerts
        events = AgentEvents(node: cluster.node, logger: logger, metrics: metrics, alert: { alerts.post($0) })

        let dataPath = ConfigFiles.resolve(cluster.dataDirectory, relativeTo: configDirectory)
        do {
            data = try DataDirectory(path: dataPath)
        } catch {
            throw MonitorSetupError(error.description)
        }
        let socket: UDPSocket
        do {
            socket = try UDPSocket(binding: cluster.bind)
        } catch {
            throw MonitorSetupError("cannot bind the cluster port \(cluster.bind) (cluster.bind): \(error)")
        }
        let security: ClusterSecurity
        do {
            security = try config.clusterSecurity()
        } catch {
            throw MonitorSetupError("the cluster keys cannot be used: \(error)")
        }
        transport = ClusterTransport(node: cluster.node, bootEpoch: data.bootEpoch, socket: socket,
                                     channel: SecureChannel(clusterName: cluster.name, security: security, nonces: .random),
                                     peers: Dictionary(uniqueKeysWithValues: cluster.peers.map { ($0.name, $0.address) }))
        let provider = try config.dns.map { dns throws(MonitorSetupError) in
            CloudflareClient(settings: try dns.cloudflareSettings(configDirectory: configDirectory, node: cluster.node))
        }
        let identity = config.membershipIdentity
        let events = events
        do {
            runtime = try AgentRuntime(
                myself: identity.myself, seeds: identity.seeds, voters: config.voters, election: ElectionSettings(),
                persisted: data.persisted, store: data.termStore,
                failover: config.failoverSettings(dryRun: dryRun, providerSupportsBatch: provider?.supportsBatch ?? true),
                transport: transport, clock: clock, seed: UInt64.random(in: .min ... .max),
                performDNS: Self.performer(provider, metrics: metrics), onEvent: { events.handle($0) })
        } catch {
            throw MonitorSetupError("the election cannot start: \(error)")
        }
        let token = try Self.readToken(cluster.statusTokenFile, from: configDirectory)
        let (stream, continuation) = AsyncStream.makeStream(of: (check: String, result: CheckResult).self,
                                                            bufferingPolicy: .bufferingNewest(65_536))
        results = continuation
        let scheduler = Self.scheduler(for: config.checks, results: continuation, metrics: metrics, logger: logger, clock: clock)
        live = LiveParts(Live(config: config, scheduler: scheduler, provider: provider))

        let runtime = runtime, transport = transport
        let liveState = live
        do {
            status = try StatusServer(binding: cluster.statusAddress, token: token, status: {
                let snapshot = await runtime.snapshot()
                let report = StatusReport(snapshot, cluster: cluster.name, changes: events.recentChanges, drops: transport.dropCounts)
                return Array((try? StatusReport.encoder.encode(report)) ?? Data("{}".utf8)) + [UInt8(ascii: "\n")]
            }, metrics: {
                let snapshot = await runtime.snapshot()
                let provider = liveState.withLock { $0.provider }
                let retries = await provider?.retriesSent ?? 0
                metrics.refresh(snapshot, transport: transport, apiRetries: retries, alerts: alerts.tallies)
                return Array(metrics.registry.render().utf8)
            })
        } catch {
            transport.stop()
            throw MonitorSetupError("cannot serve status on \(cluster.statusAddress) (cluster.status_address): \(error)")
        }

        Task { for await envelope in transport.incoming { await runtime.receive(envelope) } }
        Task { for await item in stream { await runtime.checkResult(item.result, check: item.check) } }
        logger.log(.info, "agent.started", "node \(cluster.node) of cluster \(cluster.name): \(config.voters.count) voters, \(config.checks.count) checks",
                   [("node", cluster.node), ("cluster_port", "\(socket.localAddress)"), ("status", "http://\(status.address)/status"),
                    ("boot_epoch", "\(data.bootEpoch)"), ("term", "\(data.persisted.currentTerm)")])
    }

    /// Starts the cores, then the checks.
    func start() async {
        await runtime.start()
        live.withLock { $0.scheduler }.start()
    }

    /// The status server's address (with the kernel's port when 0 was asked for).
    var statusAddress: SocketAddress { status.address }

    // MARK: - Reload (SIGHUP)

    /// Reads the configuration file again and applies it atomically: a file that does not load
    /// is reported (file:line:column: key) and the running configuration stays in force;
    /// restart-only changes are named and not applied.
    func reload() async {
        let loaded: ConfigLoader.Loaded
        do {
            loaded = try ConfigLoader.load(path: configPath, goavail: goavail)
        } catch {
            for diagnostic in error.diagnostics {
                logger.log(.error, "config.invalid", diagnostic.description)
            }
            logger.log(.error, "config.reload_refused", "\(configPath) has \(error.diagnostics.count) error(s); the running configuration stays in force")
            return
        }
        for warning in loaded.warnings { logger.log(.warning, "config.warning", warning.description) }
        let running = live.withLock { $0.config }
        let plan = ReloadPlan(running: running, loaded: loaded.config)
        for key in plan.needsRestart {
            logger.log(.warning, "config.needs_restart", "\(key) changed; it takes effect only after a restart and is not applied", [("key", key)])
        }
        let effective = plan.effective
        var provider = live.withLock { $0.provider }
        let token: String?
        do {
            if plan.changes.contains(.dns) {
                provider = try effective.dns.map { dns throws(MonitorSetupError) in
                    CloudflareClient(settings: try dns.cloudflareSettings(configDirectory: configDirectory, node: effective.cluster.node))
                }
            }
            token = try Self.readToken(effective.cluster.statusTokenFile, from: configDirectory)
        } catch {
            logger.log(.error, "config.reload_refused", "\(error); the running configuration stays in force")
            return
        }
        status.setToken(token)
        alerts.configure(url: effective.notify.webhookURL)
        if plan.changes.contains(.checks) {
            let old = live.withLock { $0.scheduler }
            old.stop()
            let scheduler = Self.scheduler(for: effective.checks, results: results, metrics: metrics, logger: logger, clock: clock)
            live.withLock { $0.scheduler = scheduler }
            scheduler.start()
        }
        live.withLock {
            $0.config = effective
            $0.provider = provider
        }
        await runtime.reconfigure(effective.failoverSettings(dryRun: dryRun, providerSupportsBatch: provider?.supportsBatch ?? true),
                                  performDNS: Self.performer(provider, metrics: metrics))
        let changed = plan.changes.sorted().map(\.rawValue)
        logger.log(.info, "config.reloaded", changed.isEmpty ? "reloaded \(configPath): nothing to change" : "reloaded \(configPath): \(changed.joined(separator: ", ")) applied",
                   [("checks", "\(effective.checks.count)")])
    }

    // MARK: - Stop (SIGTERM, SIGINT)

    /// Stops the checks, lets a write in flight finish, hands leadership over, leaves the
    /// membership, and closes the ports. Bounded by one DNS request deadline plus `linger`.
    func stop(linger: Duration = .milliseconds(300)) async {
        let leadership = await runtime.leadership()
        logger.log(.info, "agent.stopping", leadership.role == .leader ? "stopping: handing leadership over and leaving" : "stopping: leaving the cluster")
        live.withLock { $0.scheduler }.stop()
        results.finish()
        await runtime.shutDown()
        // Keep answering briefly: the transfer target may need this agent's vote.
        try? await Task.sleep(for: linger)
        transport.stop()
        status.stop()
        logger.log(.info, "agent.stopped", "stopped")
    }

    // MARK: - Parts

    /// A provider call, timed for the API latency histogram.
    private static func performer(_ provider: CloudflareClient?, metrics: AgentMetrics) -> AgentRuntime.PerformDNS? {
        guard let provider else { return nil }
        return { request, deadline in
            let started = ContinuousClock.now
            let response = await provider.perform(request, deadline: deadline)
            metrics.apiLatency(request, .now - started)
            return response
        }
    }

    /// The checks as a running scheduler whose every result goes, in order, to `results`.
    private static func scheduler(for checks: [VantageConfig.Check], results: AsyncStream<(check: String, result: CheckResult)>.Continuation,
                                  metrics: AgentMetrics, logger: Logger, clock: MonotonicClock) -> CheckScheduler {
        let plan = CheckPlan(checks)
        for failure in plan.failures {
            logger.log(.error, "check.cannot_start", failure.description, [("check", failure.check)])
        }
        let names = plan.checks.map(\.name)
        return CheckScheduler(entries: plan.entries, clock: clock) { report in
            let name = names[report.index]
            metrics.checkRan(name, report.result)
            results.yield((name, report.result))
        }
    }

    private static func readToken(_ path: String?, from directory: String) throws(MonitorSetupError) -> String? {
        guard let path else { return nil }
        guard let text = ConfigFiles.system(relativeTo: directory).read(path) else {
            throw MonitorSetupError("cluster.status_token_file: cannot read '\(path)'")
        }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw MonitorSetupError("cluster.status_token_file: '\(path)' is empty") }
        return token
    }
}
