/// Who a simulated node is: its index in the simulation, its name (the envelope sender and
/// membership name), its address (`sim:<index>`, opaque to the protocols) and its region.
public struct NodeIdentity: Sendable, Hashable {
    public let index: Int
    public let name: String
    public let address: String
    public let region: Int

    public init(index: Int, region: Int) {
        self.index = index
        self.name = "node-\(index)"
        self.address = "sim:\(index)"
        self.region = region
    }
}
