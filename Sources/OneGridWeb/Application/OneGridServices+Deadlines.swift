import OneGridDomain

extension OneGridServices {
    /// Plans clocks on the calendar in force now, so a calendar an administrator loads applies
    /// to the next step taken.
    var planner: DeadlinePlanner { DeadlinePlanner(calendar: calendar) }
}
