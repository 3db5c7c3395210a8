import BinderySystem
import Glibc

/// Loads the Dapr component files of the resources paths as daprd's self-hosted loader does:
/// every `.yaml`/`.yml` regular file of each path in order (not recursive, lexical order),
/// every document in each file; other kinds are skipped; one bad document is reported and the
/// rest still load.
package enum ComponentLoader {
    /// Largest component file read; real ones are a few kilobytes (see `YAMLReader.Limits`).
    static let maxFileBytes = YAMLReader.Limits().maxBytes

    package static func load(paths: [String], appID: String, environment: [String: String]) -> ManifestSet {
        var problems: [ManifestProblem] = []
        var drafts: [ComponentDraft] = []
        for path in paths {
            guard Files.isDirectory(path) else {
                problems.append(.error(ManifestError(.unreadable, "resources path is not a directory", file: path)))
                continue
            }
            let names: [String]
            do {
                names = try Files.list(path)
            } catch {
                problems.append(
                    .error(
                        ManifestError(.unreadable, "cannot list the resources path: \(error.description)", file: path)))
                continue
            }
            for name in names where isYAMLName(name) {
                let file = FilePath.join(path, name)
                guard let size = regularFileSize(file) else { continue }
                guard size <= maxFileBytes else {
                    problems.append(.error(tooLarge(size, file: file)))
                    continue
                }
                do {
                    let bytes = try Files.read(file, limit: maxFileBytes)
                    drafts += decode(bytes, file: file, problems: &problems)
                } catch {
                    problems.append(
                        .error(ManifestError(.unreadable, "cannot read the file: \(error.description)", file: file)))
                }
            }
        }
        return assemble(drafts, appID: appID, environment: environment, problems: problems, readFile: readSecretsFile)
    }

    /// `.yaml` or `.yml`, whatever the case of the extension (Dapr's `IsYaml`).
    static func isYAMLName(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower.hasSuffix(".yaml") || lower.hasSuffix(".yml")
    }

    /// The Component drafts of one file; documents that fail become problems.
    package static func decode(_ bytes: [UInt8], file: String, problems: inout [ManifestProblem]) -> [ComponentDraft] {
        var drafts: [ComponentDraft] = []
        for document in YAMLReader.documents(in: bytes, file: file) {
            switch document.result {
            case .failure(let error): problems.append(.error(error))
            case .success(nil): continue
            case .success(let root?):
                do throws(ManifestError) {
                    if let draft = try ComponentDecoder.decode(root, file: file) { drafts.append(draft) }
                } catch {
                    problems.append(.error(error))
                }
            }
        }
        return drafts
    }

    /// The size of a regular file; nil for anything else (directories, FIFOs, missing files).
    private static func regularFileSize(_ path: String) -> Int? {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return Int(info.st_size)
    }

    private static func isRegularFile(_ path: String) -> Bool { regularFileSize(path) != nil }

    static func tooLarge(_ size: Int, file: String) -> ManifestError {
        ManifestError(
            .tooLarge,
            "file is \(size) bytes, more than the limit of \(maxFileBytes) bytes (\(maxFileBytes >> 20) MiB) for a component file: skipped (the other files still load)",
            file: file)
    }

    private static func readSecretsFile(_ path: String) throws(ManifestError) -> [UInt8] {
        guard isRegularFile(path) else {
            throw ManifestError(.unreadable, "secretsFile is missing or not a regular file", file: path)
        }
        do {
            return try Files.read(path, limit: maxFileBytes)
        } catch {
            throw ManifestError(.unreadable, "cannot read secretsFile: \(error.description)", file: path)
        }
    }
}
