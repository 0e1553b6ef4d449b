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

    /// Why an address is refused ("a loopback address"), in words for the error; `nil` when it
    /// may be connected to.
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
                return "\(name), carried in an IPv6 address"
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
        Block("0.0.0.0/8", "an unspecified address (this network)"),
        Block("10.0.0.0/8", "a private address"),
        Block("100.64.0.0/10", "a shared address (carrier-grade NAT)"),
        Block("127.0.0.0/8", "a loopback address"),
        Block("169.254.0.0/16", "a link-local address (cloud metadata lives here)"),
        Block("172.16.0.0/12", "a private address"),
        Block("192.0.0.0/24", "an address reserved for protocol assignments"),
        Block("192.0.2.0/24", "an address for documentation"),
        Block("192.88.99.0/24", "a 6to4 relay anycast address"),
        Block("192.168.0.0/16", "a private address"),
        Block("198.18.0.0/15", "an address for benchmarking"),
        Block("198.51.100.0/24", "an address for documentation"),
        Block("203.0.113.0/24", "an address for documentation"),
        Block("224.0.0.0/4", "a multicast address"),
        Block("240.0.0.0/4", "a reserved address (broadcast included)"),
    ]

    private static let ipv6Blocks = [
        Block("::/128", "an unspecified address"),
        Block("::1/128", "a loopback address"),
        Block("::ffff:0:0/96", "an IPv4-mapped address"),
        Block("::/96", "an IPv4-compatible address"),
        Block("100::/64", "a discard-only address"),
        Block("2001::/32", "a Teredo tunnel address"),
        Block("2001:db8::/32", "an address for documentation"),
        Block("fc00::/7", "a private address (unique local)"),
        Block("fe80::/10", "a link-local address"),
        Block("fec0::/10", "a site-local address"),
        Block("ff00::/8", "a multicast address"),
    ]
}
