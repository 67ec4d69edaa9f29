import SansIO

extension SWIM {
    /// What an ``Instance`` asks its shell to do, in order.
    public enum Directive: Hashable, Sendable {
        /// Encode (``Message/encoded()``) and send to the member's address.
        case send(Message, to: MemberID)
        /// Call ``Instance/onWakeUp(now:rng:)`` at this instant; replaces any earlier wake-up.
        case wakeUp(at: Instant)
        case event(Event)
    }

    /// Observable changes of a view.
    public enum Event: Hashable, Sendable {
        /// A member's status changed in this view (`previous` is nil for a newly learned member).
        case statusChanged(Member, previous: MemberStatus?)
    }
}
