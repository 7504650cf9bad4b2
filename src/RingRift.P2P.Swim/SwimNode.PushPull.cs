using RingRift.P2P.Swim.Wire;

namespace RingRift.P2P.Swim;

/// <summary>
/// Anti-entropy (SWIM §4 / memberlist push-pull): full-state exchange over the request channel with one
/// random member every <see cref="SwimConfig.PushPullInterval"/>, and with the seeds on join.
/// </summary>
/// <remarks>
/// Dead members stay push-pull candidates (Left ones do not), so two sides of a healed partition that
/// declared each other dead find each other again: the exchange carries "you are dead", the accused
/// refutes, and its new Alive spreads.
/// </remarks>
public sealed partial class SwimNode
{
    private ITimer? _pushPullTimer;
    private TimeSpan _pushPullPeriod;
    private ITimer? _joinTimer;
    private List<SwimEndpoint> _seeds = [];
    private int _joinAttempt;
    private bool _joined;

    /// <summary>True once a seed answered the join push-pull (or there were no seeds).</summary>
    public bool Joined
    {
        get
        {
            lock (_gate)
            {
                return _joined;
            }
        }
    }

    /// <summary>Request timeout for push-pull: <c>10 × ProbeInterval</c> (3 s by default).</summary>
    private TimeSpan PushPullTimeout => _config.ProbeInterval * 10;

    private void StartPushPullLoop()
    {
        _pushPullTimer = CreateTimer(PushPullTick);
        _pushPullPeriod = _config.PushPullInterval;
        _pushPullTimer.Change(_pushPullPeriod, _pushPullPeriod);
    }

    /// <summary>One anti-entropy exchange with a random member; the period follows the cluster's size
    /// (<see cref="SwimMath.ScaledPushPullInterval"/>) and the timer is re-armed only when it changes.</summary>
    private void PushPullTick()
    {
        TimeSpan period = SwimMath.ScaledPushPullInterval(_config.PushPullInterval, _table.Members.Count);
        if (period != _pushPullPeriod)
        {
            _pushPullPeriod = period;
            _pushPullTimer!.Change(period, period);
        }

        var candidates = new List<SwimMember>();
        foreach (SwimMember member in _table.Members.Values)
        {
            if (member.NodeId != SelfId && member.State != SwimMemberState.Left)
            {
                candidates.Add(member);
            }
        }

        if (PickRandom(candidates, 1) is [SwimMember peer])
        {
            SwimEndpoint to = EndpointOf(peer);
            byte[] request = SealedPushPullRequest();
            AfterLock(() => _ = PushPullAsync(to, request, isJoin: false));
        }
    }

    /// <summary>Join: push-pull with the seeds one at a time, rotating, with exponential backoff until one answers.</summary>
    private void StartJoin(List<SwimEndpoint> seeds)
    {
        _seeds = seeds;
        if (seeds.Count == 0)
        {
            _joined = true; // first node of a new cluster
            return;
        }

        _joinTimer = CreateTimer(JoinAttempt);
        JoinAttempt();
    }

    private void JoinAttempt()
    {
        if (_joined)
        {
            return;
        }

        SwimEndpoint seed = _seeds[_joinAttempt % _seeds.Count];
        TimeSpan backoff = JoinBackoff(_joinAttempt);
        _joinAttempt++;
        SwimLog.JoinAttempt(_logger, SelfId, seed.ToString(), _joinAttempt, backoff);
        SendWithPiggyback(seed, ToWire(_table.SelfAlive()));
        byte[] request = SealedPushPullRequest();
        AfterLock(() => _ = PushPullAsync(seed, request, isJoin: true));
        _joinTimer!.Change(backoff, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Wait before join attempt <paramref name="attempt"/> + 1: <c>min(ProbeInterval × 2^attempt, PushPullInterval)</c>.</summary>
    private TimeSpan JoinBackoff(int attempt)
    {
        TimeSpan cap = _config.PushPullInterval > _config.ProbeInterval ? _config.PushPullInterval : _config.ProbeInterval;
        double factor = Math.Pow(2, Math.Min(attempt, 30));
        double ticks = Math.Min(_config.ProbeInterval.Ticks * factor, cap.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }

    private byte[] SealedPushPullRequest() => _auth.Seal(SwimCodec.Encode(new PushPullRequest(LocalState())));

    private List<PushPullEntry> LocalState() => _table.Members.Values.Select(ToEntry).ToList();

    private async Task PushPullAsync(SwimEndpoint to, byte[] request, bool isJoin)
    {
        try
        {
            Stats.RequestSent();
            byte[]? response = await _transport.SendRequestAsync(to, request, PushPullTimeout, _stopping.Token).ConfigureAwait(false);
            if (response is null || TryOpen(response) is not PushPullResponse state)
            {
                SwimLog.PushPullFailed(_logger, SelfId, to.ToString());
                return;
            }

            Guarded(() =>
            {
                MergeState(state.Members, to);
                Stats.PushPull();
                if (isJoin && !_joined)
                {
                    _joined = true;
                    _joinTimer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                    SwimLog.Joined(_logger, SelfId, to.ToString(), state.Members.Count);
                }
            });
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
        catch (Exception ex)
        {
            SwimLog.CallbackFailed(_logger, SelfId, ex);
        }
    }

    /// <summary>
    /// Merges a remote member list through the table's rules. As in memberlist, a remote "dead" is only a
    /// suspicion here (our own timer decides), and suspicions from a full-state sync are raised in our name.
    /// When the merge made us refute and we know who sent it, our new Alive goes straight back to them.
    /// </summary>
    private void MergeState(IReadOnlyList<PushPullEntry> entries, SwimEndpoint? peer)
    {
        long refutationsBefore = Stats.Refutations;
        foreach (PushPullEntry entry in entries)
        {
            switch (entry.State)
            {
                case SwimMemberState.Alive:
                    HandleAlive(new AliveUpdate(entry.NodeId, entry.Incarnation, entry.Address, entry.Port, entry.Meta.ToArray()));
                    break;
                case SwimMemberState.Suspect:
                case SwimMemberState.Dead:
                    HandleSuspect(new SuspectUpdate(entry.NodeId, entry.Incarnation, SelfId));
                    break;
                case SwimMemberState.Left:
                    HandleLeave(new LeaveUpdate(entry.NodeId, entry.Incarnation));
                    break;
            }
        }

        if (peer is { } to && Stats.Refutations != refutationsBefore)
        {
            SendWithPiggyback(to, ToWire(_table.SelfAlive()));
        }
    }
}
