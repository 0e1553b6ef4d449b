import ArgumentParser

/// An argument error said the way the other errors are: what is wrong, by name.
///
/// argument-parser reports the first thing it trips over, which misleads: `--widht 100` is
/// reported as a missing `--width`, `--width -5` as a missing value, an unknown subcommand as
/// "2 unexpected arguments". This looks at the arguments again, against the help of the command
/// they reached, and names the unknown option (with the closest known one), the unknown command
/// (with the list), or the value that was taken for an option.
struct UsageError {
    let failure: Failure

    init?(_ error: any Error, of root: any ParsableCommand.Type) {
        guard root.exitCode(for: error) == .validationFailure else { return nil }
        let arguments = Array(CommandLine.arguments.dropFirst())
        let (command, path, rest) = Self.resolve(arguments, from: root)
        let help = "see '\(path.joined(separator: " ")) --help'"
        let known = Self.optionNames(in: root.helpMessage(for: command, includeHidden: true, columns: 10_000))
        let subcommands = command.configuration.subcommands.map { $0._commandName }

        if let unknown = rest.first(where: { $0.hasPrefix("--") && $0 != "--" && !known.contains(Self.name(of: $0)) }) {
            let name = Self.name(of: unknown)
            let suggestion = Self.closest(to: name, in: known).map { " (did you mean '\($0)'?)" } ?? ""
            failure = Failure(.usage, "unknown option '\(name)'\(suggestion); \(help)", code: "usage")
        } else if !subcommands.isEmpty, let first = rest.first, !first.hasPrefix("-") {
            let suggestion = Self.closest(to: first, in: subcommands).map { " (did you mean '\($0)'?)" } ?? ""
            failure = Failure(.usage, "unknown command '\(first)' for '\(path.joined(separator: " "))'\(suggestion); "
                              + "commands: \(subcommands.joined(separator: ", "))", code: "usage")
        } else if let index = rest.indices.dropLast().first(where: { rest[$0].hasPrefix("--") && known.contains(rest[$0])
                                                                     && rest[$0 + 1].hasPrefix("-") && rest[$0 + 1].count > 1
                                                                     && Self.message(root, error).contains(rest[$0]) }) {
            let option = rest[index], value = rest[index + 1]
            failure = Failure(.usage, "\(option) needs a value, and '\(value)' was read as an option; "
                              + "to give a value that starts with '-', write \(option)=\(value)", code: "usage")
        } else {
            failure = Failure(.usage, "\(Self.message(root, error)); \(help)", code: "usage")
        }
    }

    /// argument-parser's own one-line message, without its "Error: " prefix.
    private static func message(_ root: any ParsableCommand.Type, _ error: any Error) -> String {
        let text = root.message(for: error)
        return text.hasPrefix("Error: ") ? String(text.dropFirst(7)) : text
    }

    /// The deepest command the arguments name, its path of names, and the arguments after it.
    private static func resolve(_ arguments: [String], from root: any ParsableCommand.Type)
        -> (any ParsableCommand.Type, [String], [String]) {
        var command = root, path = [root._commandName], rest = arguments[...]
        while let next = rest.first, let sub = command.configuration.subcommands.first(where: { $0._commandName == next }) {
            command = sub
            path.append(next)
            rest = rest.dropFirst()
        }
        return (command, path, Array(rest))
    }

    /// `--name` of `--name=value`.
    private static func name(of argument: String) -> String {
        String(argument.prefix { $0 != "=" })
    }

    /// Every `--option` a help text lists.
    private static func optionNames(in help: String) -> Set<String> {
        var names: Set<String> = ["--help", "--version"]
        var current = ""
        for character in help + " " {
            if character.isLetter || character.isNumber || character == "-" {
                current.append(character)
            } else {
                if current.hasPrefix("--"), current.count > 2 { names.insert(current) }
                current = ""
            }
        }
        return names
    }

    /// The candidate at most two edits away from `word`, if there is one.
    private static func closest(to word: String, in candidates: some Collection<String>) -> String? {
        candidates.map { ($0, editDistance(word, $0)) }.filter { $0.1 <= 2 }.min { $0.1 < $1.1 }?.0
    }

    private static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for i in 1...max(1, a.count) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(1, b.count) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}
