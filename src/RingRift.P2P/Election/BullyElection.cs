using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RingRift.P2P.Membership;
using RingRift.P2P.Models;
using RingRift.P2P.Timing;

namespace RingRift.P2P.Election;

/// <summary>
/// Bully leader election fenced by voter leases and epochs. When no leader's lease is in force, the
/// highest-id alive voter campaigns; it leads only while a majority of voters hold an unexpired grant for
/// its epoch, and stops acting <see cref="BullyOptions.SafetyMargin"/> before the earliest of those grants
/// can end, so two nodes never act as leader at the same instant, partitions included. Leadership is
/// sticky: a leader whose lease is in force keeps it when a higher voter starts, restarts or rejoins
/// (that voter follows it); the highest alive voter takes over only once the leader is gone (its lease
/// ran out) or steps down (<see cref="StepDownAsync"/>, which a graceful stop calls).
/// </summary>
/// <remarks>
/// Pure protocol: no sockets, time only through the injected <see cref="TimeProvider"/>, randomness only
/// from the injected <see cref="Random"/>. Every deadline (lease, announcement, back-off) is on the
/// provider's monotonic clock (<see cref="MonotonicInstant"/>), so a wall-clock step cannot end a lease
/// early or stretch it; wall-clock time appears only in snapshots and logs, for display. The host calls <see cref="TickAsync"/> every
/// <see cref="BullyOptions.TickInterval"/> from one loop and routes the three node-to-node requests to
/// <see cref="HandleProbe"/>, <see cref="HandleLeaseRequest"/> and <see cref="HandleAnnouncement"/>, which
/// may run concurrently with a tick. State is guarded by one lock that is never held across an await.
/// Split by mechanism: BullyElection.Campaign.cs, .PreVote.cs, .Lease.cs (renew, step down, release),
/// .Handlers.cs (incoming requests), .Calls.cs (fan-out with timeouts), .Fence.cs (the epoch floor).
/// </remarks>
public sealed partial class BullyElection
{
    /// <summary>A candidate that could not hear from a majority of voters this many campaigns in a row
    /// stops telling lower nodes it will lead (see <see cref="HandleProbe"/>).</summary>
    public const int UnreachableCampaignsBeforeYielding = 2;

    private readonly BullyOptions _options;
    private readonly IMembershipView _membership;
    private readonly Func<VoterSet> _voters;
    private readonly IElectionTransport _transport;
    private readonly LeaseVoter _localVoter;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly ILogger _logger;
    private readonly Func<long>? _epochFloor;
    private readonly Lock _gate = new();

    // All fields below are guarded by _gate.
    private NodeRole _role = NodeRole.Follower;
    private long _epoch;                       // epoch of the current/last own campaign or leadership
    private MonotonicInstant _leaseValidUntil;   // meaningful while _role == Leader
    private MonotonicInstant _lastRenewStart;    // t0 of the last successful grant round
    private long _generation;                  // bumped on every role change; stale async results are dropped
    private long _knownEpoch;
    private string? _knownEpochHolder;         // the leader/candidate owning _knownEpoch, null when not known
    private string? _announcedLeader;
    private string? _announcedAddress;
    private long _announcedEpoch;
    private MonotonicInstant _announcedValidUntil;
    private MonotonicInstant _backoffUntil;
    private int _unreachableCampaigns;         // consecutive campaigns or pre-votes that heard from fewer than a majority
    private long? _pendingRelease;             // epoch whose grants the next tick releases (set by handlers)
    private string? _publishedLeader;
    private long _publishedEpoch;

    /// <param name="epochFloor">
    /// An epoch this node has seen outside the election, read before every tick and handled request:
    /// the node passes the fence of its work-queue replica (the highest epoch any replica is known to
    /// have been fenced at). The election campaigns above it, its voter refuses lower epochs, and a
    /// leader below it steps down, since its queue could not serve. Null: no floor.
    /// </param>
    public BullyElection(
        string selfId,
        BullyOptions options,
        IMembershipView membership,
        Func<VoterSet> voters,
        IElectionTransport transport,
        LeaseVoter localVoter,
        TimeProvider time,
        Random random,
        ILogger<BullyElection>? logger = null,
        Func<long>? epochFloor = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(selfId);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(membership);
        ArgumentNullException.ThrowIfNull(voters);
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(localVoter);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(random);
        if (membership.SelfId != selfId)
            throw new ArgumentException($"membership.SelfId '{membership.SelfId}' must equal selfId '{selfId}'.", nameof(membership));
        if (localVoter.SelfId != selfId)
            throw new ArgumentException($"localVoter.SelfId '{localVoter.SelfId}' must equal selfId '{selfId}'.", nameof(localVoter));
        if (localVoter.LeaseDuration != options.LeaseDuration)
        {
            throw new ArgumentException(
                $"localVoter lease duration {localVoter.LeaseDuration} must equal options.LeaseDuration {options.LeaseDuration}.", nameof(localVoter));
        }

        SelfId = selfId;
        _options = options.Validate();
        _membership = membership;
        _voters = voters;
        _transport = transport;
        _localVoter = localVoter;
        _time = time;
        _random = random;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _epochFloor = epochFloor;

        // A restarted node resumes above every epoch its own voter has seen.
        var persisted = localVoter.Snapshot;
        _knownEpoch = persisted.HighestEpoch;
        _knownEpochHolder = persisted.HighestEpochHolder;
    }

