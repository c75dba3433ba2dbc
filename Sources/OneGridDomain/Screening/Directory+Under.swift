extension Directory {
    /// The area `areaID` and every area under it, in no order.
    public func areas(under areaID: Int64) -> [Area] {
        areas.values.filter { area in lineage(of: area.id).contains { $0.id == areaID } }
    }
}
