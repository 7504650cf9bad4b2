using System.Globalization;
using System.Runtime.CompilerServices;

namespace RingRift.P2P.Node.Hosting;

/// <summary>
/// Gives back what a node's start-up left behind, once, when it has settled (<see cref="Settle"/> after the host
/// started): a full compacting collection that also returns the GC's free regions to the kernel
/// (<see cref="GCCollectionMode.Aggressive"/>; JIT-compiled builds only), then the C heap's free pages (<see cref="NativeHeap.Trim"/>).
/// Start-up allocates some 20 MB on the GC heap and leaves several MB free in the C heap (compiling,
/// loading types, opening SQLite); an idle node would otherwise keep them resident (docs/footprint.md).
/// Registered by <c>run</c> only: the collection is process-wide, so an application hosting nodes in its own
/// process (the tests, an embedding) keeps its own memory policy.
/// </summary>
internal sealed class StartupMemoryTrim(IHostApplicationLifetime lifetime, TimeProvider time, ILogger<StartupMemoryTrim> logger) : BackgroundService
{
    /// <summary>
    /// 10 s after the host started: past the start-up's compiling, the first heartbeats and the first election,
    /// and before the footprint bench's 20 s warm-up ends.
    /// </summary>
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);

    /// <summary>What the trim does; a test counts the calls instead.</summary>
    internal Func<TrimResult> Trim { get; init; } = TrimProcess;

    private readonly TaskCompletionSource _settling = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the wait for <see cref="Settle"/> is on the clock (a test advances virtual time after it).</summary>
    internal Task Settling => _settling.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var startedAt = await Started(stoppingToken);
            // From the instant the host started, however late this loop got to run.
            var wait = Task.Delay(Max(startedAt + Settle - time.GetUtcNow(), TimeSpan.Zero), time, stoppingToken);
            _settling.TrySetResult();
            await wait;
            var result = Trim();
            logger.StartupMemoryTrimmed(Megabytes(result.PrivateBefore), Megabytes(result.PrivateAfter), result.NativeReleased);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    /// <summary>The instant the host started (every hosted service, Kestrel listening), once it has.</summary>
    private Task<DateTimeOffset> Started(CancellationToken ct)
    {
        var started = new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously);
        // Runs at once when the host has already started; the token never fires again, so the registration needs no disposal.
        lifetime.ApplicationStarted.Register(() => started.TrySetResult(time.GetUtcNow()));
        return started.Task.WaitAsync(ct);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    internal static TrimResult TrimProcess()
    {
        var before = ResidentMemory.PrivateBytes();
        // Not in the natively compiled executable: its start-up leaves little on the GC heap (nothing was compiled or
        // loaded at run time), and there the aggressive collection raised private memory by 9 MB for good (21 -> 30 MB,
        // a single idle node, three runs; with the C heap's trim alone it stays at 21-22 MB: docs/footprint.md).
        if (RuntimeFeature.IsDynamicCodeSupported)
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var released = NativeHeap.Trim();
        return new TrimResult(before, ResidentMemory.PrivateBytes(), released);
    }

    private static string Megabytes(long? bytes) =>
        bytes is { } b ? string.Create(CultureInfo.InvariantCulture, $"{b / (1024.0 * 1024):0.0} MB") : "unknown";

    /// <summary>Private resident memory (<see cref="ResidentMemory.PrivateBytes"/>) before and after, and whether the C heap gave pages back.</summary>
    internal readonly record struct TrimResult(long? PrivateBefore, long? PrivateAfter, bool NativeReleased);
}