    public string SelfId { get; }

    public BullyOptions Options => _options;

    /// <summary>Raised (outside any lock) when the snapshot's LeaderId or Epoch changes, including to no leader.</summary>
    public event Action<ElectionSnapshot>? LeaderChanged;

    /// <summary>True only while this node leads AND the clock is before its LeaseValidUntil, read fresh on every call.</summary>
    public bool IsLeader
    {
        get
        {
            var now = MonotonicInstant.Now(_time);
            lock (_gate) return _role == NodeRole.Leader && now < _leaseValidUntil;
        }
    }

    /// <summary>Leadership as this node sees it now; built fresh against the clock on every read.</summary>
    public ElectionSnapshot Snapshot
    {
        get
        {
            var now = MonotonicInstant.Now(_time);
            lock (_gate) return BuildSnapshot(now);
        }
    }

    private ElectionSnapshot BuildSnapshot(MonotonicInstant now)
    {
        if (_role == NodeRole.Leader && now < _leaseValidUntil)
            return new ElectionSnapshot(NodeRole.Leader, SelfId, _options.SelfAddress, _epoch, _leaseValidUntil.ToWallClock(_time), _knownEpoch);

        var role = _role == NodeRole.Candidate ? NodeRole.Candidate : NodeRole.Follower;
        return _announcedLeader is not null && now < _announcedValidUntil
            ? new ElectionSnapshot(role, _announcedLeader, _announcedAddress, _announcedEpoch, _announcedValidUntil.ToWallClock(_time), _knownEpoch)
            : new ElectionSnapshot(role, null, null, 0, null, _knownEpoch);
    }

    /// <summary>Raises <see cref="LeaderChanged"/> when LeaderId or Epoch differ from the last raised value.</summary>
    private void PublishIfChanged()
    {
        ElectionSnapshot? changed = null;
        var now = MonotonicInstant.Now(_time);
        lock (_gate)
        {
            var s = BuildSnapshot(now);
            if (s.LeaderId != _publishedLeader || s.Epoch != _publishedEpoch)
            {
                _publishedLeader = s.LeaderId;
                _publishedEpoch = s.Epoch;
                changed = s;
            }
        }

        if (changed is null)
            return;
        try
        {
            LeaderChanged?.Invoke(changed);
        }
        catch (Exception ex)
        {
            _logger.LeaderChangedHandlerFailed(ex, SelfId);
        }
    }

    /// <summary>Raises the known epoch; <paramref name="holder"/> names its owner when known.</summary>
    private void RaiseKnownEpoch(long epoch, string? holder)
    {
        if (epoch > _knownEpoch)
        {
            _knownEpoch = epoch;
            _knownEpochHolder = holder;
        }
        else if (epoch == _knownEpoch && _knownEpochHolder is null)
        {
            _knownEpochHolder = holder;
        }
    }

    /// <summary>Drops the leader/candidate role; the caller releases grants for the returned epoch.</summary>
    private long BecomeFollower()
    {
        _role = NodeRole.Follower;
        _generation++;
        return _epoch;
    }

    private static bool IsHigher(string a, string b) => string.CompareOrdinal(a, b) > 0;

    /// <summary>The highest voter above this node that membership believes alive, or null.</summary>
    private string? HighestAliveVoterAbove(VoterSet voters)
    {
        string? best = null;
        foreach (var id in voters.Ids)
        {
            if (id == SelfId || !IsHigher(id, SelfId) || !_membership.IsPeerAlive(id))
                continue;
            if (best is null || IsHigher(id, best))
                best = id;
        }
        return best;
    }
}
