public import Foundation
public import OneGridDomain

/// Mediation bodies and the files of dispute cases. Each step on a dispute is written in one
/// transaction with its entry on the case's hash-chained timeline, or not at all.
public protocol MediationStore: Sendable {
    /// Saves a new body with its members; the caller has checked them (`MediationBody.validate`,
    /// members holding the mediator role).
    func createBody(name: String, kind: MediationBodyKind, areaID: Int64, level: AdminLevel, memberUserIDs: [Int64])
        async throws -> MediationBody
    func body(id: Int64) async throws -> MediationBody?
    /// The bodies not retired sitting at any of these areas (a case's path), the nearest level
    /// first (a matter is mediated as low as it can be), then by name.
    func bodies(inAreas areaIDs: [Int64]) async throws -> [MediationBody]
    /// Every body sitting at one area, the retired ones included, by name: the administrator's list.
    func allBodies(inArea areaID: Int64) async throws -> [MediationBody]
    /// Changes a body not retired in one transaction: `change` sees it as stored and returns it
    /// renamed, retired, or with members added or removed (the caller has checked them); a thrown
    /// error writes nothing. Not found when there is no such body.
    func updateBody(id: Int64, _ change: @escaping @Sendable (MediationBody) throws -> MediationBody) async throws -> MediationBody
    /// The bodies a user is a member of.
    func bodies(ofMember userID: Int64) async throws -> [MediationBody]
    func dispute(caseID: Int64) async throws -> Dispute?
    /// The disputes these bodies mediate, newest first, at most `limit`.
    func disputes(ofBodies bodyIDs: [Int64], limit: Int) async throws -> [Dispute]
    /// Opens a case's dispute file: `decide` sees the case and returns the file and its timeline
    /// entry; refused as not allowed when the case has one already.
    func register(
        caseID: Int64, by actor: Principal, at now: Date, decide: @escaping @Sendable (CaseFile) throws -> MediationChange
    ) async throws -> (dispute: Dispute, record: CaseRecord)
    /// Takes one step on a case's dispute: `decide` sees the dispute and the case as they stand
    /// (a thrown error writes nothing); written only if neither changed meanwhile.
    /// - Parameter expectedVersion: the dispute's version the client saw; another is a conflict.
    func perform(
        caseID: Int64, expectedVersion: Int?, by actor: Principal, at now: Date,
        decide: @escaping @Sendable (Dispute, CaseFile) throws -> MediationChange
    ) async throws -> (dispute: Dispute, record: CaseRecord)
}

extension SettingKey where Value == MajorDisputeRule {
    /// The thresholds that make a dispute major (amount, people, types, violence), as JSON.
    public static var majorDisputeRule: Self {
        Self(
            name: "mediation.majorDisputeRule",
            parse: { text in
                do {
                    return try JSONDecoder().decode(MajorDisputeRule.self, from: Data(text.utf8))
                } catch {
                    throw StoreError.corrupt("the setting mediation.majorDisputeRule is not a rule: \(error)")
                }
            },
            // Numbers, a bool and names: encoding cannot fail.
            format: { String(decoding: (try? JSONEncoder().encode($0)) ?? Data(), as: UTF8.self) })
    }
}
