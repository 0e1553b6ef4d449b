/// Help text with an "Examples:" section, shown by `--help` on every command.
public enum Help {
    public static func discussion(_ text: String = "", examples: [String]) -> String {
        let block = examples.map { "  $ \($0)" }.joined(separator: "\n")
        return (text.isEmpty ? "" : text + "\n\n") + "Examples:\n" + block
    }
}
