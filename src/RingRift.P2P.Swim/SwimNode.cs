using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RingRift.P2P.Membership;
using RingRift.P2P.Swim.Wire;

namespace RingRift.P2P.Swim;

/// <summary>
/// The SWIM (Das, Gupta, Motivala 2002) + Lifeguard (Dadgar et al. 2018) membership protocol core:
/// randomized round-robin probing with indirect probes and a TCP fallback, infection-style
/// dissemination piggybacked on every packet plus dedicated gossip rounds, suspicion with
/// Lifeguard's dynamic timeout and local health awareness, and periodic full-state push-pull.
/// </summary>
/// <remarks>
/// <para>No sockets and no wall clock: packets and requests go through <see cref="ISwimTransport"/>,
/// time and timers come from the injected <see cref="TimeProvider"/>, randomness from the injected
/// <see cref="Random"/>, so a seeded run on a simulated network replays exactly.</para>
/// <para>Threading: one lock guards all state; every entry point (packet and request handlers,
/// timer callbacks, public methods) takes it. The lock is never held across an await, and the
/// <c>Member…</c> events are raised after it is released, in the order the changes happened.</para>
/// <para>Timings (see <see cref="SwimConfig"/> and <see cref="SwimMath"/>): a probe every
/// <c>ProbeInterval × (awareness + 1)</c>, indirect probes after <c>ProbeTimeout × (awareness + 1)</c>,
/// suspect at the end of the period, dead after the suspicion timeout (between
/// <c>max(SuspicionFloor, SuspicionMult × max(1, log10 n) × ProbeInterval)</c> and
/// <c>SuspicionMaxTimeoutMult</c> times that, shrinking with independent confirmations).</para>
/// </remarks>
public sealed partial class SwimNode : IMembershipView
{
    private readonly Lock _gate = new();
    private readonly SwimConfig _config;
    private readonly ISwimTransport _transport;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly PacketAuthenticator _auth;
    private readonly ILogger _logger;
    private readonly MemberTable _table;
    private readonly BroadcastQueue _broadcasts;
    private readonly ProbeOrder _probeOrder;
    private readonly Awareness _awareness;
    private readonly CompoundPacker _packer;
    private readonly SwimPacketReader _reader;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Action> _afterLock = [];
    private readonly List<ITimer> _timers = [];
    private int _lockDepth;
    private bool _started;
    private bool _stopped;
    private uint _nextSeqNo;

    /// <summary>Creates a node that is not yet attached to its transport; call <see cref="Start"/>.</summary>
    /// <param name="nodeId">This node's cluster-unique id (1..128 UTF-8 bytes).</param>
    /// <param name="config">Timings; validated here (<see cref="SwimConfig.Validate"/>).</param>
    /// <param name="transport">Packets and requests; its <see cref="ISwimTransport.Local"/> must be an IP address and a port 1..65535.</param>
    /// <param name="time">Clock and timers.</param>
    /// <param name="random">Probe order shuffles and random member picks; seed it for replayable runs.</param>
    /// <param name="auth">Seals outgoing and opens incoming packets and requests (cluster token).</param>
    /// <param name="logger">Diagnostics; none when null.</param>
    /// <param name="startIncarnation">
    /// First incarnation of this node's own entry; 0 by default. A process that restarts under the same id
    /// should start above what the cluster remembers (e.g. from the clock) so its first Alive is not stale.
    /// </param>
    /// <param name="meta">Application metadata gossiped with this node's Alive (at most the wire limit); empty by default.</param>
    public SwimNode(string nodeId, SwimConfig config, ISwimTransport transport, TimeProvider time, Random random,
        PacketAuthenticator auth, ILogger? logger = null, ulong startIncarnation = 0, byte[]? meta = null)
    {
        ArgumentNullException.ThrowIfNull(nodeId);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(auth);
        config.Validate();
        SwimEndpoint local = transport.Local;
        if (!IPAddress.TryParse(local.Address, out _))
        {
            throw new ArgumentException(
                $"transport.Local.Address is '{local.Address}'; SWIM gossips addresses on the wire, so it must be an IPv4 or IPv6 address.",
                nameof(transport));
        }

        if (local.Port is < 1 or > 65_535)
        {
            throw new ArgumentOutOfRangeException(nameof(transport), local.Port,
                $"transport.Local.Port is {local.Port}; allowed: 1 to 65535 (bind first, then build the node).");
        }

        _ = new Leave(0, nodeId); // validates the id against the wire limits (throws ArgumentException naming NodeId)
        _ = new Alive(startIncarnation, nodeId, local.Address, (ushort)local.Port, meta ?? []); // validates meta's size (names Meta)

        _config = config;
        _transport = transport;
        _time = time;
        _random = random;
        _auth = auth;
        _logger = logger ?? NullLogger.Instance;
        _table = new MemberTable(nodeId, local.Address, local.Port, time, startIncarnation, meta);
        _table.StateChanged += OnMemberStateChanged;
        _broadcasts = new BroadcastQueue(config.RetransmitMult);
        _probeOrder = new ProbeOrder(random);
        _awareness = new Awareness(config.AwarenessMaxMultiplier);
        _packer = new CompoundPacker(auth, config.MaxPacketBytes);
        _reader = new SwimPacketReader(auth);
    }

