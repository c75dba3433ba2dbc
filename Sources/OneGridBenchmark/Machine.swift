import Foundation

struct Machine {
    var cpuModel = "?"
    var logicalCPUs = 0
    var nproc = "?"
    var cgroupCPU: String?
    var memory = "?"
    var os = "?"
    var kernel = "?"
    var swift = "?"
    var build = "?"
    var date = ""
    var filesystem = "?"
    var wrk = "?"
    var sqliteVersion = "?"
    var loadBefore = ""
    var loadAfter = ""

    static func describe(workDir: String, wrk: String) async -> Machine {
        var machine = Machine()
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        machine.cpuModel = field(cpuinfo, "model name", separator: ":") ?? "?"
        machine.logicalCPUs = cpuinfo.split(separator: "\n").filter { $0.hasPrefix("processor") }.count
        machine.nproc = (try? await Shell.run("nproc", []))?.output.trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
        if let quota = try? String(contentsOfFile: "/sys/fs/cgroup/cpu.max", encoding: .utf8) {
            machine.cgroupCPU = quota.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let meminfo = (try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8)) ?? ""
        if let total = field(meminfo, "MemTotal", separator: ":"), let kB = Double(total.split(separator: " ").first ?? "") {
            machine.memory = String(format: "%.1f GiB", kB / 1_048_576)
        }
        let release = (try? String(contentsOfFile: "/etc/os-release", encoding: .utf8)) ?? ""
        machine.os = field(release, "PRETTY_NAME", separator: "=")?.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) ?? "?"
        machine.kernel = ((try? String(contentsOfFile: "/proc/sys/kernel/osrelease", encoding: .utf8)) ?? "?")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        if let swift = Shell.which("swift") ?? (FileManager.default.isExecutableFile(atPath: "/opt/swift/usr/bin/swift") ? "/opt/swift/usr/bin/swift" : nil),
            let result = try? await Shell.run(swift, ["--version"]), result.status == 0
        {
            machine.swift = (result.output + result.error).split(separator: "\n").first.map(String.init) ?? "?"
        } else {
            #if compiler(>=6.3)
            machine.swift = "Swift 6.3 or later (compile time)"
            #else
            machine.swift = "Swift before 6.3 (compile time)"
            #endif
        }
        #if DEBUG
        machine.build = "debug (figures not representative)"
        #else
        machine.build = "release"
        #endif
        machine.date = Date().formatted(.iso8601)
        machine.filesystem = filesystem(of: workDir)
        if let version = try? await Shell.run(wrk, ["--version"]) {
            let first = (version.output + version.error).split(separator: "\n").first.map(String.init) ?? "?"
            machine.wrk = first.components(separatedBy: " Copyright").first ?? first
        }
        machine.loadBefore = loadAverage()
        return machine
    }

    static func field(_ text: String, _ name: String, separator: Character) -> String? {
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: separator, maxSplits: 1)
            if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name {
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    static func loadAverage() -> String {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }

    /// The mount holding `path`: device and type, since fsync on tmpfs would be free.
    static func filesystem(of path: String) -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        let mounts = (try? String(contentsOfFile: "/proc/mounts", encoding: .utf8)) ?? ""
        var best: (point: String, device: String, type: String)?
        for line in mounts.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count >= 3 else { continue }
            let point = String(parts[1])
            let inside = point == "/" || absolute == point || absolute.hasPrefix(point + "/")
            if inside, point.count >= (best?.point.count ?? -1) { best = (point, String(parts[0]), String(parts[2])) }
        }
        guard let best else { return "?" }
        return "\(best.type) (\(best.device) on \(best.point)), work files in \(absolute)"
    }
}
