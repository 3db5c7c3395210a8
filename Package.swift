// swift-tools-version: 6.0
// bindery: a host for Dapr-style bindings whose drivers are shared libraries loaded at runtime.
// The package declares no package dependencies (see README, "Design rules").
import PackageDescription

let package = Package(
    name: "bindery",
    products: [
        .executable(name: "bindery", targets: ["Host"]),
    ],
    targets: [
        // The C header that is the whole host <-> driver contract.
        .target(name: "PluginABI", path: "Sources/PluginABI"),
        // The Swift layer compiled into each Swift driver; it depends on the header alone.
        .target(name: "DriverKit", dependencies: ["PluginABI"], path: "Sources/DriverKit"),
        .executableTarget(name: "Host", dependencies: ["PluginABI"], path: "Sources/Host"),
        .testTarget(
            name: "HostTests",
            dependencies: ["Host", "PluginABI"],
            path: "Tests/HostTests",
            exclude: ["Fixtures"]
        ),
    ]
)
