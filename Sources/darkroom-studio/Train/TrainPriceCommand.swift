import ArgumentParser
import CommandSupport
import Studio
import Workflows

/// `darkroom train price`.
struct TrainPriceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "price", abstract: "What training costs the user now, and how the discount is made.")

    @OptionGroup var dataOptions: DataOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let user = try dataOptions.userID()
        let composition = try await Composition(dataOptions)
        let price = try await WorkflowExit.running { try await composition.trainModel().price(for: user) }
        if json { return JSONOutput.print(price) }
        func percent(_ basisPoints: Int) -> String { Format.decimal(Double(basisPoints) / 100, places: 2) + " %" }
        Console.line("\(price.amount) points (86400 less \(percent(price.discount)): standing \(percent(price.standingDiscount)), "
                     + "spend \(percent(price.spendDiscount)), level \(percent(price.levelDiscount)))")
    }
}
