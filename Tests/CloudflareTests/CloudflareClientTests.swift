import Cloudflare
import CloudflareFake
import Failover
import HTTP
import IO
import Testing

/// The client against the fake on loopback: every path of the issue, and every request the
/// client sends passes the fake's OpenAPI validation.
@Suite(.serialized) struct CloudflareClientTests {
    private func spec(_ name: String, _ content: String) -> RecordSpec {
        RecordSpec(name: name, type: RecordType(address: content), content: content, proxied: false, ttl: 1, comment: "vantage term 1 node a")
    }

    @Test func listsAcrossThreePages() async throws {
        let harness = try await FakeHarness.start()
        defer { Task { await harness.stop() } }
        for index in 0..<250 { await harness.fake.insert(zone: "example.com", name: "www.example.com", type: "A", content: "10.0.\(index / 200).\(index % 200)") }
        await harness.fake.insert(zone: "example.com", name: "www.example.com", type: "TXT", content: "not an address")
        await harness.fake.insert(zone: "example.com", name: "other.example.com", type: "A", content: "10.9.9.9")
        let client = harness.client()
        let records = try #require(await client.perform(.list(name: "www.example.com"), deadline: .seconds(10)).listedRecords)
        #expect(records.count == 250)
        #expect(Set(records.map(\.content)).count == 250)
        #expect(await client.requestsSent == 4)  // the zone, then pages 1, 2 and 3
        #expect(await harness.expectAllValid() == [])
    }

    @Test func bothAuthStylesAndRefusedCredentials() async throws {
        let harness = try await FakeHarness.start()
        defer { Task { await harness.stop() } }
        await harness.fake.insert(zone: "example.com", name: "www.example.com", type: "A", content: "192.0.2.1")
        for credentials in [CloudflareCredentials.token("test-token"), .globalKey(email: "ops@example.com", key: "test-key")] {
            let records = await harness.client(credentials).perform(.list(name: "www.example.com"), deadline: .seconds(5)).listedRecords
            #expect(records?.map(\.content) == ["192.0.2.1"], "\(credentials)")
        }
        for credentials in [CloudflareCredentials.token("wrong"), .globalKey(email: "ops@example.com", key: "wrong")] {
            let client = harness.client(credentials)
            let failure = try #require(await client.perform(.list(name: "www.example.com"), deadline: .seconds(5)).failure)
            guard case .unauthorized(let why) = failure else { Issue.record("\(failure)"); continue }
            #expect(why.contains("9109") || why.contains("10000"))
            #expect(!why.contains("wrong"))
            #expect(await client.requestsSent == 1)  // not retried
        }
        #expect(await harness.expectAllValid() == [])
    }

    @Test func credentialsNeverAppearInDescriptions() async throws {
        let harness = try await FakeHarness.start()
        defer { Task { await harness.stop() } }
        for credentials in [CloudflareCredentials.token("tok-SECRET-1"), .globalKey(email: "ops@example.com", key: "key-SECRET-2")] {
            let settings = CloudflareSettings(baseURL: harness.baseURL, zoneName: "example.com", credentials: credentials)
            for text in ["\(settings)", String(reflecting: settings), "\(credentials)", String(reflecting: credentials)] {
                #expect(!text.contains("SECRET"), "\(text)")
            }
            let failure = try #require(await harness.client(credentials).perform(.list(name: "www.example.com"), deadline: .seconds(5)).failure)
            #expect(!"\(failure)".contains("SECRET") && !String(reflecting: failure).contains("SECRET"))
        }
    }

    @Test func createAndDeleteCountAlreadyDoneAsDone() async throws {
        let harness = try await FakeHarness.start()
        defer { Task { await harness.stop() } }
        let client = harness.client()
        guard case .created(let first) = await client.perform(.create(spec("www.example.com", "192.0.2.10")), deadline: .seconds(5)) else {
            Issue.record("create failed"); return
        }
        guard case .created(let again) = await client.perform(.create(spec("www.example.com", "192.0.2.10")), deadline: .seconds(5)) else {
            Issue.record("an identical create (81058) is not done"); return
        }
        #expect(again.id == first.id)
        var changed = spec("www.example.com", "192.0.2.10")
        changed.ttl = 300
        guard case .created(let sameContent) = await client.perform(.create(changed), deadline: .seconds(5)) else {
            Issue.record("81057 is not done"); return
        }
        #expect(sameContent.id == first.id)
        #expect(await client.perform(.create(spec("www.example.com", "2001:db8::1")), deadline: .seconds(5)) != .failed(.timedOut))
        #expect(await client.perform(.delete(first), deadline: .seconds(5)) == .deleted)
        #expect(await client.perform(.delete(first), deadline: .seconds(5)) == .deleted)  // 81044
        #expect(await harness.fake.records(in: "example.com").map(\.content) == ["2001:db8::1"])
        #expect(await harness.fake.records(in: "example.com").first?.type == "AAAA")
        #expect(await harness.expectAllValid() == [])
    }

