import ArgumentParser
import CommandSupport
import Media
import Vips
import Foundation
import Studio
import Workflows

/// `darkroom media add <file|url>`.
struct MediaAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Store an image from a file, standard input (-) or an http(s) URL; prints its media id.",
        discussion: Help.discussion("The format is sniffed from the bytes; the limits are checked from the header.", examples: [
            "darkroom media add photo.jpg",
            "darkroom media add https://example.com/cat.png --user telegram:5472638766 --json",
        ])
    )

    @Argument(help: "A file, - for standard input, or an http(s) URL.") var source: String
    @OptionGroup var dataOptions: DataOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let composition = try await Composition(dataOptions)
        let user = try dataOptions.userID()
        do {
            let record: MediaRecord
            if source.hasPrefix("http://") || source.hasPrefix("https://"), let url = URL(string: source) {
                record = try await composition.media.add(from: url, owner: user)
            } else {
                let limit = composition.media.policy.limits.maxInputBytes
                let data = try source == "-" ? Self.standardInput(limit: limit) : Self.read(source, limit: limit)
                record = try await composition.media.add(data, owner: user)
            }
            json ? JSONOutput.print(record) : Console.line(MediaRecordOutput.line(record))
        } catch {
            throw WorkflowExit.failure(WorkflowError(error))
        }
    }

    static func standardInput(limit: Int) throws -> Data {
        guard let data = Console.readStandardInput(limit: limit) else {
            throw Failure(.input, "standard input is larger than the limit of \(limit) bytes", code: "media_too_large")
        }
        return data
    }

    static func read(_ path: String, limit: Int) throws -> Data {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw Failure(.input, "cannot read '\(path)': no such file, or not readable", code: "media_not_found")
        }
        defer { try? handle.close() }
        let data = try handle.read(upToCount: limit + 1) ?? Data()
        guard data.count <= limit else {
            throw Failure(.input, "'\(path)' is larger than the limit of \(limit) bytes", code: "media_too_large")
        }
        return data
    }
}
