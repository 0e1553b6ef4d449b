internal import CVips

/// The numeric type of each pixel value.
public enum BandFormat: String, Sendable, CaseIterable, Codable {
    case uchar, char, ushort, short, uint, int, float, complex, double, dpcomplex

    /// Bytes one value takes.
    public var bytesPerSample: Int {
        switch self {
        case .uchar, .char: 1
        case .ushort, .short: 2
        case .uint, .int, .float: 4
        case .complex, .double: 8
        case .dpcomplex: 16
        }
    }

    var vips: VipsBandFormat {
        switch self {
        case .uchar: VIPS_FORMAT_UCHAR
        case .char: VIPS_FORMAT_CHAR
        case .ushort: VIPS_FORMAT_USHORT
        case .short: VIPS_FORMAT_SHORT
        case .uint: VIPS_FORMAT_UINT
        case .int: VIPS_FORMAT_INT
        case .float: VIPS_FORMAT_FLOAT
        case .complex: VIPS_FORMAT_COMPLEX
        case .double: VIPS_FORMAT_DOUBLE
        case .dpcomplex: VIPS_FORMAT_DPCOMPLEX
        }
    }

    init(_ format: VipsBandFormat) {
        self = Self.allCases.first { $0.vips == format } ?? .uchar
    }
}
