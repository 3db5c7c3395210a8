/// What an endpoint needs to create one driver instance for a component.
package struct ComponentSpec: Sendable {
    package var name: String
    package var type: String
    package var version: String
    package var directions: Directions
    package var metadata: Pairs
    package var generation: UInt64
    /// Masks the component's secrets: the endpoint applies it to every text its driver gives
    /// the host (errors, log lines) before anyone else sees it.
    package var redactor: Redactor

    package init(
        name: String, type: String, version: String, directions: Directions, metadata: Pairs, generation: UInt64,
        redactor: Redactor = .none
    ) {
        self.name = name
        self.type = type
        self.version = version
        self.directions = directions
        self.metadata = metadata
        self.generation = generation
        self.redactor = redactor
    }
}

/// Which ways a driver instance serves: events into the app, calls out of it. The Registry
/// creates one instance per direction, as daprd does.
package struct Directions: OptionSet, Sendable {
    package let rawValue: UInt32
    package init(rawValue: UInt32) { self.rawValue = rawValue }

    package static let input = Directions(rawValue: 1 << 0)
    package static let output = Directions(rawValue: 1 << 1)
}

/// Key/value pairs in order, as components, requests and events carry them.
package typealias Pairs = [(key: String, value: String)]
