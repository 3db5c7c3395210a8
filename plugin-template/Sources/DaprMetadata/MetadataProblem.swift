/// A metadata value that does not fit its field: names the component and the field, quotes the
/// value and says what was expected.
public struct MetadataProblem: Error, Hashable, CustomStringConvertible, Sendable {
    public var component: String
    public var field: String
    public var value: String
    /// What would have been valid, e.g. `a whole number from 1 to 64`.
    public var expected: String

    public init(component: String, field: String, value: String, expected: String) {
        self.component = component
        self.field = field
        self.value = value
        self.expected = expected
    }

    /// `<component>: metadata "<field>" is "<value>", expected <expected>`.
    public var description: String {
        "\(component): metadata \"\(field)\" is \"\(value)\", expected \(expected)"
    }
}
