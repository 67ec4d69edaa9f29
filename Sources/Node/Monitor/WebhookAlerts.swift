import HTTP
import Synchronization

/// The running agent's alerts: an `AlertNotifier` that posts Slack-compatible `{"text": …}`
/// bodies to `notify.webhook_url` through the HTTP client, replaced when a reload changes the
/// URL. Posting never waits (the notifier's bounded queue), so a dead webhook delays nothing.
/// The URL is a secret: it is never logged, and delivery failures are counted, not described.
final class WebhookAlerts: Sendable {
    private struct State {
        var url: String?
        var notifier: AlertNotifier?
        /// Tallies of notifiers a reload replaced, so the counters only grow.
        var retired = (delivered: 0, failed: 0, dropped: 0)
    }

    private let state = Mutex(State())
    private let settings: AlertNotifier.Settings

    init(url: String?, settings: AlertNotifier.Settings = AlertNotifier.Settings()) {
        self.settings = settings
        configure(url: url)
    }

    /// Sends alerts to `url` from now on (nil: no alerts).
    func configure(url: String?) {
        state.withLock { state in
            guard state.url != url || (url != nil && state.notifier == nil) else { return }
            if let old = state.notifier?.tallies {
                state.retired = (state.retired.delivered + old.delivered, state.retired.failed + old.failed,
                                 state.retired.dropped + old.dropped)
            }
            state.url = url
            state.notifier = url.map { url in
                AlertNotifier(settings: settings) { body, deadline in
                    let request = HTTPRequest(method: .post, url: url, headers: [HTTPHeader("Content-Type", "application/json")],
                                              body: body, timeout: deadline)
                    guard case .success(let response) = await HTTPClient.shared.send(request) else { return false }
                    return (200..<300).contains(response.status)
                }
            }
        }
    }

    func post(_ text: String) {
        let notifier = state.withLock { $0.notifier }
        notifier?.post(text)
    }

    /// Alerts delivered, given up on, and dropped because the queue was full, since start.
    var tallies: (delivered: Int, failed: Int, dropped: Int) {
        state.withLock { state in
            let current = state.notifier?.tallies ?? (delivered: 0, failed: 0, dropped: 0)
            return (state.retired.delivered + current.delivered, state.retired.failed + current.failed,
                    state.retired.dropped + current.dropped)
        }
    }
}
