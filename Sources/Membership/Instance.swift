import SansIO
import Wire

extension SWIM {
    /// One node's SWIM failure detector and membership view with Lifeguard's extensions.
    ///
    /// A sans-IO value: the shell calls ``onStart(now:rng:)`` once, ``onMessage(_:now:rng:)`` for
    /// each decoded message, ``onWakeUp(now:rng:)`` when the last requested instant is reached and
    /// ``onLeave(now:)`` on shutdown, and executes the returned directives in order.
    ///
    /// - Probing (SWIM §3.1, §4.3): every protocol period one member, round-robin over a shuffled
    ///   list, gets a ping; without an ack within the probe timeout, `indirectProbes` others get a
    ///   ping-req; without any ack by the end of the period the member is suspected.
    /// - Ping-req relays answer with a nack when the target stays silent (Lifeguard §4.1); missing
    ///   nacks and acks raise the local health multiplier, which stretches the probe interval and
    ///   timeout (Lifeguard §4.3).
    /// - Suspicion (SWIM §4.2) ends in `dead` after Lifeguard's dynamic timeout (§4.2) unless the
    ///   member refutes it with a higher incarnation.
    /// - Join through seeds; seeds not alive in the view are pinged every `rejoinInterval`, so a
    ///   node cut off by a partition finds its way back once the network heals.
    public struct Instance: Sendable {
        public let myself: MemberID
        public let seeds: [MemberID]
        public let settings: Settings
        public private(set) var incarnation: UInt64 = 0

        private var view: [String: Member] = [:]
        private var tombstonedAt: [String: Instant] = [:]
        private var suspicions: [String: Suspicion] = [:]
        private var gossip = Gossip()
        private var schedule = ProbeSchedule()
        private var health: LocalHealth
        private var sequence: UInt64 = 0
        private var probe: Probe?
        private var nextProbe: Instant?
        private var nextRejoin: Instant?
        private var relays: [UInt64: Relay] = [:]
        private var hasLeft = false

        private struct Probe: Sendable {
            let target: MemberID
            let sequence: UInt64
            let directDeadline: Instant
            let end: Instant
            var indirectSent = false
            var expectedNacks = 0
            var nacks = 0
        }

        /// A ping sent on behalf of a ping-req: where to forward the ack, when to nack.
        private struct Relay: Sendable {
            let requester: MemberID
            let sequence: UInt64
            let target: MemberID
            var nackAt: Instant?
            let expires: Instant
        }

        public init(myself: MemberID, seeds: [MemberID], settings: Settings = Settings()) {
            self.myself = myself
            self.seeds = seeds.filter { $0.name != myself.name }
            self.settings = settings
            health = LocalHealth(maximum: settings.localHealthMax, enabled: settings.localHealthEnabled)
        }

        /// The other members this node knows, tombstones included, sorted by name.
        public var members: [Member] { view.values.sorted { $0.id.name < $1.id.name } }

        public func member(named name: String) -> Member? { view[name] }

        /// The current local health score (0 … `localHealthMax`).
        public var localHealth: Int { health.score }

        // MARK: - Inputs

        /// Announces this node and pings every seed (join).
        public mutating func onStart(now: Instant, rng: inout some RandomNumberGenerator) -> [Directive] {
            var output: [Directive] = []
            gossip.enqueue(Update(member: Member(id: myself, status: .alive, incarnation: incarnation)))
            rejoin(now: now, &output)
            nextProbe = now + settings.probeInterval.scaled(by: Double.random(in: 0..<1, using: &rng))
            appendWakeUp(&output)
            return output
        }

        public mutating func onWakeUp(now: Instant, rng: inout some RandomNumberGenerator) -> [Directive] {
            guard !hasLeft else { return [] }
            var output: [Directive] = []
            expireRelays(now: now, &output)
            advanceProbe(now: now, rng: &rng, &output)
            expireSuspicions(now: now, rng: &rng, &output)
            checkSuspects(now: now, &output)
            if let nextRejoin, now >= nextRejoin { rejoin(now: now, &output) }
            for (name, since) in tombstonedAt where now >= since + settings.tombstoneLifetime {
                tombstonedAt[name] = nil
                view[name] = nil
            }
            appendWakeUp(&output)
            return output
        }

