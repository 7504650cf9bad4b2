using RingRift.P2P.Testing.Simulation;

namespace RingRift.P2P.Swim.Tests.Simulation;

/// <summary>Test helper: attaches to transports and records each packet handed over (virtual time,
/// sender, receiver, first payload byte) and answers requests with a fixed function.</summary>
public sealed class SimRecorder
{
    private readonly SimClock _clock;

    internal SimRecorder(SimClock clock) => _clock = clock;

    internal List<(TimeSpan At, SwimEndpoint From, SwimEndpoint To, byte[] Payload)> Packets { get; } = [];

    internal Func<SwimEndpoint, byte[], byte[]?> Responder { get; set; } = (_, request) => [.. request, 0xFF];

    internal void Attach(ISwimTransport transport)
    {
        SwimEndpoint local = transport.Local;
        transport.Attach(
            (from, packet) => Packets.Add((_clock.Elapsed, from, local, packet)),
            (from, request) => Responder(from, request));
    }

    internal IEnumerable<byte> FirstBytesTo(SwimEndpoint to) => Packets.Where(p => p.To == to).Select(p => p.Payload[0]);
}
