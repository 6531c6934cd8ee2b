import Foundation

/// Where a program is found on `PATH`, or nil: tests that need a shell or a tool the machine may
/// lack (zsh, fish, groff, python3 with pandas) are enabled only where it is found.
func programPath(_ name: String) -> String? {
    let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
    for folder in folders {
        let path = "\(folder)/\(name)"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
}

/// The environment for running the built `pejling` from a shell: its folder first on `PATH`,
/// colour off, a fixed language, writer and width.
func shellEnvironment(_ extra: [String: String] = [:]) -> [String: String] {
    var environment = ProcessInfo.processInfo.environment
    environment["PATH"] = productsFolder.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
    environment["NO_COLOR"] = "1"
    environment["LANG"] = "en_DK.UTF-8"
    environment["LC_ALL"] = nil
    environment["COLUMNS"] = "80"
    environment["PEJLING_WRITER"] = "tester"
    environment["PEJLING_STORE"] = nil
    environment["PEJLING_INSTRUMENTS"] = nil
    environment.merge(extra) { $1 }
    return environment
}
