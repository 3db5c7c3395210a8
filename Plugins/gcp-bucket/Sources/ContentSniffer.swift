/// The content type Go's client gives an upload without one: `googleapi.DetermineContentType`,
/// which is `http.DetectContentType` over the first 512 bytes (the WHATWG sniffing algorithm).
/// This covers its signatures for the common formats; anything else is text or octet-stream as
/// Go decides (a "binary" control byte makes it octet-stream).
enum ContentSniffer {
    static func contentType(_ data: [UInt8]) -> String {
        let head = Array(data.prefix(512))
        if let type = signature(head) { return type }
        let text = head.drop { $0 == 0x09 || $0 == 0x0A || $0 == 0x0C || $0 == 0x0D || $0 == 0x20 }
        if let type = markup(Array(text)) { return type }
        let isBinary = head.contains {
            $0 <= 0x08 || $0 == 0x0B || (0x0E...0x1A).contains($0) || (0x1C...0x1F).contains($0)
        }
        return isBinary ? "application/octet-stream" : "text/plain; charset=utf-8"
    }

    private static let signatures: [(prefix: [UInt8], type: String)] = [
        (Array("%PDF-".utf8), "application/pdf"),
        (Array("%!PS-Adobe-".utf8), "application/postscript"),
        ([0xFE, 0xFF], "text/plain; charset=utf-16be"),
        ([0xFF, 0xFE], "text/plain; charset=utf-16le"),
        ([0xEF, 0xBB, 0xBF], "text/plain; charset=utf-8"),
        (Array("GIF87a".utf8), "image/gif"),
        (Array("GIF89a".utf8), "image/gif"),
        ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "image/png"),
        ([0xFF, 0xD8, 0xFF], "image/jpeg"),
        (Array("BM".utf8), "image/bmp"),
        ([0x1F, 0x8B, 0x08], "application/x-gzip"),
        (Array("PK\u{03}\u{04}".utf8), "application/zip"),
        (Array("Rar!\u{1A}\u{07}\u{00}".utf8), "application/x-rar-compressed"),
        ([0x00, 0x61, 0x73, 0x6D], "application/wasm"),
        (Array("OggS\u{00}".utf8), "application/ogg"),
        ([0x1A, 0x45, 0xDF, 0xA3], "video/webm"),
    ]

    private static func signature(_ head: [UInt8]) -> String? {
        for (prefix, type) in signatures where head.starts(with: prefix) {
            return type
        }
        if head.count >= 12, head.starts(with: Array("RIFF".utf8)), Array(head[8..<12]) == Array("WEBP".utf8) {
            return "image/webp"
        }
        return nil
    }

    private static let htmlTags = [
        "<!DOCTYPE HTML", "<HTML", "<HEAD", "<SCRIPT", "<IFRAME", "<H1", "<DIV", "<FONT", "<TABLE", "<A", "<STYLE",
        "<TITLE", "<B", "<BODY", "<BR", "<P", "<!--",
    ]

    /// Go's HTML and XML patterns: a tag, case-insensitive, followed by a space or `>`.
    private static func markup(_ text: [UInt8]) -> String? {
        if text.starts(with: Array("<?xml".utf8)) { return "text/xml; charset=utf-8" }
        for tag in htmlTags {
            let pattern = Array(tag.utf8)
            guard text.count > pattern.count else { continue }
            let matches = zip(text, pattern).allSatisfy { byte, want in
                (want >= 0x41 && want <= 0x5A) ? (byte & 0xDF) == want : byte == want
            }
            let next = text[pattern.count]
            if matches, next == 0x20 || next == 0x3E { return "text/html; charset=utf-8" }
        }
        return nil
    }
}
