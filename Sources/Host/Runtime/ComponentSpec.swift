import PluginABI

/// What the runtime needs to create one driver instance for a component.
struct ComponentSpec: Sendable {
    var name: String
    var type: String
    var version: String
    var directions: UInt32
    var metadata: Pairs
    var generation: UInt64
}
