using RingRift.P2P.Swim;

namespace RingRift.P2P.Testing.Simulation;

/// <summary>The <see cref="ISwimTransport"/> a <see cref="SimNetwork"/> hands to one endpoint.</summary>
internal sealed class SimTransport(SimNetwork network, SimHost host) : ISwimTransport
{
    public SwimEndpoint Local => host.Endpoint;

    public void SendPacket(SwimEndpoint to, byte[] packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        network.SendPacket(host, to, packet);
    }

    public Task<byte[]?> SendRequestAsync(SwimEndpoint to, byte[] request, TimeSpan timeout, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, $"{nameof(timeout)} is {timeout}; allowed: > 00:00:00.");
        }

        return ct.IsCancellationRequested ? Task.FromCanceled<byte[]?>(ct) : network.SendRequest(host, to, request, timeout, ct);
    }

    public void Attach(Action<SwimEndpoint, byte[]> onPacket, Func<SwimEndpoint, byte[], byte[]?> onRequest)
    {
        ArgumentNullException.ThrowIfNull(onPacket);
        ArgumentNullException.ThrowIfNull(onRequest);
        host.OnPacket = onPacket;
        host.OnRequest = onRequest;
    }
}
