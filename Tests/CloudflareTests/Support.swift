import Cloudflare
import CloudflareFake
import Failover
import HTTP
import IO
import SansIO
import Glibc
import Synchronization

/// The published OpenAPI description, read at runtime from beside the package (nil, with the
/// reason printed, when it is not there: the tests then run the fake unvalidated).
let specificationPath: String? = {
    let root = String(#filePath).split(separator: "/").dropLast(3).joined(separator: "/")
    let path = "/\(root)/../shared/cloudflare/openapi-dns-subset.json"
    guard let file = fopen(path, "r") else {
        print("note: \(path) is absent; the Cloudflare fake runs without spec validation")
        return nil
    }
    fclose(file)
    return path
}()

/// A fake on loopback and clients pointed at it.
struct FakeHarness {
    let fake: CloudflareFake
    let baseURL: String

    static func start(batchSupported: Bool = true, validated: Bool = true) async throws -> FakeHarness {
        let fake = try CloudflareFake(settings: CloudflareFake.Settings(batchSupported: batchSupported,
                                                                        specificationPath: validated ? specificationPath : nil))
        let baseURL = try await fake.listen(on: SocketAddress("127.0.0.1:0")!)
        return FakeHarness(fake: fake, baseURL: baseURL)
    }

    func client(_ credentials: CloudflareCredentials = .token("test-token"), useBatch: Bool = true, perPage: Int = 100,
                backoff: RetryBackoff = RetryBackoff(base: .milliseconds(50), cap: .milliseconds(400)),
                sleeper: Sleeper = Sleeper()) -> CloudflareClient {
        CloudflareClient(settings: CloudflareSettings(baseURL: baseURL, zoneName: "example.com", credentials: credentials, useBatch: useBatch,
                                                      perPage: perPage, backoff: backoff, rateLimit: TokenBucket(capacity: 100_000, refillPerSecond: 10_000)),
                         jitter: SeededGenerator(seed: 7), sleep: { await sleeper.sleep($0) })
    }

    /// Every request the client sent passed the description (when there is one).
    func expectAllValid() async -> [String] { await fake.rejections }

    func stop() async { await fake.stop() }
}

/// Sleeps for real and remembers every wait it was asked for.
final class Sleeper: Sendable {
    private let waits = Mutex<[Duration]>([])
    var recorded: [Duration] { waits.withLock { $0 } }

    func sleep(_ duration: Duration) async {
        waits.withLock { $0.append(duration) }
        try? await Task.sleep(for: duration)
    }
}

extension DNSResponse {
    var failure: DNSFailure? {
        if case .failed(let failure) = self { return failure }
        return nil
    }

    var listedRecords: [DNSRecord]? {
        if case .listed(let records) = self { return records }
        return nil
    }
}
