import ProtoWire

/// `dapr.proto.runtime.v1.RegisteredComponents`: one component, as GetMetadata lists it.
package struct RegisteredComponent: Sendable, Equatable {
    package var name = ""
    package var type = ""
    package var version = ""
    /// For bindings: `INPUT_BINDING`, `OUTPUT_BINDING`.
    package var capabilities: [String] = []

    package init(name: String = "", type: String = "", version: String = "", capabilities: [String] = []) {
        (self.name, self.type, self.version, self.capabilities) = (name, type, version, capabilities)
    }

    mutating func merge(_ field: ProtoField) throws(ProtoError) {
        var reader = try field.message()
        while let field = try reader.next() {
            switch field.number {
            case 1: name = try field.string()
            case 2: type = try field.string()
            case 3: version = try field.string()
            case 4: capabilities.append(try field.string())
            default: continue
            }
        }
    }

    func write(_ writer: inout ProtoWriter) {
        writer.string(1, name)
        writer.string(2, type)
        writer.string(3, version)
        writer.repeatedString(4, capabilities)
    }
}

/// `dapr.proto.runtime.v1.AppConnectionProperties`: how the sidecar reaches the app.
package struct AppConnectionProperties: Sendable, Equatable {
    package var port: Int32 = 0
    /// `http` or `grpc` (daprd also says `https`, `grpcs`, `h2c`).
    package var `protocol` = ""
    package var channelAddress = ""
    package var maxConcurrency: Int32 = 0
    /// `dapr.proto.runtime.v1.AppConnectionHealthProperties`: health_check_path = 1,
    /// health_probe_interval = 2, health_probe_timeout = 3, health_threshold = 4.
    package var health: Health?

    package struct Health: Sendable, Equatable {
        package var checkPath = ""
        package var probeInterval = ""
        package var probeTimeout = ""
        package var threshold: Int32 = 0

        package init() {}
    }

    package init() {}

    mutating func merge(_ field: ProtoField) throws(ProtoError) {
        var reader = try field.message()
        while let field = try reader.next() {
            switch field.number {
            case 1: port = try field.int32()
            case 2: `protocol` = try field.string()
            case 3: channelAddress = try field.string()
            case 4: maxConcurrency = try field.int32()
            case 5:
                var health = health ?? Health()
                var nested = try field.message()
                while let field = try nested.next() {
                    switch field.number {
                    case 1: health.checkPath = try field.string()
                    case 2: health.probeInterval = try field.string()
                    case 3: health.probeTimeout = try field.string()
                    case 4: health.threshold = try field.int32()
                    default: continue
                    }
                }
                self.health = health
            default: continue
            }
        }
    }

    func write(_ writer: inout ProtoWriter) {
        writer.int32(1, port)
        writer.string(2, `protocol`)
        writer.string(3, channelAddress)
        writer.int32(4, maxConcurrency)
        if let health {
            writer.message(5) { nested in
                nested.string(1, health.checkPath)
                nested.string(2, health.probeInterval)
                nested.string(3, health.probeTimeout)
                nested.int32(4, health.threshold)
            }
        }
    }
}

/// `dapr.proto.runtime.v1.ActorRuntime`: bindery has no actors, so it reports `DISABLED`, as
/// daprd does without a placement service (active_actors = 2 is never set).
package struct ActorRuntime: Sendable, Equatable {
    /// `ActorRuntimeStatus`: INITIALIZING = 0, DISABLED = 1, RUNNING = 2.
    package var runtimeStatus: Int32 = 0
    package var hostReady = false
    package var placement = ""

    package static let disabled: Int32 = 1

    package init(runtimeStatus: Int32 = 0, hostReady: Bool = false, placement: String = "") {
        (self.runtimeStatus, self.hostReady, self.placement) = (runtimeStatus, hostReady, placement)
    }

    mutating func merge(_ field: ProtoField) throws(ProtoError) {
        var reader = try field.message()
        while let field = try reader.next() {
            switch field.number {
            case 1: runtimeStatus = try field.int32()
            case 3: hostReady = try field.bool()
            case 4: placement = try field.string()
            default: continue
            }
        }
    }

    func write(_ writer: inout ProtoWriter) {
        writer.int32(1, runtimeStatus)
        writer.bool(3, hostReady)
        writer.string(4, placement)
    }
}
