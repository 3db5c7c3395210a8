/// Reads the YAML that Dapr component files are written in, and refuses the rest.
///
/// Pure: text in, node trees or errors out. Supported: comments, block mappings and sequences
/// (also sequences not indented under their key), plain, quoted and block scalars, flow
/// collections, `---`/`...` markers and several documents per file. Anchors, aliases, tags,
/// complex keys, directives, duplicate keys and tab indentation are rejected with a position,
/// so a document is either read exactly or not at all.
package enum YAMLReader {
    /// Bounds that keep hostile input from costing more than a small, fixed amount of work.
    ///
    /// A component value is a setting, a URL or a certificate chain: a whole CA bundle is about
    /// 200 KB, and daprd itself reads each document through a 64 KiB `bufio.Scanner` buffer. So a
    /// file may hold 4 MiB and one scalar 1 MiB, and either limit is refused with its position.
    package struct Limits: Sendable {
        var maxBytes = 4 << 20
        var maxScalarBytes = 1 << 20
        var maxDepth = 64
        var maxDocuments = 1000
        var maxNodes = 200_000
    }

    /// One document of a file: its root (nil when the document holds only comments) or the reason
    /// it could not be read. `line` is where the document starts.
    package struct Document: Sendable {
        package var line: Int
        package var result: Result<YAMLNode?, ManifestError>
    }

    /// Every document in `bytes`; a document that fails does not stop the others. A failure of
    /// the whole file (size, encoding, too many documents) is a single failed document at line 0.
    static func documents(in bytes: [UInt8], file: String = "", limits: Limits = Limits()) -> [Document] {
        guard bytes.count <= limits.maxBytes else {
            let error = ManifestError(
                .tooLarge, "file is \(bytes.count) bytes, more than the limit of \(limits.maxBytes)", file: file)
            return [Document(line: 0, result: .failure(error))]
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let error = ManifestError(.invalidEncoding, "file is not valid UTF-8", file: file)
            return [Document(line: 0, result: .failure(error))]
        }
        return documents(in: text, file: file, limits: limits)
    }

    static func documents(in text: String, file: String = "", limits: Limits = Limits()) -> [Document] {
        let scalars = normalized(text)
        let chunks: [YAMLDocumentSplitter.Chunk]
        do {
            chunks = try YAMLDocumentSplitter.split(scalars, limit: limits.maxDocuments)
        } catch {
            return [Document(line: error.line, result: .failure(error.located(in: file)))]
        }
        return chunks.map { chunk in
            if let error = chunk.error {
                return Document(line: chunk.firstLine, result: .failure(error.located(in: file)))
            }
            var parser = YAMLParser(chunk.scalars, firstLine: chunk.firstLine, limits: limits)
            do throws(ManifestError) {
                return Document(line: chunk.firstLine, result: .success(try parser.parseDocument()))
            } catch {
                return Document(line: chunk.firstLine, result: .failure(error.located(in: file)))
            }
        }
    }

    /// The roots of every non-empty document, or the first error.
    package static func parse(_ text: String, file: String = "", limits: Limits = Limits()) throws(ManifestError)
        -> [YAMLNode]
    {
        var roots: [YAMLNode] = []
        for document in documents(in: text, file: file, limits: limits) {
            switch document.result {
            case .success(let root): if let root { roots.append(root) }
            case .failure(let error): throw error
            }
        }
        return roots
    }

    /// Unicode scalars with a leading byte-order mark dropped and CRLF / CR turned into LF.
    private static func normalized(_ text: String) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.unicodeScalars.count)
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            if out.isEmpty, !previousWasCR, scalar == "\u{FEFF}" { continue }
            if scalar == "\r" {
                out.append("\n")
                previousWasCR = true
                continue
            }
            if scalar == "\n", previousWasCR {
                previousWasCR = false
                continue
            }
            previousWasCR = false
            out.append(scalar)
        }
        return out
    }
}
