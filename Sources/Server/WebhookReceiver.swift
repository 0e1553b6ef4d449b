public import Foundation
public import HTTPTypes

/// A platform that posts its events to the server (a chat platform's webhook) at
/// `POST /webhooks/{name}`. It authenticates the sender itself (a secret the platform was
/// given); API keys do not apply. The composition root names the receivers; the server knows
/// none of the platforms.
public protocol WebhookReceiver: Sendable {
    /// The largest body taken; a larger one is refused with 413 before the receiver sees it.
    var maximumBody: Int { get }
    /// Handles one request; the status is the answer (2xx: taken, so the platform does not send it again).
    func receive(headers: HTTPFields, body: Data) async -> HTTPResponse.Status
}