        /// Handles one decoded message; the sender's identity is inside it.
        public mutating func onMessage(_ message: Message, now: Instant,
                                       rng: inout some RandomNumberGenerator) -> [Directive] {
            guard !hasLeft, message.sender.name != myself.name else { return [] }
            var output: [Directive] = []
            apply(Update(member: Member(id: message.sender, status: .alive, incarnation: message.incarnation)),
                  now: now, rng: &rng, &output)
            for update in message.gossip { apply(update, now: now, rng: &rng, &output) }
            if message.kind != .ping,
               message.gossip.contains(where: { $0.member.id.name == myself.name && $0.member.status != .alive }) {
                // The sender holds this node suspect or dead (after a healed partition it usually
                // does), perhaps at an incarnation already refuted elsewhere: the current
                // incarnation goes straight back instead of only into gossip. A ping needs no
                // extra message: its ack carries the incarnation.
                send(.ping, sequence: 0, target: nil, to: message.sender, &output)
            }
            switch message.kind {
            case .ping:
                send(.ack, sequence: message.sequence, target: message.target, to: message.sender, &output)
            case .pingReq:
                guard let target = message.target, target.name != myself.name else { break }
                sequence += 1
                let timeout = settings.probeTimeout.scaled(by: Double(health.multiplier))
                relays[sequence] = Relay(requester: message.sender, sequence: message.sequence, target: target,
                                         nackAt: now + timeout.scaled(by: 0.4), expires: now + timeout * 4)
                send(.ping, sequence: sequence, target: nil, to: target, &output)
            case .ack:
                if let relay = relays.removeValue(forKey: message.sequence), relay.target.name == message.sender.name {
                    send(.ack, sequence: relay.sequence, target: relay.target, to: relay.requester, &output)
                } else if let current = probe, current.sequence == message.sequence,
                          current.target.name == (message.target ?? message.sender).name {
                    probe = nil
                    health.improve()
                    nextProbe = max(now, current.end)
                }
            case .nack:
                if probe?.sequence == message.sequence { probe?.nacks += 1 }
            }
            appendWakeUp(&output)
            return output
        }

        /// Graceful leave (SWIM §4.3): tells every alive member this node left, then goes quiet.
        public mutating func onLeave(now: Instant) -> [Directive] {
            guard !hasLeft else { return [] }
            hasLeft = true
            let update = Update(member: Member(id: myself, status: .left, incarnation: incarnation))
            return view.values.filter { !$0.status.isTombstone }.sorted { $0.id.name < $1.id.name }.map {
                .send(Message(kind: .ping, sender: myself, incarnation: incarnation, sequence: 0, gossip: [update]),
                      to: $0.id)
            }
        }

        // MARK: - Probing

        private mutating func advanceProbe(now: Instant, rng: inout some RandomNumberGenerator, _ output: inout [Directive]) {
            if var current = probe {
                let interval = settings.probeInterval.scaled(by: Double(health.multiplier))
                if settings.localHealthEnabled, now >= current.end + interval {
                    // Woken a whole period late: this process stalled, not the target (Lifeguard §4.3).
                    health.worsen()
                    probe = nil
                    nextProbe = now
                } else if now >= current.end {
                    probe = nil
                    // Nacks from every helper prove this node is healthy; each missing one, or no
                    // helper at all, counts against it (Lifeguard §4.1, §4.3).
                    let missing = current.expectedNacks == 0 ? 1 : current.expectedNacks - min(current.nacks, current.expectedNacks)
                    for _ in 0..<missing { health.worsen() }
                    suspect(current.target, origin: myself.name, now: now, &output)
                    nextProbe = current.end
                } else if now >= current.directDeadline, !current.indirectSent {
                    current.indirectSent = true
                    let helpers = view.values.filter {
                        $0.status == .alive && $0.id.name != current.target.name
                    }.map(\.id).sorted { $0.name < $1.name }.shuffled(using: &rng).prefix(settings.indirectProbes)
                    current.expectedNacks = helpers.count
                    probe = current
                    for helper in helpers {
                        send(.pingReq, sequence: current.sequence, target: current.target, to: helper, &output)
                    }
                }
            }
            guard probe == nil, let next = nextProbe, now >= next else { return }
            guard let name = nextProbeTarget(rng: &rng), let target = view[name]?.id else {
                nextProbe = now + settings.probeInterval
                return
            }
            sequence += 1
            let scale = Double(health.multiplier)
            probe = Probe(target: target, sequence: sequence,
                          directDeadline: now + settings.probeTimeout.scaled(by: scale),
                          end: now + settings.probeInterval.scaled(by: scale))
            nextProbe = nil
            send(.ping, sequence: sequence, target: nil, to: target, &output)
        }

