import Failover
import Foundation
import SansIO

/// The DNS provider of the simulated world: one zone of address records, answering the failover
/// core's `DNSRequest`s with modelled latency and faults, and a ledger of every write that landed.
///
/// Latency is log-normal with a median of 150 ms and a p99 of 400 ms by default (roughly what a
/// cloud region sees from Cloudflare's API), its tail running past the client's deadline. A write
/// lands at a uniformly random point of its flight; a call still unanswered at the client's
/// deadline is abandoned there, and a write abandoned that way landed before the deadline or never
/// (half and half), except under the `lateWrite` fault. Records written are what Cloudflare keeps:
/// an identical create is answered with the existing record, a delete of a missing id as done.
public final class SimulatedDNSProvider {
    public struct Latency: Sendable {
        public var median: Duration
        public var p99: Duration

        public init(median: Duration = .milliseconds(150), p99: Duration = .milliseconds(400)) {
            self.median = median
            self.p99 = p99
        }
    }

    /// A write that took effect, with what the invariants need to judge it.
    public struct LandedWrite: Sendable {
        public let time: Instant
        /// The writer's node index.
        public let writer: Int
        public let call: DNSCall
        /// True time the call started.
        public let sentAt: Instant
        /// Applied after the client abandoned the call (the `lateWrite` fault).
        public let isLate: Bool
        /// Addresses of names left with no record of that address by this write.
        public let removed: [(name: String, address: String)]
    }

    /// A call in flight.
    struct Flight {
        let writer: Int
        let call: DNSCall
        let sentAt: Instant
        let landAt: Instant?
        let replyAt: Instant
        let isLate: Bool
        /// Nil: answer with the outcome of applying the call (or listing) at reply time.
        let failure: DNSFailure?
        /// Ids assigned to the records the call creates.
        let newIDs: [String]
    }

    public var latency: Latency
    public var faults = DNSFaultPlan()
    public var supportsBatch = true
    public private(set) var records: [String: [DNSRecord]] = [:]
    /// Every landed write, in landing order.
    public private(set) var landedWrites: [LandedWrite] = []
    public private(set) var callCount = 0
    /// Names that held at least one record at some point: the never-empty invariant watches these.
    public private(set) var namesEverFilled: Set<String> = []
    var flights: [Int: Flight] = [:]
    private var nextFlight = 0
    private var nextRecordID = 0
    private var random: SeededGenerator

    init(random: SeededGenerator, latency: Latency = Latency()) {
        self.random = random
        self.latency = latency
    }

    /// Puts records in the zone before the run (the operator's existing records).
    public func seed(_ record: RecordSpec) {
        nextRecordID += 1
        records[record.name, default: []].append(record.record(id: "seed-\(nextRecordID)"))
        namesEverFilled.insert(record.name)
    }

    /// The addresses `name` holds now.
    public func addresses(of name: String) -> Set<String> { Set((records[name] ?? []).map(\.content)) }

