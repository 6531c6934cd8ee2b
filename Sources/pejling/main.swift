import Administration
import Commands
import Foundation
import Support

// The executable only wires the real process into the Commands library.
ProcessTuning.keepFreedMemory()
let environment = CommandEnvironment(
    variables: ProcessInfo.processInfo.environment,
    stdoutIsTerminal: TerminalFacts.stdoutIsTerminal,
    terminalWidth: TerminalFacts.width,
    now: CommandEnvironment.clock(ProcessInfo.processInfo.environment),
    hostName: ProcessInfo.processInfo.hostName, exitsAfterRun: true)
let status = Pejling.run(
    Array(CommandLine.arguments.dropFirst()), environment: environment, console: TerminalConsole())
exit(status.rawValue)
