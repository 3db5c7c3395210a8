import Glibc

/// The `list` walk: every entry that is not a directory, recursively, in Go's `filepath.Walk`
/// order (names sorted bytewise in each directory). Each sub-directory is opened relative to
/// its parent with O_NOFOLLOW, so a symlink is listed, never followed, even one swapped in for
/// a directory while the walk runs. Blocking.
enum DirectoryListing {
    /// The paths below `directory`, each `path` + `/` + the names on the way.
    static func files(in directory: Descriptor, shownAs path: String) throws(FileSystem.Failure) -> [String] {
        var result: [String] = []
        try walk(directory, path, depth: 0, into: &result)
        return result
    }

    private static func walk(
        _ directory: Descriptor, _ path: String, depth: Int, into result: inout [String]
    ) throws(FileSystem.Failure) {
        guard depth < 256 else { throw FileSystem.Failure(operation: "walk", path: path, code: ELOOP) }
        for name in try directory.entryNames() {
            let entry = path == "/" ? "/" + name : path + "/" + name
            // O_DIRECTORY is checked before anything is opened: a FIFO answers ENOTDIR at once.
            let raw = openat(directory.raw, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
            if raw >= 0 {
                try walk(Descriptor(raw), entry, depth: depth + 1, into: &result)
            } else if errno == ENOTDIR || errno == ELOOP {
                result.append(entry)
            } else if errno != ENOENT {  // ENOENT: removed since it was read; skip it
                throw FileSystem.Failure(operation: "open", path: entry, code: errno)
            }
        }
    }
}
