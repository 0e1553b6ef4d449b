/// A block of addresses in CIDR form (`127.0.0.0/8`, `fd00::/8`), as the allow-list of an
/// ``AddressPolicy`` names them.
public struct IPNetwork: Hashable, Sendable, CustomStringConvertible, LosslessStringConvertible {
    public let address: IPAddress
    public let prefixLength: Int

    /// Parses `address/length`, or a bare address (a block of one).
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let address = IPAddress(String(parts[0])) else { return nil }
        let maximum = if case .v4 = address { 32 } else { 128 }
        let length = parts.count == 2 ? Int(parts[1]) : maximum
        guard let length, (0...maximum).contains(length) else { return nil }
        self.address = address
        self.prefixLength = length
    }

    init(_ address: IPAddress, _ prefixLength: Int) {
        self.address = address
        self.prefixLength = prefixLength
    }

    /// Whether `other` lies in this block (an IPv4 block never holds an IPv6 address).
    public func contains(_ other: IPAddress) -> Bool {
        switch (address, other) {
        case (.v4(let base), .v4(let value)):
            let mask: UInt32 = prefixLength == 0 ? 0 : ~UInt32(0) << UInt32(32 - prefixLength)
            return base & mask == value & mask
        case (.v6(let base), .v6(let value)):
            for bit in 0..<prefixLength {
                let byte = bit / 8, shift = 7 - bit % 8
                if (base[byte] >> shift) & 1 != (value[byte] >> shift) & 1 { return false }
            }
            return true
        default:
            return false
        }
    }

    public var description: String { "\(address)/\(prefixLength)" }
}
