// swift-tools-version: 6.0
// bindery's fuzz targets: libFuzzer executables over the host's parsers and checkers. A package of
// its own so that the main package's build and tests never see it; Modules/ links to the real
// sources in ../Sources, compiled here with coverage and AddressSanitizer. Build and run with
// scripts/fuzz (it passes -sanitize=fuzzer,address, which links the libFuzzer runtime that ships
// with the toolchain's clang).
import PackageDescription

/// The harnesses reach the internals they fuzz (limits, `documents(in:)`, `assemble`) through
/// `@testable import`, so every module here is built with testing enabled, in release too.
let settings: [SwiftSetting] = [.unsafeFlags(["-enable-testing"])]

/// One fuzz target: Targets/<name>/main.swift hands its test function to libFuzzer.
func fuzzer(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .executableTarget(
        name: name, dependencies: ["FuzzSupport"] + dependencies, path: "Targets/\(name)", swiftSettings: settings)
}

let package = Package(
    name: "bindery-fuzz",
    targets: [
        // libFuzzer's driver entry, and the Swift side every target shares.
        .target(name: "LibFuzzer", path: "Support/LibFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["LibFuzzer"], path: "Support/FuzzSupport"),
        .target(name: "PluginABI", path: "Modules/PluginABI"),
        .target(name: "CDigest", path: "Modules/CDigest", cSettings: [.unsafeFlags(["-O2"])]),
        .target(name: "DaprMetadata", path: "Modules/DaprMetadata", swiftSettings: settings),
        .target(name: "BinderySystem", path: "Modules/BinderySystem", swiftSettings: settings),
        .target(
            name: "BinderyHTTP", dependencies: ["BinderySystem"], path: "Modules/BinderyHTTP", swiftSettings: settings),
        .target(
            name: "BinderyCore", dependencies: ["BinderySystem", "DaprMetadata"], path: "Modules/BinderyCore",
            swiftSettings: settings),
        .target(
            name: "DriverRuntime", dependencies: ["BinderyCore", "BinderySystem", "PluginABI", "CDigest"],
            path: "Modules/DriverRuntime", swiftSettings: settings),
        .target(name: "ProtoWire", path: "Modules/ProtoWire", swiftSettings: settings),
        .systemLibrary(name: "CNghttp2", path: "Modules/CNghttp2", pkgConfig: "libnghttp2"),
        .target(
            name: "BinderyGRPC", dependencies: ["BinderySystem", "CNghttp2"], path: "Modules/BinderyGRPC",
            swiftSettings: settings),
        .target(
            name: "DaprGRPCAPI",
            dependencies: ["BinderyCore", "BinderyGRPC", "ProtoWire", "BinderySystem", "DaprMetadata"],
            path: "Modules/DaprGRPCAPI", swiftSettings: settings),
        fuzzer("http-request", ["BinderyHTTP"]),
        fuzzer("http-response", ["BinderyHTTP"]),
        fuzzer("chunked", ["BinderyHTTP"]),
        fuzzer("yaml", ["BinderyCore"]),
        fuzzer("json", ["BinderyCore"]),
        fuzzer("component-loader", ["BinderyCore"]),
        fuzzer("elf", ["DriverRuntime"]),
        fuzzer("proto", ["DaprGRPCAPI", "ProtoWire", "BinderyCore", "BinderyGRPC"]),
    ]
)
