/// A set of nodes named by index or by region, for partitions and isolation.
public indirect enum NodeSelector: Sendable, Equatable, CustomStringConvertible {
    case nodes(Set<Int>)
    case region(Int)
    case all
    /// Every node not selected by the wrapped selector.
    case allExcept(NodeSelector)

    public func contains(node: Int, region: Int) -> Bool {
        switch self {
        case .nodes(let set): set.contains(node)
        case .region(let selected): selected == region
        case .all: true
        case .allExcept(let excluded): !excluded.contains(node: node, region: region)
        }
    }

    public var description: String {
        switch self {
        case .nodes(let set): "nodes \(set.sorted())"
        case .region(let region): "region \(region)"
        case .all: "all"
        case .allExcept(let excluded): "all except \(excluded)"
        }
    }
}

/// A one-way cut: datagrams sent from a node in `from` to a node in `to` are dropped.
///
/// A symmetric partition is two cuts; isolating a node or a region is a pair of cuts against
/// everyone else. A cut applies when a datagram is sent: datagrams already in flight when the cut
/// begins are still delivered, and healing never resurrects a dropped datagram.
public struct Cut: Sendable, Equatable, CustomStringConvertible {
    public var from: NodeSelector
    public var to: NodeSelector

    public init(from: NodeSelector, to: NodeSelector) {
        self.from = from
        self.to = to
    }

    public var description: String { "\(from) -> \(to)" }
}

extension Cut {
    /// The two cuts that separate `a` from `b` in both directions.
    public static func symmetric(_ a: NodeSelector, _ b: NodeSelector) -> [Cut] {
        [Cut(from: a, to: b), Cut(from: b, to: a)]
    }

    /// The two cuts that separate `selected` from everyone else (a node or a region cut off).
    public static func isolating(_ selected: NodeSelector) -> [Cut] {
        symmetric(selected, .allExcept(selected))
    }
}
