import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// CPU time from /proc: the whole machine (everyone on it, other users included), this process,
/// its reaped children (wrk), and the server process. Differences of two samples say where the
/// CPU went during a run, in cores (CPU seconds per wall second).
enum CPU {
    struct Sample {
        var wall: Double
        var machineBusy: Double
        var own: Double
        var children: Double
        var server: Double?

        func since(_ before: Sample) -> Use {
            let wall = Swift.max(self.wall - before.wall, 0.000_001)
            return Use(
                wall: wall, machineBusy: (machineBusy - before.machineBusy) / wall, own: (own - before.own) / wall,
                wrk: (children - before.children) / wall, server: server.flatMap { now in before.server.map { (now - $0) / wall } })
        }
    }

    /// Average cores busy over a run.
    struct Use {
        var wall: Double
        var machineBusy: Double
        /// This process (the store runs happen here).
        var own: Double
        /// Children reaped during the run: wrk.
        var wrk: Double
        var server: Double?

        /// This process's CPU time over the run, in seconds: what a busy machine cannot inflate
        /// the way it inflates the wall-clock time.
        var cpuSeconds: String { f(own * wall, 1) }

        /// What one unit of work cost the process that did it, in CPU microseconds.
        func microseconds(per count: Int) -> Double {
            (server ?? own) * wall / Double(Swift.max(count, 1)) * 1_000_000
        }

        func text(per count: Int, unit: String) -> String {
            if let server {
                return "CPU: server \(f(server)) cores (\(f(microseconds(per: count), 0)) µs/\(unit)), wrk \(f(wrk)), machine \(f(machineBusy))"
            }
            return "CPU: \(f(own)) cores (\(f(microseconds(per: count), 0)) µs/\(unit)), machine \(f(machineBusy))"
        }
    }

    static let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))

    static func sample(server: Int32?) -> Sample {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let own = seconds(usage.ru_utime) + seconds(usage.ru_stime)
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        let children = seconds(usage.ru_utime) + seconds(usage.ru_stime)
        return Sample(
            wall: Date().timeIntervalSince1970, machineBusy: machineBusy(), own: own, children: children,
            server: server.flatMap(processCPU))
    }

    private static func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000 }

    /// Busy CPU seconds of the whole machine since boot: everything but idle and iowait.
    private static func machineBusy() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") })
        else { return 0 }
        let fields = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard fields.count >= 5 else { return 0 }
        // user nice system idle iowait irq softirq steal (guest time is inside user already)
        let busy = fields.prefix(8).enumerated().filter { $0.offset != 3 && $0.offset != 4 }.map(\.element).reduce(0, +)
        return busy / ticks
    }

    /// utime + stime of a process, all its threads.
    private static func processCPU(_ pid: Int32) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // After the command: state is field 3, utime 14 and stime 15 (1-based) → 11 and 12 here.
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / ticks
    }
}
