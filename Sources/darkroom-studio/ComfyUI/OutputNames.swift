/// File names for a run's outputs in one folder. The names come from the server, which is not
/// trusted: only the last path component is kept (no `../`, no absolute path), characters that
/// do not belong in a file name are replaced, and a name already taken in this run gets `-2`,
/// `-3`… before its extension instead of overwriting the first.
struct OutputNames {
    private var taken: Set<String> = []

    /// A safe, unused name for `serverName`.
    mutating func claim(_ serverName: String) -> String {
        let base = Self.safe(serverName)
        var candidate = base, counter = 1
        while taken.contains(candidate.lowercased()) {
            counter += 1
            let (stem, suffix) = Self.split(base)
            candidate = "\(stem)-\(counter)\(suffix)"
        }
        taken.insert(candidate.lowercased())
        return candidate
    }

    static func safe(_ name: String) -> String {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        var cleaned = String(last.unicodeScalars.map { scalar -> Character in
            scalar.value < 0x20 || scalar.value == 0x7F || ":*?\"<>|".unicodeScalars.contains(scalar) ? "_" : Character(scalar)
        }.prefix(200))
        while cleaned.hasPrefix(".") { cleaned.removeFirst() }
        return cleaned.isEmpty ? "output" : cleaned
    }

    /// `("name", ".png")` of `name.png`.
    private static func split(_ name: String) -> (String, String) {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return (name, "") }
        return (String(name[..<dot]), String(name[dot...]))
    }
}
