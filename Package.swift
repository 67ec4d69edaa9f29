// swift-tools-version:6.0
import PackageDescription

/// Vantage: DNS failover agents that vote over an encrypted SWIM cluster.
/// The module map follows the architecture: sans-IO cores (Membership, Raft, Failover), two shells
/// around them (Node, the runtime; Simulator), and the IO modules the runtime uses.
let strict: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]
/// The cores the simulator runs millions of events through are optimized in debug builds too, so
/// `swift test` runs the simulation figures (hundreds of seeds, simulated hours) in minutes.
let simulated: [SwiftSetting] = strict + [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "Vantage",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "vantage", targets: ["vantage"]),
        .executable(name: "vantage-bench", targets: ["vantage-bench"]),
        .executable(name: "vantage-cloudflare-fake", targets: ["vantage-cloudflare-fake"]),
        .executable(name: "vantage-delay-relay", targets: ["vantage-delay-relay"]),
    ],
    targets: [
        // libsodium, the one system library.
        .systemLibrary(name: "CCrypto", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),
        // libcurl, the second and last system library: every HTTP request the agent makes.
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // The vocabulary every sans-IO core shares: instants and the seeded generator.
        .target(name: "SansIO", swiftSettings: simulated, linkerSettings: [.linkedLibrary("m")]),
        // Crypto layer, byte codec primitives, sealed frames, envelopes and replay windows.
        .target(name: "Wire", dependencies: ["CCrypto", "SansIO"], swiftSettings: simulated),
        // SWIM + Lifeguard membership (sans-IO).
        .target(name: "Membership", dependencies: ["SansIO", "Wire"], swiftSettings: simulated),
        // Raft-lite election with PreVote, CheckQuorum and leader lease (sans-IO).
        .target(name: "Raft", dependencies: ["SansIO", "Wire"], swiftSettings: simulated),
        // The failover decision path (sans-IO): check results and hysteresis, views and votes, the
        // tally, desired DNS state, the reconcile planner, write permits and fencing.
        .target(name: "Failover", dependencies: ["SansIO", "Wire", "Raft"], swiftSettings: simulated),
        // System calls wrapped once (EINTR, errno): socket addresses, UDP, the probe reactor, the monotonic clock.
        .target(name: "IO", dependencies: ["SansIO"], swiftSettings: strict),
        // The one HTTP client (libcurl multi) and the HTTP/1.1 server on the IO reactor.
        .target(name: "HTTP", dependencies: ["CCurl", "IO"], swiftSettings: strict),
        // Health checks (ICMP, TCP, HTTP) and their scheduler: the IO side of checks.
        .target(name: "Probe", dependencies: ["SansIO", "IO", "HTTP", "Failover"], swiftSettings: strict),
        // What the failover path needs of a DNS API, and a provider that keeps the zone in memory.
        .target(name: "Provider", dependencies: ["Failover"], swiftSettings: strict),
        // Cloudflare API v4 DNS client, a provider on the HTTP client.
        .target(name: "Cloudflare", dependencies: ["Failover", "Provider", "HTTP", "SansIO"], swiftSettings: strict),
        // A Cloudflare API fake on the HTTP server, validating every request against the published OpenAPI description.
        .target(name: "CloudflareFake", dependencies: ["Cloudflare", "HTTP", "IO"], swiftSettings: strict),
        .executableTarget(name: "vantage-cloudflare-fake", dependencies: ["CloudflareFake", "IO"], swiftSettings: strict),
        // A UDP relay that holds each datagram for its link's one-way delay: WAN latency between
        // network namespaces where the kernel has no netem (the namespace-run test).
        .executableTarget(name: "vantage-delay-relay", dependencies: ["IO"], swiftSettings: strict),
        // TOML 1.0 parser.
        .target(name: "TOML", swiftSettings: strict),
        // Configuration, CLI and composition.
        .target(name: "Node", dependencies: ["SansIO", "IO", "Wire", "Membership", "Raft", "Failover", "Probe", "Cloudflare", "TOML"], swiftSettings: strict),
        // Deterministic discrete-event simulator.
        .target(name: "Simulator", dependencies: ["SansIO", "Wire", "Membership", "Raft", "Failover"], swiftSettings: simulated),
        // `vantage simulate`: the one command built on the simulator, kept out of Node.
        .target(name: "SimulatorCLI", dependencies: ["Node", "Simulator"], swiftSettings: strict),
        // `vantage demo`: three agent processes, endpoints and the API fake on loopback, kept out of Node.
        .target(name: "DemoCLI", dependencies: ["Node", "CloudflareFake", "HTTP", "IO", "SansIO", "Wire"], swiftSettings: strict),
        .executableTarget(name: "vantage", dependencies: ["Node", "SimulatorCLI", "DemoCLI"], swiftSettings: strict),
        .executableTarget(name: "vantage-bench", dependencies: ["Node", "DemoCLI", "IO", "Wire", "Simulator", "Probe", "TOML", "HTTP", "Cloudflare", "CloudflareFake", "Failover", "SansIO"], swiftSettings: strict),
        // The child process FileTermStoreTests kills mid-write (a test helper, not a product).
        .executableTarget(name: "term-store-writer", dependencies: ["Node", "Raft"], path: "Tests/TermStoreWriter", swiftSettings: strict),

        .testTarget(name: "HTTPTests", dependencies: ["HTTP", "IO", "SansIO"]),
        .testTarget(name: "CloudflareTests", dependencies: ["Cloudflare", "CloudflareFake", "Provider", "Failover", "HTTP", "IO", "SansIO"]),
        .testTarget(name: "WireTests", dependencies: ["Wire", "SansIO"]),
        .testTarget(name: "TOMLTests", dependencies: ["TOML", "SansIO"]),
        .testTarget(name: "NodeTests", dependencies: ["Node", "DemoCLI", "SimulatorCLI", "Simulator", "Failover", "IO", "TOML", "Wire", "Probe", "Raft", "Membership", "SansIO"]),
        .testTarget(name: "MembershipTests", dependencies: ["Membership", "SansIO", "Wire"]),
        .testTarget(name: "RaftTests", dependencies: ["Raft", "SansIO", "Wire", "Node"]),
        .testTarget(name: "ProbeTests", dependencies: ["Probe", "Failover", "HTTP", "IO", "SansIO"]),
        .testTarget(name: "FailoverTests", dependencies: ["Failover", "Raft", "Wire", "SansIO"]),
        .testTarget(name: "SimulationTests", dependencies: ["Simulator", "Failover", "Membership", "Raft", "Wire", "SansIO"]),
    ],
    swiftLanguageModes: [.v6]
)
