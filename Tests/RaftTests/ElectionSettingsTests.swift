import Raft
import SansIO
import Testing

@Suite struct ElectionSettingsTests {
    @Test func defaultsGiveTheDocumentedLease() {
        let settings = ElectionSettings()
        #expect(settings.lease == .milliseconds(1325))
        // E (1 − d) · d / (1 + d) = 1.5 s × 0.95 × 0.05 / 1.05 = 67.857142… ms, rounded up.
        #expect(settings.minimumSafeLeaseMargin == .nanoseconds(67_857_143))
        #expect(settings.validate().isEmpty)
    }

    /// The lease inequality L / (1 − d) ≤ E / (1 + d) holds exactly at the minimum margin.
    @Test func minimumMarginMakesTheLeaseInequalityTight() {
        var settings = ElectionSettings()
        settings.leaseMargin = settings.minimumSafeLeaseMargin
        #expect(settings.validate().isEmpty)
        let lease = Double(settings.lease.nanoseconds), timeout = Double(settings.electionTimeoutMin.nanoseconds)
        #expect(lease / (1 - settings.maxClockDrift) <= timeout / (1 + settings.maxClockDrift))
        #expect((lease + 2) / (1 - settings.maxClockDrift) > timeout / (1 + settings.maxClockDrift))
        settings.leaseMargin = settings.minimumSafeLeaseMargin - .nanoseconds(1)
        #expect(settings.validate() == [.leaseMarginTooSmall(margin: settings.leaseMargin, required: settings.minimumSafeLeaseMargin)])
    }

    @Test func largerDriftNeedsALargerMargin() {
        var settings = ElectionSettings()
        settings.maxClockDrift = 0.1
        #expect(settings.validate().contains { if case .leaseMarginTooSmall = $0 { true } else { false } })
        settings.leaseMargin = .milliseconds(250)  // bound: 1.5 × 0.9 × 0.1 / 1.1 = 122.7 ms
        #expect(settings.validate().isEmpty)
    }

    @Test func rejectsLeaseNotLongerThanAHeartbeat() {
        var settings = ElectionSettings()
        settings.heartbeatInterval = .milliseconds(1325)
        #expect(settings.validate() == [.leaseNotLongerThanHeartbeat(lease: .milliseconds(1325), heartbeat: .milliseconds(1325))])
    }

    @Test func rejectsNonsense() {
        var settings = ElectionSettings()
        settings.maxClockDrift = 1
        settings.electionTimeoutMax = .seconds(1)
        settings.heartbeatInterval = .zero
        #expect(settings.validate() == [
            .heartbeatIntervalNotPositive,
            .electionTimeoutRangeInvalid(min: .milliseconds(1500), max: .seconds(1)),
            .clockDriftOutOfRange(1),
        ])
    }

    @Test func electionRefusesUnsafeSettingsAndBadVoters() {
        var settings = ElectionSettings()
        settings.leaseMargin = .zero
        #expect(throws: ElectionConfigurationError.self) { try ElectionDriver(settings: settings) }
        #expect(throws: ElectionConfigurationError.invalidVoters(myself: "a", voters: ["b", "c"])) {
            try ElectionDriver(voters: ["b", "c"])
        }
        #expect(throws: ElectionConfigurationError.self) { try ElectionDriver(voters: ["a", "b", "b"]) }
    }
}
