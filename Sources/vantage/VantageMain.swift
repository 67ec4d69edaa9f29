import Foundation
import Node

/// The `vantage` executable: everything lives in `Node`; this only hands over the arguments.
@main
struct VantageMain {
    static func main() async {
        exit(await VantageCLI.run(Array(CommandLine.arguments.dropFirst())))
    }
}
