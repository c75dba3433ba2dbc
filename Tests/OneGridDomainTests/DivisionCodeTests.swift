import OneGridDomain
import Testing

@Suite struct DivisionCodeTests {
    @Test(arguments: [
        ("330200000000", AdminLevel.city),  // 宁波市
        ("330211000000", .county),  // 镇海区
        ("330211001000", .town),  // 招宝山街道
        ("330211001001", .village),  // 城河社区
        ("330211001001001", .grid),  // a grid extends its village's code by three digits
        ("330211000001", .village),  // a village numbered under a town numbered 000 is still a village
    ])
    func theLevelIsReadFromWhereTheDigitsStop(code: String, level: AdminLevel) throws {
        #expect(DivisionCode.level(of: code) == level)
        #expect(try DivisionCode(code, level: level).value == code)
    }

    @Test(arguments: ["", "33021100100", "3302110010010", "33021100100a", "３３０２１１００１００１", "330211001001-01"])
    func malformedCodesHaveNoLevel(code: String) {
        #expect(DivisionCode.level(of: code) == nil)
    }

    @Test func aCodeOfTheWrongLengthForItsLevelIsRefusedNamingTheField() throws {
        for (code, level) in [("330211001001", AdminLevel.grid), ("330211001001001", .village), ("33021100100x", .town)] {
            let error = try #require(refusal { () throws(DomainError) in try DivisionCode(code, level: level) }, "\(code)")
            #expect(error.code == .invalid)
            #expect(error.field == "code")
            #expect(error.message.contains(code))
        }
    }

    @Test func levelsRunFromTheCityDown() {
        #expect(AdminLevel.allCases == [.city, .county, .town, .village, .grid])
        #expect(AdminLevel.city < .county && AdminLevel.village < .grid)
        #expect(AdminLevel.town.above == .county)
        #expect(AdminLevel.city.above == nil)
        #expect(AdminLevel.village.below == .grid)
        #expect(AdminLevel.grid.below == nil)
        #expect(AdminLevel.allCases.filter(\.runsCentre) == [.city, .county, .town, .village])
    }
}
