using System.Collections.Concurrent;
using System.Diagnostics;
using RingRift.P2P.Testing.Netns;

namespace RingRift.P2P.Node.Tests.Netns;

/// <summary>
/// Reads every node's <c>/status</c> over the bridge from the test process every
/// <see cref="Interval"/> until disposed, one loop per node (a slow node delays only its own samples),
/// keeping each answer as an <see cref="ActingLeaderSample"/>. Unanswered reads are counted, not kept.
/// Samples are placed on the nodes' own clock (<c>timestamp</c>), or, given an <see cref="ObserverTiming"/>,
/// on this process's monotonic clock (<see cref="Now"/>) between sending the request and receiving the answer:
/// for nodes whose clocks a test steps or makes drift.
/// </summary>
public sealed class LeaderStatusSampler : IDisposable
{
    /// <summary>How often each node is read.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<ActingLeaderSample> _samples = new();
    private readonly Task _loops;
    private readonly ObserverTiming? _observer;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _missed;

    public LeaderStatusSampler(IReadOnlyList<Func<NetnsNode>> nodes, ObserverTiming? observer = null)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        _observer = observer;
        _loops = Task.WhenAll(nodes.Select(node => Task.Run(() => LoopAsync(node, _stop.Token))));
    }

    /// <summary>The samples so far, in no particular order.</summary>
    public IReadOnlyList<ActingLeaderSample> Samples => _samples.ToArray();

    /// <summary>Seconds since the sampler started on this process's monotonic clock: the time line of observed samples.</summary>
    public double Now => _clock.Elapsed.TotalSeconds;

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
                var sentAt = Now;
                var status = await node().GetJsonAsync("/status");
                _samples.Enqueue(_observer is null ? ActingLeaderSample.Of(status) : ActingLeaderSample.Observed(status, sentAt, Now, _observer));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException or System.Text.Json.JsonException)
            {
                Interlocked.Increment(ref _missed);
            }
            try { await next; } catch (OperationCanceledException) { } // pacing of the sampling, not a wait for a condition
        }
    }
}
