import IO
import SansIO

/// The one pending wake-up a sans-IO core asks for (`wakeUp(at:)` directives): a later request
/// replaces the earlier one. The services keep one each and call back into themselves.
struct CoreTimer {
    private var task: Task<Void, Never>?
    private var deadline: Instant?

    /// Calls `fire` when the monotonic clock reaches `deadline`, unless replaced or cancelled first.
    /// Asking again for the pending deadline keeps the armed timer (cores repeat their next
    /// wake-up with every input; re-arming each time would cost a task per check result).
    mutating func schedule(at deadline: Instant, clock: MonotonicClock, _ fire: @escaping @Sendable () async -> Void) {
        if deadline == self.deadline, deadline > clock.now(), let task, !task.isCancelled { return }
        self.deadline = deadline
        task?.cancel()
        let moment = clock.moment(at: deadline)
        task = Task {
            try? await Task.sleep(until: moment, clock: .continuous)
            guard !Task.isCancelled else { return }
            await fire()
        }
    }

    mutating func cancel() {
        task?.cancel()
        task = nil
        deadline = nil
    }
}
