using RingRift.P2P.Swim.Wire;
using RingRift.P2P.Timing;

namespace RingRift.P2P.Swim;

/// <summary>
/// Graceful leave: this node marks itself Left and tells the cluster, so peers record it as Left rather
/// than suspecting it and declaring it failed. The Leave is gossiped like any update and, in
/// <see cref="LeaveAsync"/>, also handed directly over the stream channel to a few peers, which
/// acknowledge it; a leave therefore gets through even when every datagram is lost, or when this node's
/// own view is empty (a join still in progress) because it then tells its seeds.
/// </summary>
public sealed partial class SwimNode
{
    /// <summary>
    /// Marks this node Left, queues a Leave broadcast and gossips it at once. Probing stops; gossip
    /// continues (spreading the Leave) until <see cref="Stop"/>. Does nothing once left or stopped.
    /// </summary>
    public void Leave() => Run(() => LeaveLocked());

    /// <summary>
    /// <see cref="Leave"/>, then hands the Leave over the stream channel to up to
    /// <see cref="SwimConfig.GossipNodes"/> random live peers (topped up with this node's seeds when it
    /// knows fewer), retrying each until it acknowledges, and then <see cref="Stop"/>. Returns once every
    /// one of them has acknowledged (they gossip it on) or <paramref name="drain"/> has passed on this
    /// node's clock, whichever is first; gossip goes on meanwhile. A node that knows no peer and has no
    /// seed stops at once.
    /// </summary>
    /// <param name="drain">
    /// Longest the leave may take; by default <c>GossipInterval × retransmit limit</c>, enough gossip
    /// rounds to send the Leave the full number of times should no peer acknowledge.
    /// </param>
    /// <param name="ct">Cancels the wait (the node still stops).</param>
    public async Task LeaveAsync(TimeSpan? drain = null, CancellationToken ct = default)
    {
        if (drain is { } d && d < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(drain), d, $"drain is {d}; allowed: >= 00:00:00 or null for the default.");
        }

        TimeSpan wait = TimeSpan.Zero;
        List<SwimEndpoint> targets = [];
        byte[]? request = null;
        Run(() =>
        {
            wait = drain ?? _config.GossipInterval * Math.Max(1, SwimMath.RetransmitLimit(_config.RetransmitMult, ClusterSize()));
            if (LeaveLocked() is { } leave)
            {
                request = _auth.Seal(SwimCodec.Encode(ToWire(leave)));
                targets = LeaveTargets();
            }
        });

        try
        {
            if (request is null)
            {
                return; // already left or stopped
            }

            if (targets.Count == 0)
            {
                return; // no peer and no seed: nobody to tell
            }

            MonotonicInstant until = MonotonicInstant.Now(_time) + wait;
            bool[] confirmed = await Task.WhenAll(targets.Select(to => HandOverLeaveAsync(to, request, until, ct))).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
            SwimLog.LeaveConfirmed(_logger, SelfId, confirmed.Count(c => c), targets.Count);
        }
        finally
        {
            Stop();
        }
    }

    /// <summary>Marks this node Left and gossips the Leave; null when it had already left or stopped.</summary>
    private LeaveUpdate? LeaveLocked()
    {
        if (_stopped || _table.Self.State == SwimMemberState.Left)
        {
            return null; // already gone
        }

        LeaveUpdate leave = _table.LeaveSelf();
        Enqueue(leave.NodeId, ToWire(leave));
        GossipRound();
        SwimLog.Leaving(_logger, SelfId, leave.Incarnation);
        return leave;
    }

    /// <summary>
    /// Up to <see cref="SwimConfig.GossipNodes"/> random live peers; when fewer are known (a join still in
    /// progress, or every peer believed dead), the seeds not among them fill the remaining places.
    /// </summary>
    private List<SwimEndpoint> LeaveTargets()
    {
        var targets = PickRandom(GossipCandidates(), _config.GossipNodes).Select(EndpointOf).ToList();
        foreach (SwimEndpoint seed in _seeds)
        {
            if (targets.Count >= _config.GossipNodes)
            {
                break;
            }

            if (seed != _transport.Local && !targets.Contains(seed))
            {
                targets.Add(seed);
            }
        }

        return targets;
    }

    /// <summary>
    /// Sends the sealed Leave to <paramref name="to"/> over the stream channel until it answers with an
    /// ack or <paramref name="until"/> passes; a refused or failed attempt is retried one probe interval
    /// later. True when acknowledged.
    /// </summary>
    private async Task<bool> HandOverLeaveAsync(SwimEndpoint to, byte[] request, MonotonicInstant until, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                TimeSpan left = until - MonotonicInstant.Now(_time);
                if (left <= TimeSpan.Zero)
                {
                    return false;
                }

                Stats.RequestSent();
                byte[]? response = await _transport.SendRequestAsync(to, request, left, ct).ConfigureAwait(false);
                if (response is not null && TryOpen(response) is Ack)
                {
                    Stats.LeaveAcknowledged();
                    return true;
                }

                TimeSpan pause = _config.ProbeInterval < until - MonotonicInstant.Now(_time) ? _config.ProbeInterval : until - MonotonicInstant.Now(_time);
                if (pause <= TimeSpan.Zero)
                {
                    return false;
                }

                await Task.Delay(pause, _time, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            return false; // the caller's token: LeaveAsync rethrows it
        }
    }

    /// <summary>A Leave handed over the stream channel: applied like a gossiped one and acknowledged (caller holds the lock).</summary>
    private byte[] AcknowledgeLeave(Leave leave)
    {
        HandleLeave(ToUpdate(leave));
        return _auth.Seal(SwimCodec.Encode(new Ack(0)));
    }
}
