import ArgumentParser
import CommandSupport

/// `darkroom collection …`: a user's collections in the embedded store.
struct CollectionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collection",
        abstract: "Collect images and models, cook generative series from a trait grammar, review and export them.",
        discussion: Help.discussion("""
            A collection is a named, ordered set of a user's stored media (generated, processed,
            uploaded; trained LoRAs by their media id or their dataset's id). Give one a series
            (--series FILE, JSON: supply, prompt, traits, and optionally template, settings, inputs,
            seed) and `cook` makes its pieces through makeImage, charged like any generation: the
            master prompt's [[trait]] slots take each piece's weighted, seeded draw, [text [[t]]]
            sections drop when their trait is empty, and [… [[a]] …]{b, c} makes a exclude b and c.
            Pieces are reviewed (`review`), made again (`redo`), counted (`rarity`) and exported as a zip
            (`export`).
            Collections live in --data (DARKROOM_DATA, else ./darkroom-data) and belong to --user.

            Exit codes: 0 success, 64 bad usage, 65 refused (unknown collection or media, a malformed
            prompt, a collection not in the state the command needs), 69 no ComfyUI server answers,
            70 failed, 130 interrupted.
            """),
        subcommands: [CollectionCreateCommand.self, CollectionListCommand.self, CollectionShowCommand.self, CollectionEditCommand.self,
                      CollectionDeleteCommand.self, CollectionAddCommand.self, CollectionRemoveCommand.self, CollectionOrderCommand.self,
                      CollectionSheetCommand.self, CollectionCookCommand.self, CollectionPauseCommand.self, CollectionStopCommand.self,
                      CollectionReviewCommand.self, CollectionRedoCommand.self, CollectionRarityCommand.self, CollectionExportCommand.self],
        defaultSubcommand: CollectionListCommand.self
    )
}
