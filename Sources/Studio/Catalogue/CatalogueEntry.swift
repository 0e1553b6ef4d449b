public import ComfyUIModel

/// A template as the catalogue keeps it: the ComfyUI template and what a run of it costs.
///
/// Encoded as one JSON object, the shape of a file in `templates/`: the template's own keys plus
/// `cost` and, for templates that take large images in pieces, `tile`.
public struct CatalogueEntry: Sendable, Equatable, Codable {
    public var template: WorkflowTemplate
    public var pricing: TemplatePricing
    /// How a large input is cut into tiles; `nil`: the image is sent whole.
    public var tiling: TemplateTiling?

    public init(template: WorkflowTemplate, pricing: TemplatePricing = TemplatePricing(), tiling: TemplateTiling? = nil) {
        self.template = template
        self.pricing = pricing
        self.tiling = tiling
    }

    /// The template's name, the catalogue's key.
    public var name: String { template.name }

    private enum CodingKeys: String, CodingKey { case cost, tile }

    public init(from decoder: any Decoder) throws {
        template = try WorkflowTemplate(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        pricing = try container.decodeIfPresent(TemplatePricing.self, forKey: .cost) ?? TemplatePricing()
        tiling = try container.decodeIfPresent(TemplateTiling.self, forKey: .tile)
    }

    public func encode(to encoder: any Encoder) throws {
        try template.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(pricing, forKey: .cost)
        try container.encodeIfPresent(tiling, forKey: .tile)
    }
}
