import Testing
@testable import Node
import SimulatorCLI
import Wire

@Suite struct VantageCLITests {
    let cli = VantageCLI(adding: [SimulateCommand.self])

    @Test func noArgumentsIsAUsageError() {
        guard case .usageError(let reason, let usage) = cli.resolve([]) else {
            Issue.record("expected a usage error"); return
        }
        #expect(reason == "no command given")
        #expect(usage.contains("simulate"))
    }

    @Test func unknownCommandIsAUsageErrorNamingIt() {
        #expect(cli.resolve(["frobnicate"]) == .usageError(reason: "unknown command 'frobnicate'", usage: cli.usage))
    }

    @Test func topLevelHelpListsEveryCommand() {
        guard case .help(let text) = cli.resolve(["--help"]) else { Issue.record("expected help"); return }
        for command in cli.commands { #expect(text.contains(command.name)) }
    }

    @Test func commandHelpShowsThatCommandsUsage() {
        #expect(cli.resolve(["simulate", "--scenario", "steady", "--help"]) == .help(SimulateCommand.usage))
    }

    @Test func argumentsAfterTheCommandWordAreHandedOver() {
        #expect(cli.resolve(["simulate", "--seed", "3"]) == .run(command: "simulate", arguments: ["--seed", "3"]))
        #expect(cli.resolve(["--version"]) == .run(command: "version", arguments: []))
    }

    @Test func usageErrorsExitTwoAndSuccessExitsZero() async {
        #expect(await cli.run(["version", "extra"]) == 2)
        #expect(await cli.run(["simulate", "--bogus"]) == 2)
        #expect(await cli.run(["version"]) == 0)
    }

    @Test func versionNamesTheWireProtocol() {
        #expect(VersionCommand.line.hasSuffix("(wire protocol \(SealedFrame.version))"))
    }

    @Test func keygenPrintsAKeyThatParses() async throws {
        // The printed form is SecretKey.base64EncodedString; a generated key must survive the round trip.
        let key = SecretKey.generate()
        #expect(try SecretKey(base64: key.base64EncodedString) == key)
        #expect(await cli.run(["keygen", "now"]) == 2)
    }
}
