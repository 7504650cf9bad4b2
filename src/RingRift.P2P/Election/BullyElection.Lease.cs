using RingRift.P2P.Models;
using RingRift.P2P.Timing;

namespace RingRift.P2P.Election;

public sealed partial class BullyElection
{
    /// <summary>
    /// Renews the leader's grants. t0 is read before any request leaves; a majority extends the lease to
    /// t0 + LeaseDuration − SafetyMargin. Without a majority the leader keeps acting only until the lease
    /// it already has. A voter reporting a higher epoch ends the leadership at once.
    /// </summary>
    private async Task RenewAsync(VoterSet voters, long epoch, long generation, CancellationToken ct)
    {
        var t0 = MonotonicInstant.Now(_time);
        var answers = await AskVotersAsync(voters, new LeaseRequest(SelfId, epoch), ct).ConfigureAwait(false);
        var tally = Tally.Of(answers, SelfId, epoch);

        bool release = false, announce = false;
        lock (_gate)
        {
            RaiseKnownEpoch(tally.HighestEpoch, null);
            if (_generation != generation)
            {
                release = true; // stepped down meanwhile: give back whatever this round re-granted
            }
            else if (tally.HighestEpoch > epoch)
            {
                _logger.SteppingDownForHigherEpoch(SelfId, epoch, "a voter", tally.HighestEpoch);
                BecomeFollower();
                release = true;
            }
            else if (tally.Granted >= voters.Majority)
            {
                var validUntil = t0 + _options.LeaseDuration - _options.SafetyMargin;
                if (validUntil > _leaseValidUntil)
                    _leaseValidUntil = validUntil;
                _lastRenewStart = t0;
                announce = true;
                _logger.Renewed(SelfId, epoch, tally.Granted, _leaseValidUntil.ToWallClock(_time));
            }
            else
            {
                _logger.RenewalFailed(SelfId, epoch, tally.Granted, voters.Majority, _leaseValidUntil.ToWallClock(_time));
            }
        }

        PublishIfChanged();
        if (release)
            await ReleaseAllAsync(voters, epoch, ct).ConfigureAwait(false);
        if (announce)
            await AnnounceAsync(epoch, generation, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Tells every alive peer that this node leads <paramref name="epoch"/> and for how much longer.
    /// A peer that refuses because it knows a higher epoch makes this node step down.
    /// </summary>
    private async Task AnnounceAsync(long epoch, long generation, CancellationToken ct)
    {
        LeaderAnnouncement announcement;
        lock (_gate)
        {
            var now = MonotonicInstant.Now(_time);
            if (_generation != generation || _role != NodeRole.Leader || now >= _leaseValidUntil)
                return;
            announcement = new LeaderAnnouncement(SelfId, epoch, (_leaseValidUntil - now).TotalSeconds, _options.SelfAddress);
        }

        var peers = _membership.GetAlivePeers().Where(id => id != SelfId).ToArray();
        var acks = await Task.WhenAll(peers.Select(id =>
            CallAsync(id, "announcement", token => _transport.AnnounceAsync(id, announcement, token), ct))).ConfigureAwait(false);

        var higher = acks.Where(a => a is { Accepted: false }).Select(a => a!.KnownEpoch).DefaultIfEmpty(0).Max();
        if (higher <= epoch)
            return;

        bool steppedDown = false;
        lock (_gate)
        {
            RaiseKnownEpoch(higher, null);
            if (_generation == generation && _role == NodeRole.Leader)
            {
                _logger.SteppingDownForHigherEpoch(SelfId, epoch, "an announcement ack", higher);
                BecomeFollower();
                steppedDown = true;
            }
        }
        if (!steppedDown)
            return;
        PublishIfChanged();
        await ReleaseAllAsync(CurrentVoters(), epoch, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Graceful step-down (planned shutdown or hand-over): stop acting at once, then release this
    /// node's grants at every voter so another node can win without waiting for them to expire. The
    /// node then holds off campaigning for one <see cref="BullyOptions.LeaseDuration"/>, so the highest
    /// other alive voter takes over: since a leader with a valid lease is never preempted, this is how
    /// leadership moves back to a preferred (higher) voter.
    /// </summary>
    public async Task StepDownAsync(CancellationToken ct)
    {
        var voters = CurrentVoters();
        long? epoch = null;
        lock (_gate)
        {
            if (_role != NodeRole.Follower)
            {
                _logger.SteppingDownOnRequest(SelfId, _epoch);
                epoch = BecomeFollower();
            }
            else if (_pendingRelease is { } pending)
            {
                epoch = pending;
            }
            _pendingRelease = null;
            _backoffUntil = MonotonicInstant.Now(_time) + _options.LeaseDuration;
        }

        PublishIfChanged();
        if (epoch is { } e)
            await ResignAsync(voters, e, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// After stepping down: release the grants for <paramref name="epoch"/> at every voter, then tell alive
    /// peers the lease is over (an announcement with 0 seconds left) so they stop deferring to this node.
    /// </summary>
    private async Task ResignAsync(VoterSet voters, long epoch, CancellationToken ct)
    {
        await ReleaseAllAsync(voters, epoch, ct).ConfigureAwait(false);
        var resignation = new LeaderAnnouncement(SelfId, epoch, 0, _options.SelfAddress);
        var peers = _membership.GetAlivePeers().Where(id => id != SelfId).ToArray();
        await Task.WhenAll(peers.Select(id =>
            CallAsync(id, "resignation", token => _transport.AnnounceAsync(id, resignation, token), ct))).ConfigureAwait(false);
    }
}
