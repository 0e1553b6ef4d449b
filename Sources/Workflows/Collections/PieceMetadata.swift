/// One exported piece's metadata in the two shapes marketplaces read: ERC-721 (the OpenSea
/// metadata standard) and Metaplex (Solana's token metadata JSON). The image is named relative
/// to the export (`1.png`); an uploader rewrites it to where the images end up.
struct PieceMetadata {
    /// `{"trait_type": …, "value": …}`, as both shapes have it.
    struct Attribute: Codable, Equatable {
        var traitType: String
        var value: String

        enum CodingKeys: String, CodingKey {
            case traitType = "trait_type", value
        }
    }

    /// ERC-721: name, description, image, attributes.
    struct ERC721: Codable, Equatable {
        var name: String
        var description: String
        var image: String
        var attributes: [Attribute]
    }

    /// Metaplex: ERC-721's fields plus a symbol, royalties, and the files under `properties`.
    struct Metaplex: Codable, Equatable {
        struct File: Codable, Equatable {
            var uri: String
            var type: String
        }

        struct Properties: Codable, Equatable {
            var files: [File]
            var category: String
        }

        var name: String
        var symbol: String
        var description: String
        var sellerFeeBasisPoints: Int
        var image: String
        var attributes: [Attribute]
        var properties: Properties

        enum CodingKeys: String, CodingKey {
            case name, symbol, description, image, attributes, properties
            case sellerFeeBasisPoints = "seller_fee_basis_points"
        }
    }

    var name: String
    var description: String
    var image: String
    var mimeType: String
    var attributes: [Attribute]

    var erc721: ERC721 { ERC721(name: name, description: description, image: image, attributes: attributes) }

    func metaplex(symbol: String) -> Metaplex {
        Metaplex(name: name, symbol: symbol, description: description, sellerFeeBasisPoints: 0, image: image, attributes: attributes,
                 properties: .init(files: [.init(uri: image, type: mimeType)], category: "image"))
    }
}
