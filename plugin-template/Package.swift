// swift-tools-version: 6.0
// A bindery binding driver. Copy this folder, rename the driver, implement it, and run
// `swift build -c release`: the driver is .build/release/libExampleDriver.so.
import PackageDescription

let package = Package(
    name: "example-driver",
    products: [
        // The driver: a shared library the bindery host loads at runtime.
        .library(name: "ExampleDriver", type: .dynamic, targets: ["ExampleDriver"]),
    ],
    targets: [
        // A vendored copy of bindery's ABI header (keep it byte-identical to bindery's).
        .target(name: "PluginABI", path: "Sources/PluginABI"),
        // A vendored copy of bindery's Swift driver layer.
        .target(name: "DriverKit", dependencies: ["PluginABI"], path: "Sources/DriverKit"),
        .target(name: "ExampleDriver", dependencies: ["DriverKit", "PluginABI"], path: "Sources/ExampleDriver"),
        // A vendored copy of bindery's test library: servers on free ports, temporary folders and
        // the conformance suite every bindery driver passes (keep it identical to bindery's).
        .target(name: "DriverTesting", dependencies: ["DriverKit", "PluginABI"], path: "Sources/DriverTesting"),
        // Runs the conformance suite on the built libExampleDriver.so (`swift test`).
        .testTarget(name: "ExampleDriverTests", dependencies: ["DriverTesting"], path: "Tests/ExampleDriverTests"),
    ]
)
