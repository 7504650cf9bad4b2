using RingRift.P2P.Swim;
using RingRift.P2P.Swim.Wire;

namespace RingRift.P2P.Testing.Simulation;

/// <summary>
/// N real <see cref="SwimNode"/>s "n0".."n(N−1)" on one <see cref="SimScenario"/>: node i listens on
/// <see cref="SimScenario.EndpointFor"/>(i), reads time through <see cref="SimScenario.TimeFor"/>(i) (so
/// stalls defer and crashes silence its timers) and draws from <see cref="SimScenario.RandomFor"/>(i).
/// Every Alive/Suspect/Dead/Left event each node raises is recorded with its virtual time in
/// <see cref="Events"/>, so a driver can ask when each observer first marked each member.
/// </summary>
/// <remarks>
/// <para>Joining: <see cref="StartAll"/> schedules, at the current instant on the clock, n0 with no seeds
/// and every other node with n0 as its only seed. Everything runs on the thread that drives the clock;
/// each transport is wrapped in <see cref="InlineCompletionTransport"/> so the nodes' request continuations
/// run inline there instead of escaping to the thread pool.</para>
/// <para>Packets are authenticated with the cluster token "swim-sim" (so byte counts include the tag).</para>
/// <para>Determinism: the same seed, node count, configuration, link and driver calls give the same
/// <see cref="Events"/>, to the tick.</para>
/// </remarks>
public sealed class SwimSimCluster
{
    /// <summary>Cluster token of every node.</summary>
    public const string Token = "swim-sim";

    private readonly SwimNode[] _nodes;
    private readonly Dictionary<string, int> _indexOf = [];
    private readonly List<SwimSimEvent> _events = [];
    private readonly Dictionary<(int Observer, int Member, SwimMemberState State), TimeSpan> _first = [];
    private readonly HashSet<int>[] _deadMarkers;
    private readonly TimeSpan?[] _crashedAt;
    private readonly PacketAuthenticator _auth;
    private readonly int[] _life;
    private readonly Func<int, Microsoft.Extensions.Logging.ILogger?>? _loggerFor;

    /// <summary>Builds the scenario and the nodes (not started).</summary>
    /// <param name="nodeCount">2..<see cref="SimScenario.MaxNodes"/>.</param>
    /// <param name="seed">Seed of the whole run (network and nodes).</param>
    /// <param name="config">Protocol tuning; <see cref="SwimConfig.Default"/> when null.</param>
    /// <param name="link">Profile of every link; <see cref="LinkProfile.Default"/> (1 ms, lossless) when null.</param>
    /// <param name="loggerFor">Logger of node i (protocol diagnostics, e.g. to trace one run); none when null.</param>
    public SwimSimCluster(int nodeCount, int seed, SwimConfig? config = null, LinkProfile? link = null,
        Func<int, Microsoft.Extensions.Logging.ILogger?>? loggerFor = null)
    {
        if (nodeCount < 2 || nodeCount > SimScenario.MaxNodes)
        {
            throw new ArgumentOutOfRangeException(nameof(nodeCount), nodeCount, $"{nameof(nodeCount)} is {nodeCount}; allowed: 2..{SimScenario.MaxNodes}.");
        }

        Config = config ?? SwimConfig.Default;
        Scenario = new SimScenario(seed, nodeCount, link);
        var auth = PacketAuthenticator.FromClusterToken(Token);
        _nodes = new SwimNode[nodeCount];
        _deadMarkers = new HashSet<int>[nodeCount];
        _crashedAt = new TimeSpan?[nodeCount];
        _life = new int[nodeCount];
        _auth = auth;
        _loggerFor = loggerFor;
        for (int i = 0; i < nodeCount; i++)
        {
            _indexOf[NodeId(i)] = i;
            _deadMarkers[i] = [];
            _nodes[i] = BuildNode(i, life: 0, startIncarnation: 0);
        }
    }

    /// <summary>The clock, network, endpoints and fault schedule.</summary>
    public SimScenario Scenario { get; }

    /// <summary>The protocol tuning every node uses.</summary>
    public SwimConfig Config { get; }

    public int NodeCount => _nodes.Length;

