import OneGridDomain
import Testing

@Suite struct PersonalDataTests {
    @Test func aPhoneKeepsItsFirstThreeAndLastFourDigits() {
        #expect(PersonalData.maskPhone("13812345678") == "138****5678")
        #expect(PersonalData.maskPhone("0574-86271234") == "057******1234")
    }

    @Test func anIDNumberKeepsItsRegionAndLastFour() {
        #expect(PersonalData.maskIDNumber("11010519491231002X") == "110105********002X")
    }

    @Test func somethingTooShortToMaskIsHiddenWhole() {
        #expect(PersonalData.maskPhone("1234567") == "*******")
        #expect(PersonalData.maskPhone("") == "")
    }

    @Test(arguments: ["11010519491231002X", "11010519491231002x", "440524188001010014"])
    func validIDNumbersPass(number: String) {
        #expect(refusal { () throws(DomainError) in try PersonalData.validateIDNumber(number, field: "reporterIDNumber") } == nil)
    }

    @Test(arguments: [
        "110105194912310021",  // wrong check character
        "11010519491231002Y",
        "1101051949123100",  // too short
        "11010519491231002X0",  // too long
        "1101051949123100AX",  // letters among the digits
    ])
    func invalidIDNumbersAreRefusedNamingTheField(number: String) throws {
        let error = try #require(
            refusal { () throws(DomainError) in try PersonalData.validateIDNumber(number, field: "reporterIDNumber") })
        #expect(error.code == .invalid)
        #expect(error.field == "reporterIDNumber")
    }

    @Test func phonesAreMobileOrLandlineDigits() throws {
        for phone in ["13812345678", "0574-86271234", "8627123"] {
            #expect(refusal { () throws(DomainError) in try PersonalData.validatePhone(phone, field: "phone") } == nil, "\(phone)")
        }
        for phone in ["138 1234 5678", "123456", "1381234567890", "phone"] {
            let error = try #require(refusal { () throws(DomainError) in try PersonalData.validatePhone(phone, field: "phone") }, "\(phone)")
            #expect(error.field == "phone")
        }
    }

    @Test func onlyPostsThatCallBackSeePersonalData() {
        let revealing = Set(Role.allCases.filter(\.mayRevealPersonalData))
        #expect(revealing == [.windowClerk, .hotlineAgent, .dispatcher, .mediator])
    }
}
