using RingRift.P2P.Testing.Simulation;

namespace RingRift.P2P.Swim.Tests.Simulation;

/// <summary>Three hosts A, B, C on one seeded in-memory network, with a recorder on the hosts a test class watches.</summary>
public abstract class ThreeHostNetworkTests
{
    protected static readonly TimeSpan OneTick = TimeSpan.FromTicks(1);
    protected static readonly SwimEndpoint A = new("10.0.0.1", 7947);
    protected static readonly SwimEndpoint B = new("10.0.0.2", 7947);
    protected static readonly SwimEndpoint C = new("10.0.0.3", 7947);

    protected readonly SimClock _clock = new();
    protected readonly SimNetwork _network;
    protected readonly SimRecorder _recorder;
    protected readonly ISwimTransport _a;
    protected readonly ISwimTransport _b;
    protected readonly ISwimTransport _c;

    protected ThreeHostNetworkTests(int seed, params SwimEndpoint[] recorded)
    {
        _network = new SimNetwork(_clock, seed);
        _recorder = new SimRecorder(_clock);
        _a = _network.CreateTransport(A);
        _b = _network.CreateTransport(B);
        _c = _network.CreateTransport(C);
        foreach (var (endpoint, transport) in new[] { (A, _a), (B, _b), (C, _c) })
            if (recorded.Contains(endpoint)) _recorder.Attach(transport);
    }
}