    /// <summary>A peer became alive: joined, or refuted a suspicion, or came back after dead/left.</summary>
    public event Action<SwimMember>? MemberAlive;

    /// <summary>A peer is suspected (SWIM §4.2); it is declared failed unless it refutes in time.</summary>
    public event Action<SwimMember>? MemberSuspect;

    /// <summary>A peer was declared dead (suspicion expired here or elsewhere).</summary>
    public event Action<SwimMember>? MemberFailed;

    /// <summary>A peer left gracefully.</summary>
    public event Action<SwimMember>? MemberLeft;

    /// <inheritdoc/>
    public string SelfId => _table.SelfId;

    /// <summary>This node's own entry (incarnation rises with each refutation).</summary>
    public SwimMember Self => _table.Self;

    /// <summary>Where this node listens (the transport's local endpoint).</summary>
    public SwimEndpoint Endpoint => _transport.Local;

    /// <summary>Protocol counters for <c>/status</c> and benchmarks.</summary>
    public SwimNodeStats Stats { get; } = new();

    /// <summary>Inbound packet counters: accepted, dropped for authentication, dropped for decoding.</summary>
    public PacketStats PacketStats => _reader.Stats;

    /// <summary>Lifeguard §IV-A local health score now (0 = healthy).</summary>
    public int AwarenessScore => _awareness.Score;

    /// <summary>Every member this node knows, itself included, ordered by id.</summary>
    public IReadOnlyCollection<SwimMember> Members => _table.Members.Values.ToList();

    /// <summary>The member <paramref name="nodeId"/> as this node sees it, or null when unknown.</summary>
    public SwimMember? GetMember(string nodeId) => _table.Get(nodeId);

    /// <inheritdoc/>
    public bool IsPeerAlive(string nodeId)
    {
        ArgumentNullException.ThrowIfNull(nodeId);
        return nodeId != SelfId && _table.Get(nodeId)?.State == SwimMemberState.Alive;
    }

    /// <summary>Ids of the peers believed alive, never this node, ordered by id.</summary>
    public IReadOnlyCollection<string> GetAlivePeers() => _table.AlivePeers().Select(m => m.NodeId).ToList();

    /// <summary>The peers believed alive with their addresses, never this node, ordered by id.</summary>
    public IReadOnlyList<SwimMember> GetAliveMembers() => _table.AlivePeers();

    /// <summary>Counts of peers (this node excluded) by state.</summary>
    public SwimMembershipSummary GetMembershipSummary()
    {
        lock (_gate)
        {
            int alive = _table.AliveCount, suspect = _table.SuspectCount, dead = _table.DeadCount, left = _table.LeftCount;
            return new SwimMembershipSummary(alive, suspect, dead, alive + suspect + dead + left);
        }
    }

