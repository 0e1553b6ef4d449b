#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address, parsed from every spelling a resolver or a browser accepts, so that
/// `2130706433`, `0177.0.0.1`, `0x7f.1` and `127.1` are all seen as the loopback address they are.
public enum IPAddress: Hashable, Sendable, CustomStringConvertible {
    case v4(UInt32)
    /// 16 bytes, network order.
    case v6([UInt8])

    /// Parses an address literal: IPv4 in the forms `inet_aton` reads (one to four parts, each
    /// decimal, octal with a leading `0` or hex with `0x`, the last part filling the remaining
    /// bytes; one trailing dot allowed), or IPv6 (brackets allowed, no zone). `nil` for a name.
    public init?(_ text: String) {
        var text = text
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        if let value = Self.parseIPv4(text) {
            self = .v4(value)
            return
        }
        guard text.contains(":"), !text.contains("%") else { return nil }
        var address = in6_addr()
        guard inet_pton(AF_INET6, text, &address) == 1 else { return nil }
        self = .v6(withUnsafeBytes(of: &address) { Array($0) })
    }

    /// The address in its usual spelling (`127.0.0.1`, `::1`), as a connection target.
    public var description: String {
        switch self {
        case .v4(let value):
            return [24, 16, 8, 0].map { String(value >> UInt32($0) & 0xFF) }.joined(separator: ".")
        case .v6(let bytes):
            var address = in6_addr()
            withUnsafeMutableBytes(of: &address) { $0.copyBytes(from: bytes) }
            var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            guard inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count)) != nil else { return "?" }
            return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    /// The IPv4 address an IPv6 address carries in its last four bytes, when its prefix is one
    /// that does: IPv4-mapped (`::ffff:a.b.c.d`), IPv4-compatible (`::a.b.c.d`) or NAT64 (`64:ff9b::/96`).
    /// 6to4 (`2002:AABB:CCDD::/16`) carries it in bytes 2 … 5.
    var embeddedIPv4: UInt32? {
        guard case .v6(let bytes) = self else { return nil }
        func word(_ offset: Int) -> UInt32 {
            bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | UInt32($1) }
        }
        let head = Array(bytes[0..<12])
        if head == [UInt8](repeating: 0, count: 10) + [0xFF, 0xFF] { return word(12) }
        if head == [UInt8](repeating: 0, count: 12), word(12) > 1 { return word(12) }
        if head == [0x00, 0x64, 0xFF, 0x9B] + [UInt8](repeating: 0, count: 8) { return word(12) }
        if bytes[0] == 0x20, bytes[1] == 0x02 { return word(2) }
        return nil
    }

    private static func parseIPv4(_ text: String) -> UInt32? {
        var text = Substring(text)
        if text.hasSuffix(".") { text = text.dropLast() }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...4).contains(parts.count) else { return nil }
        var values: [UInt64] = []
        for part in parts {
            guard let value = parsePart(part) else { return nil }
            values.append(value)
        }
        var result: UInt64 = 0
        for (index, value) in values.enumerated() {
            let isLast = index == values.count - 1
            let bits = isLast ? UInt64(8 * (4 - index)) : 8
            guard value < (1 << bits) else { return nil }
            result = isLast ? result << bits | value : result << 8 | value
        }
        return UInt32(result)
    }

    private static func parsePart(_ part: Substring) -> UInt64? {
        guard !part.isEmpty, part.count <= 12 else { return nil }
        let lower = part.lowercased()
        if lower.hasPrefix("0x") { return lower.count == 2 ? 0 : UInt64(lower.dropFirst(2), radix: 16) }
        if lower.count > 1, lower.hasPrefix("0") { return UInt64(lower.dropFirst(), radix: 8) }
        return UInt64(lower, radix: 10)
    }
}