    /// Starts a call by `writer` at true time `now`; `abandonAt` is the true time the writer's
    /// clock reaches the call's deadline. Returns the flight id.
    func begin(_ call: DNSCall, writer: Int, now: Instant, abandonAt: Instant) -> Int {
        callCount += 1
        nextFlight += 1
        let latency = sampleLatency()
        let fault = faults.fault(at: now, random: &random)
        let answered = now + latency < abandonAt
        let flightSpan = (answered ? latency : abandonAt - now)
        let landingPoint = now + flightSpan.scaled(by: max(random.nextUnit(), 1e-6))
        var landAt: Instant?, failure: DNSFailure?, replyAt = answered ? now + latency : abandonAt, isLate = false
        switch fault {
        case .rateLimited(let wait)?: failure = .rateLimited(retryAfter: wait)
        case .serverError?: failure = .unavailable("500 Internal Server Error")
        case .timeout?:
            replyAt = abandonAt
            failure = .timedOut
            if random.nextUnit() < 0.5 { landAt = now + (abandonAt - now).scaled(by: random.nextUnit()) }
        case .lostAnswer?:
            replyAt = abandonAt
            failure = .timedOut
            landAt = landingPoint
        case .lateWrite?:
            replyAt = abandonAt
            failure = .timedOut
            landAt = abandonAt + .milliseconds(Int64(1_000 + random.nextUnit() * 9_000))
            isLate = true
        case nil:
            if answered {
                landAt = landingPoint
            } else {
                failure = .timedOut
                if random.nextUnit() < 0.5 { landAt = landingPoint }
            }
        }
        if !call.request.isWrite { landAt = nil }
        var newIDs: [String] = []
        switch call.request {
        case .create: newIDs = [makeID()]
        case .batch(let creates, _): newIDs = creates.map { _ in makeID() }
        default: break
        }
        flights[nextFlight] = Flight(writer: writer, call: call, sentAt: now, landAt: landAt, replyAt: replyAt,
                                     isLate: isLate, failure: failure, newIDs: newIDs)
        return nextFlight
    }

    /// Applies the flight's write at its landing time.
    func land(_ id: Int, now: Instant) {
        guard let flight = flights[id] else { return }
        if let landAt = flight.landAt, flight.replyAt < landAt { flights[id] = nil }
        let before = records
        apply(flight)
        var removed: [(String, String)] = []
        for (name, old) in before {
            let remaining = addresses(of: name)
            for address in Set(old.map(\.content)) where !remaining.contains(address) { removed.append((name, address)) }
        }
        landedWrites.append(LandedWrite(time: now, writer: flight.writer, call: flight.call, sentAt: flight.sentAt,
                                        isLate: flight.isLate, removed: removed))
        for (name, list) in records where !list.isEmpty { namesEverFilled.insert(name) }
    }

    /// The answer at reply time; forgets the flight once it has also landed (or never will).
    func reply(_ id: Int) -> DNSResponse {
        guard let flight = flights[id] else { return .failed(.timedOut) }
        if flight.landAt == nil || flight.landAt! <= flight.replyAt { flights[id] = nil }
        if let failure = flight.failure { return .failed(failure) }
        switch flight.call.request {
        case .list(let name): return .listed(records[name] ?? [])
        case .create(let spec):
            return .created(existing(spec) ?? spec.record(id: flight.newIDs[0]))
        case .delete: return .deleted
        case .batch(let creates, _):
            return .batched(created: zip(creates, flight.newIDs).map { existing($0) ?? $0.record(id: $1) })
        }
    }

    private func apply(_ flight: Flight) {
        switch flight.call.request {
        case .list: break
        case .create(let spec): create(spec, id: flight.newIDs[0])
        case .delete(let record): records[record.name]?.removeAll { $0.id == record.id }
        case .batch(let creates, let deletes):
            for record in deletes { records[record.name]?.removeAll { $0.id == record.id } }
            for (spec, id) in zip(creates, flight.newIDs) { create(spec, id: id) }
        }
    }

    private func create(_ spec: RecordSpec, id: String) {
        guard existing(spec) == nil else { return }
        records[spec.name, default: []].append(spec.record(id: id))
    }

    private func existing(_ spec: RecordSpec) -> DNSRecord? {
        records[spec.name]?.first { $0.type == spec.type && $0.content == spec.content }
    }

    private func makeID() -> String {
        nextRecordID += 1
        return "rec-\(nextRecordID)"
    }

    /// Log-normal with the configured median and p99 (σ = ln(p99 / median) / z₀.₉₉).
    private func sampleLatency() -> Duration {
        let sigma = log(latency.p99.seconds / latency.median.seconds) / 2.326_347_9
        let u1 = max(random.nextUnit(), 1e-12), u2 = random.nextUnit()
        let normal = (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
        return .nanoseconds(Int64(latency.median.seconds * exp(sigma * normal) * 1e9))
    }
}
