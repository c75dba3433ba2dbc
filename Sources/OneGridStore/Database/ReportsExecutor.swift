import NIOCore
import NIOPosix

/// The reports' CPU lane: one idle-scheduled thread (`runThisThreadOnlyWhenIdle`) where a long
/// report does its own work, through `withTaskExecutorPreference`. An export
/// decodes, formats and sends every case it reads; on the requests' threads (as many as the
/// cores) each page of it held one of them while intake's requests and the writer's next step
/// waited behind. Here it gets what the server's other threads leave, and exports running at
/// once share this one thread: together they take at most a core.
public final class ReportsExecutor: TaskExecutor {
    /// The process's one lane, started on first use and kept for the process's life, as
    /// SwiftNIO's own singletons are.
    public static let shared = ReportsExecutor()

    private let thread = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private let loop: any EventLoop

    private init() {
        loop = thread.next()
        loop.execute { runThisThreadOnlyWhenIdle() }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        loop.execute { job.runSynchronously(on: executor) }
    }
}
