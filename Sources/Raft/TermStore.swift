/// Durable storage for ``PersistentState``.
///
/// Used by the shells, never by ``Election``: a shell calls ``load()`` once to build the election,
/// and ``save(_:)`` to carry out each ``ElectionDirective/persist(_:)``, reporting the outcome back
/// (the sends behind the write are released only then, see ``PersistenceGate``). An implementation
/// must make the state durable (fsync) before `save` returns. The store is
/// a reference type because it stands for a file that outlives any one ``Election`` value (the
/// simulator keeps it across a simulated crash); it is `Sendable` so the instance holding it can be
/// handed between isolation domains. Implementations synchronise their own mutable state.
public protocol TermStore: AnyObject, Sendable {
    /// The last saved state, or `nil` when nothing was ever saved. Throws when stored state exists
    /// but cannot be read or is corrupt: a node must never silently start over at term 0.
    func load() throws -> PersistentState?
    /// Durably replaces the stored state. When this throws, the caller acts as if it was not called.
    func save(_ state: PersistentState) throws
}
