/// A place on the map in WGS-84 degrees.
public struct GeoPoint: Codable, Sendable, Hashable {
    public var lat: Double
    public var lng: Double

    public init(lat: Double, lng: Double) {
        self.lat = lat
        self.lng = lng
    }

    /// Refuses points that are not on Earth, naming the field that carried them.
    public func validated(field: String = "location") throws(DomainError) -> GeoPoint {
        guard lat.isFinite, lng.isFinite, (-90...90).contains(lat), (-180...180).contains(lng) else {
            throw DomainError.invalid(
                field: field, "expected lat in -90…90 and lng in -180…180, got (\(lat), \(lng))")
        }
        return self
    }
}

/// A grid's boundary: one closed ring of points (the last joins the first).
public struct GridBoundary: Codable, Sendable, Hashable {
    public var ring: [GeoPoint]

    public init(ring: [GeoPoint]) {
        self.ring = ring
    }

    public var minLat: Double { ring.map(\.lat).min() ?? 0 }
    public var maxLat: Double { ring.map(\.lat).max() ?? 0 }
    public var minLng: Double { ring.map(\.lng).min() ?? 0 }
    public var maxLng: Double { ring.map(\.lng).max() ?? 0 }

    /// Even-odd ray casting. A point exactly on a shared edge belongs to one neighbour only,
    /// because the half-open comparisons count the edge on one side.
    public func contains(_ point: GeoPoint) -> Bool {
        var inside = false
        var j = ring.count - 1
        for i in 0..<ring.count {
            let a = ring[i], b = ring[j]
            if (a.lat > point.lat) != (b.lat > point.lat) {
                let crossLng = (b.lng - a.lng) * (point.lat - a.lat) / (b.lat - a.lat) + a.lng
                if point.lng < crossLng { inside.toggle() }
            }
            j = i
        }
        return inside
    }
}
