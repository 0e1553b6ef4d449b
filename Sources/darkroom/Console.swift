import Foundation

/// Unbuffered output lines, so progress shows up at once even when standard output is a pipe.
enum Console {
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}
