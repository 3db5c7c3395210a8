import DriverKit

/// Where configuration outside the component comes from: the process environment and the home
/// folder. A value, so that tests can give their own.
public struct AWSEnvironment: Sendable {
    public var variables: [String: String]

    public init(_ variables: [String: String]) { self.variables = variables }

    /// The process's environment, read now.
    public static var process: AWSEnvironment { AWSEnvironment(ProcessEnvironment.variables()) }

    /// The variable's value when set and not empty.
    public subscript(_ name: String) -> String? {
        guard let value = variables[name], !value.isEmpty else { return nil }
        return value
    }

    /// The first of `names` that is set.
    func first(_ names: String...) -> (name: String, value: String)? {
        for name in names { if let value = self[name] { return (name, value) } }
        return nil
    }

    /// `~/.aws/<file>`, or nil without HOME.
    func homeFile(_ file: String) -> String? { self["HOME"].map { "\($0)/.aws/\(file)" } }
}
