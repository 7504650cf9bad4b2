using RingRift.P2P.Timing;

namespace RingRift.P2P.Election;

public sealed partial class BullyElection
{
    /// <summary>
    /// The pre-vote (after Raft's PreVote, Ongaro's thesis §9.6, decided here by the voters' grants): before
    /// a campaign raises any epoch, every voter is asked whose grant it holds (<see cref="LeaseRequest.Inquiry"/>,
    /// which changes nothing). The campaign goes ahead only when at least <see cref="VoterSet.Majority"/> voters
    /// hold no grant for another candidate; otherwise this node backs off as after a lost campaign, waking
    /// as soon as the grants in the way end when that is sooner (<see cref="MajorityFreeIn"/>).
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
            _backoffUntil = BackOff(MonotonicInstant.Now(_time), MajorityFreeIn(answers, voters.Majority, SelfId));
            _logger.PreVoteFailed(SelfId, free, answered, voters.Majority, holder ?? "nobody", _backoffUntil.ToWallClock(_time));
        }
        return false;
    }

    /// <summary>
    /// How long until at least <paramref name="majority"/> of the voters that answered hold no grant for a
    /// candidate other than <paramref name="candidateId"/>, from the time each refusal says its grant has left
    /// (<see cref="LeaseResponse.LeaseSeconds"/>, which the voter read before answering, so the grant ends no
    /// later than that after the answer arrives). Null when fewer than a majority answered: nobody knows.
    /// </summary>
    internal static TimeSpan? MajorityFreeIn(IReadOnlyList<VoterAnswer> answers, int majority, string candidateId)
    {
        var freeIn = new List<double>(answers.Count);
        foreach (var answer in answers)
        {
            if (answer.Response is not { } r)
                continue;
            freeIn.Add(r.HolderId is null || r.HolderId == candidateId ? 0 : Math.Max(0, r.LeaseSeconds));
        }
        if (freeIn.Count < majority || majority < 1)
            return null;
        freeIn.Sort();
        return TimeSpan.FromSeconds(freeIn[majority - 1]);
    }

    /// <summary>
    /// The end of a back-off that starts at <paramref name="now"/>: 1–3 ticks at random (two candidates that
    /// collided should not collide again), or just after the blocking grants end (<paramref name="freeIn"/>)
    /// when that comes first, so the node that should lead next asks the moment it can win rather than up to
    /// three ticks later. The caller holds <see cref="_gate"/>.
    /// </summary>
    private MonotonicInstant BackOff(MonotonicInstant now, TimeSpan? freeIn)
    {
        var random = now + _options.TickInterval * (1 + 2 * _random.NextDouble());
        if (freeIn is not { } wait || wait <= TimeSpan.Zero)
            return random; // nothing known, or no grant in the way: the loss had another cause (a collision, an epoch)
        var expiry = now + wait + GrantEndMargin;
        return expiry < random ? expiry : random;
    }

    /// <summary>How long after a blocking grant's reported end a back-off waits (the answer's own trip is already on its side).</summary>
    internal static readonly TimeSpan GrantEndMargin = TimeSpan.FromMilliseconds(10);
}
