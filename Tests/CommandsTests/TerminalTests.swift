import Foundation
import Storage
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A pseudo-terminal: the child gets the terminal side as its standard input, output and error,
/// so it sees a real terminal (isatty is true) as a person's session would.
final class PseudoTerminal {
    let master: Int32
    let slavePath: String

    /// Opens a new terminal pair through /dev/ptmx. Glibc's posix_openpt and ptsname are not
    /// visible to Swift, so this unlocks and names the terminal with Linux's ioctls directly
    /// (TIOCSPTLCK = 0x40045431, TIOCGPTN = 0x80045430 in <asm-generic/ioctls.h>).
    init() throws {
        master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        var unlock: Int32 = 0
        var number: UInt32 = 0
        guard master >= 0, ioctl(master, 0x4004_5431, &unlock) == 0, ioctl(master, 0x8004_5430, &number) == 0
        else {
            throw CocoaError(.fileReadUnknown)
        }
        slavePath = "/dev/pts/\(number)"
    }

    deinit { close(master) }

    /// Waits for `process` to end, killing it after `seconds` so a hung child cannot hang the tests.
    static func wait(_ process: Process, seconds: Double = 20) {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            Issue.record("the child did not end within \(seconds) seconds")
        }
        process.waitUntilExit()
    }

    func write(_ text: String) {
        _ = text.withCString { Glibc.write(master, $0, strlen($0)) }
    }

    /// Reads what the child wrote until `marker` appears or `seconds` pass.
    func read(until marker: String, seconds: Double = 10) -> String {
        var collected = ""
        let deadline = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline && !collected.contains(marker) {
            var poller = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) > 0 else { continue }
            let count = Glibc.read(master, &buffer, buffer.count)
            if count <= 0 { break }
            collected += String(decoding: buffer[0..<count], as: UTF8.self)
        }
        return collected
    }
}

extension PseudoTerminal {
    /// Starts the built `pejling` with this terminal as its standard input, output and error.
    func start(_ arguments: [String], environment: [String: String]) throws -> Process {
        let slave = FileHandle(forUpdatingAtPath: slavePath)!
        let process = Process()
        process.executableURL = productsFolder.appendingPathComponent("pejling")
        process.arguments = arguments
        process.environment = environment
        process.standardInput = slave
        process.standardOutput = slave
        process.standardError = slave
        try process.run()
        try slave.close()
        return process
    }
}

@Test func aWholeORSThroughARealTerminalIsStored() throws {
    let store = try temporaryFolder()
    let terminal = try PseudoTerminal()
    let process = try terminal.start(
        ["ask", "ors", "--case", "K-PTY", "--lang", "en", "--store", store],
        environment: ["HOME": store, "USER": "pty", "LANG": "en_DK.UTF-8", "TERM": "xterm"])

    var screen = terminal.read(until: "Answer (0–10")
    #expect(screen.contains("1/4  Me"))
    terminal.write("12\n")
    screen = terminal.read(until: "Type a number from 0 to 10.")
    #expect(screen.contains("'12' is outside 0–10."))
    for (answer, next) in [("4,2", "2/4"), ("5", "3/4"), ("3.8", "4/4"), ("6.1", "Comment")] {
        terminal.write(answer + "\n")
        screen = terminal.read(until: next)
        #expect(screen.contains(next), "no \(next) after \(answer): \(screen)")
    }
    terminal.write("Better week\n")
    screen = terminal.read(until: "Enter = save")
    #expect(screen.contains("Total: 19.1 of 40, below the clinical cut-off of 25."))
    terminal.write("\n")
    screen = terminal.read(until: "Saved: ORS for K-PTY")
    PseudoTerminal.wait(process)
    #expect(process.terminationStatus == 0)

    let records = try Store(directory: store, writer: "reader").read().records
    #expect(records.count == 1)
    guard case .administration(let saved)? = records.first?.body else {
        Issue.record("no administration stored")
        return
    }
    #expect(
        saved.answers == [
            "individually": .number(4.2), "interpersonally": .number(5), "socially": .number(3.8),
            "overall": .number(6.1),
        ])
    #expect(saved.scores == ["total": 19.1])
    #expect(saved.comment == "Better week")
}

@Test func ctrlCThroughARealTerminalSavesNothingAndExits130() throws {
    let store = try temporaryFolder()
    let terminal = try PseudoTerminal()
    let process = try terminal.start(
        ["ask", "srs", "--case", "K-PTY", "--lang", "da", "--store", store],
        environment: ["HOME": store, "USER": "pty", "LANG": "da_DK.UTF-8"])
    _ = terminal.read(until: "Svar (0–10")
    terminal.write("9\n")
    _ = terminal.read(until: "2/4")
    kill(process.processIdentifier, SIGINT)
    let screen = terminal.read(until: "intet er gemt")
    PseudoTerminal.wait(process)
    #expect(screen.contains("Afbrudt: intet er gemt."))
    #expect(process.terminationStatus == 130)
    #expect(!FileManager.default.fileExists(atPath: store + "/journals"))
}
