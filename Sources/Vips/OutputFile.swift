import Foundation

/// An output written under a temporary name beside its final path and renamed into place on
/// success, so a failed or interrupted write never leaves a broken file at `path`.
struct OutputFile {
    let path: String
    let temporaryPath: String

    /// Checks that the output's folder exists and picks a temporary name in it.
    init(_ path: String, operation: String) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw VipsError(.saveFailed, operation: operation, input: path,
                            message: "the output folder '\(directory)' does not exist")
        }
        guard FileManager.default.isWritableFile(atPath: directory) else {
            throw VipsError(.saveFailed, operation: operation, input: path,
                            message: "the output folder '\(directory)' is not writable")
        }
        self.path = path
        let suffix = UInt32.random(in: .min ... .max)
        self.temporaryPath = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(getpid())-\(suffix).partial").path
    }

    /// Moves the finished temporary file over `path` (an atomic rename within one folder).
    func commit(operation: String) throws {
        guard rename(temporaryPath, path) == 0 else {
            let reason = String(cString: strerror(errno))
            discard()
            throw VipsError(.saveFailed, operation: operation, input: path,
                            message: "cannot move the finished file into place: \(reason)")
        }
    }

    /// Removes the temporary file, if any was written.
    func discard() { unlink(temporaryPath) }
}
