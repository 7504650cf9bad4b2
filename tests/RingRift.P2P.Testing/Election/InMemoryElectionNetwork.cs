using Microsoft.Extensions.Time.Testing;
using RingRift.P2P.Election;

namespace RingRift.P2P.Testing.Election;

/// <summary>
/// Delivers election messages between <see cref="BullyElection"/> nodes in memory, synchronously, so
/// tests are deterministic. A request from A to B is handled by B only when the link A→B is up; its
/// answer reaches A only when B→A is up too (so a one-way cut can leave B having granted a lease that A
/// never hears about). Unreachable calls return null, as <see cref="IElectionTransport"/> requires.
/// </summary>
/// <remarks>
/// Optional latency: with a <see cref="FakeTimeProvider"/> and <see cref="MaxHopLatency"/> &gt; 0 each hop
/// advances the shared clock by a random delay in [0, MaxHopLatency] (from the seeded Random), so a
/// voter grants later than the candidate's t0 and answers arrive later still. An answer whose round trip
/// exceeds <see cref="ResponseDeadline"/> is dropped after the receiver handled the request.
/// </remarks>
public sealed class InMemoryElectionNetwork
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, BullyElection> _nodes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _crashed = new(StringComparer.Ordinal);
    private readonly HashSet<(string From, string To)> _cuts = [];
    private Dictionary<string, int>? _groupOf;
    private readonly FakeTimeProvider? _clock;
    private readonly Random _random;

    public InMemoryElectionNetwork(FakeTimeProvider? clock = null, Random? random = null)
    {
        _clock = clock;
        _random = random ?? new Random(0);
    }

    /// <summary>Largest one-way delay; needs a clock passed to the constructor. Zero by default.</summary>
    public TimeSpan MaxHopLatency { get; set; } = TimeSpan.Zero;

    /// <summary>Answers slower than this round trip are lost (the receiver still acted). Null: never.</summary>
    public TimeSpan? ResponseDeadline { get; set; }

    /// <summary>Called after every delivered request (for invariant checks in the middle of a tick).</summary>
    public Action? AfterDelivery { get; set; }

    /// <summary>Number of requests handed to a receiver.</summary>
    public long Delivered { get; private set; }

    public IReadOnlyCollection<string> NodeIds
    {
        get { lock (_gate) return _nodes.Keys.ToArray(); }
    }

    /// <summary>Adds a node, or replaces it (a restarted process) under the same id.</summary>
    public void Register(BullyElection node)
    {
        ArgumentNullException.ThrowIfNull(node);
        lock (_gate) _nodes[node.SelfId] = node;
    }

    /// <summary>The transport a node uses to send; every request it makes is sent as <paramref name="senderId"/>.</summary>
    public IElectionTransport TransportFor(string senderId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(senderId);
        return new Endpoint(this, senderId);
    }

    /// <summary>
    /// Splits the network: nodes talk only within their group. A node named in no group is cut off
    /// from everyone. Replaces any earlier partition; one-way cuts stay.
    /// </summary>
    public void Partition(params string[][] groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var g = 0; g < groups.Length; g++)
        {
            foreach (var id in groups[g])
            {
                if (!map.TryAdd(id, g))
                    throw new ArgumentException($"Node '{id}' is named in more than one partition group.", nameof(groups));
            }
        }
        lock (_gate) _groupOf = map;
    }

    /// <summary>Drops every message from <paramref name="from"/> to <paramref name="to"/> (one direction only).</summary>
    public void Cut(string from, string to)
    {
        lock (_gate) _cuts.Add((from, to));
    }

    /// <summary>Undoes <see cref="Cut"/> for one direction.</summary>
    public void Restore(string from, string to)
    {
        lock (_gate) _cuts.Remove((from, to));
    }

    /// <summary>Removes the partition and every one-way cut (crashed nodes stay down).</summary>
    public void Heal()
    {
        lock (_gate)
        {
            _groupOf = null;
            _cuts.Clear();
        }
    }

    /// <summary>The node neither sends nor receives until <see cref="Recover"/>.</summary>
    public void Crash(string id)
    {
        lock (_gate) _crashed.Add(id);
    }

    public void Recover(string id)
    {
        lock (_gate) _crashed.Remove(id);
    }

    public bool IsCrashed(string id)
    {
        lock (_gate) return _crashed.Contains(id);
    }

    /// <summary>True when a message from <paramref name="from"/> reaches <paramref name="to"/> now.</summary>
    public bool CanDeliver(string from, string to)
    {
        lock (_gate)
        {
            if (!_nodes.ContainsKey(to) || _crashed.Contains(from) || _crashed.Contains(to))
                return false;
            if (_cuts.Contains((from, to)))
                return false;
            if (_groupOf is null)
                return true;
            return _groupOf.TryGetValue(from, out var a) && _groupOf.TryGetValue(to, out var b) && a == b;
        }
    }

    /// <summary>Both directions deliver (what a heartbeat-based membership would see as alive).</summary>
    public bool CanReach(string a, string b) => CanDeliver(a, b) && CanDeliver(b, a);

    private T? Deliver<T>(string from, string to, Func<BullyElection, T> handle) where T : class
    {
        BullyElection? receiver;
        lock (_gate) _nodes.TryGetValue(to, out receiver);
        if (receiver is null || from == to || !CanDeliver(from, to))
            return null;

        var outbound = Hop();
        var result = handle(receiver);
        lock (_gate) Delivered++;
        AfterDelivery?.Invoke();

        var back = Hop();
        if (ResponseDeadline is { } deadline && outbound + back > deadline)
            return null;
        return CanDeliver(to, from) ? result : null;
    }

    private TimeSpan Hop()
    {
        if (_clock is null || MaxHopLatency <= TimeSpan.Zero)
            return TimeSpan.Zero;
        TimeSpan delay;
        lock (_gate) delay = MaxHopLatency * _random.NextDouble();
        _clock.Advance(delay);
        return delay;
    }

    private sealed class Endpoint(InMemoryElectionNetwork network, string senderId) : IElectionTransport
    {
        public Task<LeaseResponse?> RequestLeaseAsync(string voterId, LeaseRequest request, CancellationToken ct)
            => Task.FromResult(network.Deliver(senderId, voterId, n => n.HandleLeaseRequest(request)));

        public Task<ElectionProbeResponse?> ProbeAsync(string nodeId, ElectionProbe probe, CancellationToken ct)
            => Task.FromResult(network.Deliver(senderId, nodeId, n => n.HandleProbe(probe)));

        public Task<AnnouncementAck?> AnnounceAsync(string nodeId, LeaderAnnouncement announcement, CancellationToken ct)
            => Task.FromResult(network.Deliver(senderId, nodeId, n => n.HandleAnnouncement(announcement)));
    }
}
