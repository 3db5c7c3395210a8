import CMosquitto
import DriverKit
import Glibc

/// libmosquitto's process-wide state and error texts.
enum Mosquitto {
    /// `mosquitto_lib_init` once per driver image, inside Swift's thread-safe lazy initialisation
    /// of a global. Hot swaps load private copies of this library, each with its own copy of this
    /// value, but they share one libmosquitto, whose init is reference-counted since 2.0 (its
    /// changelog: "Fix memory leaks from multiple calls to mosquitto_lib_init()"). We never call
    /// mosquitto_lib_cleanup: images are never unloaded and other copies may still use it.
    private static let initResult: Int32 = mosquitto_lib_init()

    /// Initialises libmosquitto once; throws when it could not.
    static func initialize() throws {
        guard initResult == bd_mosq_success() else {
            throw DriverError(.unavailable, "bindings.mqtt3: mosquitto_lib_init failed: \(describe(initResult))")
        }
    }

    /// The text of a libmosquitto return code; for MOSQ_ERR_ERRNO the text of errno (read at
    /// once, on the thread that made the failing call).
    static func describe(_ code: Int32) -> String {
        if code == bd_mosq_err_errno() { return String(cString: strerror(errno)) }
        return String(cString: mosquitto_strerror(code))
    }

    static var version: String {
        var major: Int32 = 0, minor: Int32 = 0, revision: Int32 = 0
        mosquitto_lib_version(&major, &minor, &revision)
        return "libmosquitto \(major).\(minor).\(revision)"
    }
}

/// One message as the consumer received it (copied out of libmosquitto's buffers).
struct ReceivedMessage: Sendable {
    var mid: Int32
    var topic: String
    var payload: [UInt8]
    var retain: Bool
}
