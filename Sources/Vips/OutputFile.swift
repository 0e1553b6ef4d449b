import SystemPackage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An output written under a temporary name beside its final path and renamed into place on
/// success, so a failed or interrupted write never leaves a broken file at `path`.
struct OutputFile {
    let path: String
    let temporaryPath: String

    /// Checks that the output's folder exists and picks a temporary name in it.
    init(_ path: String, operation: String) throws {
        let file = FilePath(path)
        let folder = file.removingLastComponent()
        let directory = folder.isEmpty ? "." : folder.string
        guard FileSystem.kind(directory) == .directory else {
            throw VipsError(.saveFailed, operation: operation, input: path,
                            message: "the output folder '\(directory)' does not exist")
        }
        guard FileSystem.isWritable(directory) else {
            throw VipsError(.saveFailed, operation: operation, input: path,
                            message: "the output folder '\(directory)' is not writable")
        }
        self.path = path
        let suffix = UInt32.random(in: .min ... .max)
        let name = file.lastComponent?.string ?? "output"
        self.temporaryPath = (folder.isEmpty ? FilePath(".") : folder).appending(".\(name).\(getpid())-\(suffix).partial").string
    }

    /// Moves the finished temporary file over `path` (an atomic rename within one folder).
    func commit(operation: String) throws {
        guard rename(temporaryPath, path) == 0 else {
            let reason = FileSystem.lastError
            discard()
            throw VipsError(.saveFailed, operation: operation, input: path,
                            message: "cannot move the finished file into place: \(reason)")
        }
    }

    /// Removes the temporary file, if any was written.
    func discard() { unlink(temporaryPath) }
}
