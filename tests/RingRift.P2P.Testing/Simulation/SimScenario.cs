using RingRift.P2P.Swim;

namespace RingRift.P2P.Testing.Simulation;

/// <summary>
/// A repeatable experiment: one seed, one <see cref="SimClock"/>, one <see cref="SimNetwork"/> and
/// <see cref="NodeCount"/> fake endpoints (<see cref="EndpointFor"/>: 10.0.x.y:7947, never a real
/// socket) with their transports, node time views and node random sources, plus a
/// <see cref="FaultSchedule"/>. Everything random derives from <see cref="Seed"/>, so the same seed and
/// the same driver replay the same run.
/// </summary>
/// <remarks>Seeds: the network uses <see cref="Seed"/> itself; node i uses
/// <see cref="DeriveSeed"/>(Seed, i), a fixed SplitMix64 mix (stable across processes, unlike
/// <see cref="HashCode"/>).</remarks>
public sealed class SimScenario
{
    /// <summary>Port of every fake endpoint.</summary>
    public const int Port = 7947;

    /// <summary>Most nodes <see cref="EndpointFor"/> can name (10.0.0.1 .. 10.0.255.254).</summary>
    public const int MaxNodes = 256 * 254;

    private readonly ISwimTransport[] _transports;
    private readonly SwimEndpoint[] _endpoints;

    /// <summary>Builds the clock, network and <paramref name="nodeCount"/> endpoints with transports.</summary>
    /// <param name="seed">Source of all randomness in the run.</param>
    /// <param name="nodeCount">1..<see cref="MaxNodes"/>.</param>
    /// <param name="defaultLink">Profile of every link; <see cref="LinkProfile.Default"/> when null.</param>
    /// <param name="start">Virtual start instant; <see cref="SimClock.DefaultStart"/> when null.</param>
    public SimScenario(int seed, int nodeCount, LinkProfile? defaultLink = null, DateTimeOffset? start = null)
    {
        if (nodeCount < 1 || nodeCount > MaxNodes)
        {
            throw new ArgumentOutOfRangeException(nameof(nodeCount), nodeCount, $"{nameof(nodeCount)} is {nodeCount}; allowed: 1..{MaxNodes}.");
        }

        Seed = seed;
        Clock = new SimClock(start);
        Network = new SimNetwork(Clock, seed) { DefaultLink = defaultLink ?? LinkProfile.Default };
        _endpoints = new SwimEndpoint[nodeCount];
        _transports = new ISwimTransport[nodeCount];
        for (int i = 0; i < nodeCount; i++)
        {
            _endpoints[i] = EndpointFor(i);
            _transports[i] = Network.CreateTransport(_endpoints[i]);
        }

        Faults = new FaultSchedule(this);
    }

    public int Seed { get; }

    public int NodeCount => _endpoints.Length;

    public SimClock Clock { get; }

    public SimNetwork Network { get; }

    /// <summary>Endpoint of node i at index i.</summary>
    public IReadOnlyList<SwimEndpoint> Endpoints => _endpoints;

    /// <summary>Transport of node i at index i.</summary>
    public IReadOnlyList<ISwimTransport> Transports => _transports;

    /// <summary>Faults to inject, by node index and time since the start.</summary>
    public FaultSchedule Faults { get; }

    /// <summary>Virtual time since the start.</summary>
    public TimeSpan Elapsed => Clock.Elapsed;

    /// <summary>Endpoint of node <paramref name="index"/>: 10.0.(index / 254).(index % 254 + 1):7947.</summary>
    public static SwimEndpoint EndpointFor(int index)
    {
        if (index < 0 || index >= MaxNodes)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"{nameof(index)} is {index}; allowed: 0..{MaxNodes - 1}.");
        }

        return new SwimEndpoint($"10.0.{index / 254}.{index % 254 + 1}", Port);
    }

    /// <summary>A stable 32-bit seed for stream <paramref name="stream"/> of run <paramref name="seed"/>
    /// (SplitMix64 finaliser over both).</summary>
    public static int DeriveSeed(int seed, int stream)
    {
        ulong z = ((ulong)(uint)seed << 32 | (uint)stream) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z ^ (z >> 32));
    }

    /// <summary>Node <paramref name="node"/>'s view of time (deferred by its stalls, silenced by its
    /// crash; see <see cref="SimNetwork.TimeProviderFor"/>). Call again after a restart.</summary>
    public TimeProvider TimeFor(int node) => Network.TimeProviderFor(Endpoint(node));

    /// <summary>A fresh random source for node <paramref name="node"/>, seeded with
    /// <see cref="DeriveSeed"/>(Seed, node); pass <paramref name="life"/> &gt; 0 after restarts.</summary>
    public Random RandomFor(int node, int life = 0)
    {
        _ = Endpoint(node);
        return new Random(DeriveSeed(DeriveSeed(Seed, node), life));
    }

    /// <summary>Endpoint of node <paramref name="node"/> (0..NodeCount − 1).</summary>
    public SwimEndpoint Endpoint(int node)
    {
        if (node < 0 || node >= _endpoints.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(node), node, $"{nameof(node)} is {node}; allowed: 0..{_endpoints.Length - 1}.");
        }

        return _endpoints[node];
    }

    /// <summary>Runs the simulation for <paramref name="duration"/> of virtual time.</summary>
    /// <returns>Events run.</returns>
    public long RunFor(TimeSpan duration) => Clock.RunFor(duration);

    /// <summary>Runs the simulation until <paramref name="sinceStart"/> after the start.</summary>
    /// <returns>Events run.</returns>
    public long RunUntil(TimeSpan sinceStart) => Clock.RunUntil(Clock.Start + sinceStart);
}