    @Test func aRateLimitIsWaitedOutThenTheCallSucceeds() async throws {
        let harness = try await FakeHarness.start()
        defer { Task { await harness.stop() } }
        await harness.fake.inject(.rateLimited(retryAfterSeconds: 1))
        let sleeper = Sleeper()
        let client = harness.client(sleeper: sleeper)
        let started = ContinuousClock.now
        #expect(await client.perform(.list(name: "www.example.com"), deadline: .seconds(10)).listedRecords == [])
        #expect(sleeper.recorded == [.seconds(1)])
        #expect(ContinuousClock.now - started >= .milliseconds(950))
        await harness.fake.inject(.rateLimited(retryAfterSeconds: 30))
        let impatient = await harness.client().perform(.list(name: "www.example.com"), deadline: .seconds(2))
        #expect(impatient == .failed(.rateLimited(retryAfter: .seconds(30))))
    }

    @Test func theDeadlineExpiresMidRetry() async throws {
        let harness = try await FakeHarness.start()
        defer { Task { await harness.stop() } }
        _ = await harness.client().perform(.list(name: "warm.example.com"), deadline: .seconds(5))
        await harness.fake.inject(.serverError, times: 10_000)
        let sleeper = Sleeper()
        let client = harness.client(sleeper: sleeper)
        let started = ContinuousClock.now
        let response = await client.perform(.create(spec("www.example.com", "192.0.2.7")), deadline: .milliseconds(1_500))
        let elapsed = ContinuousClock.now - started
        guard case .failed(.unavailable(let why)) = response else { Issue.record("\(response)"); return }
        #expect(why.contains("500"))
        #expect(elapsed < .milliseconds(1_500) + .seconds(3))
        #expect(sleeper.recorded.count >= 2)
        #expect(sleeper.recorded.allSatisfy { $0 <= .milliseconds(400) })
        #expect(await harness.fake.records(in: "example.com").isEmpty)
    }

    @Test func aWriteWhoseAnswerIsLostTimesOutAndTheRepeatFindsItDone() async throws {
        let harness = try await FakeHarness.start()
        defer { Task { await harness.stop() } }
        let client = harness.client()
        _ = await client.perform(.list(name: "www.example.com"), deadline: .seconds(5))  // the zone id is cached
        await harness.fake.inject(.lostAnswer(hold: .seconds(3)))
        let record = spec("www.example.com", "192.0.2.20")
        #expect(await client.perform(.create(record), deadline: .milliseconds(800)) == .failed(.timedOut))
        #expect(await harness.fake.records(in: "example.com").map(\.content) == ["192.0.2.20"])  // it landed
        guard case .created(let found) = await client.perform(.create(record), deadline: .seconds(5)) else { Issue.record("not done"); return }
        #expect(found.content == "192.0.2.20" && !found.id.isEmpty)
        await harness.fake.inject(.drop)
        guard case .created = await client.perform(.create(spec("www.example.com", "192.0.2.21")), deadline: .seconds(5)) else {
            Issue.record("a dropped connection is not retried"); return
        }
        #expect(await harness.fake.records(in: "example.com").count == 2)
        #expect(await harness.expectAllValid() == [])
    }

    @Test func aSlowAnswerIsWaitedForWithinTheDeadlineAndAbandonedPastIt() async throws {
        let harness = try await FakeHarness.start()
        defer { Task { await harness.stop() } }
        let client = harness.client()
        _ = await client.perform(.list(name: "www.example.com"), deadline: .seconds(5))
        await harness.fake.inject(.slow(.milliseconds(300)))
        #expect(await client.perform(.list(name: "www.example.com"), deadline: .seconds(10)) == .listed([]))
        await harness.fake.inject(.slow(.seconds(3)), times: 10)
        let started = ContinuousClock.now
        #expect(await client.perform(.list(name: "www.example.com"), deadline: .milliseconds(800)) == .failed(.timedOut))
        #expect(ContinuousClock.now - started < .seconds(3))
    }

