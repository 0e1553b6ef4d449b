public import ComfyUIModel

/// A template as the catalogue keeps it: the ComfyUI template and what a run of it costs.
///
/// Encoded as one JSON object, the shape of a file in `templates/`: the template's own keys plus
/// `cost`.
public struct CatalogueEntry: Sendable, Equatable, Codable {
    public var template: WorkflowTemplate
    public var pricing: TemplatePricing

    public init(template: WorkflowTemplate, pricing: TemplatePricing = TemplatePricing()) {
        self.template = template
        self.pricing = pricing
    }

    /// The template's name, the catalogue's key.
    public var name: String { template.name }

    private enum CodingKeys: String, CodingKey { case cost }

    public init(from decoder: any Decoder) throws {
        template = try WorkflowTemplate(from: decoder)
        pricing = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(TemplatePricing.self, forKey: .cost) ?? TemplatePricing()
    }

    public func encode(to encoder: any Encoder) throws {
        try template.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(pricing, forKey: .cost)
    }
}
