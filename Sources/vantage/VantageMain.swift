import DemoCLI
import Foundation
import Node
import SimulatorCLI

/// The `vantage` executable: the agent's commands live in `Node`, `demo` in `DemoCLI`, `simulate` in `SimulatorCLI`;
/// this only assembles them and hands over the arguments.
@main
struct VantageMain {
    static func main() async {
        let cli = VantageCLI(adding: [DemoCommand.self, SimulateCommand.self])
        exit(await cli.run(Array(CommandLine.arguments.dropFirst())))
    }
}
