import Foundation
import Synchronization
import Testing
@testable import Node

@Suite struct AlertNotifierTests {
    private func eventually(_ condition: () -> Bool) async -> Bool {
        for _ in 0..<500 {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }

    @Test func deliversSlackCompatibleTextAndRetriesUntilAccepted() async throws {
        let received = Mutex<[String]>([])
        let notifier = AlertNotifier(settings: .init(attempts: 3, backoffBase: .milliseconds(5))) { body, _ in
            let count = received.withLock { $0.append(String(decoding: body, as: UTF8.self)); return $0.count }
            return count >= 2  // the first attempt fails
        }
        notifier.post("www.example.com: every address looks down; records kept")
        #expect(await eventually { notifier.tallies.delivered == 1 })
        let bodies = received.withLock { $0 }
        #expect(bodies.count == 2)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bodies[0].utf8)) as? [String: String])
        #expect(object == ["text": "www.example.com: every address looks down; records kept"])
    }

    /// A webhook that never answers: posting stays instant, the queue stays bounded.
    @Test func aDeadWebhookNeverBlocksThePoster() async {
        let notifier = AlertNotifier(settings: .init(capacity: 4, deadline: .seconds(3600), attempts: 1)) { _, _ in
            try? await Task.sleep(for: .seconds(3600))
            return false
        }
        let start = ContinuousClock.now
        for index in 0..<1_000 { notifier.post("alert \(index)") }
        #expect(ContinuousClock.now - start < .seconds(1), "1,000 posts must not wait for the webhook")
        #expect(await eventually { notifier.tallies.dropped >= 1_000 - 4 - 1 })
    }

    @Test func givesUpAfterTheLastAttempt() async {
        let attempts = Mutex(0)
        let notifier = AlertNotifier(settings: .init(attempts: 3, backoffBase: .milliseconds(1))) { _, _ in
            attempts.withLock { $0 += 1 }
            return false
        }
        notifier.post("leader changed")
        #expect(await eventually { notifier.tallies.failed == 1 })
        #expect(attempts.withLock { $0 } == 3)
    }
}
