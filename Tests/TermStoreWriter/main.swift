import Glibc
import Node
import Raft

/// `term-store-writer DIRECTORY BASE`: saves ever newer states into DIRECTORY (terms BASE+1,
/// BASE+2, …, each voting for `node-<term % 7>`) until it is killed. `FileTermStoreTests` starts
/// it as a child process and kills it with SIGKILL at random moments; a small single-threaded
/// process of its own, so nothing is forked from the multithreaded test runner.
let arguments = CommandLine.arguments
guard arguments.count == 3, var term = UInt64(arguments[2]) else {
    print("usage: term-store-writer DIRECTORY BASE")
    exit(2)
}
let store = FileTermStore(directory: arguments[1])
while true {
    term += 1
    try? store.save(PersistentState(currentTerm: term, votedFor: "node-\(term % 7)"))
}
