/// Help text with an "Examples:" section, shown by `--help` on every command.
public enum Help {
    /// `text` (its paragraphs rewrapped by argument-parser to the terminal), then the examples.
    public static func discussion(_ text: String = "", preformatted: String = "", examples: [String] = []) -> String {
        let block = examples.map { "  $ \($0)" }.joined(separator: "\n")
        // Preformatted lines (a table of settings) keep their breaks: argument-parser leaves a
        // discussion's existing line breaks alone.
        let prose = [paragraphs(text), preformatted].filter { !$0.isEmpty }.joined(separator: "\n\n")
        if examples.isEmpty { return prose }
        return (prose.isEmpty ? "" : prose + "\n\n") + "Examples:\n" + block
    }

    /// Joins the lines of each paragraph (paragraphs are separated by a blank line), so the
    /// source's line breaks do not show up in the middle of argument-parser's own wrapping.
    static func paragraphs(_ text: String) -> String {
        var paragraphs: [[Substring]] = [[]]
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " }
            if trimmed.isEmpty {
                if !(paragraphs.last?.isEmpty ?? true) { paragraphs.append([]) }
            } else {
                paragraphs[paragraphs.count - 1].append(trimmed)
            }
        }
        return paragraphs.filter { !$0.isEmpty }.map { $0.joined(separator: " ") }.joined(separator: "\n\n")
    }
}
