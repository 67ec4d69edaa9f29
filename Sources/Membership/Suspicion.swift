import SansIO

/// One member's suspicion with Lifeguard's dynamic timeout (Lifeguard §4.2): it starts at
/// `max` and shrinks towards `min` with the logarithm of independent confirmations,
/// `max(min, max − (max − min)·log(C+1)/log(K+1))`.
struct Suspicion: Sendable {
    let start: Instant
    let incarnation: UInt64
    private(set) var confirmers: Set<String>
    /// When this node next pings the suspect itself (see `Instance.checkSuspects`).
    var nextCheck: Instant
    /// Whether this node has run a full probe of the suspect since the suspicion began, so its
    /// own verdict can confirm the suspicion (see `Instance.nextProbeTarget`).
    var probedHere: Bool

    init(start: Instant, incarnation: UInt64, origin: String, probedHere: Bool) {
        self.start = start
        self.incarnation = incarnation
        confirmers = [origin]
        nextCheck = start
        self.probedHere = probedHere
    }

    /// Independent confirmations beyond the first suspecter.
    var confirmations: Int { confirmers.count - 1 }

    /// Records `origin`; true when it is a new, independent confirmation.
    mutating func confirm(by origin: String) -> Bool { confirmers.insert(origin).inserted }

    static func timeout(confirmations: Int, settings: SWIM.Settings) -> Duration {
        let k = max(1, settings.confirmations)
        let fraction = log(Double(min(confirmations, k) + 1)) / log(Double(k + 1))
        let span = (settings.suspicionMax - settings.suspicionMin).seconds
        let seconds = max(settings.suspicionMin.seconds, settings.suspicionMax.seconds - span * fraction)
        return .nanoseconds(Int64((seconds * 1e9).rounded()))
    }

    func deadline(settings: SWIM.Settings) -> Instant {
        start + Self.timeout(confirmations: confirmations, settings: settings)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
