/// Why an ``Election`` could not be created.
public enum ElectionConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The voter list is empty, has duplicates or empty names, or does not contain this node.
    case invalidVoters(myself: String, voters: [String])
    /// ``ElectionSettings/validate()`` found problems.
    case unsafeSettings([ElectionSettingsProblem])

    public var description: String {
        switch self {
        case .invalidVoters(let myself, let voters):
            "voters \(voters) must be distinct non-empty names including this node (\(myself))"
        case .unsafeSettings(let problems):
            "unsafe election settings: " + problems.map(\.description).joined(separator: "; ")
        }
    }
}
