import Glibc
import IO

/// Replacing a small file so that a crash at any point leaves the old contents or the new, never
/// a mix: write `<file>.tmp`, fsync it, rename it over the file, fsync the directory. Returns only
/// once the new contents are durable. The caller serialises replacements of one file.
enum DurableFile {
    static func replace(_ path: String, in directory: String, with contents: [UInt8]) throws(SystemCallError) {
        let temporaryPath = path + ".tmp"
        let descriptor = try SystemCall.open(temporaryPath, flags: O_WRONLY | O_CREAT | O_TRUNC, mode: 0o600)
        do {
            try SystemCall.writeAll(descriptor, contents, path: temporaryPath)
            try SystemCall.fsync(descriptor, path: temporaryPath)
        } catch {
            SystemCall.close(descriptor)
            throw error
        }
        SystemCall.close(descriptor)
        try SystemCall.rename(temporaryPath, path)
        let directoryDescriptor = try SystemCall.open(directory, flags: O_RDONLY | O_DIRECTORY)
        defer { SystemCall.close(directoryDescriptor) }
        try SystemCall.fsync(directoryDescriptor, path: directory)
    }

    /// The file's contents (at most `limit` bytes), nil when it does not exist.
    static func read(_ path: String, limit: Int) throws(SystemCallError) -> [UInt8]? {
        let descriptor: Int32
        do {
            descriptor = try SystemCall.open(path, flags: O_RDONLY)
        } catch where error.errno == ENOENT {
            return nil
        }
        defer { SystemCall.close(descriptor) }
        return try SystemCall.readAll(descriptor, path: path, limit: limit)
    }
}
