public import OneGridDomain
import Foundation

extension SettingKey where Value == PetitionLimits {
    /// The petition limits in force, as JSON of time limits ({"reply": "60d", …}).
    public static var petitionLimits: Self {
        Self(
            name: "petitions.limits",
            parse: { text in
                do {
                    return try JSONDecoder().decode(PetitionLimits.self, from: Data(text.utf8))
                } catch {
                    throw StoreError.corrupt("the setting petitions.limits is not a set of petition limits: \(error)")
                }
            },
            // Six time limits: encoding them cannot fail.
            format: { String(decoding: (try? JSONEncoder().encode($0)) ?? Data(), as: UTF8.self) })
    }
}
