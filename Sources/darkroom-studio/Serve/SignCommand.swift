import ArgumentParser
import CommandSupport
import Server

/// `darkroom sign <plan> <source>`: an on-the-fly image path signed with the server's key.
struct SignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign", abstract: "Sign an on-the-fly image path for `darkroom serve`.",
        discussion: Help.discussion("""
            Prints /v1/img/<signature>/<plan>/<source> (after --base when given). The plan is the
            Media transform plan's compact form, `format:auto` to pick AVIF, WebP or JPEG from the
            client's Accept; the source a stored media id or an http(s) URL. The key is the one
            `darkroom serve` uses: DARKROOM_SIGNING_KEY, else signing.key in --data.
            """, examples: [
                "darkroom sign thumbnail:512/format:auto m_3f9a894379ff867e5fb846bd --base http://127.0.0.1:8080",
                "darkroom sign 'resize:800x600:fill/format:webp:q80' https://example.com/photo.jpg",
            ]))

    @Argument(help: "The plan, e.g. thumbnail:512/format:auto.") var plan: String
    @Argument(help: "A media id, or an http(s) URL.") var source: String
    @Option(help: "The server's base URL, to print a whole URL.") var base: String?
    @OptionGroup var dataOptions: DataOptions

    func run() async throws {
        let signer = URLSigner(key: try await Composition(dataOptions).signingKey())
        Console.line((base.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } ?? "") + signer.path(plan: plan, source: source))
    }
}
