namespace RingRift.P2P.Swim;

/// <summary>
/// A transport that reports a different <see cref="Local"/> endpoint than the one it is bound to.
/// A <see cref="SwimNode"/> gossips its transport's local address as its own, so a node bound to a
/// wildcard (<c>0.0.0.0</c>) must advertise a routable address instead, as memberlist's
/// <c>AdvertiseAddr</c> does. Everything else is passed to the inner transport unchanged.
/// </summary>
public sealed class AdvertisedSwimTransport : ISwimTransport
{
    private readonly ISwimTransport _inner;

    /// <param name="inner">The bound transport.</param>
    /// <param name="advertisedAddress">IP address to gossip; the port stays the inner transport's.</param>
    /// <exception cref="ArgumentException"><paramref name="advertisedAddress"/> is not an IP address literal.</exception>
    public AdvertisedSwimTransport(ISwimTransport inner, string advertisedAddress)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(advertisedAddress);
        if (!System.Net.IPAddress.TryParse(advertisedAddress, out _))
        {
            throw new ArgumentException($"advertisedAddress is '{advertisedAddress}'; allowed: an IPv4 or IPv6 address literal.", nameof(advertisedAddress));
        }

        _inner = inner;
        Local = new SwimEndpoint(advertisedAddress, inner.Local.Port);
    }

    /// <summary>The advertised address with the bound port.</summary>
    public SwimEndpoint Local { get; }

    /// <summary>Where the inner transport is actually bound.</summary>
    public SwimEndpoint Bound => _inner.Local;

    /// <inheritdoc/>
    public void SendPacket(SwimEndpoint to, byte[] packet) => _inner.SendPacket(to, packet);

    /// <inheritdoc/>
    public Task<byte[]?> SendRequestAsync(SwimEndpoint to, byte[] request, TimeSpan timeout, CancellationToken ct) =>
        _inner.SendRequestAsync(to, request, timeout, ct);

    /// <inheritdoc/>
    public void Attach(Action<SwimEndpoint, byte[]> onPacket, Func<SwimEndpoint, byte[], byte[]?> onRequest) =>
        _inner.Attach(onPacket, onRequest);
}