    /// <summary>Virtual time since the start.</summary>
    public TimeSpan Elapsed => Scenario.Elapsed;

    /// <summary>Node i at index i.</summary>
    public IReadOnlyList<SwimNode> Nodes => _nodes;

    public SwimNode this[int index] => _nodes[index];

    /// <summary>Every membership event raised so far, in the order raised.</summary>
    public IReadOnlyList<SwimSimEvent> Events => _events;

    /// <summary>Shortest suspicion timeout for this cluster size:
    /// <see cref="SwimMath.SuspicionMinTimeout(double, int, TimeSpan, TimeSpan)"/> with n = <see cref="NodeCount"/>.</summary>
    public TimeSpan SuspicionMin => SwimMath.SuspicionMinTimeout(Config.SuspicionMult, NodeCount, Config.ProbeInterval, Config.SuspicionFloor);

    /// <summary>Node id of index <paramref name="index"/>: "n{index}".</summary>
    public static string NodeId(int index) => $"n{index}";

    /// <summary>Schedules, at the current instant, n0's start with no seeds and every other node's start with n0 as seed.</summary>
    public void StartAll()
    {
        SwimEndpoint first = Scenario.Endpoint(0);
        Scenario.Clock.Schedule(TimeSpan.Zero, () =>
        {
            _nodes[0].Start([]);
            for (int i = 1; i < _nodes.Length; i++)
            {
                _nodes[i].Start([first]);
            }
        });
    }

    /// <summary>
    /// Runs the clock in steps of <paramref name="step"/> (default 50 ms) until <paramref name="condition"/>
    /// holds (checked between steps) or <paramref name="timeout"/> of virtual time passed.
    /// </summary>
    /// <returns>The virtual time since the start when the condition first held, or null on timeout.</returns>
    public TimeSpan? RunUntil(Func<bool> condition, TimeSpan timeout, TimeSpan? step = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        TimeSpan stride = step ?? TimeSpan.FromMilliseconds(50);
        if (stride <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(step), stride, $"{nameof(step)} is {stride}; allowed: > 00:00:00.");
        }

        TimeSpan end = Elapsed + timeout;
        while (!condition())
        {
            if (Elapsed >= end)
            {
                return null;
            }

            Scenario.RunUntil(Elapsed + stride < end ? Elapsed + stride : end);
        }

