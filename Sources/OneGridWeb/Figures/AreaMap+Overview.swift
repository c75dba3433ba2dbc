import OneGridApplication
import OneGridDomain

extension AreaMap.Band {
    /// An area's own state by its overdue cases: none is green; under `redShare` of its open cases
    /// is yellow; more is red. An area without open cases is grey.
    init(open: Int, overdue: Int, redShare: Double = 0.05) {
        if overdue == 0 {
            self = open == 0 ? .grey : .green
        } else {
            self = Double(overdue) < Double(open) * redShare ? .yellow : .red
        }
    }

    /// A part's state beside the whole it belongs to (a town on its county's map): at or under the
    /// whole's overdue share is green, up to `redFactor` times it yellow, above that red. A fixed
    /// share painted every county of the demo red, since overdue cases gather among the open ones
    /// everywhere; beside its peers, the map says which part pulls the whole down.
    init(open: Int, overdue: Int, beside whole: (open: Int, overdue: Int), redFactor: Double = 1.5) {
        guard open > 0 else {
            self = .grey
            return
        }
        let share = Double(overdue) / Double(open)
        let average = whole.open > 0 ? Double(whole.overdue) / Double(whole.open) : 0
        self = overdue == 0 || share <= average ? .green : share <= average * redFactor ? .yellow : .red
    }
}

extension AreaMap {
    /// The map of an overview: one region per area one level down (the grids themselves in a
    /// village or grid), each a link made by `link`, named, and labelled by `label`.
    init(
        _ overview: FiguresOverview, directory: Directory, caption: String, legend: [(band: Band, label: String)],
        link: (Area) -> String, label: (_ area: Area, _ open: Int, _ overdue: Int) -> (figure: String, title: String)
    ) {
        let regions: [(area: Area, open: Int, overdue: Int, grids: [Area])]
        if overview.area.area.level >= .village {
            regions = overview.grids.map { ($0.grid, $0.open, $0.overdue, [$0.grid]) }
        } else {
            let level = overview.area.area.level.below ?? .grid
            let gridsByChild = Dictionary(grouping: overview.grids.map(\.grid)) { directory.path(ofGrid: $0.id)?[level] ?? 0 }
            regions = overview.children.map { ($0.area, $0.open, $0.overdue, gridsByChild[$0.area.id] ?? []) }
        }
        let whole = (open: overview.area.open, overdue: overview.area.overdue)
        self.init(
            regions: regions.map { region in
                let text = label(region.area, region.open, region.overdue)
                return Region(
                    name: region.area.name, href: link(region.area), grids: region.grids.compactMap { directory.boundaries[$0.id] },
                    band: Band(open: region.open, overdue: region.overdue, beside: whole), figure: text.figure, title: text.title)
            },
            legend: legend, caption: caption)
    }
}
