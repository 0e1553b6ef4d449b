import Vips

extension TransformPlan {
    /// Longest compact form accepted.
    public static let maximumCompactLength = 2_048

    /// Parses the compact form (see ``TransformPlan``). Errors are `invalid_params` and name the
    /// step (its position and text) and the value that is wrong.
    public init(parsing text: String) throws {
        guard !text.isEmpty else { throw MediaError(.invalidParams, "the plan is empty") }
        guard text.utf8.count <= Self.maximumCompactLength else {
            throw MediaError(.invalidParams, "a plan is at most \(Self.maximumCompactLength) bytes, this one is \(text.utf8.count)")
        }
        var steps: [TransformStep] = [], output = OutputSpec()
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        for (index, part) in parts.enumerated() {
            let fields = part.split(separator: ":", omittingEmptySubsequences: false)
            let name = fields[0], arguments = Array(fields.dropFirst())
            func refuse(_ message: String) -> MediaError {
                MediaError(.invalidParams, "step \(index + 1) '\(part)': \(message)")
            }
            if name == "format" {
                guard index == parts.count - 1 else { throw refuse("format must be the last step") }
                output = try Self.output(arguments, refuse: refuse)
                continue
            }
            steps.append(try Self.step(String(name), arguments, refuse: refuse))
        }
        self.init(steps, output: output)
        try validate()
    }

    private static func step(_ name: String, _ arguments: [Substring], refuse: (String) -> MediaError) throws -> TransformStep {
        func count(_ allowed: ClosedRange<Int>) throws {
            guard allowed.contains(arguments.count) else {
                let expected = allowed.lowerBound == allowed.upperBound ? "\(allowed.lowerBound)" : "\(allowed.lowerBound) to \(allowed.upperBound)"
                throw refuse("expected \(expected) value\(allowed.upperBound == 1 ? "" : "s") after '\(name)', received \(arguments.count)")
            }
        }
        func integer(_ text: Substring, _ what: String) throws -> Int {
            guard let value = Int(text), text.utf8.count <= 9 else { throw refuse("\(what) must be a whole number, not '\(text)'") }
            return value
        }
        func box(_ text: Substring) throws -> (Int?, Int?) {
            let sides = text.split(separator: "x", maxSplits: 1, omittingEmptySubsequences: false)
            let width = sides[0].isEmpty ? nil : try integer(sides[0], "width")
            let height = sides.count < 2 || sides[1].isEmpty ? nil : try integer(sides[1], "height")
            guard width != nil || height != nil else { throw refuse("expected a size such as 800x600, 800 or x600, not '\(text)'") }
            return (width, height)
        }
        func fullBox(_ text: Substring) throws -> (Int, Int) {
            let (width, height) = try box(text)
            guard let width, let height else { throw refuse("expected a width and a height such as 300x200, not '\(text)'") }
            return (width, height)
        }
        func strategy(_ text: Substring) throws -> CropStrategy {
            guard let value = CropStrategy(rawValue: String(text)) else {
                throw refuse("the crop strategy must be one of \(CropStrategy.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'")
            }
            return value
        }
        switch name {
        case "orient":
            try count(0...0)
            return .autoOrient
        case "resize":
            try count(1...2)
            let (width, height) = try box(arguments[0])
            var fit = TransformStep.Fit.fit
            if arguments.count == 2 {
                guard let value = TransformStep.Fit(rawValue: String(arguments[1])) else {
                    throw refuse("the fit must be one of \(TransformStep.Fit.allCases.map(\.rawValue).joined(separator: ", ")), not '\(arguments[1])'")
                }
                fit = value
            }
            return .resize(width: width, height: height, fit: fit)
        case "thumbnail":
            try count(1...2)
            return .thumbnail(size: try integer(arguments[0], "size"), crop: arguments.count == 2 ? try strategy(arguments[1]) : nil)
        case "crop":
            try count(3...3)
            let (width, height) = try fullBox(arguments[2])
            return .crop(x: try integer(arguments[0], "x"), y: try integer(arguments[1], "y"), width: width, height: height)
        case "smartcrop":
            try count(1...2)
            let (width, height) = try fullBox(arguments[0])
            return .smartCrop(width: width, height: height, strategy: arguments.count == 2 ? try strategy(arguments[1]) : .attention)
        case "rotate":
            try count(1...1)
            return .rotate(degrees: try integer(arguments[0], "degrees"))
        case "flip":
            try count(1...1)
            switch arguments[0] {
            case "h", "horizontal": return .flip(.horizontal)
            case "v", "vertical": return .flip(.vertical)
            default: throw refuse("the direction must be h or v, not '\(arguments[0])'")
            }
        case "watermark":
            try count(1...3)
            guard let text = PercentCoding.decoded(arguments[0]) else {
                throw refuse("the text is not valid percent-encoded UTF-8: '\(arguments[0])'")
            }
            var position = Placement.bottomRight, opacity = 0.6
            if arguments.count >= 2 {
                guard let value = Placement(rawValue: String(arguments[1])) else {
                    throw refuse("the position must be one of \(Placement.allCases.map(\.rawValue).joined(separator: ", ")), not '\(arguments[1])'")
                }
                position = value
            }
            if arguments.count == 3 {
                guard let value = Double(arguments[2]), value.isFinite else { throw refuse("the opacity must be a number, not '\(arguments[2])'") }
                opacity = value
            }
            return .watermark(text: text, position: position, opacity: opacity)
        default:
            throw refuse("unknown step '\(name)'; the steps are orient, resize, thumbnail, crop, smartcrop, rotate, flip, watermark and format")
        }
    }

    private static func output(_ arguments: [Substring], refuse: (String) -> MediaError) throws -> OutputSpec {
        guard let first = arguments.first else { throw refuse("name a format: \(ImageFormat.allCases.map(\.rawValue).joined(separator: ", "))") }
        let name = first == "jpg" ? "jpeg" : String(first)
        guard let format = ImageFormat(rawValue: name) else {
            throw refuse("the format must be one of \(ImageFormat.allCases.map(\.rawValue).joined(separator: ", ")), not '\(first)'")
        }
        var spec = OutputSpec(format: format)
        for option in arguments.dropFirst() {
            if option == "lossless" { spec.lossless = true }
            else if option == "strip" { spec.stripMetadata = true }
            else if option.first == "q", let quality = Int(option.dropFirst()), option.count <= 4 { spec.quality = quality }
            else { throw refuse("unknown format option '\(option)'; the options are qN (quality 1 … 100), lossless and strip") }
        }
        return spec
    }
}
