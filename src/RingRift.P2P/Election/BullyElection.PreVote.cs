using RingRift.P2P.Timing;

namespace RingRift.P2P.Election;

public sealed partial class BullyElection
{
    /// <summary>
    /// The pre-vote (after Raft's PreVote, Ongaro's thesis §9.6, decided here by the voters' grants): before
    /// a campaign raises any epoch, every voter is asked whose grant it holds (<see cref="LeaseRequest.Inquiry"/>,
    /// which changes nothing). The campaign goes ahead only when at least <see cref="VoterSet.Majority"/> voters
    /// hold no grant for another candidate; otherwise this node backs off as after a lost campaign.
    /// </summary>
    /// <remarks>
    /// Why: a campaign that cannot win still raises this node's known epoch and its own voter's highest epoch.
    /// The sitting leader then meets that epoch (this node refuses its next announcement as stale, and its voter
    /// refuses the next renewal) and steps down, although its lease was valid: the very preemption a sticky
    /// leader must not suffer from a node that restarts or whose partition heals. A pre-vote that hears from
    /// fewer than a majority counts as an unreachable campaign (see <see cref="HandleProbe"/>).
    /// </remarks>
    private async Task<bool> MajorityWouldGrantAsync(VoterSet voters, CancellationToken ct)
    {
        var answers = await AskVotersAsync(voters, LeaseRequest.Inquiry(SelfId), ct).ConfigureAwait(false);
        int free = 0, answered = 0;
        long highest = 0;
        string? holder = null;
        foreach (var answer in answers)
        {
            if (answer.Response is not { } r)
                continue;
            answered++;
            highest = Math.Max(highest, r.HighestEpoch);
            if (r.HolderId is null || r.HolderId == SelfId)
                free++;
            else
                holder ??= r.HolderId;
        }

        lock (_gate)
        {
            RaiseKnownEpoch(highest, null); // so that the campaign, if any, asks above every epoch the voters have seen
            if (free >= voters.Majority)
                return true;
            _unreachableCampaigns = answered >= voters.Majority ? 0 : _unreachableCampaigns + 1;
            _backoffUntil = MonotonicInstant.Now(_time) + _options.TickInterval * (1 + 2 * _random.NextDouble());
            _logger.PreVoteFailed(SelfId, free, answered, voters.Majority, holder ?? "nobody", _backoffUntil.ToWallClock(_time));
        }
        return false;
    }
}
