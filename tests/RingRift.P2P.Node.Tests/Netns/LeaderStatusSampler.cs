using System.Collections.Concurrent;
using RingRift.P2P.Testing.Netns;

namespace RingRift.P2P.Node.Tests.Netns;

/// <summary>
/// Reads every node's <c>/status</c> over the bridge from the test process every
/// <see cref="Interval"/> until disposed, one loop per node (a slow node delays only its own samples),
/// keeping each answer as an <see cref="ActingLeaderSample"/>. Unanswered reads are counted, not kept.
/// </summary>
public sealed class LeaderStatusSampler : IDisposable
{
    /// <summary>How often each node is read.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<ActingLeaderSample> _samples = new();
    private readonly Task _loops;
    private int _missed;

    public LeaderStatusSampler(IReadOnlyList<Func<NetnsNode>> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        _loops = Task.WhenAll(nodes.Select(node => Task.Run(() => LoopAsync(node, _stop.Token))));
    }

    /// <summary>The samples so far, in no particular order.</summary>
    public IReadOnlyList<ActingLeaderSample> Samples => _samples.ToArray();

    /// <summary>Reads that got no answer (timeouts, refused connections of a stopped node).</summary>
    public int Missed => Volatile.Read(ref _missed);

    /// <summary>What the samples so far prove (see <see cref="ActingLeaderTimeline"/>).</summary>
    public ActingLeaderTimeline Timeline() => new(Samples);

    /// <summary>Stops sampling and waits for the loops to end.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _loops;
    }

    public void Dispose()
    {
        _stop.Cancel();
        try { _loops.Wait(TimeSpan.FromSeconds(30)); } catch (AggregateException) { }
        _stop.Dispose();
    }

    private async Task LoopAsync(Func<NetnsNode> node, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var next = Task.Delay(Interval, stop);
            try
            {
                _samples.Enqueue(ActingLeaderSample.Of(await node().GetJsonAsync("/status")));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException or System.Text.Json.JsonException)
            {
                Interlocked.Increment(ref _missed);
            }
            try { await next; } catch (OperationCanceledException) { } // pacing of the sampling, not a wait for a condition
        }
    }
}
