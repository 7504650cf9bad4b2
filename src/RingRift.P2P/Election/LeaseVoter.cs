using RingRift.P2P.Timing;

namespace RingRift.P2P.Election;

/// <summary>
/// One node's vote in the leader lease: grants a lease to at most one candidate at a time, for
/// <c>leaseDuration</c> from the moment of granting, and never grants an epoch to two candidates.
/// Thread-safe; HTTP handlers call <see cref="Handle"/> concurrently.
/// </summary>
/// <remarks>
/// Every change is saved through the optional <see cref="ILeaseStateStore"/> before the answer is
/// returned. A grant's expiry is decided on the monotonic clock (<see cref="MonotonicInstant"/>), so a
/// step of this voter's wall clock neither ends a grant early (two leaders) nor stretches it (no leader).
/// The persisted <see cref="VoterState.ExpiresAt"/> is wall-clock for whoever reads the file; a voter
/// that starts with a grant on record cannot know how much of it is left (its monotonic clock started
/// again and its wall clock may have moved), so it honours that grant for one whole lease from its start.
/// </remarks>
public sealed class LeaseVoter
{
    private readonly Lock _gate = new();
    private readonly TimeSpan _leaseDuration;
    private readonly TimeProvider _time;
    private readonly ILeaseStateStore? _store;
    private VoterState _state;
    private MonotonicInstant _heldUntil; // end of the current grant on the monotonic clock; meaningful while _state.Holder is set

    public LeaseVoter(string selfId, TimeSpan leaseDuration, TimeProvider time, ILeaseStateStore? store = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(selfId);
        ArgumentNullException.ThrowIfNull(time);
        if (leaseDuration <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(leaseDuration), leaseDuration, "leaseDuration must be greater than zero.");

        SelfId = selfId;
        _leaseDuration = leaseDuration;
        _time = time;
        _store = store;
        _state = store?.Load() ?? VoterState.Empty;
        if (_state.Holder is not null)
            _heldUntil = MonotonicInstant.Now(time) + leaseDuration;
    }

    public string SelfId { get; }

    /// <summary>How long each grant lasts from the moment it is given.</summary>
    public TimeSpan LeaseDuration => _leaseDuration;

    /// <summary>The voter's current promises (a grant may be present but already expired).</summary>
    public VoterState Snapshot
    {
        get { lock (_gate) return _state; }
    }

    /// <summary>Decides a lease request (grant, renewal or release); see the rules in the body.</summary>
    public LeaseResponse Handle(LeaseRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.CandidateId, nameof(request.CandidateId));

        lock (_gate)
        {
            var now = MonotonicInstant.Now(_time);
            var s = _state;

            if (request.Release)
            {
                if (s.Holder != request.CandidateId || s.HolderEpoch != request.Epoch)
                    return Refuse(s, now, "not the holder"); // also the pre-vote's inquiry (LeaseRequest.Inquiry): it changes nothing
                Commit(s with { Holder = null, ExpiresAt = null });
                return Refuse(_state, now, "released");
            }

            if (request.Epoch < s.HighestEpoch)
                return Refuse(s, now, $"stale epoch {request.Epoch} < {s.HighestEpoch}");

            if (IsHeldAt(now) && s.Holder != request.CandidateId)
                return Refuse(s, now, $"held by {s.Holder} for {(_heldUntil - now).TotalSeconds:0.###} s more");

            if (request.Epoch == s.HighestEpoch && s.HighestEpochHolder is { } owner && owner != request.CandidateId)
                return Refuse(s, now, $"epoch {request.Epoch} already used by {owner}");

            Commit(new VoterState(
                Holder: request.CandidateId,
                HolderEpoch: request.Epoch,
                ExpiresAt: _time.GetUtcNow() + _leaseDuration, // for the file's reader; decisions use _heldUntil
                HighestEpoch: Math.Max(s.HighestEpoch, request.Epoch),
                HighestEpochHolder: request.CandidateId)); // epoch >= HighestEpoch here: the ladder refused older ones
            _heldUntil = now + _leaseDuration; // after the save: a grant that could not be saved is not given, nor stretches the last one
            return new LeaseResponse(SelfId, true, request.CandidateId, request.Epoch, _state.HighestEpoch,
                _leaseDuration.TotalSeconds, "granted");
        }
    }

    /// <summary>
    /// Raises <see cref="VoterState.HighestEpoch"/> without granting (fencing: older epochs are refused
    /// from now on). <paramref name="leaderId"/>, when known, becomes the only candidate allowed that epoch.
    /// </summary>
    public void ObserveEpoch(long epoch, string? leaderId = null)
    {
        lock (_gate)
        {
            var s = _state;
            if (epoch > s.HighestEpoch)
            {
                Commit(s with { HighestEpoch = epoch, HighestEpochHolder = leaderId });
            }
            else if (epoch == s.HighestEpoch && leaderId is not null && s.HighestEpochHolder != leaderId
                     && !(IsHeldAt(MonotonicInstant.Now(_time)) && s.Holder != leaderId))
            {
                // The announced leader won this epoch with a majority, so a lost claim of another
                // candidate recorded here (its grant released or expired) gives way: the leader's renewals
                // at this epoch are then granted here too.
                Commit(s with { HighestEpochHolder = leaderId });
            }
        }
    }

    private void Commit(VoterState next)
    {
        _store?.Save(next);
        _state = next;
    }

    /// <summary>True when a grant is held and <paramref name="now"/> is before its end. The caller holds <see cref="_gate"/>.</summary>
    private bool IsHeldAt(MonotonicInstant now) => _state.Holder is not null && now < _heldUntil;

    private LeaseResponse Refuse(VoterState s, MonotonicInstant now, string reason)
    {
        var held = IsHeldAt(now);
        return new LeaseResponse(
            SelfId,
            Granted: false,
            HolderId: held ? s.Holder : null,
            HolderEpoch: held ? s.HolderEpoch : 0,
            HighestEpoch: s.HighestEpoch,
            LeaseSeconds: held ? (_heldUntil - now).TotalSeconds : 0,
            Reason: reason);
    }
}
