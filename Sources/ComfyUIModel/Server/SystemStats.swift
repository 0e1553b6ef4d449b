/// `/system_stats`: the server's version and memory, and its devices.
public struct SystemStats: Sendable, Equatable, Decodable {
    public struct System: Sendable, Equatable, Decodable {
        public var os: String
        public var comfyuiVersion: String
        public var pythonVersion: String
        public var ramTotal: Int64
        public var ramFree: Int64

        enum CodingKeys: String, CodingKey {
            case os, comfyuiVersion = "comfyui_version", pythonVersion = "python_version", ramTotal = "ram_total", ramFree = "ram_free"
        }
    }

    public struct Device: Sendable, Equatable, Decodable {
        public var name: String
        public var type: String
        public var vramTotal: Int64
        public var vramFree: Int64

        enum CodingKeys: String, CodingKey { case name, type, vramTotal = "vram_total", vramFree = "vram_free" }
    }

    public var system: System
    public var devices: [Device]
}
