import Foundation
public import OneGridDomain
import OneGridStore
import Synchronization

/// The categories a report's text most likely belongs to, proposed from the model
/// `onegrid classifier train` stored: the window and the hotline see the three best as they type.
public struct CategoryProposals: Sendable {
    public struct Proposal: Sendable, Equatable {
        public var category: OneGridDomain.Category
        /// The model's probability for this category, 0–1.
        public var confidence: Double
    }

    let services: OneGridServices

    /// The `limit` likeliest categories for `text`, best first; empty when no model is stored
    /// or the text says nothing the model knows. Categories removed since the training are left out.
    public func propose(_ text: String, limit: Int = 3) async throws -> [Proposal] {
        guard (1...20).contains(limit) else { throw DomainError.invalid(field: "limit", "limit must be 1–20") }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.count <= 5_000 else { throw DomainError.invalid(field: "text", "text is at most 5,000 characters") }
        guard !trimmed.isEmpty, let model = try await services.categoryModel.current(now: services.clock.now) else { return [] }
        let categories = services.directory.categories
        // A few more than shown, so categories removed since the training do not leave the list short.
        return model.propose(trimmed, limit: limit + 5)
            .compactMap { proposal in categories[proposal.categoryID].map { Proposal(category: $0, confidence: proposal.confidence) } }
            .prefix(limit).map { $0 }
    }
}

/// The stored category model held in memory. It is read again once older than `refresh`, so every
/// instance of a cluster follows a retrain (`onegrid classifier train` runs in its own process)
/// within that time without a restart.
final class CategoryModelCache: Sendable {
    static let refresh: TimeInterval = 60

    private let store: CategoryModelStore
    private let loaded = Mutex<(model: CategoryClassifier?, at: Date)?>(nil)

    init(store: CategoryModelStore) {
        self.store = store
    }

    func current(now: Date) async throws -> CategoryClassifier? {
        if let held = loaded.withLock({ $0 }), held.at <= now, now.timeIntervalSince(held.at) < Self.refresh {
            return held.model
        }
        let model = try await store.load()
        loaded.withLock { $0 = (model, now) }
        return model
    }

    /// Drops the model held, so a retrain in this process is used by the next proposal.
    func forget() {
        loaded.withLock { $0 = nil }
    }
}
