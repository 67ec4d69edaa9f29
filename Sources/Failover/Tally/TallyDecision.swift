/// What the tally concludes about one address (DESIGN.md "Observations and votes").
public struct TallyDecision: Sendable, Hashable, CustomStringConvertible {
    public enum Verdict: String, Sendable, Hashable {
        /// At least `min_peers_agree + 1` agents' fresh views say down: take it out of DNS.
        case remove
        /// At least `min_peers_agree + 1` agents' fresh views say up (and not enough say down): serve it.
        case restore
        /// Neither: DNS keeps whatever the provider has for it.
        case keep
    }

    public var verdict: Verdict
    /// The voters whose fresh views say down, sorted.
    public var down: [String]
    /// The voters whose fresh views say up, sorted.
    public var up: [String]

    public init(verdict: Verdict, down: [String], up: [String]) {
        self.verdict = verdict
        self.down = down
        self.up = up
    }

    public var description: String {
        "\(verdict.rawValue) (down: \(down.joined(separator: ",")); up: \(up.joined(separator: ",")))"
    }
}
