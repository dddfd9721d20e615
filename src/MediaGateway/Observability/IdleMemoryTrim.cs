using Microsoft.Extensions.Options;

namespace MediaGateway.Observability;

/// <summary>
/// Gives memory back to the machine once the gateway has gone quiet after a burst (decision 20).
/// <para>
/// A burst of approvals for items with many accounts produces large, short-lived event documents. The GC keeps the
/// space they took (mostly on the large object heap) until its next full collection, and an idle process allocates too
/// little to trigger one, so a gateway that queued 100,000 publications stayed at ~400 MB resident with a few MB live.
/// Every <see cref="ObservabilityOptions.IdleTrimSeconds"/> this compares two samples of the GC's own figures; when the
/// process allocated little in the interval (it is quiet) and its heap or committed memory grew by at least
/// <see cref="ObservabilityOptions.IdleTrimMegabytes"/> since the last trim, it runs one full compacting collection
/// that also decommits what it frees, and a second one for the pooled buffers the first made the pools release.
/// (Periodic work such as the deadline scan also leaves garbage that an idle process never collects; it is given back
/// the same way.) Busy, it never runs; quiet with little to give back, it never runs either.
/// Like the JVM's periodic collection for idle processes (JEP 346), it is the collector's work done at a quiet moment.
/// </para>
/// </summary>
internal sealed partial class IdleMemoryTrim(IOptions<ObservabilityOptions> options, TimeProvider time, ILogger<IdleMemoryTrim> logger) : BackgroundService
{
    /// <summary>
    /// The GC's figures at one moment: bytes allocated since start, bytes on the heap now (live and garbage not yet
    /// collected, including what was allocated since the last collection), and memory committed at the last collection.
    /// </summary>
    internal readonly record struct Sample(long AllocatedBytes, long HeapBytes, long CommittedBytes)
    {
        public static Sample Now() => new(GC.GetTotalAllocatedBytes(), GC.GetTotalMemory(forceFullCollection: false), GC.GetGCMemoryInfo().TotalCommittedBytes);

        /// <summary>The lower of each figure: the bar a later burst is measured from.</summary>
        public Sample Floor(Sample other) =>
            new(Math.Min(AllocatedBytes, other.AllocatedBytes), Math.Min(HeapBytes, other.HeapBytes), Math.Min(CommittedBytes, other.CommittedBytes));
    }

    /// <summary>
    /// Whether to collect now: the process allocated less than <paramref name="threshold"/> since <paramref name="previous"/>
    /// (it is quiet), and its heap or its committed memory is at least <paramref name="threshold"/> above what it was after
    /// the last trim (or at start).
    /// </summary>
    public static bool ShouldTrim(Sample previous, Sample now, Sample baseline, long threshold) =>
        now.AllocatedBytes - previous.AllocatedBytes < threshold
        && (now.HeapBytes - baseline.HeapBytes >= threshold || now.CommittedBytes - baseline.CommittedBytes >= threshold);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var seconds = options.Value.IdleTrimSeconds;
        if (seconds == 0) return;
        var threshold = options.Value.IdleTrimMegabytes * 1024L * 1024L;
        var previous = Sample.Now();
        var baseline = previous;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(seconds), time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var now = Sample.Now();
            if (ShouldTrim(previous, now, baseline, threshold))
            {
                var started = time.GetTimestamp();
                Collect();
                // A full collection also tells the shared array pools to let go of buffers unused for a while (they do it
                // from a finalizer); those buffers are large, and only the next collection gives their memory back.
                GC.WaitForPendingFinalizers();
                Collect();
                now = Sample.Now();
                Log.Trimmed(logger, (previous.CommittedBytes + 524288) / 1048576, (now.CommittedBytes + 524288) / 1048576,
                    time.GetElapsedTime(started).TotalMilliseconds);
                GatewayMetrics.MemoryTrimmed();
                baseline = now;
            }

            // Memory freed by the GC's own collections lowers the bar, so a later burst is measured from there.
            baseline = baseline.Floor(now);
            previous = now;
        }
    }

    private static void Collect()
    {
        // The burst's leftovers are mostly on the large object heap, which a collection does not compact unless asked.
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.MemoryTrimmed, LogLevel.Information, "Quiet after a burst: GC committed memory {BeforeMb} MB -> {AfterMb} MB after full collections ({Milliseconds:F0} ms)")]
        public static partial void Trimmed(ILogger logger, long beforeMb, long afterMb, double milliseconds);
    }
}
