import Foundation
import Glibc

/// `vantage monitor`: runs the agent until SIGTERM or SIGINT; SIGHUP reloads the configuration.
public enum MonitorCommand: Command {
    public static let name = "monitor"
    public static let summary = "run the agent (dry run unless --no-dry-run)"
    public static let usage = """
        usage: vantage monitor [--config PATH] [--no-dry-run] [--log-format text|json] [--log-level LEVEL]

          --config PATH, -f PATH   the configuration (default ./vantage.toml); a goavail.toml is accepted as is
          --no-dry-run             write DNS; without it the leader only logs each change it would make
          --log-format text|json   one line per event, as text (default) or as a JSON object
          --log-level LEVEL        debug, info (default), warning or error; -b/--debug is --log-level debug
          -t ip|tcp, -p NAME       goavail.toml only: goavail's check type and DNS provider

        Signals: SIGHUP reloads the configuration (a broken file is reported and the running one
        stays); SIGTERM or SIGINT stops the agent (a leader hands over first), exit 0.
        Exit 1 when the agent cannot start (the reason names the file, key or address).
        """

    public static func run(_ arguments: [String]) async throws -> Int32 {
        let options = try MonitorArguments(arguments)
        // Signals are caught before anything else starts, so an early SIGTERM still stops cleanly.
        let watcher = SignalWatcher()
        stopWithParent()
        let logger = Logger(format: options.logFormat, minimum: options.logLevel)
        if options.dryRun {
            logger.log(.warning, "agent.dry_run", "dry run: DNS is never changed; the leader logs each change it would make (--no-dry-run writes)")
        }
        guard FileManager.default.fileExists(atPath: options.configPath) else {
            logger.log(.error, "config.missing", CheckConfigCommand.missingFileHelp(options.configPath))
            return 1
        }
        let loaded: ConfigLoader.Loaded
        do {
            loaded = try options.loadConfig()
        } catch {
            for diagnostic in error.diagnostics { logger.log(.error, "config.invalid", diagnostic.description) }
            return 1
        }
        for warning in loaded.warnings { logger.log(.warning, "config.warning", warning.description) }
        let agent: MonitorAgent
        do {
            agent = try MonitorAgent(config: loaded.config, configPath: options.configPath, goavail: options.goavail,
                                     dryRun: options.dryRun, logger: logger)
        } catch {
            logger.log(.error, "agent.cannot_start", error.description)
            return 1
        }
        await agent.start()
        for await signal in watcher.signals {
            switch signal {
            case .hangUp:
                logger.log(.info, "config.reload", "SIGHUP: reloading \(options.configPath)")
                await agent.reload()
            case .terminate, .interrupt:
                await agent.stop()
                return 0
            }
        }
        return 0
    }

    /// The environment variable a supervising parent (`vantage demo`) sets to its pid, so this
    /// agent stops (as on SIGTERM) when the parent is gone, however it died: no orphaned agents.
    public static let parentVariable = "VANTAGE_PARENT_PID"

    /// Once the parent named by `parentVariable` is gone (this process was re-parented), sends
    /// this process SIGTERM. Polled: `prctl(PR_SET_PDEATHSIG)` is a C variadic Swift cannot call.
    private static func stopWithParent() {
        guard let text = ProcessInfo.processInfo.environment[parentVariable], let parent = Int32(text) else { return }
        Task.detached {
            while getppid() == parent { try? await Task.sleep(for: .milliseconds(200)) }
            kill(getpid(), SIGTERM)
        }
    }
}
