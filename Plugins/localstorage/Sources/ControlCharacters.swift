import DaprMetadata
import DriverKit

/// Control characters (U+0000–U+001F, U+007F) are refused in `rootPath` and `fileName` (issue
/// 9, item 4). Linux takes all of them but NUL in a name; NUL would silently cut the path where
/// it is handed to the system, and none of them belongs in a file name an app sends.
enum ControlCharacters {
    /// Throws, naming `field`, its value and the character, when `value` holds one.
    static func refuse(in value: String, field: String) throws(DriverError) {
        guard let control = value.unicodeScalars.first(where: isControl) else { return }
        let code = String(control.value, radix: 16, uppercase: true)
        throw DriverError(
            .invalidArgument,
            "\(field) \(GoText.quoted(value)) contains a control character (U+\(String(repeating: "0", count: 4 - code.count) + code)): "
                + "use printable characters only")
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || scalar.value == 0x7F
    }
}
