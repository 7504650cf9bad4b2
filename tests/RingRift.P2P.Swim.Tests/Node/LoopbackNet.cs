using Microsoft.Extensions.Time.Testing;

namespace RingRift.P2P.Swim.Tests.Node;

/// <summary>
/// A tiny deterministic in-memory network for <see cref="SwimNode"/> tests: every packet and request
/// is delivered <see cref="Latency"/> later by a <see cref="FakeTimeProvider"/> timer, so nothing happens
/// until the test advances time. Faults: crashed endpoints, blocked links, UDP-only blocks, partitions.
/// </summary>
internal sealed class LoopbackNet
{
    private readonly Dictionary<SwimEndpoint, LoopbackTransport> _transports = [];
    private readonly HashSet<SwimEndpoint> _crashed = [];
    private readonly HashSet<SwimEndpoint> _udpBlocked = [];
    private readonly HashSet<(SwimEndpoint, SwimEndpoint)> _blockedLinks = [];
    private Func<SwimEndpoint, int>? _partitionSide;

    public LoopbackNet(FakeTimeProvider time) => Time = time;

    public FakeTimeProvider Time { get; }

    /// <summary>One-way delay of every packet and of a request's round trip.</summary>
    public TimeSpan Latency { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>Called for every packet handed to the network (before any fault drops it): from, to, bytes.</summary>
    public Action<SwimEndpoint, SwimEndpoint, byte[]>? Sniff { get; set; }

    /// <summary>Datagrams (from, to, bytes) for which this returns true are lost.</summary>
    public Func<SwimEndpoint, SwimEndpoint, byte[], bool>? Drop { get; set; }

    /// <summary>
    /// Datagrams (from, to, bytes) pass through this after <see cref="Drop"/>: it returns the bytes to deliver
    /// (e.g. the packet without some of its messages) or null to lose the datagram.
    /// </summary>
    public Func<SwimEndpoint, SwimEndpoint, byte[], byte[]?>? Rewrite { get; set; }

    /// <summary>Requests handed to the network: from, to, at.</summary>
    public List<(SwimEndpoint From, SwimEndpoint To, DateTimeOffset At)> Requests { get; } = [];

    public LoopbackTransport Add(SwimEndpoint local)
    {
        var transport = new LoopbackTransport(this, local);
        _transports.Add(local, transport);
        return transport;
    }

    /// <summary>The endpoint stops sending and receiving anything (a crashed process).</summary>
    public void Crash(SwimEndpoint endpoint) => _crashed.Add(endpoint);

    /// <summary>All UDP to and from the endpoint is dropped; requests still pass (a UDP firewall).</summary>
    public void BlockUdp(SwimEndpoint endpoint) => _udpBlocked.Add(endpoint);

    /// <summary>Nothing passes between <paramref name="a"/> and <paramref name="b"/>, either way.</summary>
    public void BlockLink(SwimEndpoint a, SwimEndpoint b)
    {
        _blockedLinks.Add((a, b));
        _blockedLinks.Add((b, a));
    }

    /// <summary>Only endpoints on the same side (by <paramref name="side"/>) can talk.</summary>
    /// <summary>Drops every packet and request from <paramref name="from"/> to <paramref name="to"/> (one direction only).</summary>
    public void BlockDirection(SwimEndpoint from, SwimEndpoint to) => _blockedLinks.Add((from, to));

    /// <summary>Lets traffic from <paramref name="from"/> to <paramref name="to"/> through again.</summary>
    public void UnblockDirection(SwimEndpoint from, SwimEndpoint to) => _blockedLinks.Remove((from, to));

    public void Partition(Func<SwimEndpoint, int> side) => _partitionSide = side;

    public void Heal() => _partitionSide = null;

    /// <summary>Delivers a raw packet as if <paramref name="from"/> had sent it (forgeries, injected gossip).</summary>
    public void Inject(SwimEndpoint from, SwimEndpoint to, byte[] packet) => SendPacket(from, to, packet);

    /// <summary>Advances virtual time by <paramref name="duration"/> in 1 ms steps.</summary>
    public void Run(TimeSpan duration)
    {
        DateTimeOffset end = Time.GetUtcNow() + duration;
        while (Time.GetUtcNow() < end)
        {
            TimeSpan step = end - Time.GetUtcNow();
            Advance(step < TimeSpan.FromMilliseconds(1) ? step : TimeSpan.FromMilliseconds(1));
        }
    }

    /// <summary>Advances in 1 ms steps until <paramref name="done"/> holds; the elapsed time, or null if <paramref name="max"/> passed first.</summary>
    public TimeSpan? RunUntil(Func<bool> done, TimeSpan max)
    {
        DateTimeOffset start = Time.GetUtcNow();
        while (!done())
        {
            if (Time.GetUtcNow() - start >= max)
            {
                return null;
            }

            Advance(TimeSpan.FromMilliseconds(1));
        }

        return Time.GetUtcNow() - start;
    }

    private bool CanPass(SwimEndpoint from, SwimEndpoint to, bool udp) =>
        !_crashed.Contains(from) && !_crashed.Contains(to)
        && !(udp && (_udpBlocked.Contains(from) || _udpBlocked.Contains(to)))
        && !_blockedLinks.Contains((from, to))
        && (_partitionSide is null || _partitionSide(from) == _partitionSide(to));

    internal void SendPacket(SwimEndpoint from, SwimEndpoint to, byte[] packet)
    {
        Sniff?.Invoke(from, to, packet);
        if (!CanPass(from, to, udp: true) || Drop?.Invoke(from, to, packet) == true)
        {
            return;
        }

        if (Rewrite is { } rewrite)
        {
            if (rewrite(from, to, packet) is not { } rewritten)
            {
                return;
            }

            packet = rewritten;
        }

        After(Latency, () =>
        {
            if (CanPass(from, to, udp: true) && _transports.TryGetValue(to, out LoopbackTransport? target))
            {
                target.DeliverPacket(from, packet);
            }
        });
    }

    internal Task<byte[]?> SendRequest(SwimEndpoint from, SwimEndpoint to, byte[] request, TimeSpan timeout)
    {
        Requests.Add((from, to, Time.GetUtcNow()));
        var done = new TaskCompletionSource<byte[]?>();
        if (!_transports.TryGetValue(to, out LoopbackTransport? target))
        {
            done.SetResult(null); // connection refused
            return done.Task;
        }

        if (!CanPass(from, to, udp: false) || Latency >= timeout)
        {
            After(timeout, () => done.TrySetResult(null)); // silently dropped: the caller times out
            return done.Task;
        }

        After(Latency, () => done.TrySetResult(CanPass(from, to, udp: false) ? target.DeliverRequest(from, request) : null));
        return done.Task;
    }

    private void After(TimeSpan delay, Action action)
    {
        ITimer? timer = null;
        timer = Time.CreateTimer(_ =>
        {
            timer!.Dispose();
            WithoutSyncContext(action);
        }, null, delay, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// Advances virtual time by exactly <paramref name="delta"/>, without xunit's synchronization context,
    /// so async continuations (the node's awaited requests, Task.Delay on the fake clock) run inline, in order.
    /// </summary>
    public void Advance(TimeSpan delta) => WithoutSyncContext(() => Time.Advance(delta));

    /// <summary>
    /// Runs <paramref name="action"/> with no synchronization context: a continuation is only inlined where
    /// there is none, and inlining keeps the run deterministic (a real transport completes on the pool anyway).
    /// </summary>
    private static void WithoutSyncContext(Action action)
    {
        SynchronizationContext? saved = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            action();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(saved);
        }
    }
}

/// <summary>One endpoint of <see cref="LoopbackNet"/>.</summary>
internal sealed class LoopbackTransport(LoopbackNet net, SwimEndpoint local) : ISwimTransport
{
    private Action<SwimEndpoint, byte[]>? _onPacket;
    private Func<SwimEndpoint, byte[], byte[]?>? _onRequest;

    public SwimEndpoint Local { get; } = local;

    public void SendPacket(SwimEndpoint to, byte[] packet) => net.SendPacket(Local, to, packet);

    public Task<byte[]?> SendRequestAsync(SwimEndpoint to, byte[] request, TimeSpan timeout, CancellationToken ct) =>
        net.SendRequest(Local, to, request, timeout);

    public void Attach(Action<SwimEndpoint, byte[]> onPacket, Func<SwimEndpoint, byte[], byte[]?> onRequest)
    {
        _onPacket = onPacket;
        _onRequest = onRequest;
    }

    internal void DeliverPacket(SwimEndpoint from, byte[] packet) => _onPacket?.Invoke(from, packet);

    internal byte[]? DeliverRequest(SwimEndpoint from, byte[] request) => _onRequest?.Invoke(from, request);
}
