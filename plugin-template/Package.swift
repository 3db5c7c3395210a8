// swift-tools-version: 6.0
// A bindery binding driver. Copy this folder, rename the driver, implement it, and run
// `swift build -c release`: the driver is .build/release/libExampleDriver.so.
import PackageDescription

let package = Package(
    name: "example-driver",
    products: [
        // The driver: a shared library the bindery host loads at runtime.
        .library(name: "ExampleDriver", type: .dynamic, targets: ["ExampleDriver"])
    ],
    targets: [
        // Vendored copies of bindery's (scripts/sync-template in bindery refreshes them, and a
        // bindery test keeps them byte-identical): the ABI header and its layout asserts, Dapr's
        // metadata value rules, the dedicated-thread helper, and the Swift driver layer.
        .target(name: "PluginABI", path: "Sources/PluginABI"),
        .target(name: "DaprMetadata", path: "Sources/DaprMetadata"),
        .target(name: "SystemThreads", path: "Sources/SystemThreads"),
        .target(
            name: "DriverKit", dependencies: ["PluginABI", "DaprMetadata", "SystemThreads"], path: "Sources/DriverKit"),
        .target(name: "ExampleDriver", dependencies: ["DriverKit", "PluginABI"], path: "Sources/ExampleDriver"),
        // The vendored test library: servers on free ports, temporary folders and the
        // conformance suite every bindery driver passes.
        .target(name: "DriverTesting", dependencies: ["DriverKit", "PluginABI"], path: "Sources/DriverTesting"),
        // Runs the conformance suite on the built libExampleDriver.so (`swift test`).
        .testTarget(name: "ExampleDriverTests", dependencies: ["DriverTesting"], path: "Tests/ExampleDriverTests"),
    ]
)
