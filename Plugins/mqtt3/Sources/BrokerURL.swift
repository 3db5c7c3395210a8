/// The broker address of `url`: `tcp://`, `mqtt://` (plain) or `ssl://`, `mqtts://`, `tcps://`,
/// `tls://` (TLS), an optional `user:password@`, a host and an optional port.
struct BrokerURL: Sendable, Equatable {
    var text: String
    var host: String
    var port: Int32
    var usesTLS: Bool
    var username: String?
    var password: String?

    static let plainSchemes = ["tcp", "mqtt"]
    static let tlsSchemes = ["ssl", "mqtts", "tcps", "tls"]

    /// Parses `text`; nil when it is not an MQTT URL with a host.
    init?(_ text: String) {
        guard let schemeEnd = text.firstRange(of: "://") else { return nil }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        if BrokerURL.plainSchemes.contains(scheme) {
            usesTLS = false
        } else if BrokerURL.tlsSchemes.contains(scheme) {
            usesTLS = true
        } else {
            return nil
        }
        var authority = text[schemeEnd.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if let at = authority.lastIndex(of: "@") {
            let credentials = authority[..<at]
            authority = authority[authority.index(after: at)...]
            let parts = credentials.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            username = BrokerURL.percentDecoded(parts[0])
            password = parts.count > 1 ? BrokerURL.percentDecoded(parts[1]) : nil
        }
        var hostPart = Substring(authority)
        var portText: Substring?
        if hostPart.hasPrefix("["), let close = hostPart.firstIndex(of: "]") {
            portText =
                hostPart[hostPart.index(after: close)...].first == ":"
                ? hostPart[hostPart.index(close, offsetBy: 2)...] : nil
            hostPart = hostPart[hostPart.index(after: hostPart.startIndex)..<close]
        } else if let colon = hostPart.lastIndex(of: ":") {
            portText = hostPart[hostPart.index(after: colon)...]
            hostPart = hostPart[..<colon]
        }
        guard !hostPart.isEmpty, !hostPart.contains(where: { $0 == " " || $0 == "\n" || $0 == "\r" }) else {
            return nil
        }
        host = String(hostPart)
        if let portText {
            guard let port = Int32(portText), (1...65535).contains(port) else { return nil }
            self.port = port
        } else {
            port = usesTLS ? 8883 : 1883
        }
        self.text = text
    }

    /// The URL with any password replaced by `***`, for error messages and logs.
    var redacted: String {
        guard password?.isEmpty == false, let start = text.firstRange(of: "://"), let at = text.lastIndex(of: "@")
        else { return text }
        let credentials = text[start.upperBound..<at]
        let user = credentials.prefix { $0 != ":" }
        return String(text[..<start.upperBound]) + user + ":***" + String(text[at...])
    }

    private static func percentDecoded(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            let high = iterator.next(), low = iterator.next()
            if let high, let low, let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) {
                bytes.append(value)
            } else {
                bytes.append(byte)
                if let high { bytes.append(high) }
                if let low { bytes.append(low) }
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
