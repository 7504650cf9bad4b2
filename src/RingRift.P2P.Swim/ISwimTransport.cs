namespace RingRift.P2P.Swim;

/// <summary>Where a SWIM member listens: UDP for packets, TCP (same port) for requests.</summary>
public readonly record struct SwimEndpoint(string Address, int Port)
{
    public override string ToString() => Address.Contains(':') ? $"[{Address}]:{Port}" : $"{Address}:{Port}";
}

/// <summary>
/// How the SWIM core reaches other members. The UDP/TCP binding and the simulator's in-memory
/// network implement it; the core never touches sockets or the wall clock.
/// </summary>
/// <remarks>
/// Rules every implementation keeps, so the core can be driven deterministically:
/// <list type="bullet">
/// <item><see cref="SendPacket"/> is best effort, never throws for network trouble, and never calls
/// the receiver synchronously (delivery happens later, on the network's schedule).</item>
/// <item><see cref="SendRequestAsync"/> completes with null on any failure or after the timeout.</item>
/// <item>The handlers given to <see cref="Attach"/> are called one at a time per transport.</item>
/// </list>
/// </remarks>
public interface ISwimTransport
{
    SwimEndpoint Local { get; }

    /// <summary>One datagram (at most the configured packet size), fire and forget.</summary>
    void SendPacket(SwimEndpoint to, byte[] packet);

    /// <summary>A reliable request and its response over a stream: push-pull sync and the TCP fallback ping.</summary>
    Task<byte[]?> SendRequestAsync(SwimEndpoint to, byte[] request, TimeSpan timeout, CancellationToken ct);

    /// <summary>
    /// Installs the receivers: <paramref name="onPacket"/> for datagrams, <paramref name="onRequest"/>
    /// for stream requests (its result is the response; null closes without one).
    /// </summary>
    void Attach(Action<SwimEndpoint, byte[]> onPacket, Func<SwimEndpoint, byte[], byte[]?> onRequest);
}
