import DriverTesting
import Foundation

@testable import BinderyCore
@testable import BinderySystem

/// A resources folder in a temporary directory, filled with files named as given.
func resourcesFolder(_ files: [String: String]) throws -> String {
    let directory = try temporaryDirectory("resources")
    for (name, text) in files {
        try text.write(toFile: "\(directory)/\(name)", atomically: true, encoding: .utf8)
    }
    return directory
}

/// Loads one folder for app "myapp" with `environment`.
func loadFolder(_ files: [String: String], environment: [String: String] = [:]) throws -> (ManifestSet, String) {
    let directory = try resourcesFolder(files)
    return (ComponentLoader.load(paths: [directory], appID: "myapp", environment: environment), directory)
}

/// A minimal binding component document.
func bindingYAML(_ name: String, type: String = "bindings.cron", extra: String = "") -> String {
    """
    apiVersion: dapr.io/v1alpha1
    kind: Component
    metadata:
      name: \(name)
    spec:
      type: \(type)
      version: v1
      metadata:
      - name: schedule
        value: "@every 1s"
    \(extra)
    """
}
