import Foundation
import Studio
import Workflows

/// `/settings`: the user's settings with their limits, and buttons for the common changes —
/// each press one change made all or nothing (a size is width and height together), the message
/// edited to the new settings, a refusal told in the button's answer.
extension TelegramFront {
    func showSettings(to user: UserID, in chat: Int64) async throws {
        let view = try await dependencies.settings.get(user)
        _ = try await dependencies.outbox.send(to: chat) { client throws(BotAPIError) in
            try await client.sendMessage(chat: chat, text: Self.settingsText(view), keyboard: Self.settingsKeyboard(view))
        }
    }

    /// A settings button: "set:size=768", "set:steps=20", "set:batch=2", "set:reset".
    func changeSetting(_ change: String, for user: UserID, message: Message?) async throws -> String {
        let view: UserSettings.View
        let (name, value) = Self.button(change.replacingOccurrences(of: "=", with: ":"))
        switch (name, Int(value)) {
        case ("reset", _): view = try await dependencies.settings.reset(user)
        case ("size", let side?): view = try await dependencies.settings.change(user, ["width": .int(Int64(side)), "height": .int(Int64(side))])
        case ("steps", let steps?): view = try await dependencies.settings.change(user, ["steps": .int(Int64(steps))])
        case ("batch", let batch?): view = try await dependencies.settings.change(user, ["batch": .int(Int64(batch))])
        default: return "That button no longer does anything."
        }
        if let message {
            let (chat, id, text, keyboard) = (message.chat.id, message.messageID, Self.settingsText(view), Self.settingsKeyboard(view))
            await dependencies.outbox.updateStatus(chat: chat, message: id, text: text, keyboard: keyboard)
        }
        return name == "reset" ? "Back to the defaults." : "Saved."
    }

    static func settingsText(_ view: UserSettings.View) -> String {
        let settings = view.settings, limits = view.limits
        return """
            Your settings (they apply to every image you make, here and anywhere else you use Darkroom):
            Size \(settings.width)×\(settings.height) (up to \(limits.maxSide))
            Steps \(settings.steps) (up to \(limits.maxSteps))
            Images at once \(settings.batch) (up to \(limits.maxBatch))
            Sampler \(settings.sampler), scheduler \(settings.scheduler), guidance \(settings.cfg)
            Seed \(settings.seed < 0 ? "new every time" : String(settings.seed))
            """
    }

    /// The buttons, only for values the user's limits allow.
    static func settingsKeyboard(_ view: UserSettings.View) -> InlineKeyboardMarkup {
        let limits = view.limits
        func row(_ label: String, _ name: String, _ values: [Int], limit: Int, current: Int) -> [InlineKeyboardButton] {
            values.filter { $0 <= limit }.map { value in
                InlineKeyboardButton((value == current ? "• " : "") + "\(label) \(value)", data: "set:\(name)=\(value)")
            }
        }
        let settings = view.settings
        return InlineKeyboardMarkup([
            row("Size", "size", [512, 768, 1024], limit: limits.maxSide, current: settings.width == settings.height ? settings.width : 0),
            row("Steps", "steps", [20, 30, 40], limit: limits.maxSteps, current: settings.steps),
            row("Images", "batch", [1, 2, 4], limit: limits.maxBatch, current: settings.batch),
            [InlineKeyboardButton("Reset to defaults", data: "set:reset")],
        ].filter { !$0.isEmpty })
    }
}