    @Test func aStaleZoneIDIsLookedUpAgain() async throws {
        let harness = try await FakeHarness.start()
        defer { Task { await harness.stop() } }
        let client = harness.client()
        _ = await client.perform(.list(name: "www.example.com"), deadline: .seconds(5))
        await harness.fake.renumberZones()
        let before = await client.requestsSent
        guard case .batched(let created) = await client.perform(.batch(creates: [spec("www.example.com", "192.0.2.5")], deletes: []), deadline: .seconds(5)) else {
            Issue.record("a stale zone id broke the batch"); return
        }
        #expect(created.map(\.content) == ["192.0.2.5"])
        #expect(await client.requestsSent == before + 3)  // 404 (7003), the zone again, the batch again
        #expect(await harness.expectAllValid() == [])
    }

    @Test func aBatchTheAPIRefusesChangesNothing() async throws {
        let harness = try await FakeHarness.start()
        defer { Task { await harness.stop() } }
        let id = await harness.fake.insert(zone: "example.com", name: "www.example.com", type: "A", content: "192.0.2.1")
        let client = harness.client()
        let existing = try #require(await client.perform(.list(name: "www.example.com"), deadline: .seconds(5)).listedRecords?.first)
        #expect(existing.id == id)
        var ghost = existing
        ghost.id = "0000000000000000000000000000dead"
        let refused = await client.perform(.batch(creates: [spec("www.example.com", "192.0.2.2")], deletes: [existing, ghost]), deadline: .seconds(5))
        guard case .failed(.rejected(let why)) = refused else { Issue.record("\(refused)"); return }
        #expect(why.contains("81044"))
        #expect(await harness.fake.records(in: "example.com").map(\.content) == ["192.0.2.1"])
        let applied = await client.perform(.batch(creates: [spec("www.example.com", "192.0.2.2")], deletes: [existing]), deadline: .seconds(5))
        guard case .batched(let created) = applied else { Issue.record("\(applied)"); return }
        #expect(created.map(\.content) == ["192.0.2.2"])
        #expect(await harness.fake.records(in: "example.com").map(\.content) == ["192.0.2.2"])
        #expect(await harness.expectAllValid() == [])
    }

    @Test func withoutABatchEndpointPlansFallBackToSingleCalls() async throws {
        let harness = try await FakeHarness.start(batchSupported: false)
        defer { Task { await harness.stop() } }
        await harness.fake.insert(zone: "example.com", name: "www.example.com", type: "A", content: "192.0.2.1")
        let client = harness.client()
        let old = try #require(await client.perform(.list(name: "www.example.com"), deadline: .seconds(5)).listedRecords)
        let response = await client.perform(.batch(creates: [spec("www.example.com", "192.0.2.2"), spec("www.example.com", "192.0.2.3")], deletes: old),
                                            deadline: .seconds(5))
        guard case .batched(let created) = response else { Issue.record("\(response)"); return }
        #expect(created.count == 2)
        #expect(await harness.fake.records(in: "example.com").map(\.content) == ["192.0.2.2", "192.0.2.3"])
        let before = await client.requestsSent
        _ = await client.perform(.batch(creates: [spec("www.example.com", "192.0.2.4")], deletes: []), deadline: .seconds(5))
        #expect(await client.requestsSent == before + 1)  // the missing endpoint is remembered
        #expect(await harness.expectAllValid() == [])
    }

    @Test(arguments: [true, false])
    func aReconcileOfAHundredNamesTimesTenAddressesEndsExact(batch: Bool) async throws {
        let harness = try await FakeHarness.start()
        defer { Task { await harness.stop() } }
        let names = (0..<100).map { "host\($0).example.com" }
        for (index, name) in names.enumerated() {
            for octet in 0..<5 { await harness.fake.insert(zone: "example.com", name: name, type: "A", content: "10.\(index).0.\(octet)") }
        }
        let desired = Dictionary(uniqueKeysWithValues: names.enumerated().map { index, name in
            (name, Set((2..<12).map { "10.\(index).0.\($0)" }))
        })
        let client = harness.client(useBatch: batch)
        for name in names {
            let current = try #require(await client.perform(.list(name: name), deadline: .seconds(10)).listedRecords)
            let creates = desired[name, default: []].subtracting(current.map(\.content)).sorted().map { spec(name, $0) }
            let deletes = current.filter { !desired[name, default: []].contains($0.content) }
            let request: DNSRequest = .batch(creates: creates, deletes: deletes)
            guard case .batched(let created) = await client.perform(request, deadline: .seconds(20)) else { Issue.record("\(name)"); return }
            #expect(created.count == 7)
        }
        let final = await harness.fake.records(in: "example.com")
        #expect(final.count == 1_000)
        #expect(Dictionary(grouping: final, by: \.name).mapValues { Set($0.map(\.content)) } == desired)
        #expect(await client.requestsSent == 1 + 100 + (batch ? 100 : 900))
        #expect(await harness.fake.writeCount(from: "127.0.0.1") == (batch ? 100 : 900))
        #expect(await harness.fake.requestCount(from: "127.0.0.1") == client.requestsSent)
        #expect(await harness.fake.requestCount(from: "192.0.2.1") == 0)
        #expect(await harness.expectAllValid() == [])
    }

