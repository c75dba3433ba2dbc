import ServiceLifecycle
#if canImport(Glibc)
import Glibc
import Foundation

/// glibc's allocator, as a long-running server needs it. By default it gives threads up to eight
/// arenas per core and raises its threshold for mapping large blocks each time one is freed, up to
/// 32 MB, and with it the free space an arena keeps before returning any (to 64 MB). The
/// server's SQLite connections each run on a thread of their own and allocate and free a page at
/// a time: in a soak on SQLite (issue 10) the arenas held twice the memory in use (177 MB for
/// 86 MB at minute 17). With these settings the same soak ran about 35 MB lower (176 MB against
/// 212 MB at minute 10).
///
/// Even so an arena gives back only the free space at its top. A reader's page cache is emptied
/// whenever another connection has committed, a page at a time, so free pages lie all through the
/// arenas, and resident memory kept rising to the most the caches had ever held at once: in a
/// soak the arenas grew from 53 to 65 MB in nine minutes while the memory in use stayed between
/// 30 and 39 MB. `returnFreePages` hands the whole free pages back (malloc_trim), which took
/// resident memory from 120 to 92 MB at once.
enum ServerMemory {
    /// Before the server's threads start: arenas already made are kept, no more are made.
    static func keepCompact() {
        guard let mallopt = glibc("mallopt", as: (@convention(c) (Int32, Int32) -> Int32).self) else { return }
        // One arena per core: a thread finds another's free space instead of growing its own.
        _ = mallopt(arenaMax, Int32(max(2, ProcessInfo.processInfo.activeProcessorCount)))
        // A fixed threshold: blocks of 256 KB and more are mapped and go back when freed, and the
        // arenas keep glibc's least free space (128 KB) at their tops.
        _ = mallopt(mmapThreshold, 256 * 1024)
    }

    /// Gives the arenas' whole free pages back to the system.
    static func returnFreePages() {
        guard let mallocTrim = glibc("malloc_trim", as: (@convention(c) (UInt) -> Int32).self) else { return }
        _ = mallocTrim(0)
    }

    /// malloc.h's functions are not in the Glibc module Swift imports: each is looked up as the
    /// C function it is.
    private static func glibc<Function>(_ name: String, as type: Function.Type) -> Function? {
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), name).map { unsafeBitCast($0, to: type) }
    }

    // malloc.h's parameter numbers.
    private static let arenaMax: Int32 = -8
    private static let mmapThreshold: Int32 = -3
}
#else
enum ServerMemory {
    static func keepCompact() {}
    static func returnFreePages() {}
}
#endif

/// Returns the free pages every `interval` while the server runs (`ServerMemory.returnFreePages`).
struct FreePagesReturn: Service {
    var interval: Duration = .seconds(10)

    func run() async {
        while (try? await cancelWhenGracefulShutdown({ try await Task.sleep(for: interval) })) != nil {
            ServerMemory.returnFreePages()
        }
    }
}
