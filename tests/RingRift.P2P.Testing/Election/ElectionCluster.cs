using Microsoft.Extensions.Time.Testing;
using RingRift.P2P.Election;
using RingRift.P2P.Membership;

namespace RingRift.P2P.Testing.Election;

/// <summary>
/// A whole Bully cluster on one <see cref="FakeTimeProvider"/> and one <see cref="InMemoryElectionNetwork"/>:
/// each node has its own <see cref="LeaseVoter"/> (saved to an <see cref="InMemoryLeaseStateStore"/>),
/// membership (derived from the network unless a factory says otherwise) and seeded Random.
/// Ticks complete synchronously; <see cref="Tick"/> throws if one does not.
/// </summary>
public sealed class ElectionCluster
{
    private readonly Dictionary<string, BullyElection> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LeaseVoter> _voters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, InMemoryLeaseStateStore> _stores = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IMembershipView> _membership = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TimeProvider> _clocks = new(StringComparer.Ordinal);
    private readonly Func<string, InMemoryElectionNetwork, IMembershipView> _membershipFactory;
    private readonly Func<string, Func<long>>? _epochFloor;
    private readonly int _seed;
    private int _restarts;

    /// <param name="nodeIds">Every node, in the order ticks visit them.</param>
    /// <param name="voterIds">The voters; all nodes when null.</param>
    /// <param name="options">Election timing; <c>new BullyOptions()</c> when null.</param>
    /// <param name="seed">Seeds every node's Random and the network's latency.</param>
    /// <param name="unresolvedVoters">Configured voters whose id is not known (see <see cref="VoterSet.UnresolvedCount"/>).</param>
    /// <param name="membershipFactory">Builds a node's membership; a <see cref="NetworkMembershipView"/> when null.</param>
    /// <param name="clockRate">A node's clock rate against <see cref="Clock"/> (see <see cref="DriftingTimeProvider"/>); 1 when null.</param>
    /// <param name="ownClocks">Every node gets its own <see cref="DriftingTimeProvider"/> even at rate 1, so a test can
    /// step its wall clock (<see cref="SteppableClockOf"/>).</param>
    /// <param name="epochFloor">Gives a node its epoch floor (the fence of its work-queue replica, see
    /// <see cref="BullyElection"/>'s constructor); no floor when null.</param>
    public ElectionCluster(
        IEnumerable<string> nodeIds,
        IEnumerable<string>? voterIds = null,
        BullyOptions? options = null,
        int seed = 1,
        int unresolvedVoters = 0,
        Func<string, InMemoryElectionNetwork, IMembershipView>? membershipFactory = null,
        Func<string, double>? clockRate = null,
        Func<string, Func<long>>? epochFloor = null,
        bool ownClocks = false)
    {
        var ids = nodeIds.ToArray();
        Options = options ?? new BullyOptions();
        _seed = seed;
        Clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        Network = new InMemoryElectionNetwork(Clock, new Random(seed));
        Voters = new VoterSet((voterIds ?? ids).ToArray(), unresolvedVoters);
        _membershipFactory = membershipFactory ?? ((id, net) => new NetworkMembershipView(net, id));
        _epochFloor = epochFloor;
        NodeIds = ids;
        foreach (var id in ids)
        {
            var rate = clockRate?.Invoke(id) ?? 1.0;
            _clocks[id] = rate == 1.0 && !ownClocks ? Clock : new DriftingTimeProvider(Clock, rate);
            _stores[id] = new InMemoryLeaseStateStore();
            Start(id);
        }
    }

    public FakeTimeProvider Clock { get; }

    public InMemoryElectionNetwork Network { get; }

    public BullyOptions Options { get; }

    public IReadOnlyList<string> NodeIds { get; }

    /// <summary>What every node's voters callback returns; tests may replace it.</summary>
    public VoterSet Voters { get; set; }

    public BullyElection this[string id] => _nodes[id];

    public LeaseVoter VoterOf(string id) => _voters[id];

    /// <summary>The node's own clock (<see cref="Clock"/> unless it drifts).</summary>
    public TimeProvider ClockOf(string id) => _clocks[id];

    /// <summary>The node's own clock, when it has one (a drifting rate, or <c>ownClocks</c>).</summary>
    public DriftingTimeProvider SteppableClockOf(string id) => _clocks[id] as DriftingTimeProvider
        ?? throw new InvalidOperationException($"{id} runs on the shared clock; build the cluster with ownClocks: true");

    public InMemoryLeaseStateStore StoreOf(string id) => _stores[id];

    public IMembershipView MembershipOf(string id) => _membership[id];

    /// <summary>Nodes whose <see cref="BullyElection.IsLeader"/> is true at this instant.</summary>
    public IReadOnlyList<string> Leaders => NodeIds.Where(id => _nodes[id].IsLeader).ToArray();

    /// <summary>Runs one tick of <paramref name="id"/>; it must complete synchronously.</summary>
    public void Tick(string id)
    {
        var tick = _nodes[id].TickAsync(CancellationToken.None);
        if (!tick.IsCompleted)
            throw new InvalidOperationException($"Tick of '{id}' did not complete synchronously.");
        tick.GetAwaiter().GetResult();
    }

    /// <summary>Ticks every node that is not crashed, in <paramref name="order"/> or <see cref="NodeIds"/> order.</summary>
    public void TickAll(IEnumerable<string>? order = null)
    {
        foreach (var id in order ?? NodeIds)
        {
            if (!Network.IsCrashed(id))
                Tick(id);
        }
    }

    /// <summary>Advances the clock one <see cref="BullyOptions.TickInterval"/> and ticks everyone, <paramref name="rounds"/> times.</summary>
    public void Run(int rounds, Action? afterEachRound = null)
    {
        for (var i = 0; i < rounds; i++)
        {
            Clock.Advance(Options.TickInterval);
            TickAll();
            afterEachRound?.Invoke();
        }
    }

    /// <summary>Stops the node: it neither sends nor receives and is not ticked. Its object stays readable.</summary>
    public void Crash(string id) => Network.Crash(id);

    /// <summary>
    /// Replaces the node with a fresh process: new election object, new voter loaded from the same
    /// store, new Random; then brings it back on the network.
    /// </summary>
    public BullyElection Restart(string id)
    {
        Start(id);
        Network.Recover(id);
        return _nodes[id];
    }

    private void Start(string id)
    {
        var clock = _clocks[id];
        var voter = new LeaseVoter(id, Options.LeaseDuration, clock, _stores[id]);
        var membership = _membershipFactory(id, Network);
        // Deterministic per seed, node and restart (string.GetHashCode is randomised per process).
        var random = new Random(unchecked(_seed * 7919 + Array.IndexOf(NodeIds.ToArray(), id) * 104_729 + _restarts++ * 31));
        var node = new BullyElection(id, Options, membership, () => Voters, Network.TransportFor(id), voter, clock, random,
            epochFloor: _epochFloor?.Invoke(id));
        _voters[id] = voter;
        _membership[id] = membership;
        _nodes[id] = node;
        Network.Register(node);
    }
}
