/// How a fetch from a URL is bounded: time, size, redirects, and where it may connect.
public struct FetchLimits: Sendable, Equatable {
    /// Longest wait for a connection to open. Default 5 s.
    public var connectTimeout: Duration
    /// Longest a whole fetch may take, every redirect and the body included. Default 30 s.
    public var totalTimeout: Duration
    /// Most bytes a body may have; a longer one is cut off while it streams. Default 100 MiB.
    public var maxBytes: Int
    /// Most redirects followed. Default 5.
    public var maxRedirects: Int
    /// Which addresses may be connected to.
    public var addresses: AddressPolicy

    public init(connectTimeout: Duration = .seconds(5), totalTimeout: Duration = .seconds(30),
                maxBytes: Int = 100 * 1024 * 1024, maxRedirects: Int = 5, addresses: AddressPolicy = AddressPolicy()) {
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.maxBytes = maxBytes
        self.maxRedirects = maxRedirects
        self.addresses = addresses
    }
}
