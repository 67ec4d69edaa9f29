import Foundation
import Raft
import Testing
@testable import Node

@Suite struct DataDirectoryTests {
    func scratch() -> String {
        let path = NSTemporaryDirectory() + "vantage-data-\(UUID().uuidString)"
        return path
    }

    @Test func aFreshDirectoryStartsAtEpochOneWithAnExplicitTermZero() throws {
        let path = scratch()
        let directory = try DataDirectory(path: path)
        #expect(directory.bootEpoch == 1)
        #expect(directory.persisted == .initial)
        #expect(try FileTermStore(directory: path).load() == .initial, "term 0 is written, not implied")
    }

    @Test func everyStartHasANewBootEpochAndKeepsTheTerm() throws {
        let path = scratch()
        var epochs: [UInt64] = []
        for round in 0..<3 {
            let directory = try DataDirectory(path: path)
            epochs.append(directory.bootEpoch)
            try directory.termStore.save(PersistentState(currentTerm: UInt64(round + 5), votedFor: "b"))
        }
        #expect(epochs == [1, 2, 3])
        #expect(try DataDirectory(path: path).persisted == PersistentState(currentTerm: 7, votedFor: "b"))
    }

    @Test func aSecondAgentOnTheSameDirectoryRefusesToStart() throws {
        let path = scratch()
        do {
            let first = try DataDirectory(path: path)
            #expect(throws: DataDirectoryError.inUse(path: path)) { _ = try DataDirectory(path: path) }
            withExtendedLifetime(first) {}
        }
        // Released with the first agent; the refused start used no epoch.
        #expect(try DataDirectory(path: path).bootEpoch == 2)
    }

    @Test func aDirectoryThatHeldStateAndLostItsTermFileIsAnError() throws {
        let path = scratch()
        do { _ = try DataDirectory(path: path) }
        try FileManager.default.removeItem(atPath: path + "/term-state")
        #expect(throws: DataDirectoryError.termStateLost(path: path + "/term-state")) { _ = try DataDirectory(path: path) }
    }

    @Test func aCorruptEpochIsNamed() throws {
        let path = scratch()
        do { _ = try DataDirectory(path: path) }
        try Data("soon\n".utf8).write(to: URL(fileURLWithPath: path + "/boot-epoch"))
        #expect(throws: DataDirectoryError.corruptEpoch(path: path + "/boot-epoch")) { _ = try DataDirectory(path: path) }
    }
}