        /// The member to probe next: a suspect this node has not probed itself since the
        /// suspicion began, else the round-robin order. Probing a suspect at once turns a real
        /// failure into an independent confirmation that shortens the suspicion timeout
        /// (Lifeguard §4.2), and lets a running suspect's answer end the suspicion here.
        private mutating func nextProbeTarget(rng: inout some RandomNumberGenerator) -> String? {
            if let name = suspicions.filter({ !$0.value.probedHere }).keys.min() {
                suspicions[name]?.probedHere = true
                return name
            }
            let view = view
            return schedule.next(members: { view.values.filter { !$0.status.isTombstone }.map(\.id.name).sorted() },
                                 rng: &rng, isProbeable: { view[$0].map { !$0.status.isTombstone } ?? false })
        }

        private mutating func expireRelays(now: Instant, _ output: inout [Directive]) {
            for key in relays.keys.sorted() {
                guard let relay = relays[key] else { continue }
                if now >= relay.expires {
                    relays[key] = nil
                } else if let nackAt = relay.nackAt, now >= nackAt {
                    relays[key]?.nackAt = nil
                    send(.nack, sequence: relay.sequence, target: relay.target, to: relay.requester, &output)
                }
            }
        }

        private mutating func rejoin(now: Instant, _ output: inout [Directive]) {
            for seed in seeds where view[seed.name]?.status != .alive {
                send(.ping, sequence: 0, target: nil, to: seed, &output)
            }
            nextRejoin = now + settings.rejoinInterval
        }

        // MARK: - Suspicion

        private mutating func suspect(_ id: MemberID, origin: String, now: Instant, _ output: inout [Directive]) {
            guard let member = view[id.name] else { return }
            apply(Update(member: Member(id: id, status: .suspect, incarnation: member.incarnation), origin: origin),
                  now: now, &output)
        }

        /// A suspicion that timed out here makes the member dead; the declaration is also pushed
        /// at once to `2 × indirectProbes` random alive members, so it spreads faster than the next
        /// protocol period's piggybacking alone (SWIM §4.1 "confirm" message).
        private mutating func expireSuspicions(now: Instant, rng: inout some RandomNumberGenerator,
                                               _ output: inout [Directive]) {
            for name in suspicions.keys.sorted() {
                guard let suspicion = suspicions[name], now >= suspicion.deadline(settings: settings),
                      let member = view[name] else { continue }
                let dead = Update(member: Member(id: member.id, status: .dead, incarnation: suspicion.incarnation))
                apply(dead, now: now, &output)
                let recipients = view.values.filter { $0.status == .alive }.map(\.id).sorted { $0.name < $1.name }
                for recipient in recipients.shuffled(using: &rng).prefix(2 * settings.indirectProbes) {
                    output.append(.send(Message(kind: .ping, sender: myself, incarnation: incarnation, sequence: 0,
                                                gossip: [dead]), to: recipient))
                }
            }
        }

        /// Every node holding a suspicion pings the suspect itself, at once and then every probe
        /// interval until the suspicion ends. The ping carries the suspicion, so a running suspect
        /// refutes it (Lifeguard §4.4, buddy system), and any answer carries the refuted
        /// incarnation, so the refutation reaches this node directly instead of depending on
        /// piggybacked gossip alone, which under sustained loss can miss a node for longer than
        /// a shortened suspicion timeout.
        private mutating func checkSuspects(now: Instant, _ output: inout [Directive]) {
            for name in suspicions.keys.sorted() {
                guard let suspicion = suspicions[name], now >= suspicion.nextCheck, let member = view[name] else { continue }
                suspicions[name]?.nextCheck = now + settings.probeInterval
                send(.ping, sequence: 0, target: nil, to: member.id, &output)
            }
        }

        // MARK: - Merging gossip

        private mutating func apply(_ update: Update, now: Instant, rng: inout some RandomNumberGenerator,
                                    _ output: inout [Directive]) {
            let isNew = view[update.member.id.name] == nil
            apply(update, now: now, &output)
            if isNew, let member = view[update.member.id.name], !member.status.isTombstone {
                schedule.insert(member.id.name, rng: &rng)
            }
        }

