using System.Collections.Concurrent;

namespace RingRift.P2P.Testing.Netns;

/// <summary>
/// Polls every live node's <c>/swim/members</c> (about every 200 ms, from the observer) until disposed, and
/// records every dead or left mark the test did not expect (a member killed, or a node cut off): a false death. A node's own
/// <c>state_changed_at</c> times the kills; this watch only has to see a wrong mark once, and a dead mark
/// stays until the member refutes it with a higher incarnation, which takes several protocol periods.
/// </summary>
public sealed class SwimDeathWatch : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<IReadOnlyList<NetnsNode>> _live;
    private readonly Func<string, string, bool> _expected;
    private readonly Task _loop;
    private int _polls;

    /// <param name="live">The nodes to poll now (read before every round).</param>
    /// <param name="expected">Whether a dead mark by an observer (first id) of a member (second) is expected, the member
    /// having been killed or cut off on purpose; read on every mark, so say so before the fault.</param>
    public SwimDeathWatch(Func<IReadOnlyList<NetnsNode>> live, Func<string, string, bool> expected)
    {
        _live = live;
        _expected = expected;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>"observer saw member dead" for every wrong mark seen (one entry per poll that saw it).</summary>
    public ConcurrentQueue<string> FalseDeaths { get; } = new();

    /// <summary>Polls of one node's <c>/swim/members</c> that succeeded.</summary>
    public int Polls => Volatile.Read(ref _polls);

    /// <summary>The distinct wrong marks, for a message.</summary>
    public string Describe() => FalseDeaths.IsEmpty ? "none" : string.Join("; ", FalseDeaths.Distinct());

    public void Dispose()
    {
        _stop.Cancel();
        _loop.Wait(TimeSpan.FromSeconds(30));
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            foreach (var node in _live())
            {
                try
                {
                    foreach (var (peer, seen) in await node.SwimMembersAsync().ConfigureAwait(false))
                    {
                        if (seen.State is "dead" or "left" && !_expected(node.Id, peer)) FalseDeaths.Enqueue($"{node.Id} saw {peer} {seen.State}");
                    }

                    Interlocked.Increment(ref _polls);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException)
                {
                    // a poll lost to the loaded machine, or a node just killed: the next round looks again
                }
            }

            try { await Task.Delay(200, _stop.Token).ConfigureAwait(false); } catch (OperationCanceledException) { }
        }
    }
}
