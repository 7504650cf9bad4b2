using RingRift.P2P.Models;
using RingRift.P2P.Timing;

namespace RingRift.P2P.Election;

public sealed partial class BullyElection
{
    /// <summary>
    /// POST /election/lease: decided by this node's <see cref="LeaseVoter"/>. Raises KnownEpoch to the
    /// voter's highest epoch; a leader whose own voter grants someone else steps down at once. A
    /// candidate that is not a known voter, or an epoch out of range, is refused first (see <see cref="Admit"/>).
    /// </summary>
    public LeaseResponse HandleLeaseRequest(LeaseRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        Admit("lease request", "candidate_id", request.CandidateId, request.Epoch);
        AbsorbEpochFloor(); // the answer's highest epoch includes this node's queue fence
        var response = _localVoter.Handle(request);
        lock (_gate)
        {
            var owner = response.Granted && request.Epoch == response.HighestEpoch ? request.CandidateId : null;
            RaiseKnownEpoch(response.HighestEpoch, owner);
            if (response.Granted && request.CandidateId != SelfId && _role != NodeRole.Follower)
            {
                _logger.SteppingDownForHigherEpoch(SelfId, _epoch, $"its own voter granting {request.CandidateId}", request.Epoch);
                _pendingRelease = BecomeFollower();
            }
        }
        PublishIfChanged();
        return response;
    }

    /// <summary>
    /// POST /election: a lower node asks whether it should stand aside.
    /// </summary>
    /// <remarks>
    /// WillLead rule: this node is a voter AND (it leads with a valid lease, OR no higher voter is alive in
    /// its membership view and fewer than <see cref="UnreachableCampaignsBeforeYielding"/> of its latest
    /// campaigns or pre-votes in a row failed to hear from a majority of voters). A higher node cut off from the
    /// majority therefore stops blocking lower nodes after two campaigns, while a higher node that lost
    /// only because voters still held another leader's grants keeps its claim.
    /// </remarks>
    public ElectionProbeResponse HandleProbe(ElectionProbe probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        AbsorbEpochFloor();
        var voters = CurrentVoters();
        var higherAlive = HighestAliveVoterAbove(voters);
        var now = MonotonicInstant.Now(_time);
        lock (_gate)
        {
            var snapshot = BuildSnapshot(now);
            var leading = snapshot.Role == NodeRole.Leader;
            var willLead = voters.Contains(SelfId)
                && (leading || (higherAlive is null && _unreachableCampaigns < UnreachableCampaignsBeforeYielding));
            return new ElectionProbeResponse(SelfId, Alive: true, snapshot.LeaderId, _knownEpoch, willLead);
        }
    }

    /// <summary>
    /// POST /coordinator: accepted when its epoch is at least KnownEpoch, unless another leader was
    /// already announced at that epoch or this node itself leads or campaigns at it. The leader is then believed until
    /// now + min(LeaseRemainingSeconds, LeaseDuration). A leader or candidate accepting a higher epoch
    /// steps down at once; this node's voter refuses older epochs from then on. A LeaseRemainingSeconds of
    /// exactly 0 from the followed leader at its epoch is a resignation (sent by a leader stepping down):
    /// that leader is believed no longer, so lower nodes may campaign at once. A leader that is not a
    /// known voter, or an epoch out of range, is refused first (see <see cref="Admit"/>).
    /// </summary>
    public AnnouncementAck HandleAnnouncement(LeaderAnnouncement announcement)
    {
        ArgumentNullException.ThrowIfNull(announcement);
        Admit("leader announcement", "leader_id", announcement.LeaderId, announcement.Epoch);
        AbsorbEpochFloor(); // a leader below this node's queue fence is refused, and so learns of it

        var now = MonotonicInstant.Now(_time);
        string? refusal = null;
        bool resignation;
        AnnouncementAck ack;
        lock (_gate)
        {
            resignation = IsResignation(announcement);
            if (resignation)
                _announcedValidUntil = now; // the believed leader says it no longer acts
            else if ((refusal = RefuseAnnouncement(announcement)) is null)
                Follow(announcement, now);
            ack = new AnnouncementAck(SelfId, refusal is null, _knownEpoch, _knownEpochHolder);
        }

        if (refusal is not null)
        {
            _logger.AnnouncementRefused(SelfId, announcement.LeaderId, announcement.Epoch, refusal);
            return ack;
        }
        if (!resignation)
            _localVoter.ObserveEpoch(announcement.Epoch, announcement.LeaderId);
        PublishIfChanged();
        return ack;
    }

