import ArgumentParser
import CommandSupport
import Foundation
import Workflows

/// `darkroom train set <id> <slot> [--image FILE | --media ID] [--caption TEXT]`.
struct TrainSetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set", abstract: "Set a slot's image, caption, or both (a draft only).",
        discussion: Help.discussion("", examples: [
            "darkroom train set ds-0b5f… 1 --image cat1.jpg --caption 'a photo of mycat on a sofa'",
            "darkroom train set ds-0b5f… 2 --media m_0123456789abcdef01234567",
        ]))

    @Argument(help: "The dataset id.") var id: String
    @Argument(help: "The slot, 1 … 20.") var slot: Int
    @Option(help: "An image file.") var image: String?
    @Option(help: "A stored media id.") var media: String?
    @Option(help: "The caption.") var caption: String?
    @OptionGroup var dataOptions: DataOptions
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard image == nil || media == nil else { throw ValidationError("give --image or --media, not both") }
        guard image != nil || media != nil || caption != nil else { throw ValidationError("give --image, --media or --caption") }
    }

    func run() async throws {
        let user = try dataOptions.userID()
        var input: MediaInput?
        if let image {
            guard let data = FileManager.default.contents(atPath: image) else { throw Failure(.input, "\(image): cannot be read") }
            input = .upload(data)
        } else if let media {
            input = .stored(media)
        }
        let composition = try await Composition(dataOptions)
        let dataset = try await WorkflowExit.running {
            try await composition.trainModel().setSlot(slot, of: id, owner: user, image: input, caption: caption)
        }
        DatasetOutput.print(dataset, json: json)
    }
}
