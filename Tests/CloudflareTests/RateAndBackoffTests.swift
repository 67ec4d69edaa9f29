import Cloudflare
import Failover
import Provider
import SansIO
import Testing

/// The client's pacing rules, in exact (injected) time.
@Suite struct RateAndBackoffTests {
    @Test func theBucketAdmitsAtMostTwelveHundredInAnyFiveMinutes() {
        var bucket = TokenBucket()
        let origin = ContinuousClock.now
        var admitted: [Duration] = []
        var now = Duration.zero
        while now < .seconds(900) {
            if bucket.take(at: origin + now) == .zero { admitted.append(now) } else { now += .milliseconds(50) }
        }
        #expect(admitted.prefix(300).allSatisfy { $0 == .zero })  // a burst of 300 at once
        var start = 0
        var busiest = 0
        for end in admitted.indices {
            while admitted[end] - admitted[start] >= .seconds(300) { start += 1 }
            busiest = max(busiest, end - start + 1)
        }
        #expect(busiest <= 1_200)
        #expect(busiest >= 1_150)  // and it does not waste the budget
        var empty = TokenBucket(capacity: 1, refillPerSecond: 2)
        #expect(empty.take(at: origin) == .zero)
        #expect(empty.take(at: origin) == .milliseconds(500))
    }

    @Test func backoffIsFullJitterUnderACappedExponential() {
        let backoff = RetryBackoff(base: .milliseconds(100), cap: .seconds(1))
        var generator = SeededGenerator(seed: 3)
        for retry in 1...10 {
            let ceiling = min(.seconds(1), .milliseconds(100) * (1 << (retry - 1)))
            let waits = (0..<200).map { _ in backoff.delay(beforeRetry: retry, using: &generator) }
            #expect(waits.allSatisfy { $0 >= .zero && $0 <= ceiling })
            #expect(waits.contains { $0 < ceiling / 4 } && waits.contains { $0 > ceiling * 3 / 4 })
        }
        var first = SeededGenerator(seed: 9), second = SeededGenerator(seed: 9)
        #expect(backoff.delay(beforeRetry: 4, using: &first) == backoff.delay(beforeRetry: 4, using: &second))
    }

    @Test func theInMemoryProviderBatchesAllOrNothing() async {
        let provider = InMemoryProvider()
        let spec = RecordSpec(name: "www.example.com", type: .a, content: "192.0.2.1", proxied: false, ttl: 1)
        guard case .created(let record) = await provider.perform(.create(spec), deadline: .seconds(1)) else { Issue.record("create"); return }
        #expect(await provider.perform(.create(spec), deadline: .seconds(1)) == .created(record))
        let ghost = DNSRecord(id: "nope", name: "www.example.com", type: .a, content: "192.0.2.9", proxied: false, ttl: 1)
        let second = RecordSpec(name: "www.example.com", type: .a, content: "192.0.2.2", proxied: false, ttl: 1)
        #expect(await provider.perform(.batch(creates: [second], deletes: [record, ghost]), deadline: .seconds(1)).failure != nil)
        #expect(await provider.zone == [record])
        guard case .batched(let created) = await provider.perform(.batch(creates: [second], deletes: [record]), deadline: .seconds(1)) else {
            Issue.record("batch"); return
        }
        #expect(await provider.perform(.list(name: "www.example.com"), deadline: .seconds(1)) == .listed(created))
        #expect(await provider.perform(.delete(record), deadline: .seconds(1)) == .deleted)
        #expect(await provider.calls == 6)
    }
}