    /// <summary>Records an accepted announcement. The caller holds <see cref="_gate"/>.</summary>
    private void Follow(LeaderAnnouncement a, MonotonicInstant now)
    {
        if (_role != NodeRole.Follower && a.Epoch > _epoch)
        {
            _logger.SteppingDownForHigherEpoch(SelfId, _epoch, $"the announcement of {a.LeaderId}", a.Epoch);
            _pendingRelease = BecomeFollower();
        }
        RaiseKnownEpoch(a.Epoch, a.LeaderId);
        if (_announcedLeader != a.LeaderId || _announcedEpoch != a.Epoch)
            _logger.FollowingLeader(SelfId, a.LeaderId, a.Epoch);
        _announcedLeader = a.LeaderId;
        _announcedAddress = a.LeaderAddress;
        _announcedEpoch = a.Epoch;
        _announcedValidUntil = now + TimeSpan.FromSeconds(Math.Min(a.LeaseRemainingSeconds, _options.LeaseDuration.TotalSeconds));
    }

    /// <summary>A zero remaining lease from the leader this node follows, at its epoch: it stepped down.</summary>
    private bool IsResignation(LeaderAnnouncement a)
        => a.LeaseRemainingSeconds == 0 && a.LeaderId == _announcedLeader && a.Epoch == _announcedEpoch;

    /// <summary>Guard ladder for announcements; null means accept. The caller holds <see cref="_gate"/>.</summary>
    private string? RefuseAnnouncement(LeaderAnnouncement a)
    {
        if (a.LeaderId == SelfId)
            return "it names this node";
        if (!double.IsFinite(a.LeaseRemainingSeconds) || a.LeaseRemainingSeconds <= 0)
            return $"lease_remaining_seconds {a.LeaseRemainingSeconds} is not a positive number";
        if (a.Epoch < _knownEpoch)
            return $"stale epoch {a.Epoch} < known {_knownEpoch}";
        // Each epoch has at most one winner (any two majorities share a voter, which grants an epoch
        // to one candidate). So at an equal epoch only a winner already announced, or a live claim of
        // this node's own, refuses; a campaign that merely asked for this epoch and lost gives way.
        if (a.Epoch == _announcedEpoch && _announcedLeader is { } announced && announced != a.LeaderId)
            return $"epoch {a.Epoch} belongs to {announced}";
        if (a.Epoch == _epoch && _role != NodeRole.Follower)
            return $"this node itself holds epoch {a.Epoch}";
        return null;
    }

    /// <summary>
    /// Guard before a request that can move epochs: only a known voter can campaign or lead, and only at
    /// an epoch in range (<see cref="VoterAdmission"/>, the check queue replication uses too). Without it
    /// one forged lease request at a high epoch would make a leader step down, and one far above 2^23
    /// would raise this node's known epoch where its queue could never serve.
    /// </summary>
    /// <exception cref="ArgumentException">Blank id or epoch out of range (HTTP 400).</exception>
    /// <exception cref="Coordination.UnknownLeaderException">The sender is not a known voter (HTTP 403).</exception>
    private void Admit(string kind, string idField, string senderId, long epoch)
    {
        var voters = CurrentVoters();
        if (VoterAdmission.IsKnownVoter(voters, idField, senderId, epoch))
            return;
        _logger.UnknownVoterRefused(SelfId, kind, senderId, epoch);
        throw VoterAdmission.Refusal(voters, SelfId, idField, senderId,
            $"the {kind} at epoch {epoch} is refused and this node's voter and known epoch are unchanged");
    }
}
