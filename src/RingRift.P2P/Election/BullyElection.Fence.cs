using Microsoft.Extensions.Logging;
using RingRift.P2P.Models;

namespace RingRift.P2P.Election;

public sealed partial class BullyElection
{
    /// <summary>
    /// Takes in the epoch floor (the work queue's fence, see the constructor's <c>epochFloor</c>): an
    /// epoch a replica has been fenced at is an epoch this node has seen. The known epoch rises to it, so
    /// the next campaign is above it; this node's voter refuses lower epochs from now on and reports the
    /// floor as its highest epoch, so every candidate and leader asking it learns it too; and a leader or
    /// candidate below the floor steps down at once (its grants are released on the next tick), because
    /// its queue can no longer serve. Called before every tick and every handled request.
    /// </summary>
    private void AbsorbEpochFloor()
    {
        if (_epochFloor is null)
            return;
        var floor = _epochFloor(); // foreign code: read outside the lock
        if (floor <= 0)
            return;

        try
        {
            _localVoter.ObserveEpoch(floor); // a no-op unless above the voter's highest epoch
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The voter could not persist: it still refuses nothing new, but the election below knows the floor.
            _logger.CallFailed(ex, SelfId, "epoch floor", SelfId);
        }

        bool steppedDown = false;
        lock (_gate)
        {
            RaiseKnownEpoch(floor, null);
            if (_role != NodeRole.Follower && _epoch < floor)
            {
                _logger.SteppingDownForHigherEpoch(SelfId, _epoch, "the work queue's fence", floor);
                _pendingRelease = BecomeFollower();
                steppedDown = true;
            }
        }
        if (steppedDown)
            PublishIfChanged();
    }
}
