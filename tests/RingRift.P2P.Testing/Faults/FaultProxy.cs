using System.Net;
using System.Net.Sockets;

namespace RingRift.P2P.Testing.Faults;

/// <summary>
/// A TCP proxy on 127.0.0.1 for fault tests: forwards every accepted connection to one target and
/// can, at any time and from any thread, block sources or add latency. Each connection is labelled
/// once, before its first byte is forwarded, by an identify function (for node processes:
/// <see cref="LoopbackConnectionOwner.Identifier"/> with a pid → node-id map); a source it cannot
/// name is labelled null ("unknown").
/// </summary>
/// <remarks>
/// <para><b>Blocks behave like a partition that RSTs.</b> Blocking a source resets its open
/// connections at once (both the client socket and the onward socket are closed with linger 0, so
/// both peers see a reset) and every new connection from it is accepted, identified, then reset
/// before anything is forwarded. Nodes therefore see connection errors quickly instead of silent
/// packet loss with timeouts. A block covers everything that source connects to through this proxy
/// — requests it sends to this proxy's node and their responses — not the connections this proxy's
/// node opens to others (those go through other proxies).</para>
/// <para><b>Delay</b> (<see cref="SetDelay"/>, zero by default) is waited once per forwarded chunk
/// (one receive of up to 64 KiB), in both directions, before the chunk is written on; the value is
/// read per chunk, so a change applies to the next chunk. Chunks of one direction stay in order, so a
/// direction's throughput is at most one chunk per delay.</para>
/// <para><b>Closing.</b> When either side closes (end of stream or error), the proxy closes both
/// sockets; half-closed connections are not kept open. <see cref="DisposeAsync"/> stops accepting,
/// resets every open connection and waits for all forwarding to end.</para>
/// </remarks>
public sealed partial class FaultProxy : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _blockedSources = new(StringComparer.Ordinal);
    private readonly HashSet<ProxiedConnection> _connections = [];
    private bool _blockAll;
    private long _delayTicks;
    private long _accepted;
    private long _cut;
    private long _refused;
    private long _bytesForwarded;

    /// <summary>The address and port clients connect to (127.0.0.1 with an OS-chosen free port).</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>Where accepted connections are forwarded.</summary>
    public IPEndPoint Target { get; }

    /// <summary>The latency added to each forwarded chunk; zero by default.</summary>
    public TimeSpan Delay => TimeSpan.FromTicks(Volatile.Read(ref _delayTicks));

    /// <summary>Tallies so far.</summary>
    public FaultProxyCounters Counters => new(
        Interlocked.Read(ref _accepted),
        Interlocked.Read(ref _cut),
        Interlocked.Read(ref _refused),
        Interlocked.Read(ref _bytesForwarded));

    /// <summary>Labels of the connections being forwarded now (null for unknown sources).</summary>
    public IReadOnlyList<string?> ActiveSources
    {
        get
        {
            lock (_gate) return _connections.Select(c => c.Source).ToArray();
        }
    }

    /// <summary>True when a connection labelled <paramref name="source"/> would be refused now.</summary>
    public bool IsBlocked(string? source)
    {
        lock (_gate) return IsBlockedLocked(source);
    }

    /// <summary>
    /// Blocks <paramref name="source"/>: its open connections are reset now, new ones are accepted and
    /// reset. Idempotent.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="source"/> is empty.</exception>
    public void Block(string source)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        ProxiedConnection[] victims;
        lock (_gate)
        {
            _blockedSources.Add(source);
            victims = _connections.Where(c => c.Source == source).ToArray();
        }

        CutAll(victims);
    }

    /// <summary>
    /// Lifts a block set by <see cref="Block"/> for <paramref name="source"/>; a
    /// <see cref="BlockAll"/> in force still applies until <see cref="Heal"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="source"/> is empty.</exception>
    public void Unblock(string source)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        lock (_gate) _blockedSources.Remove(source);
    }

    /// <summary>Blocks every source, unknown ones included, resetting all open connections.</summary>
    public void BlockAll()
    {
        ProxiedConnection[] victims;
        lock (_gate)
        {
            _blockAll = true;
            victims = _connections.ToArray();
        }

        CutAll(victims);
    }

    /// <summary>Clears every block and sets the delay back to zero. Open connections are untouched.</summary>
    public void Heal()
    {
        lock (_gate)
        {
            _blockAll = false;
            _blockedSources.Clear();
        }

        Volatile.Write(ref _delayTicks, 0);
    }

    /// <summary>Sets the latency added to each forwarded chunk in both directions (zero: none).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative or infinite.</exception>
    public void SetDelay(TimeSpan delay)
    {
        if (delay < TimeSpan.Zero || delay == Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(delay), delay, $"{nameof(delay)} is {delay}; allowed: zero or a positive finite duration.");
        Volatile.Write(ref _delayTicks, delay.Ticks);
    }

    private bool IsBlockedLocked(string? source) =>
        _blockAll || (source is not null && _blockedSources.Contains(source));

    private void CutAll(IEnumerable<ProxiedConnection> victims)
    {
        foreach (ProxiedConnection connection in victims)
        {
            if (connection.Reset()) Interlocked.Increment(ref _cut);
        }
    }

    internal void AddForwardedBytes(int count) => Interlocked.Add(ref _bytesForwarded, count);

    /// <summary>Closes <paramref name="socket"/> so the peer sees a reset (linger 0).</summary>
    internal static void ResetSocket(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // already closed: disposing below is still correct
        }

        socket.Dispose();
    }
}