        /// SWIM §4.2 precedence: a higher incarnation wins; for the same incarnation
        /// alive < suspect < dead < left; only alive with a higher incarnation revives a tombstone.
        private mutating func apply(_ update: Update, now: Instant, _ output: inout [Directive]) {
            let incoming = update.member
            if incoming.id.name == myself.name {
                guard incoming.status != .alive, incoming.incarnation >= incarnation, settings.refutationEnabled else { return }
                // Refutation (SWIM §4.2); being suspected is a sign of poor local health (Lifeguard §4.3).
                incarnation = incoming.incarnation + 1
                health.worsen()
                gossip.enqueue(Update(member: Member(id: myself, status: .alive, incarnation: incarnation)))
                return
            }
            let name = incoming.id.name
            guard let current = view[name] else {
                record(incoming, previous: nil, origin: update.origin, now: now, &output)
                return
            }
            switch incoming.status {
            case .alive:
                guard incoming.incarnation > current.incarnation else { return }
            case .suspect:
                if current.status == .suspect, incoming.incarnation == current.incarnation {
                    if let origin = update.origin, suspicions[name]?.confirm(by: origin) == true {
                        gossip.enqueue(update)  // re-gossip so others count it too (Lifeguard §4.2)
                    }
                    return
                }
                guard !current.status.isTombstone,
                      incoming.incarnation > current.incarnation
                        || (incoming.incarnation == current.incarnation && current.status == .alive) else { return }
            case .dead, .left:
                guard incoming.incarnation > current.incarnation
                        || (incoming.incarnation == current.incarnation && incoming.status > current.status) else { return }
            }
            record(incoming, previous: current.status, origin: update.origin, now: now, &output)
        }

        private mutating func record(_ member: Member, previous: MemberStatus?, origin: String?, now: Instant,
                                     _ output: inout [Directive]) {
            let name = member.id.name
            view[name] = member
            gossip.enqueue(Update(member: member, origin: origin))
            if member.status == .suspect {
                let origin = origin ?? myself.name
                suspicions[name] = Suspicion(start: now, incarnation: member.incarnation, origin: origin,
                                             probedHere: origin == myself.name)
            } else {
                suspicions[name] = nil
            }
            tombstonedAt[name] = member.status.isTombstone ? now : nil
            if member.status != previous {
                output.append(.event(.statusChanged(member, previous: previous)))
            }
            if member.status == .alive, previous?.isTombstone == true { synchronize(with: member.id, &output) }
        }

        /// A member came back from a tombstone (a healed partition, a restart): this view's alive
        /// members go to it directly instead of waiting for gossip to cross (state transfer on join,
        /// SWIM §4.3 / memberlist's push-pull in one datagram).
        private func synchronize(with recipient: MemberID, _ output: inout [Directive]) {
            var message = Message(kind: .ping, sender: myself, incarnation: incarnation, sequence: 0,
                                  gossip: [Update(member: Member(id: myself, status: .alive, incarnation: incarnation))])
            var budget = Envelope.maximumBodyLength - message.encoded().count - 4
            for member in view.values.sorted(by: { $0.id.name < $1.id.name })
            where member.status == .alive && member.id.name != recipient.name && message.gossip.count < Message.gossipLimit {
                let update = Update(member: member)
                let size = Message.size(of: update)
                guard size <= budget else { break }
                budget -= size
                message.gossip.append(update)
            }
            output.append(.send(message, to: recipient))
        }

        // MARK: - Output

        private mutating func send(_ kind: Message.Kind, sequence: UInt64, target: MemberID?, to recipient: MemberID,
                                   _ output: inout [Directive]) {
            var message = Message(kind: kind, sender: myself, incarnation: incarnation, sequence: sequence, target: target)
            var budget = Envelope.maximumBodyLength - message.encoded().count - 4
            // A recipient this view does not hold alive learns so first, so it can refute (SWIM §4.2).
            if let known = view[recipient.name], known.status != .alive {
                let update = Update(member: known, origin: suspicions[recipient.name].map { _ in myself.name })
                message.gossip.append(update)
                budget -= Message.size(of: update)
            }
            let limit = Gossip.retransmitLimit(multiplier: settings.retransmitMultiplier, members: view.count + 1)
            message.gossip += gossip.take(budget: budget, limit: limit)
                .filter { $0.member.id.name != recipient.name || message.gossip.isEmpty }
            output.append(.send(message, to: recipient))
        }

        private func appendWakeUp(_ output: inout [Directive]) {
            guard !hasLeft else { return }
            var deadlines = [nextProbe, nextRejoin].compactMap { $0 }
            if let probe { deadlines.append(probe.indirectSent ? probe.end : probe.directDeadline) }
            for relay in relays.values { deadlines.append(relay.nackAt ?? relay.expires) }
            for suspicion in suspicions.values {
                deadlines.append(min(suspicion.deadline(settings: settings), suspicion.nextCheck))
            }
            if let earliest = tombstonedAt.values.min() { deadlines.append(earliest + settings.tombstoneLifetime) }
            if let earliest = deadlines.min() { output.append(.wakeUp(at: earliest)) }
        }
    }
}
