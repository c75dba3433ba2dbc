import NIOCore
import NIOPosix

/// A task executor of one thread (an event loop's), for work that must not queue behind the
/// requests on Swift's shared pool, which has only as many threads as the machine has cores.
/// Code run with its preference (`withTaskExecutorPreference`) comes back to this thread after
/// every await.
public final class ThreadExecutor: TaskExecutor {
    private let loop: any EventLoop

    init(loop: any EventLoop) {
        self.loop = loop
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        loop.execute { job.runSynchronously(on: executor) }
    }

    /// The reports' CPU lane: one thread at lower priority (nice 10, as SQLite's reports'
    /// connection) where a long report does its own work. An export decodes, formats and sends
    /// every case it reads; on the requests' threads each page of it held one of them while
    /// intake's requests and the writer's next step waited behind. Here it gets what the server's
    /// other threads leave, and exports running at once share this one thread: together they
    /// take at most a core. Started on first use and kept for the process's life, as SwiftNIO's
    /// own singletons are.
    public static let reports: ThreadExecutor = {
        let loop = MultiThreadedEventLoopGroup(numberOfThreads: 1).next()
        loop.execute { lowerThisThreadsPriority() }
        return ThreadExecutor(loop: loop)
    }()
}
