using System.Collections.Concurrent;
using System.Diagnostics;
using RingRift.P2P.Testing.Netns;

namespace RingRift.P2P.Node.Tests.Netns;

/// <summary>
/// One reading of a pull on the pulling node: <see cref="At"/> (from the sampler's start) the kernel's count of bytes
/// its host has received, and the pull's entry in the node's <c>/sync/status</c> <c>in_progress</c> (null when the
/// pull is not under way: not started yet, or ended).
/// </summary>
public sealed record PullSample(TimeSpan At, long LinkReceived, long? BytesDone, int? Attempt, string? LastError);

/// <summary>
/// Reads one pull on <paramref name="node"/> every <see cref="Interval"/> until disposed: the received-bytes counter
/// of its host's interface (a file read, at a known instant) and the pull's <c>/sync/status</c> entry. Unanswered
/// reads are skipped.
/// </summary>
public sealed class PullSampler : IDisposable
{
    /// <summary>How often the node is read.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private readonly NetnsNode _node;
    private readonly string _path;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentQueue<PullSample> _samples = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public PullSampler(NetnsNode node, string path)
    {
        _node = node;
        _path = path;
        _loop = Task.Run(() => LoopAsync(_stop.Token));
    }

    /// <summary>Time since the sampler started, on the clock of <see cref="PullSample.At"/>.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>The samples so far, oldest first.</summary>
    public IReadOnlyList<PullSample> Samples => _samples.ToArray();

    /// <summary>The latest sample that found the pull under way (null before the first).</summary>
    public PullSample? Latest => Samples.LastOrDefault(s => s.BytesDone is not null);

    public void Dispose()
    {
        _stop.Cancel();
        try { _loop.Wait(TimeSpan.FromSeconds(30)); } catch (AggregateException) { }
        _stop.Dispose();
    }

    private async Task LoopAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var next = Task.Delay(Interval, stop);
            try
            {
                var at = _clock.Elapsed;
                var received = _node.Process.LinkBytes().Received;
                var pull = (await _node.GetJsonAsync("/sync/status"))["in_progress"]?.AsArray()
                    .FirstOrDefault(p => p?["path"]?.GetValue<string>() == _path);
                _samples.Enqueue(new PullSample(at, received, pull?["bytes_done"]?.GetValue<long>(), pull?["attempt"]?.GetValue<int>(),
                    pull?["last_error"]?.GetValue<string>()));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException or System.Text.Json.JsonException)
            {
                // not answered this time (a loaded machine): the next sample
            }
            try { await next; } catch (OperationCanceledException) { } // pacing of the sampling, not a wait for a condition
        }
    }
}
