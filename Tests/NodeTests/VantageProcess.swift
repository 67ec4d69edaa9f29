import Foundation

/// Runs the built `vantage` executable (it sits beside the test bundle) as a child process, so a
/// test sees exactly what a user sees: the exit status and both output streams.
struct VantageProcess {
    let status: Int32
    let standardOutput: String
    let standardError: String

    /// The `vantage` binary of this build.
    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("vantage")
    }

    /// Runs `vantage arguments…` (or another of this build's executables) in `directory` (the
    /// current one when nil) and waits for it.
    static func run(_ arguments: [String], in directory: URL? = nil, executable: URL = executable) throws -> VantageProcess {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        // The outputs are small (far below a pipe's 64 KiB), so reading one and then the other
        // cannot leave the child blocked on a full pipe.
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return VantageProcess(status: process.terminationStatus, standardOutput: String(decoding: outputData, as: UTF8.self),
                              standardError: String(decoding: errorData, as: UTF8.self))
    }
}
