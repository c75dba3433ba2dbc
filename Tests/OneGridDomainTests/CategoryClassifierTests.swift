import Foundation
import OneGridDomain
import Testing

@Suite struct CategoryClassifierTests {
    static let examples: [CategoryClassifier.Example] = [
        .init(text: "小区门口路灯不亮了", categoryID: 1), .init(text: "晚上路灯坏了黑乎乎的", categoryID: 1),
        .init(text: "楼道里灯泡烧了", categoryID: 1), .init(text: "垃圾好几天没人清运", categoryID: 2),
        .init(text: "垃圾桶满了臭气熏天", categoryID: 2), .init(text: "路边乱倒生活垃圾", categoryID: 2),
        .init(text: "邻居装修噪音太大", categoryID: 3), .init(text: "广场舞音响吵得睡不着", categoryID: 3),
    ]
    static let model = CategoryClassifier(
        examples: examples, keywords: [1: ["路灯"], 2: ["垃圾"], 3: ["噪音"], 4: ["井盖"]])

    @Test func proposesTheLikeliestCategoriesBestFirstWithConfidences() {
        let proposals = Self.model.propose("我家楼下路灯一直不亮", limit: 3)
        #expect(proposals.map(\.categoryID).first == 1)
        #expect(proposals.count == 3)
        #expect(zip(proposals, proposals.dropFirst()).allSatisfy { $0.confidence >= $1.confidence })
        let total = proposals.reduce(0) { $0 + $1.confidence }
        #expect(total > 0.5 && total <= 1.000_001)
        #expect(Self.model.propose("装修噪音吵得睡不着", limit: 1).map(\.categoryID) == [3])
    }

    @Test func aCategoryKnownOnlyByItsKeywordsCanBeProposed() {
        #expect(Self.model.propose("马路中间井盖没了").first?.categoryID == 4)
        #expect(Self.model.exampleCounts == [3, 3, 2, 0])
    }

    @Test func aTextOfUnseenCharactersGetsNoProposal() {
        #expect(Self.model.propose("!!! 123 ???").isEmpty)
        #expect(CategoryClassifier(examples: [], keywords: [:]).propose("路灯").isEmpty)
    }

    @Test func aStoredModelProposesWhatTheTrainedOneDid() throws {
        let data = try JSONEncoder().encode(Self.model)
        let loaded = try JSONDecoder().decode(CategoryClassifier.self, from: data)
        for text in ["路灯坏了", "垃圾没人管", "噪音扰民", "井盖"] {
            #expect(loaded.propose(text) == Self.model.propose(text))
        }
    }

    @Test func aDamagedModelIsRefusedWhenLoaded() throws {
        var json = try #require(String(data: JSONEncoder().encode(Self.model), encoding: .utf8))
        json = json.replacingOccurrences(of: "\"totals\":[", with: "\"totals\":[1,")
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(CategoryClassifier.self, from: Data(json.utf8)) }
    }
}
