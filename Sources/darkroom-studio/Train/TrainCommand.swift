import ArgumentParser
import CommandSupport

/// `darkroom train …`: LoRA training datasets in the embedded store.
struct TrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Put together a LoRA training dataset, see its price, submit it, review it, train it on ComfyUI.",
        discussion: Help.discussion("""
            A dataset has 20 slots, each an image and its caption. Submitting needs at least 10
            images and a caption for each; the images are then prepared (upright, an attention crop
            to a square, resized, metadata stripped) and the price is held. Submissions wait for a
            reviewer (`darkroom train review`) unless DARKROOM_TRAINING_REVIEW=off. An approved
            dataset trains with `darkroom train start` on a ComfyUI server; its LoRA is stored as
            the owner's model and the price settled (released if training fails or is cancelled).
            Datasets live in --data (DARKROOM_DATA, else ./darkroom-data) and belong to --user.

            Exit codes: 0 success, 64 bad usage, 65 refused (unknown dataset, too few images,
            missing captions, not enough points, a dataset not in the state the command needs),
            69 no ComfyUI server answers, 70 training failed, 75 timed out, 130 interrupted.
            """),
        subcommands: [TrainCreateCommand.self, TrainListCommand.self, TrainShowCommand.self, TrainSetCommand.self,
                      TrainClearCommand.self, TrainDeleteCommand.self, TrainPriceCommand.self, TrainSubmitCommand.self,
                      TrainReviewCommand.self, TrainStartCommand.self, TrainCancelCommand.self],
        defaultSubcommand: TrainListCommand.self
    )
}
