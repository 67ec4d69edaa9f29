import Testing
@testable import Node
import Wire

@Suite struct VantageCLITests {
    @Test func noArgumentsIsAUsageError() {
        guard case .usageError(let reason, let usage) = VantageCLI.resolve([]) else {
            Issue.record("expected a usage error"); return
        }
        #expect(reason == "no command given")
        #expect(usage.contains("simulate"))
    }

    @Test func unknownCommandIsAUsageErrorNamingIt() {
        #expect(VantageCLI.resolve(["frobnicate"]) == .usageError(reason: "unknown command 'frobnicate'", usage: VantageCLI.usage))
    }

    @Test func topLevelHelpListsEveryCommand() {
        guard case .help(let text) = VantageCLI.resolve(["--help"]) else { Issue.record("expected help"); return }
        for command in VantageCLI.commands { #expect(text.contains(command.name)) }
    }

    @Test func commandHelpShowsThatCommandsUsage() {
        #expect(VantageCLI.resolve(["simulate", "--scenario", "steady", "--help"]) == .help(SimulateCommand.usage))
    }

    @Test func argumentsAfterTheCommandWordAreHandedOver() {
        #expect(VantageCLI.resolve(["simulate", "--seed", "3"]) == .run(command: "simulate", arguments: ["--seed", "3"]))
        #expect(VantageCLI.resolve(["--version"]) == .run(command: "version", arguments: []))
    }

    @Test func usageErrorsExitTwoAndSuccessExitsZero() async {
        #expect(await VantageCLI.run(["version", "extra"]) == 2)
        #expect(await VantageCLI.run(["simulate", "--bogus"]) == 2)
        #expect(await VantageCLI.run(["version"]) == 0)
    }

    @Test func versionNamesTheWireProtocol() {
        #expect(VersionCommand.line.hasSuffix("(wire protocol \(SealedFrame.version))"))
    }

    @Test func keygenPrintsAKeyThatParses() async throws {
        // The printed form is SecretKey.base64EncodedString; a generated key must survive the round trip.
        let key = SecretKey.generate()
        #expect(try SecretKey(base64: key.base64EncodedString) == key)
        #expect(await VantageCLI.run(["keygen", "now"]) == 2)
    }
}
