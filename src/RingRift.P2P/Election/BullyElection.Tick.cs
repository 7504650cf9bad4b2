using RingRift.P2P.Models;
using RingRift.P2P.Timing;

namespace RingRift.P2P.Election;

public sealed partial class BullyElection
{
    private enum LeaderStep { NotLeader, Hold, Renew, SteppedDown }

    /// <summary>
    /// One step of the protocol. The host calls it every <see cref="BullyOptions.TickInterval"/> from a
    /// single loop (never concurrently with itself). A leader drops out when its lease has run out or the
    /// epoch floor (its queue's fence) is above its epoch, and renews every <see cref="BullyOptions.RenewInterval"/>;
    /// a higher voter that is alive does not make it step down (a valid lease is sticky). Anyone else campaigns
    /// when no leader's lease is in force and the Bully rule makes it the one to lead.
    /// </summary>
    public async Task TickAsync(CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        AbsorbEpochFloor(); // a leader its queue's fence has passed steps down here, releasing below
        var voters = CurrentVoters();

        long? pending;
        lock (_gate)
        {
            pending = _pendingRelease;
            _pendingRelease = null;
        }
        if (pending is { } stale)
            await ReleaseAllAsync(voters, stale, ct).ConfigureAwait(false);

        var higherAlive = HighestAliveVoterAbove(voters); // membership is foreign code: read it outside the lock; used by campaigns only
        LeaderStep step;
        long epoch;
        long generation;
        lock (_gate)
        {
            var now = MonotonicInstant.Now(_time);
            epoch = _epoch;
            generation = _generation;
            if (_role != NodeRole.Leader)
            {
                step = LeaderStep.NotLeader;
            }
            else if (now >= _leaseValidUntil)
            {
                _logger.LeaseExpired(SelfId, _epoch, _leaseValidUntil.ToWallClock(_time));
                BecomeFollower();
                step = LeaderStep.SteppedDown;
            }
            else
            {
                step = now >= _lastRenewStart + _options.RenewInterval ? LeaderStep.Renew : LeaderStep.Hold;
            }
        }

        switch (step)
        {
            case LeaderStep.SteppedDown:
                PublishIfChanged();
                await ResignAsync(voters, epoch, ct).ConfigureAwait(false);
                break;
            case LeaderStep.Renew:
                await RenewAsync(voters, epoch, generation, ct).ConfigureAwait(false);
                break;
            case LeaderStep.NotLeader:
                await MaybeCampaignAsync(voters, higherAlive, ct).ConfigureAwait(false);
                break;
        }

        PublishIfChanged(); // also notices leases and announcements that simply ran out
    }

    private VoterSet CurrentVoters()
        => _voters() ?? throw new InvalidOperationException("The voters callback returned null; it must return the current VoterSet.");
}