    @Test func aPlanPastTheBatchLimitIsSplitCreatesFirst() async throws {
        let harness = try await FakeHarness.start()
        defer { Task { await harness.stop() } }
        let names = (0..<50).map { "host\($0).example.com" }
        for (index, name) in names.enumerated() {
            for octet in 0..<3 { await harness.fake.insert(zone: "example.com", name: name, type: "A", content: "10.\(index).1.\(octet)") }
        }
        let client = harness.client()
        var creates: [RecordSpec] = [], deletes: [DNSRecord] = []
        for (index, name) in names.enumerated() {
            deletes += try #require(await client.perform(.list(name: name), deadline: .seconds(10)).listedRecords)
            creates += (0..<4).map { spec(name, "10.\(index).2.\($0)") }
        }
        let before = await client.requestsSent
        // 200 creates and 150 deletes: two transactions, the first all creates.
        guard case .batched(let created) = await client.perform(.batch(creates: creates, deletes: deletes), deadline: .seconds(20)) else {
            Issue.record("the split plan failed"); return
        }
        #expect(created.count == 200)
        #expect(await client.requestsSent == before + 2)
        let final = await harness.fake.records(in: "example.com")
        #expect(Set(final.map(\.content)) == Set(creates.map(\.content)))
        #expect(await harness.expectAllValid() == [])
    }

    @Test func theFakeRejectsWhatTheDescriptionRejectsAndChangesNothing() async throws {
        guard specificationPath != nil else { print("skipped: the OpenAPI description is absent"); return }
        let harness = try await FakeHarness.start()
        defer { Task { await harness.stop() } }
        let zones = try await HTTPClient.shared.send(HTTPRequest(url: "\(harness.baseURL)/zones?name=example.com", headers: CloudflareCredentials.token("test-token").headers, timeout: .seconds(5))).get()
        let zone = try #require(CloudflareResponse.decode(zones, as: [ZoneID].self).get().result?.first?.id)
        let bad: [(String, HTTPMethod, String, [HTTPHeader])] = [
            (#"{"type":"A","name":"www.example.com","content":"192.0.2.1","ttl":5}"#, .post, "/zones/\(zone)/dns_records", CloudflareCredentials.token("test-token").headers),
            (#"{"type":"A","name":"www.example.com"}"#, .post, "/zones/\(zone)/dns_records", CloudflareCredentials.token("test-token").headers),
            (#"{"type":"A","name":"\#(String(repeating: "a", count: 300))","content":"192.0.2.1","ttl":1}"#, .post, "/zones/\(zone)/dns_records", CloudflareCredentials.token("test-token").headers),
            (#"{"type":"A","name":"www.example.com","content":"192.0.2.1","ttl":1}"#, .post, "/zones/\(zone)/dns_records", []),
            (#"{"posts":[{"type":"A","name":"www.example.com","content":"192.0.2.1","ttl":"one"}]}"#, .post, "/zones/\(zone)/dns_records/batch", CloudflareCredentials.token("test-token").headers),
            ("", .get, "/zones/\(zone)/dns_records?name=www.example.com&type=BOGUS", CloudflareCredentials.token("test-token").headers),
            ("", .get, "/zones/\(zone)/dns_records?name.exactly=www.example.com", CloudflareCredentials.token("test-token").headers),
            ("", .get, "/zones/\(zone)/dns_records?page=0", CloudflareCredentials.token("test-token").headers),
        ]
        for (body, method, path, headers) in bad {
            let response = try await HTTPClient.shared.send(HTTPRequest(method: method, url: harness.baseURL + path,
                                                                        headers: headers + [HTTPHeader("Content-Type", "application/json")],
                                                                        body: Array(body.utf8), timeout: .seconds(5))).get()
            #expect(response.status == 400, "\(path) \(body)")
            #expect(CloudflareResponse.decode(response, as: ZoneID.self).failure?.codes == [1004], "\(path) \(body)")
        }
        #expect(await harness.fake.records(in: "example.com").isEmpty)
        #expect(await harness.fake.rejections.count == bad.count)
    }

    private struct ZoneID: Decodable, Sendable { var id: String }
}

extension Result {
    var failure: Failure? {
        if case .failure(let failure) = self { return failure }
        return nil
    }
}
