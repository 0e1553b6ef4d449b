/// Which addresses a fetch may connect to. By default only public unicast addresses: loopback,
/// private, link-local (cloud metadata at 169.254.169.254), unspecified, shared, multicast,
/// reserved and documentation blocks are refused, and so is every IPv6 form that carries an
/// IPv4 address (mapped, compatible, NAT64, 6to4) when the address it carries is refused — the
/// mapped and compatible forms always. An operator opens blocks it trusts with ``allowed``.
public struct AddressPolicy: Sendable, Equatable {
    /// Blocks opened by configuration, checked before any refusal.
    public var allowed: [IPNetwork]

    public init(allowed: [IPNetwork] = []) {
        self.allowed = allowed
    }

    /// Why an address is refused, in words for the error; `nil` when it may be connected to.
    public func refusal(of address: IPAddress) -> String? {
        if allowed.contains(where: { $0.contains(address) }) { return nil }
        return Self.classification(of: address)
    }

    /// What kind of non-public address this is; `nil` for a public unicast address.
    static func classification(of address: IPAddress) -> String? {
        switch address {
        case .v4(let value):
            return ipv4Blocks.first { $0.network.contains(.v4(value)) }?.name
        case .v6:
            if let block = ipv6Blocks.first(where: { $0.network.contains(address) }) { return block.name }
            if let embedded = address.embeddedIPv4, let name = classification(of: .v4(embedded)) {
                return "\(name) (carried in an IPv6 address)"
            }
            return nil
        }
    }

    private struct Block {
        var network: IPNetwork
        var name: String
        init(_ cidr: String, _ name: String) {
            network = IPNetwork(cidr)!
            self.name = name
        }
    }

    private static let ipv4Blocks = [
        Block("0.0.0.0/8", "unspecified (this network)"),
        Block("10.0.0.0/8", "private"),
        Block("100.64.0.0/10", "shared (carrier-grade NAT)"),
        Block("127.0.0.0/8", "loopback"),
        Block("169.254.0.0/16", "link-local (cloud metadata lives here)"),
        Block("172.16.0.0/12", "private"),
        Block("192.0.0.0/24", "reserved for protocol assignments"),
        Block("192.0.2.0/24", "documentation"),
        Block("192.88.99.0/24", "6to4 relay anycast"),
        Block("192.168.0.0/16", "private"),
        Block("198.18.0.0/15", "benchmarking"),
        Block("198.51.100.0/24", "documentation"),
        Block("203.0.113.0/24", "documentation"),
        Block("224.0.0.0/4", "multicast"),
        Block("240.0.0.0/4", "reserved (broadcast included)"),
    ]

    private static let ipv6Blocks = [
        Block("::/128", "unspecified"),
        Block("::1/128", "loopback"),
        Block("::ffff:0:0/96", "IPv4-mapped"),
        Block("::/96", "IPv4-compatible"),
        Block("100::/64", "discard-only"),
        Block("2001::/32", "Teredo tunnel"),
        Block("2001:db8::/32", "documentation"),
        Block("fc00::/7", "private (unique local)"),
        Block("fe80::/10", "link-local"),
        Block("fec0::/10", "site-local"),
        Block("ff00::/8", "multicast"),
    ]
}