    /// <summary>
    /// Attaches to the transport, starts the probe, gossip and push-pull timers and joins through
    /// <paramref name="seeds"/>: a push-pull with one seed at a time (rotating), retried with
    /// exponential backoff (<c>ProbeInterval × 2^attempt</c>, at most <c>PushPullInterval</c>) until one
    /// answers. No seeds (or only this node's own endpoint) starts a new cluster.
    /// </summary>
    /// <exception cref="InvalidOperationException">Already started or stopped.</exception>
    public void Start(IEnumerable<SwimEndpoint> seeds)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        var others = seeds.Where(s => s != _transport.Local).Distinct().ToList();
        Run(() =>
        {
            if (_started)
            {
                throw new InvalidOperationException($"SwimNode {SelfId} was already started; Start may be called once.");
            }

            _started = true;
            _transport.Attach(OnPacket, OnRequest);
            StartProbeLoop();
            StartGossipLoop();
            StartPushPullLoop();
            StartJoin(others);
            SwimLog.Started(_logger, SelfId, _transport.Local.ToString(), others.Count);
        });
    }

    /// <summary>Stops every timer and pending suspicion; later packets, requests and timer callbacks are ignored. Idempotent.</summary>
    public void Stop()
    {
        Run(() =>
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
            foreach (ITimer timer in _timers)
            {
                timer.Dispose();
            }

            _timers.Clear();
            CancelAllSuspicions();
            CancelRelays();
            SwimLog.Stopped(_logger, SelfId);
        });
        _stopping.Cancel();
    }

    /// <summary>Runs <paramref name="body"/> under the lock, then (outside it) the deferred actions it queued: events and async sends.</summary>
    private void Run(Action body)
    {
        List<Action>? deferred = null;
        lock (_gate)
        {
            _lockDepth++;
            try
            {
                body();
            }
            finally
            {
                _lockDepth--;
                if (_lockDepth == 0 && _afterLock.Count > 0)
                {
                    deferred = [.. _afterLock];
                    _afterLock.Clear();
                }
            }
        }

        if (deferred is null)
        {
            return;
        }

        foreach (Action action in deferred)
        {
            try
            {
                action();
            }
            catch (Exception ex)
            {
                SwimLog.CallbackFailed(_logger, SelfId, ex);
            }
        }
    }

    /// <summary>Queues <paramref name="action"/> to run once the lock is released (caller holds the lock).</summary>
    private void AfterLock(Action action) => _afterLock.Add(action);

    /// <summary>Creates a stopped timer owned by this node whose callback runs under the lock unless the node stopped.</summary>
    private ITimer CreateTimer(Action onTick)
    {
        ITimer timer = _time.CreateTimer(_ => Guarded(onTick), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _timers.Add(timer);
        return timer;
    }

    /// <summary>Runs a timer or network callback under the lock, skipping it once stopped; logs instead of throwing.</summary>
    private void Guarded(Action body)
    {
        try
        {
            Run(() =>
            {
                if (!_stopped)
                {
                    body();
                }
            });
        }
        catch (Exception ex)
        {
            SwimLog.CallbackFailed(_logger, SelfId, ex);
        }
    }

    private uint NextSeqNo() => ++_nextSeqNo;

    /// <summary>n of the SWIM formulas: this node plus the peers not known dead or gone.</summary>
    private int ClusterSize() => 1 + _table.AliveCount + _table.SuspectCount;

    private void OnMemberStateChanged(SwimMember member, SwimMemberState? oldState)
    {
        if (member.NodeId == SelfId)
        {
            return; // events are about peers
        }

        if (member.State is SwimMemberState.Dead or SwimMemberState.Left)
        {
            ForgetStaleAccusations(member.NodeId);
        }

        NoteDeath(member, oldState);

        Action<SwimMember>? handler = member.State switch
        {
            SwimMemberState.Alive => MemberAlive,
            SwimMemberState.Suspect => MemberSuspect,
            SwimMemberState.Dead => MemberFailed,
            SwimMemberState.Left => MemberLeft,
            _ => null,
        };
        SwimLog.StateChanged(_logger, SelfId, member.NodeId, oldState?.ToString() ?? "unknown", member.State.ToString(), member.Incarnation);
        if (handler is not null)
        {
            AfterLock(() => handler(member));
        }
    }
}
