import SansIO

/// What a caller may override in a scenario; nil means the scenario's default.
public struct ScenarioOptions: Sendable {
    public var nodes: Int?
    /// Simulated time per seed (after the scenario's warm-up where it has one).
    public var duration: Duration?
    /// Uniform datagram loss on every link.
    public var loss: Double?

    public init(nodes: Int? = nil, duration: Duration? = nil, loss: Double? = nil) {
        self.nodes = nodes
        self.duration = duration
        self.loss = loss
    }
}

/// A named, reproducible experiment: given a seed and options it builds a simulation, drives it,
/// and returns the run's trace hash, any violation and its measurements.
///
/// Scenarios are plain values in a registry (`Scenario.all`); adding one (say an election
/// scenario) is one `static let` and one entry in `all`. Runs never read a clock: callers time
/// them (the CLI, benchmarks) and pass the wall time to `ScenarioReport`.
public struct Scenario: Sendable {
    public let name: String
    public let summary: String
    public let defaultNodes: Int
    public let defaultDuration: Duration
    public let defaultLoss: Double
    /// The smallest cluster on which the scenario can do what it measures (a leader crash needs a
    /// majority left over); the CLI refuses a smaller `--nodes` rather than report a capped figure.
    public let minimumNodes: Int
    /// Per-seed `.sum` measurements that must be 0 for the run to count as a success: liveness
    /// failures such as `no_new_leader`, which the CLI turns into a failure exit.
    public let livenessFailures: [String]
    private let body: @Sendable (_ seed: UInt64, _ settings: Settings) -> ScenarioRun

    /// Options with the scenario's defaults filled in.
    public struct Settings: Sendable {
        public let nodes: Int
        public let duration: Duration
        public let loss: Double
    }

    public init(name: String, summary: String, defaultNodes: Int = 9, defaultDuration: Duration,
                defaultLoss: Double = 0, minimumNodes: Int = 1, livenessFailures: [String] = [],
                run: @escaping @Sendable (_ seed: UInt64, _ settings: Settings) -> ScenarioRun) {
        self.name = name
        self.summary = summary
        self.defaultNodes = defaultNodes
        self.defaultDuration = defaultDuration
        self.defaultLoss = defaultLoss
        self.minimumNodes = minimumNodes
        self.livenessFailures = livenessFailures
        body = run
    }

    public func settings(_ options: ScenarioOptions) -> Settings {
        Settings(nodes: options.nodes ?? defaultNodes, duration: options.duration ?? defaultDuration,
                 loss: options.loss ?? defaultLoss)
    }

    /// The liveness failures of one run (the names in ``livenessFailures`` it reports as non-zero).
    public func livenessFailures(of run: ScenarioRun) -> [String] {
        livenessFailures.filter { name in run.measurements.contains { $0.name == name && $0.value > 0 } }
    }

    /// Runs one seed.
    public func run(seed: UInt64, options: ScenarioOptions = ScenarioOptions()) -> ScenarioRun {
        body(seed, settings(options))
    }

    /// Every registered scenario, in `--help` order.
    public static let all: [Scenario] = membership + election + failover

    static let election: [Scenario] = [.leaderCrash, .rejoin, .partialPartition, .minority, .electionSwarm, .electionDiskSwarm]
    static let membership: [Scenario] = [.steady, .crashMember, .lossy, .partitionHeal, .pause, .swarm]

    public static func named(_ name: String) -> Scenario? { all.first { $0.name == name } }
}
