import Foundation
import OneGridDomain
import OneGridStore
import Testing

/// `perform` with an idempotency key: a phone that sends a step again, because the first answer
/// never reached it, gets the step it already took; a second step is never written.
@Suite struct CaseStepKeyTests {
    static let later = TinyCity.now.addingTimeInterval(3_600)

    private static func accept(_ actor: Principal) -> @Sendable (CaseFile) throws -> CaseTransition {
        { file in try CaseWorkflow.decide(.accept, on: file, input: CaseActionInput(), by: actor.post, context: CaseActionContext(now: later)) }
    }

    @Test(arguments: TestDatabases.kinds)
    func aStepSentTwiceWithOneKeyIsTakenOnce(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let id = try await city.report().id
            let actor = try await city.principal("village1")
            let first = try await city.cases.perform(
                caseID: id, expectedVersion: 1, by: actor, at: Self.later, idempotencyKey: "phone-1", decide: Self.accept(actor))
            #expect(!first.isReplay)
            #expect(first.record.file.status == .accepted)
            // The retry carries the version the phone saw before the first send: still a replay, not a conflict.
            let again = try await city.cases.perform(
                caseID: id, expectedVersion: 1, by: actor, at: Self.later.addingTimeInterval(60), idempotencyKey: "phone-1"
            ) { _ in
                Issue.record("a replay decided again")
                throw CancellationError()
            }
            #expect(again.isReplay)
            #expect(again.record == first.record)
            #expect(try await city.cases.timeline(caseID: id).count == 2, "one accept event")
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aRefusedStepLeavesItsKeyFreeAndAKeyServesOneCase(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let id = try await city.report().id
            let other = try await city.report().id
            let actor = try await city.principal("village1")
            struct Interrupted: Error {}
            await #expect(throws: Interrupted.self) {
                try await city.cases.perform(
                    caseID: id, expectedVersion: nil, by: actor, at: Self.later, idempotencyKey: "phone-2") { _ in throw Interrupted() }
            }
            let retried = try await city.cases.perform(
                caseID: id, expectedVersion: nil, by: actor, at: Self.later, idempotencyKey: "phone-2", decide: Self.accept(actor))
            #expect(!retried.isReplay, "the failed first try claimed nothing")
            #expect(retried.record.file.status == .accepted)

            let reused = await #expect(throws: DomainError.self) {
                try await city.cases.perform(
                    caseID: other, expectedVersion: nil, by: actor, at: Self.later, idempotencyKey: "phone-2", decide: Self.accept(actor))
            }
            #expect(reused?.field == "Idempotency-Key")
            #expect(try await city.cases.record(id: other)?.file.status == .reported)

            // Keys are each user's own: another user's same key is a new step.
            let dispatcher = try await city.principal("window1")
            let theirs = try await city.cases.perform(
                caseID: other, expectedVersion: nil, by: dispatcher, at: Self.later, idempotencyKey: "phone-2", decide: Self.accept(dispatcher))
            #expect(!theirs.isReplay)
        }
    }
}