        return Elapsed;
    }

    /// <summary>Runs for <paramref name="duration"/> of virtual time.</summary>
    public void RunFor(TimeSpan duration) => Scenario.RunFor(duration);

    /// <summary><see cref="StartAll"/>, then runs until <see cref="AllLiveSeeAllLiveAlive"/>.</summary>
    /// <returns>Convergence time since the start, or null when not within <paramref name="timeout"/>.</returns>
    public TimeSpan? StartAndConverge(TimeSpan timeout)
    {
        StartAll();
        return RunUntil(AllLiveSeeAllLiveAlive, timeout);
    }

    /// <summary>Crashes node <paramref name="index"/> now (its traffic is dropped and its timers go silent).</summary>
    public void Crash(int index)
    {
        Scenario.Network.Crash(Scenario.Endpoint(index));
        _crashedAt[index] ??= Elapsed;
    }

    /// <summary>
    /// Brings crashed node <paramref name="index"/> back as a fresh process with the same id: a new
    /// <see cref="SwimNode"/> (fresh timers and random stream) whose incarnation starts one above the
    /// highest any live node remembers for it, joining through <paramref name="seed"/>. Its crash time and
    /// the dead marks about it are forgotten, so the next crash is measured afresh.
    /// </summary>
    public void Restart(int index, int seed)
    {
        if (!IsCrashed(index))
        {
            throw new InvalidOperationException($"n{index} is not crashed; only a crashed node can restart.");
        }

        ulong remembered = LiveNodes().Select(o => _nodes[o].GetMember(NodeId(index))?.Incarnation ?? 0).DefaultIfEmpty(0UL).Max();
        Scenario.Network.Restart(Scenario.Endpoint(index));
        _life[index]++;
        _crashedAt[index] = null;
        _deadMarkers[index].Clear();
        foreach (var key in _first.Keys.Where(k => k.Member == index || k.Observer == index).ToList())
        {
            _first.Remove(key);
        }

        SwimNode node = BuildNode(index, _life[index], remembered + 1);
        _nodes[index] = node;
        SwimEndpoint seedEndpoint = Scenario.Endpoint(seed);
        node.Start([seedEndpoint]);
    }

    /// <summary>When node <paramref name="index"/> was crashed by <see cref="Crash"/>, or null.</summary>
    public TimeSpan? CrashedAt(int index) => _crashedAt[index];

    /// <summary>True when node <paramref name="index"/> is crashed.</summary>
    public bool IsCrashed(int index) => Scenario.Network.IsCrashed(Scenario.Endpoint(index));

    /// <summary>Indexes of the nodes that are not crashed.</summary>
    public IEnumerable<int> LiveNodes() => Enumerable.Range(0, NodeCount).Where(i => !IsCrashed(i));

    /// <summary>True when every live node knows NodeCount − 1 − crashed members and sees each live one Alive.</summary>
    public bool AllLiveSeeAllLiveAlive()
    {
        var live = LiveNodes().ToList();
        if (live.Any(o => _nodes[o].GetMembershipSummary().Alive < live.Count - 1))
        {
            return false; // cheap O(N) pre-check before the O(N²) member-by-member one
        }

        foreach (int observer in live)
        {
            SwimNode node = _nodes[observer];
            foreach (int member in live)
            {
                if (member != observer && node.GetMember(NodeId(member))?.State != SwimMemberState.Alive)
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>True when every live node other than <paramref name="member"/> has raised a Dead event for it.</summary>
    public bool AllLiveMarkedDead(int member) =>
        LiveNodes().All(o => o == member || _deadMarkers[member].Contains(o));

    /// <summary>When <paramref name="observer"/> first raised <paramref name="state"/> for <paramref name="member"/>, or null.</summary>
    public TimeSpan? FirstMarked(int observer, int member, SwimMemberState state) =>
        _first.TryGetValue((observer, member, state), out TimeSpan at) ? at : null;

    /// <summary>Observers that raised a Dead event for <paramref name="member"/> at any time.</summary>
    public IReadOnlyCollection<int> DeadMarkersOf(int member) => _deadMarkers[member];

    /// <summary>Events about <paramref name="member"/> in state <paramref name="state"/>.</summary>
    public IEnumerable<SwimSimEvent> EventsAbout(int member, SwimMemberState state) =>
        _events.Where(e => e.Member == member && e.State == state);

    /// <summary>Traffic summed over every endpoint since the last <see cref="SimNetwork.ResetCounters"/>.</summary>
    public SimCounters TotalCounters() => Scenario.Network.TotalCounters();

    private SwimNode BuildNode(int index, int life, ulong startIncarnation)
    {
        var node = new SwimNode(NodeId(index), Config, new InlineCompletionTransport(Scenario.Transports[index]),
            Scenario.TimeFor(index), Scenario.RandomFor(index, life), _auth, _loggerFor?.Invoke(index), startIncarnation);
        node.MemberAlive += m => Record(index, m, SwimMemberState.Alive);
        node.MemberSuspect += m => Record(index, m, SwimMemberState.Suspect);
        node.MemberFailed += m => Record(index, m, SwimMemberState.Dead);
        node.MemberLeft += m => Record(index, m, SwimMemberState.Left);
        return node;
    }

    private void Record(int observer, SwimMember member, SwimMemberState state)
    {
        if (!_indexOf.TryGetValue(member.NodeId, out int index))
        {
            return; // not one of ours (cannot happen with this cluster's tokens)
        }

        TimeSpan at = Elapsed;
        _events.Add(new SwimSimEvent(at, observer, index, state));
        _first.TryAdd((observer, index, state), at);
        if (state == SwimMemberState.Dead)
        {
            _deadMarkers[index].Add(observer);
        }
    }
}

/// <summary>Node <paramref name="Observer"/> marked node <paramref name="Member"/> as
/// <paramref name="State"/> at <paramref name="At"/> (virtual time since the start).</summary>
public readonly record struct SwimSimEvent(TimeSpan At, int Observer, int Member, SwimMemberState State);
