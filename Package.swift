// swift-tools-version:6.0
import PackageDescription

// Pejling takes no package dependencies: the Swift toolchain only (Foundation, Dispatch, Glibc,
// Swift Testing). Dependencies between the modules run one way, as DESIGN.md lays out.
let package = Package(
    name: "Pejling",
    products: [
        .executable(name: "pejling", targets: ["pejling"]),
        .library(name: "PejlingCommands", targets: ["Commands"]),
    ],
    targets: [
        // What several modules share: days and times, the JSON toolkit, hashing and hex ids,
        // parallel iteration, phase timing, the POSIX wrapper, safe text, number formatting, limits.
        .target(name: "Support"),
        .target(name: "InstrumentModel", dependencies: ["Support"]),
        .target(name: "Administration", dependencies: ["InstrumentModel", "Support"]),
        .target(name: "Storage", dependencies: ["Support"]),
        .target(name: "Progression", dependencies: ["Storage", "InstrumentModel", "Support"]),
        .target(name: "Charts", dependencies: ["Support"]),
        // Realistic synthetic stores for the demo, tests and benchmarks, written through the store.
        .target(name: "Simulation", dependencies: ["InstrumentModel", "Storage", "Progression", "Support"]),
        // FHIR R4 and CSV: instruments as Questionnaires, administrations as responses and back.
        .target(name: "Interchange", dependencies: ["InstrumentModel", "Storage", "Support"]),
        .target(
            name: "Commands",
            dependencies: [
                "InstrumentModel", "Administration", "Storage", "Progression", "Charts", "Interchange",
                "Simulation", "Support",
            ]
        ),
        .executableTarget(name: "pejling", dependencies: ["Administration", "Commands", "Support"]),
        // A small process that appends to a store on command; the storage tests start several at
        // once and kill them mid-write to prove the journals' durability.
        .executableTarget(name: "StorageStress", dependencies: ["Storage"]),
        // Golden-file comparison shared by the test targets.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(
            name: "InstrumentModelTests",
            dependencies: ["InstrumentModel", "Support"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "AdministrationTests", dependencies: ["Administration", "TestSupport"],
            exclude: ["Snapshots"]),
        .testTarget(
            name: "StorageTests",
            dependencies: ["Storage", "StorageStress", "Support", "TestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "SupportTests", dependencies: ["Support", "TestSupport"]),
        .testTarget(name: "ProgressionTests", dependencies: ["Progression", "Support", "TestSupport"]),
        .testTarget(name: "ChartsTests", dependencies: ["Charts", "TestSupport"], exclude: ["Snapshots"]),
        .testTarget(
            name: "InterchangeTests", dependencies: ["Interchange", "Simulation", "Support"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "CommandsTests", dependencies: ["Commands", "pejling", "Support", "TestSupport"],
            exclude: ["Snapshots"]),
    ],
    swiftLanguageModes: [.v6]
)
