/// An element of an AWS XML answer (Query protocol replies, S3's REST-XML, error documents):
/// its local name (namespace prefix dropped), attributes, text, and child elements in order.
public struct XMLElement: Sendable, Equatable {
    public var name: String
    public var attributes: [String: String]
    /// The element's own character data (entities and CDATA decoded), children's excluded.
    public var text: String
    public var children: [XMLElement]

    public init(name: String, attributes: [String: String] = [:], text: String = "", children: [XMLElement] = []) {
        self.name = name
        self.attributes = attributes
        self.text = text
        self.children = children
    }

    /// The first child named `name`.
    public func child(_ name: String) -> XMLElement? { children.first { $0.name == name } }

    /// Every child named `name`.
    public func all(_ name: String) -> [XMLElement] { children.filter { $0.name == name } }

    /// The text of the element reached through `path` (child names), or nil.
    public func text(at path: String...) -> String? {
        var element = self
        for name in path {
            guard let next = element.child(name) else { return nil }
            element = next
        }
        return element.text
    }

    /// The first element named `name` here or below, depth first.
    public func first(named name: String) -> XMLElement? {
        if self.name == name { return self }
        for child in children { if let found = child.first(named: name) { return found } }
        return nil
    }

    /// Parses a document's root element; throws on anything not well-formed.
    public static func parse(_ bytes: [UInt8]) throws(XMLSyntaxError) -> XMLElement {
        var reader = XMLReader(bytes)
        return try reader.document()
    }
}

/// Why a body is not the XML the caller expected.
public struct XMLSyntaxError: Error, Sendable, CustomStringConvertible {
    public var description: String
}
