namespace RingRift.P2P.Timing;

/// <summary>
/// The time a leader's queue timeout sweep judges by. Items carry wall-clock times (<c>claimed_at</c>,
/// <c>started_at</c>, stamped by whichever leader handled them) and the sweep compares them with "now",
/// so now has to be wall-clock time too; but a wall clock stepped forward would release every item
/// whose timeout is shorter than the step, and each would be handed out a second time.
/// </summary>
/// <remarks>
/// Now is the earlier of the wall clock and the wall clock as it read when this leadership's sweeps
/// began, carried forward on the monotonic clock; the wall clock running ahead of that by up to
/// <see cref="FollowAhead"/> is followed (re-anchored to), so slewing and drift do not add up. A larger
/// forward step is ignored until leadership changes (items then time out up to that much late; the
/// node running a job still stops it on its own monotonic timeout); a backward step delays the sweep
/// by the step, as before. A step that happened before the first sweep of a leadership cannot be told
/// from the true time.
/// </remarks>
public sealed class SweepClock(TimeProvider time)
{
    private readonly TimeProvider _time = time ?? throw new ArgumentNullException(nameof(time));
    private (MonotonicInstant At, DateTimeOffset Wall)? _anchor;

    /// <summary>How far ahead of the carried time the wall clock may be and still be followed (re-anchored to) rather than ignored.</summary>
    public static readonly TimeSpan FollowAhead = TimeSpan.FromSeconds(1);

    /// <summary>Starts over: call when this node stops serving as leader, so the next leadership anchors afresh.</summary>
    public void Reset() => _anchor = null;

    /// <summary>Now for the sweep, in Unix seconds (the queue's time unit); anchors on the first call after a reset.</summary>
    public double UnixNow()
    {
        var wall = _time.GetUtcNow();
        var at = MonotonicInstant.Now(_time);
        if (_anchor is not { } anchor)
        {
            _anchor = (at, wall);
            return ToUnix(wall);
        }
        var carried = anchor.Wall + (at - anchor.At);
        if (wall <= carried) return ToUnix(wall);
        if (wall - carried > FollowAhead) return ToUnix(carried);
        _anchor = (at, wall); // a small correction (slewing, drift against the monotonic clock): follow it
        return ToUnix(wall);
    }

    private static double ToUnix(DateTimeOffset at) => at.ToUnixTimeMilliseconds() / 1000.0;
}
