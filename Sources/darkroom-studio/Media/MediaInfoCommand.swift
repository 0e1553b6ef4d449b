import ArgumentParser
import CommandSupport
import Media
import Studio
import Vips
import Workflows

/// `darkroom media info <id>`.
struct MediaInfoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show a media record and what its header says (read without decoding pixels).",
        discussion: Help.discussion("", examples: ["darkroom media info m_0123456789abcdef01234567 --json"])
    )

    @Argument(help: "The media id.") var id: String
    @OptionGroup var dataOptions: DataOptions
    @Flag(help: "Print JSON.") var json = false

    struct Report: Encodable {
        var record: MediaRecord
        var header: ImageHeader?
    }

    func run() async throws {
        let composition = try await Composition(dataOptions)
        let user = try dataOptions.userID()
        do {
            let record = try await composition.media.record(id, owner: user)
            let header = record.kind == .image ? try await composition.media.info(id, owner: user).header : nil
            if json { return JSONOutput.print(Report(record: record, header: header)) }
            Console.line(MediaRecordOutput.line(record))
            Console.line("  digest   \(record.digest)")
            Console.line("  created  \(record.createdAt)")
            if let header {
                let frames = header.pages > 1 ? ", \(header.pages) frames" : ""
                Console.line("  image    \(header.width)×\(header.height), \(header.bands) bands, \(header.colourSpace.rawValue)\(frames), orientation \(header.orientation)")
            }
        } catch {
            throw WorkflowExit.failure(WorkflowError(error))
        }
    }
}
