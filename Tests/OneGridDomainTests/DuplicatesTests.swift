import OneGridDomain
import Testing

@Suite struct DuplicatesTests {
    @Test func theSameMatterInOtherWordsIsAlikeAnotherMatterIsNot() {
        #expect(Duplicates.similarity("村口路灯不亮", "村口路灯不亮") == 1)
        #expect(Duplicates.similarity("村口路灯不亮", "村口的路灯坏了，晚上不亮") >= Duplicates.threshold)
        #expect(Duplicates.similarity("村口路灯不亮", "张三李四宅基地纠纷") < Duplicates.threshold)
        #expect(Duplicates.similarity("", "路灯") == 0)
        #expect(Duplicates.similarity("Street light OUT!", "street light out") == 1, "case, spacing and punctuation do not count")
    }

    @Test func nearCasesAreRankedMostAlikeFirstAndUnlikeOnesLeftOut() {
        let ranked = Duplicates.rank(
            "幸福路口路灯不亮",
            among: [(1, "幸福路口的路灯坏了"), (2, "幸福路口路灯不亮了"), (3, "小区垃圾清运不及时"), (4, "幸福路口路灯不亮")])
        #expect(ranked.map(\.id) == [4, 2, 1])
        #expect(ranked.first?.similarity == 1)
    }
}
