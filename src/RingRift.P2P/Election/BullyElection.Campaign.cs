using RingRift.P2P.Models;
using RingRift.P2P.Timing;

namespace RingRift.P2P.Election;

public sealed partial class BullyElection
{
    /// <summary>
    /// Campaigns when no leader's lease is in force and this node is the one the Bully rule picks: it is a
    /// voter, no voter with a higher id is alive in membership, it believes no announced leader (of any id:
    /// a valid lease is sticky, a higher id does not preempt it), it is not backing off, no higher voter
    /// answers a probe with WillLead, and its pre-vote finds a majority of voters holding no other
    /// candidate's grant (<see cref="MajorityWouldGrantAsync"/>). A campaign wins when at least
    /// <see cref="VoterSet.Majority"/> voters grant epoch KnownEpoch + 1 and none reports a higher epoch.
    /// </summary>
    private async Task MaybeCampaignAsync(VoterSet voters, string? higherAlive, CancellationToken ct)
    {
        if (!voters.Contains(SelfId) || higherAlive is not null)
            return;
        lock (_gate)
        {
            if (!MayCampaign(MonotonicInstant.Now(_time)))
                return;
        }

        if (await HigherVoterWillLeadAsync(voters, ct).ConfigureAwait(false))
            return;
        if (!await MajorityWouldGrantAsync(voters, ct).ConfigureAwait(false))
            return;

        long epoch;
        long generation;
        MonotonicInstant t0;
        lock (_gate)
        {
            t0 = MonotonicInstant.Now(_time); // before any request leaves: every grant starts at or after t0
            if (!MayCampaign(t0))
                return;
            epoch = _knownEpoch + 1;
            RaiseKnownEpoch(epoch, SelfId);
            _epoch = epoch;
            _role = NodeRole.Candidate;
            generation = ++_generation;
        }
        _logger.Campaigning(SelfId, epoch, voters.Size);

        VoterAnswer[] answers;
        try
        {
            answers = await AskVotersAsync(voters, new LeaseRequest(SelfId, epoch), ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            lock (_gate)
            {
                if (_generation == generation)
                    BecomeFollower();
            }
            throw;
        }

        var tally = Tally.Of(answers, SelfId, epoch);
        bool won;
        lock (_gate)
        {
            var now = MonotonicInstant.Now(_time);
            var validUntil = t0 + _options.LeaseDuration - _options.SafetyMargin;
            RaiseKnownEpoch(tally.HighestEpoch, null);
            if (_generation != generation)
            {
                won = false; // stepped down or overtaken by an announcement meanwhile
            }
            else if (tally.Granted >= voters.Majority && tally.HighestEpoch <= epoch && now < validUntil)
            {
                won = true;
                _role = NodeRole.Leader;
                _leaseValidUntil = validUntil;
                _lastRenewStart = t0;
                _unreachableCampaigns = 0;
                _announcedLeader = null;
                _logger.BecameLeader(SelfId, epoch, tally.Granted, voters.Size, voters.Majority, validUntil.ToWallClock(_time));
            }
            else
            {
                won = false;
                BecomeFollower();
                _unreachableCampaigns = tally.Answered >= voters.Majority ? 0 : _unreachableCampaigns + 1;
                _backoffUntil = BackOff(now, MajorityFreeIn(answers, voters.Majority, SelfId));
                _logger.CampaignFailed(SelfId, epoch, tally.Granted, tally.Answered, voters.Majority, _backoffUntil.ToWallClock(_time));
            }
        }

        PublishIfChanged();
        if (won)
            await AnnounceAsync(epoch, generation, ct).ConfigureAwait(false);
        else
            await ReleaseAllAsync(voters, epoch, ct).ConfigureAwait(false);
    }

    /// <summary>Conditions read under the lock; the caller holds <see cref="_gate"/>.</summary>
    private bool MayCampaign(MonotonicInstant now)
        => _role != NodeRole.Leader // already leading (a lapsed lease is handled by the leader step)
           && now >= CampaignBlockedUntil();

    /// <summary>
    /// Until when this node may not campaign: the later of the end of its back-off (after a lost campaign or pre-vote,
    /// or a requested step-down) and the end of the announced leader's lease, whatever its id (a lease in force is not
    /// preempted). The caller holds <see cref="_gate"/>.
    /// </summary>
    private MonotonicInstant CampaignBlockedUntil()
        => _announcedLeader is not null && _announcedValidUntil > _backoffUntil ? _announcedValidUntil : _backoffUntil;

    /// <summary>
    /// How long until this follower may next ask for the leadership (<see cref="CampaignBlockedUntil"/>); null when
    /// nothing holds it back, or it is not a follower. The host ticks again then rather than at its next regular
    /// tick, so a dead leader's successor asks as the leader's lease and grants end.
    /// </summary>
    public TimeSpan? NextCampaignIn
    {
        get
        {
            lock (_gate)
            {
                if (_role != NodeRole.Follower)
                    return null;
                var left = CampaignBlockedUntil() - MonotonicInstant.Now(_time);
                return left > TimeSpan.Zero ? left : null;
            }
        }
    }

    /// <summary>Bully probe: asks every higher voter (alive or not in membership) whether it will lead.</summary>
    private async Task<bool> HigherVoterWillLeadAsync(VoterSet voters, CancellationToken ct)
    {
        var higher = voters.Ids.Where(id => IsHigher(id, SelfId)).ToArray();
        if (higher.Length == 0)
            return false;

        long known;
        lock (_gate) known = _knownEpoch;
        var probe = new ElectionProbe(SelfId, known);
        var answers = await Task.WhenAll(higher.Select(id =>
            CallAsync(id, "probe", token => _transport.ProbeAsync(id, probe, token), ct))).ConfigureAwait(false);

        string? willing = null;
        lock (_gate)
        {
            foreach (var answer in answers)
            {
                if (answer is null)
                    continue;
                RaiseKnownEpoch(answer.Epoch, null);
                if (answer.WillLead && (willing is null || IsHigher(answer.NodeId, willing)))
                    willing = answer.NodeId;
            }
        }

        if (willing is null)
            return false;
        _logger.DeferringToHigher(SelfId, willing);
        return true;
    }

    /// <summary>Counts of one round of lease answers.</summary>
    private readonly record struct Tally(int Granted, int Answered, long HighestEpoch)
    {
        public static Tally Of(IEnumerable<VoterAnswer> answers, string candidateId, long epoch)
        {
            int granted = 0, answered = 0;
            var highest = epoch;
            foreach (var a in answers)
            {
                if (a.Response is not { } r)
                    continue;
                answered++;
                if (r.Granted && r.HolderId == candidateId && r.HolderEpoch == epoch)
                    granted++;
                highest = Math.Max(highest, r.HighestEpoch);
            }
            return new Tally(granted, answered, highest);
        }
    }
}
