public import ComfyUIModel
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
public import Studio
public import Vips

extension MakeImage {
    /// A prompt to generate, for one user.
    public struct Request: Sendable {
        public var user: UserID
        public var prompt: String
        /// The template; `nil`: the user's preference (`text2img` by default).
        public var template: String?
        /// Setting overrides for this request only (`width`, `steps`, `seed`…), validated against
        /// the user's limits with their preferences.
        public var settings: [String: SettingValue]
        /// Template inputs set directly (`lora`, `lora_strength`…), after the settings.
        public var inputs: [String: JSONValue]
        /// The input image of an img2img template.
        public var image: MediaInput?
        /// How the images are stored.
        public var format: ImageFormat
        /// The job id (and points key).
        public var job: String

        public init(user: UserID, prompt: String, template: String? = nil, settings: [String: SettingValue] = [:],
                    inputs: [String: JSONValue] = [:], image: MediaInput? = nil, format: ImageFormat = .png,
                    job: String = GenerationJob.newID()) {
            self.user = user
            self.prompt = prompt
            self.template = template
            self.settings = settings
            self.inputs = inputs
            self.image = image
            self.format = format
            self.job = job
        }
    }

    /// One delivered image and its preview.
    public struct Image: Sendable {
        public var media: MediaRecord
        public var preview: MediaRecord
    }

    /// What a finished job delivered.
    public struct Result: Sendable {
        public var job: String
        public var images: [Image]
        /// The seed the images were made with (drawn when the settings said -1).
        public var seed: Int64?
        /// Points charged, on the server's run time.
        public var cost: Int
        /// Points available after the charge.
        public var available: Int
        public var runSeconds: Double
        /// The template values it ran with (settings, seed and inputs).
        public var values: [String: JSONValue]
    }

    /// What the person waiting sees.
    public enum Progress: Sendable {
        /// Points are held and the job recorded.
        case held(job: String, points: Int)
        /// Queued on a server: how many prompts run or wait before it (0: it is next or running;
        /// `nil`: unknown), and about how long until its images are ready, from the run times of
        /// the template's recent jobs (`nil` before there are any). Sent when the job is queued
        /// and again whenever its position changes, until it runs.
        case queued(position: Int?, wait: Duration?)
        /// An event of the run: started, node, sampler step, preview frame…
        case generation(RunEvent)
        /// The images are being post-processed and stored.
        case finishing
    }
}
